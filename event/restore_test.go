package event_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// restart gives the fixture a new desk and engine over its store, built as
// a host that restarted would build them, with tune applied to the config.
func (f *fixture) restart(t *testing.T, tune func(*fixture, *event.Config)) {
	t.Helper()
	desk, err := incident.NewDesk(f.store, incident.Config{Now: f.clock.Now})
	require.NoError(t, err)
	f.desk = desk
	cfg := event.Config{Now: f.clock.Now}
	if tune != nil {
		tune(f, &cfg)
	}
	f.engine, err = event.NewEngine(f.store, cfg)
	require.NoError(t, err)
	require.NoError(t, f.engine.Start(f.ctx))
}

// storedAlerts returns every alert record of the engine's store.
func storedAlerts(t *testing.T, ctx context.Context, e *event.Engine) []*event.Alert {
	t.Helper()
	var out []*event.Alert
	for a, err := range e.Find(ctx, event.Query{}) {
		require.NoError(t, err)
		out = append(out, a)
	}
	return out
}

func shopEvent(node string, sev event.Severity) event.Event {
	return event.Event{Source: "nagios", Node: node, Check: "http", Severity: sev, Message: node + " " + sev.String(),
		Labels: map[string]string{"service": "shop"}}
}

// TestRestartResumesOpenAlerts: an engine built over a store that holds
// open alerts takes them over, each as it was persisted, with its group
// and the group's incident, and carries on with them: duplicates fold,
// ok events clear, the incident resolves itself with the group's last
// alert, and the timeout clears what went silent.
func TestRestartResumesOpenAlerts(t *testing.T) {
	t.Parallel()
	t0 := newClock().Now()
	tune := func(f *fixture, c *event.Config) {
		automated(f, c)
		c.ClearAfter = time.Hour
		c.Maintenance = []event.MaintenanceWindow{{Name: "db patching", Start: t0, End: t0.Add(24 * time.Hour), CIs: []string{"db-1"}}}
	}
	f := newFixture(t, tune)
	db := event.Event{Source: "zabbix", Node: "db-1", Check: "mysql", Severity: event.SeverityCritical, Message: "replication stopped",
		Labels: map[string]string{"service": "db"}}
	mail := event.Event{Source: "nagios", Node: "mail-1", Check: "smtp", Severity: event.SeverityWarning, Message: "queue 900",
		Labels: map[string]string{"service": "mail"}}
	f.ingest(t, shopEvent("web-1", event.SeverityMajor), shopEvent("web-1", event.SeverityCritical), shopEvent("web-1", event.SeverityCritical),
		shopEvent("web-2", event.SeverityMajor), db, db, mail)
	_, err := f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nagios/mail-1/smtp", By: itil.Actor{ID: "bob"}, Note: "on it"})
	require.NoError(t, err)
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	inc := incs[0]

	keys := []string{"nagios/web-1/http", "nagios/web-2/http", "zabbix/db-1/mysql", "nagios/mail-1/smtp"}
	persisted := map[string]*event.Alert{}
	for _, k := range keys {
		a, err := f.engine.Get(f.ctx, f.alert(t, k).ID)
		require.NoError(t, err)
		persisted[k] = a
	}

	restartedAt := f.clock.Advance(2 * time.Hour) // longer than ClearAfter
	f.restart(t, tune)
	assert.Equal(t, event.Stats{Restored: 4}, f.engine.Stats())

	for _, tc := range []struct {
		key          string
		state        string
		acknowledged bool
		incident     bool
	}{
		{"nagios/web-1/http", event.StateOpen, false, true},
		{"nagios/web-2/http", event.StateOpen, false, true},
		{"zabbix/db-1/mysql", event.StateSuppressed, false, false},
		{"nagios/mail-1/smtp", event.StateAcknowledged, true, false},
	} {
		t.Run(tc.key, func(t *testing.T) {
			a, p := f.alert(t, tc.key), persisted[tc.key]
			assert.Equal(t, p.ID, a.ID)
			assert.Equal(t, p.Number, a.Number)
			assert.Equal(t, tc.state, a.State)
			assert.Equal(t, tc.acknowledged, a.Acknowledged)
			assert.Equal(t, p.Count, a.Count, "the count of the last persisted change")
			assert.True(t, p.FirstSeen.Equal(a.FirstSeen))
			assert.True(t, p.LastSeen.Equal(a.LastSeen))
			assert.Equal(t, p.Severity, a.Severity)
			assert.Equal(t, p.Highest, a.Highest)
			assert.Equal(t, p.History, a.History)
			assert.Equal(t, p.Suppressed, a.Suppressed)
			assert.Equal(t, p.Group, a.Group)
			if tc.incident {
				assert.Equal(t, inc.ID, a.Incident.ID)
			} else {
				assert.True(t, a.Incident.IsZero())
			}
		})
	}
	web1 := f.alert(t, "nagios/web-1/http")
	g, ok := f.engine.Group(web1.Group)
	require.True(t, ok)
	assert.Equal(t, "by-service", g.Rule)
	assert.Equal(t, 2, g.Open)
	assert.Equal(t, []string{"nagios/web-1/http", "nagios/web-2/http"}, g.Alerts)
	assert.Equal(t, inc.ID, g.Incident.ID)

	rep, err := f.engine.Sweep(f.ctx, restartedAt)
	require.NoError(t, err)
	assert.Zero(t, rep.Cleared, "silence while the host was down is not the sources'")

	// Duplicates fold into the resumed alerts; nothing new is opened.
	f.ingest(t, shopEvent("web-1", event.SeverityCritical), db)
	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, web1.ID, a.ID)
	assert.Equal(t, persisted["nagios/web-1/http"].Count+1, a.Count)
	assert.True(t, restartedAt.Equal(a.LastSeen))
	d := f.alert(t, "zabbix/db-1/mysql")
	assert.Equal(t, event.StateSuppressed, d.State)
	assert.Equal(t, persisted["zabbix/db-1/mysql"].Suppressed.Count+1, d.Suppressed.Count)
	assert.Len(t, storedAlerts(t, f.ctx, f.engine), 4)
	st := f.engine.Stats()
	assert.Equal(t, int64(2), st.Duplicates)
	assert.Zero(t, st.Opened)

	// The acknowledged alert stays acknowledged.
	_, err = f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nagios/mail-1/smtp", By: itil.Actor{ID: "carol"}, Note: "mine"})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)

	// A new alert of the group links to the incident raised before.
	f.ingest(t, shopEvent("web-3", event.SeverityCritical))
	assert.Equal(t, inc.ID, f.alert(t, "nagios/web-3/http").Incident.ID)
	assert.Len(t, openIncidents(t, f), 1)

	// The group's last alert to clear resolves the incident.
	f.ingest(t, shopEvent("web-1", event.SeverityOK), shopEvent("web-2", event.SeverityOK))
	got, err := f.desk.Get(f.ctx, inc.ID)
	require.NoError(t, err)
	assert.True(t, got.Open(), "web-3 still fires")
	f.ingest(t, shopEvent("web-3", event.SeverityOK))
	got, err = f.desk.Get(f.ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, got.State)
	cleared, err := f.engine.Get(f.ctx, web1.ID)
	require.NoError(t, err)
	assert.Equal(t, event.StateClosed, cleared.State)
	assert.Equal(t, persisted["nagios/web-1/http"].Count+2, cleared.Count)
	assert.Zero(t, f.engine.Stats().Orphans)

	// The silent ones time out, ClearAfter after the restart.
	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(59*time.Minute))
	require.NoError(t, err)
	assert.Zero(t, rep.Cleared)
	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Cleared)
	for _, k := range []string{"zabbix/db-1/mysql", "nagios/mail-1/smtp"} {
		got, err := f.engine.Get(f.ctx, persisted[k].ID)
		require.NoError(t, err)
		assert.Equal(t, event.StateClosed, got.State, k)
		assert.Equal(t, "no event for 1h0m0s", got.ClearReason, k)
	}
	assert.Len(t, storedAlerts(t, f.ctx, f.engine), 5)
}

