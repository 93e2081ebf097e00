package event_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

func TestMaintenanceWindowRecordsSuppressedEvents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { automated(f, c) })
	now := f.clock.Now()
	require.NoError(t, f.engine.AddMaintenance(event.MaintenanceWindow{Name: "patching", Start: now, End: now.Add(time.Hour),
		Labels: map[string]string{"service": "shop"}}))
	f.ingest(t, web(event.SeverityCritical), web(event.SeverityCritical))
	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, event.StateSuppressed, a.State)
	assert.Equal(t, int64(2), a.Suppressed.Count)
	assert.Equal(t, "maintenance window patching", a.Suppressed.Reason)
	require.NotNil(t, a.Suppressed.Last)
	assert.Equal(t, event.SeverityCritical, a.Suppressed.Last.Severity)
	assert.Equal(t, []string{lifecycle.EventCreate, event.EventSuppress}, events(f.journal(t, a)))
	assert.Equal(t, int64(2), f.engine.Maintenance()[0].Suppressed)
	assert.Empty(t, openIncidents(t, f), "suppressed alerts raise no incidents")

	// After the window the alert opens again and raises its incident.
	f.clock.Advance(2 * time.Hour)
	f.ingest(t, web(event.SeverityCritical))
	a = f.alert(t, "nagios/web-1/http")
	assert.Equal(t, event.StateOpen, a.State)
	assert.Len(t, openIncidents(t, f), 1)
	assert.True(t, f.engine.RemoveMaintenance("patching"))
}

// TestMaintenanceWindowBounds: a one-off window holds from its start up to,
// not including, its end, whether its times carry a monotonic clock
// reading or not.
func TestMaintenanceWindowBounds(t *testing.T) {
	t.Parallel()
	for _, start := range []time.Time{
		time.Date(2026, 3, 2, 10, 0, 0, 500, time.UTC),
		time.Now(), // with a monotonic reading
	} {
		f := newFixture(t, nil)
		end := start.Add(time.Hour)
		require.NoError(t, f.engine.AddMaintenance(event.MaintenanceWindow{Name: "m", Start: start, End: end,
			Labels: map[string]string{"service": "shop"}}))
		for i, tc := range []struct {
			at   time.Time
			want bool
		}{
			{start.Add(-time.Nanosecond), false},
			{start, true},
			{start.Add(time.Nanosecond), true},
			{end.Add(-time.Nanosecond), true},
			{end, false},
			{start.Add(-time.Second), false},
			{end.Add(time.Second), false},
			{start.Add(-time.Second).Round(0), false},
			{start.Round(0), true},
			{end.Round(0), false},
		} {
			ev := web(event.SeverityMajor)
			ev.DedupKey, ev.ReceivedAt = strconv.Itoa(i), tc.at
			f.ingest(t, ev)
			assert.Equal(t, tc.want, f.alert(t, ev.DedupKey).State == event.StateSuppressed, "%d: %s in [%s, %s)", i, tc.at, start, end)
		}
	}
}

// TestMaintenanceWindowsMatchLabels: an event is suppressed exactly when
// some active window's labels are all among its own, with windows on one,
// two and more label names, and events early and late in a batch.
func TestMaintenanceWindowsMatchLabels(t *testing.T) {
	t.Parallel()
	windows := [][]map[string]string{
		{{"env": "staging"}},
		{{"env": "staging", "team": "web"}},
		{{"env": "staging"}, {"team": "db"}},
		{{"env": "staging"}, {"team": "db"}, {"dc": "b"}},
		{{"env": "staging", "team": "web", "dc": "a"}},
		{{"team": ""}},
	}
	labelSets := []map[string]string{
		nil,
		{"env": "staging"},
		{"env": "prod"},
		{"env": "staging", "team": "web"},
		{"env": "staging", "team": "db"},
		{"team": "db", "x": "y"},
		{"env": "staging", "team": "web", "dc": "a", "x": "y"},
		{"dc": "b"},
		{"envx": "staging", "team": "webx"},
		{"team": "", "env": "staging"},
	}
	holds := func(want, have map[string]string) bool {
		for k, v := range want {
			if got, ok := have[k]; !ok || got != v {
				return false
			}
		}
		return true
	}
	for wi, ws := range windows {
		f := newFixture(t, nil)
		now := f.clock.Now()
		for i, l := range ws {
			require.NoError(t, f.engine.AddMaintenance(event.MaintenanceWindow{Name: strconv.Itoa(i), Start: now, End: now.Add(time.Hour), Labels: l}))
		}
		var batch []event.Event
		for li, l := range labelSets {
			batch = append(batch, event.Event{Source: "s", DedupKey: strconv.Itoa(li), Severity: event.SeverityMajor, Labels: l})
		}
		f.ingest(t, batch...) // the first events of a batch, then the others
		f.ingest(t, batch...)
		for li, l := range labelSets {
			want := false
			for _, w := range ws {
				want = want || holds(w, l)
			}
			a := f.alert(t, strconv.Itoa(li))
			assert.Equal(t, want, a.State == event.StateSuppressed, "windows %d, labels %v", wi, l)
			if want {
				assert.Equal(t, int64(2), a.Suppressed.Count, "windows %d, labels %v", wi, l)
			}
		}
		for _, ev := range batch {
			f.ingest(t, ev) // one at a time
		}
		for li := range labelSets {
			a := f.alert(t, strconv.Itoa(li))
			assert.Equal(t, a.State == event.StateSuppressed, a.Suppressed.Count == 3, "windows %d, labels %d", wi, li)
		}
	}
}