func TestRestartOnEmptyStore(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { automated(f, c) })
	f.restart(t, func(f *fixture, c *event.Config) { automated(f, c) })
	assert.Equal(t, event.Stats{}, f.engine.Stats())
	for a, err := range f.engine.Alerts(f.ctx) {
		require.NoError(t, err)
		t.Errorf("alert %s on an empty store", a.Number)
	}
	assert.Empty(t, f.engine.Groups())
	f.ingest(t, shopEvent("web-1", event.SeverityCritical))
	assert.Equal(t, "ALR0000001", f.alert(t, "nagios/web-1/http").Number)
	assert.Len(t, openIncidents(t, f), 1)
}

// TestRestartKeepsFlapping: the flap ring is not persisted, but a resumed
// alert that was flapping goes on flapping, at about the persisted
// percent, instead of starting again from a steady ring.
func TestRestartKeepsFlapping(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	f.ingest(t, ev(W))
	for i := 1; i <= 6; i++ { // the 6th change starts flapping: 35.53%
		f.ingest(t, ev([]event.Severity{W, C}[i%2]))
	}
	before := f.alert(t, "s/n/c")
	require.True(t, before.Flapping)

	f.restart(t, nil)
	a := f.alert(t, "s/n/c")
	assert.True(t, a.Flapping)
	assert.InDelta(t, before.FlapPercent, a.FlapPercent, 5)
	f.ingest(t, ev(C), ev(C))
	a = f.alert(t, "s/n/c")
	assert.True(t, a.Flapping, "steady events age the changes out as before")
	var flaps int
	for _, c := range f.journal(t, a) {
		if c.Event == event.EditFlapping {
			flaps++
		}
	}
	assert.Equal(t, 1, flaps, "no stop and start around the restart")

	// A steady alert stays steady.
	g := newFixture(t, nil)
	g.ingest(t, ev(W), ev(C), ev(C))
	g.restart(t, nil)
	g.ingest(t, ev(C))
	assert.False(t, g.alert(t, "s/n/c").Flapping)
}

// TestRestartResumesTopologyAndInhibition: a resumed alert still marks its
// CI down for the children's alerts and still mutes the targets of its
// inhibition rules, until it clears.
func TestRestartResumesTopologyAndInhibition(t *testing.T) {
	t.Parallel()
	tune := func(_ *fixture, c *event.Config) {
		c.Topology = parents{"web-9": {"sw-1"}}
		c.Inhibit = []event.InhibitRule{{Name: "switch-down", Source: map[string]string{"kind": "switch"},
			Target: map[string]string{"team": "web"}, Equal: []string{"dc"}}}
	}
	sw := func(sev event.Severity) event.Event {
		return event.Event{Source: "nagios", Node: "sw-1", Check: "ping", Severity: sev, Labels: map[string]string{"kind": "switch", "dc": "a"}}
	}
	tgt := func(key string) event.Event {
		return event.Event{Source: "am", DedupKey: key, Severity: event.SeverityWarning, Labels: map[string]string{"team": "web", "dc": "a"}}
	}
	f := newFixture(t, tune)
	f.ingest(t, sw(event.SeverityCritical), tgt("t1"))
	require.Equal(t, event.StateSuppressed, f.alert(t, "t1").State)
	swGroup := f.alert(t, "nagios/sw-1/ping").Group

	f.restart(t, tune)
	f.ingest(t, event.Event{Source: "nagios", Node: "web-9", Check: "http", Severity: event.SeverityMajor}, tgt("t1"), tgt("t2"))
	child := f.alert(t, "nagios/web-9/http")
	assert.Equal(t, "sw-1", child.Parent)
	assert.Equal(t, swGroup, child.Group)
	for _, k := range []string{"t1", "t2"} {
		a := f.alert(t, k)
		assert.Equal(t, event.StateSuppressed, a.State, k)
		assert.Equal(t, "inhibited by rule switch-down", a.Suppressed.Reason, k)
	}

	f.ingest(t, sw(event.SeverityOK), tgt("t1"), tgt("t2"))
	assert.Equal(t, event.StateOpen, f.alert(t, "t1").State)
	assert.Equal(t, event.StateOpen, f.alert(t, "t2").State)
	f.ingest(t, event.Event{Source: "nagios", Node: "web-9", Check: "http", Severity: event.SeverityOK},
		event.Event{Source: "nagios", Node: "web-10", Check: "http", Severity: event.SeverityMajor, CI: "web-9"})
	assert.Empty(t, f.alert(t, "nagios/web-10/http").Parent, "sw-1 is no longer down")
}