func TestWeeklyMaintenanceAcrossMidnight(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) {
		c.Maintenance = []event.MaintenanceWindow{{Name: "nightly", CIs: []string{"db-1"},
			Weekly: &event.Weekly{Days: []time.Weekday{time.Sunday}, From: 23 * time.Hour, To: 2 * time.Hour}}}
	})
	db := func(at time.Time) event.Event {
		return event.Event{Source: "s", Node: "db-1", Check: "c", Severity: event.SeverityMajor, ReceivedAt: at}
	}
	sunday := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // a Sunday
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{sunday.Add(22 * time.Hour), false},
		{sunday.Add(23*time.Hour + 30*time.Minute), true},
		{sunday.Add(25 * time.Hour), true}, // Monday 01:00
		{sunday.Add(26 * time.Hour), false},
	} {
		f.ingest(t, db(tc.at))
		a := f.alert(t, "s/db-1/c")
		assert.Equal(t, tc.want, a.State == event.StateSuppressed, tc.at)
	}
}

func TestInhibitionMutesTargetsSharingLabels(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) {
		c.Inhibit = []event.InhibitRule{{Name: "cluster-down", Source: map[string]string{"alertname": "ClusterDown"},
			Target: map[string]string{"severity": "warning"}, Equal: []string{"cluster"}}}
	})
	ev := func(key, name, sev, cluster string) event.Event {
		return event.Event{Source: "am", DedupKey: key, Severity: event.SeverityMajor,
			Labels: map[string]string{"alertname": name, "severity": sev, "cluster": cluster}}
	}
	f.ingest(t, ev("src", "ClusterDown", "critical", "eu"))
	f.ingest(t, ev("t-eu", "Latency", "warning", "eu"), ev("t-us", "Latency", "warning", "us"))
	assert.Equal(t, event.StateSuppressed, f.alert(t, "t-eu").State)
	assert.Equal(t, "inhibited by rule cluster-down", f.alert(t, "t-eu").Suppressed.Reason)
	assert.Equal(t, "cluster-down", f.alert(t, "t-eu").Inhibited)
	assert.Equal(t, event.StateOpen, f.alert(t, "t-us").State)
	assert.Empty(t, f.alert(t, "t-us").Inhibited)

	f.ingest(t, event.Event{Source: "am", DedupKey: "src", Severity: event.SeverityOK})
	f.ingest(t, ev("t-eu", "Latency", "warning", "eu"))
	a := f.alert(t, "t-eu")
	assert.Equal(t, event.StateOpen, a.State)
	assert.Empty(t, a.Inhibited, "no longer muted")
	stored, err := f.engine.Get(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Empty(t, stored.Inhibited, "persisted with the state")
}

// TestInhibitedGivesWayToMaintenance: an inhibited alert that a
// maintenance window then suppresses names no inhibition rule.
func TestInhibitedGivesWayToMaintenance(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) {
		c.Inhibit = []event.InhibitRule{{Name: "rack-down", Source: map[string]string{"alertname": "RackDown"},
			Target: map[string]string{"alertname": "HostDown"}, Equal: []string{"rack"}}}
	})
	ev := func(key, name string) event.Event {
		return event.Event{Source: "am", DedupKey: key, Severity: event.SeverityMajor,
			Labels: map[string]string{"alertname": name, "rack": "r1"}}
	}
	f.ingest(t, ev("rack", "RackDown"), ev("host", "HostDown"))
	a := f.alert(t, "host")
	require.Equal(t, event.StateSuppressed, a.State)
	assert.Equal(t, "rack-down", a.Inhibited)
	stored, err := f.engine.Get(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "rack-down", stored.Inhibited, "persisted with the state")

	now := f.clock.Now()
	require.NoError(t, f.engine.AddMaintenance(event.MaintenanceWindow{Name: "racking", Start: now, End: now.Add(time.Hour),
		Labels: map[string]string{"rack": "r1"}}))
	f.ingest(t, ev("host", "HostDown"))
	a = f.alert(t, "host")
	assert.Equal(t, "maintenance window racking", a.Suppressed.Reason)
	assert.Empty(t, a.Inhibited)
}

type changeWindows struct{ cis map[string]bool }

func (c changeWindows) InChangeWindow(_ context.Context, ci string, _ time.Time) (bool, error) {
	return c.cis[ci], nil
}