// TestRestartResumesHeartbeatAlert: a heartbeat alert open at the restart
// is the source's to clear once the host registers the heartbeat again; it
// is not raised twice, nor cleared by the timeout.
func TestRestartResumesHeartbeatAlert(t *testing.T) {
	t.Parallel()
	tune := func(_ *fixture, c *event.Config) { c.ClearAfter = 30 * time.Minute }
	f := newFixture(t, tune)
	require.NoError(t, f.engine.Heartbeat("backup", 10*time.Minute))
	rep, err := f.engine.Sweep(f.ctx, f.clock.Advance(11*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, rep.Heartbeats)
	id := f.alert(t, "heartbeat/backup").ID

	f.restart(t, tune)
	require.NoError(t, f.engine.Heartbeat("backup", 10*time.Minute))
	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(31*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, event.SweepReport{}, rep)
	assert.Equal(t, id, f.alert(t, "heartbeat/backup").ID)

	f.ingest(t, event.Event{Source: "backup", Node: "nas", Check: "job", Severity: event.SeverityInfo})
	_, err = f.engine.Alert(f.ctx, "heartbeat/backup")
	require.ErrorIs(t, err, event.ErrNoAlert)
	got, err := f.engine.Get(f.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, event.StateClosed, got.State)
}

// TestRestartSkipsWhatCannotBeAnOpenAlert: records that cannot be open
// alerts are skipped with a warning, and of two open alerts with one dedup
// key the newer is resumed; nothing panics.
func TestRestartSkipsWhatCannotBeAnOpenAlert(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	proc, err := lifecycle.NewProcess[event.Alert](st, event.Lifecycle(), lifecycle.ProcessConfig{Prefix: "ALR"})
	require.NoError(t, err)
	long := make([]event.SeverityChange, 2*event.HistoryLen)
	for i := range long {
		long[i] = event.SeverityChange{From: event.SeverityMinor, To: event.SeverityMajor}
	}
	for _, a := range []*event.Alert{
		{Source: "s", Severity: event.SeverityMajor},                          // no dedup key
		{DedupKey: "bad-severity", Source: "s", Severity: event.Severity(42)}, // no such severity
		{DedupKey: "ok-severity", Source: "s", Severity: event.SeverityOK},
		{DedupKey: "dup", Source: "older", Severity: event.SeverityMinor, Count: 1},
		{DedupKey: "dup", Source: "newer", Severity: event.SeverityMinor, Count: 2},
		{DedupKey: "odd", Source: "s", Severity: event.SeverityMajor, Count: -3, History: long,
			Flapping: true, FlapPercent: 1e9, Suppressed: event.Suppression{Count: 1, Last: &event.Event{Source: "s"}}},
	} {
		_, err := proc.Create(ctx, a, itil.System("test"), "")
		require.NoError(t, err)
	}
	var logs bytes.Buffer
	engine, err := event.NewEngine(st, event.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	require.NoError(t, engine.Start(ctx))
	assert.Equal(t, int64(2), engine.Stats().Restored)
	assert.Contains(t, logs.String(), "no dedup key")
	assert.Contains(t, logs.String(), "severity(42) is not info to critical")
	assert.Contains(t, logs.String(), "severity ok is not info to critical")
	assert.Contains(t, logs.String(), "two open alerts share a dedup key")

	dup, err := engine.Alert(ctx, "dup")
	require.NoError(t, err)
	assert.Equal(t, "newer", dup.Source)
	odd, err := engine.Alert(ctx, "odd")
	require.NoError(t, err)
	assert.Equal(t, int64(1), odd.Count)
	assert.Len(t, odd.History, event.HistoryLen)
	assert.NotZero(t, odd.Group)
	require.NoError(t, engine.Ingest(ctx, event.Event{Source: "s", DedupKey: "odd", Severity: event.SeverityMajor},
		event.Event{Source: "s", DedupKey: "dup", Severity: event.SeverityOK}))
	odd, err = engine.Alert(ctx, "odd")
	require.NoError(t, err)
	assert.Equal(t, int64(2), odd.Count)
	_, err = engine.Alert(ctx, "dup")
	require.ErrorIs(t, err, event.ErrNoAlert)
}

// TestRestartOnSQLite: a host on a SQLite file restarts; its new engine
// resumes the alerts the file holds and resolves their incident.
func TestRestartOnSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "events.db")
	c := newClock()
	open := func() (*incident.Desk, *event.Engine, func()) {
		db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
		require.NoError(t, err)
		st, err := sqlstore.New(db, sqlstore.Config{Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		require.NoError(t, st.Migrate(ctx))
		desk, err := incident.NewDesk(st, incident.Config{Now: c.Now})
		require.NoError(t, err)
		engine, err := event.NewEngine(st, event.Config{Now: c.Now,
			Correlation: []event.CorrelationRule{{Name: "by-service", By: []string{"service"}}},
			Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1,
				Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}}})
		require.NoError(t, err)
		require.NoError(t, engine.Start(ctx))
		return desk, engine, func() { assert.NoError(t, st.Close()); assert.NoError(t, db.Close()) }
	}

	_, engine, closeStore := open()
	require.NoError(t, engine.Ingest(ctx, shopEvent("web-1", event.SeverityCritical), shopEvent("web-1", event.SeverityCritical),
		shopEvent("web-2", event.SeverityMajor)))
	web1, err := engine.Alert(ctx, "nagios/web-1/http")
	require.NoError(t, err)
	stored, err := engine.Get(ctx, web1.ID)
	require.NoError(t, err)
	closeStore()

	c.Advance(time.Hour)
	desk, engine, closeStore := open()
	defer closeStore()
	assert.Equal(t, int64(2), engine.Stats().Restored)
	require.NoError(t, engine.Ingest(ctx, shopEvent("web-1", event.SeverityCritical)))
	a, err := engine.Alert(ctx, "nagios/web-1/http")
	require.NoError(t, err)
	assert.Equal(t, web1.ID, a.ID)
	assert.Equal(t, stored.Count+1, a.Count)
	assert.Equal(t, web1.Incident, a.Incident)

	require.NoError(t, engine.Ingest(ctx, shopEvent("web-1", event.SeverityOK), shopEvent("web-2", event.SeverityOK)))
	inc, err := desk.Get(ctx, web1.Incident.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, inc.State)
	assert.Len(t, storedAlerts(t, ctx, engine), 2)
}

// TestFlushKeepsCountsAcrossRestart: Flush persists the duplicates folded
// since an alert's last save, once, so that a restarted engine resumes
// them; an alert with nothing new is not written again.
func TestFlushKeepsCountsAcrossRestart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	web := shopEvent("web-1", event.SeverityMajor)
	f.ingest(t, web, shopEvent("web-2", event.SeverityMajor))
	f.clock.Advance(time.Minute)
	web.Message = "still down"
	f.ingest(t, web, web, web)
	last := f.clock.Now()

	n, err := f.engine.Flush(f.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "web-2 has nothing new")
	n, err = f.engine.Flush(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing new since the last flush")

	a := f.alert(t, "nagios/web-1/http")
	stored, err := f.engine.Get(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(4), stored.Count)
	assert.Equal(t, "still down", stored.Message)
	assert.True(t, last.Equal(stored.LastSeen))
	assert.Equal(t, []string{lifecycle.EventCreate, event.EditFlush}, events(f.journal(t, a)))

	f.restart(t, nil)
	resumed := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, int64(4), resumed.Count)
	assert.True(t, last.Equal(resumed.LastSeen))
	n, err = f.engine.Flush(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a resumed alert starts saved")
}

// TestFlushStopsAtCancel: a cancelled context stops Flush with its error.
func TestFlushStopsAtCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	web := shopEvent("web-1", event.SeverityMajor)
	f.ingest(t, web, web)
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	n, err := f.engine.Flush(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, n)
}