func TestChangeWindowSuppresses(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) { c.ChangeWindows = changeWindows{map[string]bool{"web-1": true}} })
	f.ingest(t, web(event.SeverityMajor))
	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, event.StateSuppressed, a.State)
	assert.Equal(t, "change window of web-1", a.Suppressed.Reason)
}

func TestHeartbeatMissedRaisesAndClears(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	require.NoError(t, f.engine.Heartbeat("backup", 10*time.Minute))
	rep, err := f.engine.Sweep(f.ctx, f.clock.Advance(5*time.Minute))
	require.NoError(t, err)
	assert.Zero(t, rep.Heartbeats)

	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(6*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Heartbeats)
	a := f.alert(t, "heartbeat/backup")
	assert.Equal(t, event.SeverityMajor, a.Severity)
	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(time.Minute))
	require.NoError(t, err)
	assert.Zero(t, rep.Heartbeats, "raised once")

	f.ingest(t, event.Event{Source: "backup", Node: "nas", Check: "job", Severity: event.SeverityInfo})
	_, err = f.engine.Alert(f.ctx, "heartbeat/backup")
	require.ErrorIs(t, err, event.ErrNoAlert)
	require.Error(t, f.engine.Heartbeat("", time.Minute))
	assert.True(t, f.engine.StopHeartbeat("backup"))
}

// TestAcknowledgedAlertComesBackAcknowledged: an alert acknowledged before a
// maintenance window suppressed it is acknowledged again after the window,
// not open as if nobody had taken it on.
func TestAcknowledgedAlertComesBackAcknowledged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.ingest(t, web(event.SeverityMajor))
	_, err := f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: itil.Actor{ID: "bob"}, Note: "on it"})
	require.NoError(t, err)
	now := f.clock.Now()
	require.NoError(t, f.engine.AddMaintenance(event.MaintenanceWindow{Name: "patching", Start: now, End: now.Add(time.Hour),
		Labels: map[string]string{"service": "shop"}}))
	f.ingest(t, web(event.SeverityMajor))
	assert.Equal(t, event.StateSuppressed, f.alert(t, "nagios/web-1/http").State)
	f.clock.Advance(2 * time.Hour)
	f.ingest(t, web(event.SeverityMajor))
	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, event.StateAcknowledged, a.State)
	assert.True(t, a.Acknowledged)
	assert.Equal(t, []string{lifecycle.EventCreate, event.EventAcknowledge, event.EventSuppress, event.EventRestore}, events(f.journal(t, a)))
}

// TestInhibitionFollowsSources: a target is muted exactly while a source
// with its Equal values is open at the source severity, across sources
// that clear and come back, and an alert that is both is not muted by
// itself.
func TestInhibitionFollowsSources(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) {
		c.Inhibit = []event.InhibitRule{{Name: "node-down", Source: map[string]string{"kind": "node"},
			SourceSeverity: event.SeverityMajor, Target: map[string]string{"team": "web"}, Equal: []string{"dc"}}}
	})
	ev := func(key string, sev event.Severity, labels ...string) event.Event {
		m := map[string]string{}
		for i := 0; i < len(labels); i += 2 {
			m[labels[i]] = labels[i+1]
		}
		return event.Event{Source: "am", DedupKey: key, Severity: sev, Labels: m}
	}
	state := func(key string) string { return f.alert(t, key).State }
	src := func(sev event.Severity) event.Event { return ev("src", sev, "kind", "node", "dc", "a") }
	tgt := func() event.Event { return ev("tgt", event.SeverityWarning, "team", "web", "dc", "a") }

	f.ingest(t, src(event.SeverityMajor), tgt())
	assert.Equal(t, event.StateSuppressed, state("tgt"))
	assert.Equal(t, "node-down", f.alert(t, "tgt").Inhibited)

	f.ingest(t, src(event.SeverityMinor), tgt())
	assert.Equal(t, event.StateOpen, state("tgt"), "a source below the source severity does not mute")
	assert.Empty(t, f.alert(t, "tgt").Inhibited)

	f.ingest(t, src(event.SeverityCritical), tgt())
	assert.Equal(t, event.StateSuppressed, state("tgt"))

	f.ingest(t, src(event.SeverityOK), tgt(), ev("tgt", event.SeverityOK))
	f.ingest(t, tgt())
	assert.Equal(t, event.StateOpen, state("tgt"), "nothing left of the cleared source")
	f.ingest(t, src(event.SeverityMajor), tgt())
	assert.Equal(t, event.StateSuppressed, state("tgt"), "a source that opens again mutes again")

	both := func() event.Event { return ev("both", event.SeverityMajor, "kind", "node", "team", "web", "dc", "b") }
	f.ingest(t, both(), both())
	assert.Equal(t, event.StateOpen, state("both"), "not muted by itself")
	f.ingest(t, ev("src-b", event.SeverityMajor, "kind", "node", "dc", "b"), both())
	assert.Equal(t, event.StateSuppressed, state("both"), "muted by another source")
	f.ingest(t, ev("src-b", event.SeverityOK), both())
	assert.Equal(t, event.StateOpen, state("both"))
}