// refusingStore fails every write of an alert with a dedup key in
// refuse.
type refusingStore struct {
	lifecycle.Store
	refuse map[string]bool
}

func (s refusingStore) Commit(ctx context.Context, b lifecycle.Batch) error {
	for _, w := range b.Writes {
		if a, ok := w.Entity.(*event.Alert); ok && s.refuse[a.DedupKey] {
			return errDiskFull
		}
	}
	return s.Store.Commit(ctx, b)
}

func (s refusingStore) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if a, ok := e.(*event.Alert); ok && s.refuse[a.DedupKey] {
		return errDiskFull
	}
	return s.Store.Update(ctx, e, expect, ch)
}

var errDiskFull = errors.New("disk full")

// TestFlushGoesOnPastStoreErrors: an alert the store refuses is named in
// the error and stays unsaved, so that the next Flush tries it again; the
// other alerts are saved.
func TestFlushGoesOnPastStoreErrors(t *testing.T) {
	t.Parallel()
	st := refusingStore{Store: memstore.New(memstore.Config{}), refuse: map[string]bool{}}
	e, err := event.NewEngine(st, event.Config{Now: newClock().Now})
	require.NoError(t, err)
	ctx := context.Background()
	web1, web2 := shopEvent("web-1", event.SeverityMajor), shopEvent("web-2", event.SeverityMajor)
	require.NoError(t, e.Ingest(ctx, web1, web1, web2, web2))

	st.refuse["nagios/web-1/http"] = true
	n, err := e.Flush(ctx)
	require.ErrorIs(t, err, errDiskFull)
	assert.ErrorContains(t, err, `"nagios/web-1/http"`)
	assert.Equal(t, 1, n)

	delete(st.refuse, "nagios/web-1/http")
	n, err = e.Flush(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the refused alert again, and only it")
}

// TestLoggerDefaultsToSlogDefault: an engine given no Logger logs to
// slog.Default(). It sets the default logger, so it does not run in
// parallel.
func TestLoggerDefaultsToSlogDefault(t *testing.T) {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	proc, err := lifecycle.NewProcess[event.Alert](st, event.Lifecycle(), lifecycle.ProcessConfig{Prefix: "ALR"})
	require.NoError(t, err)
	_, err = proc.Create(ctx, &event.Alert{Source: "s", Severity: event.SeverityMajor}, itil.System("test"), "")
	require.NoError(t, err)
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	engine, err := event.NewEngine(st, event.Config{})
	require.NoError(t, err)
	require.NoError(t, engine.Start(ctx))
	assert.Contains(t, logs.String(), "no dedup key")
}
