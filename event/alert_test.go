package event_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func TestDuplicatesFoldIntoOneAlert(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.ingest(t, web(event.SeverityWarning))
	first := f.clock.Now()
	f.clock.Advance(time.Minute)
	f.ingest(t, web(event.SeverityCritical), web(event.SeverityMinor))

	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, int64(3), a.Count)
	assert.Equal(t, first, a.FirstSeen)
	assert.Equal(t, f.clock.Now(), a.LastSeen)
	assert.Equal(t, event.SeverityMinor, a.Severity)
	assert.Equal(t, event.SeverityCritical, a.Highest)
	assert.Equal(t, []event.SeverityChange{
		{At: first, From: event.SeverityOK, To: event.SeverityWarning},
		{At: f.clock.Now(), From: event.SeverityWarning, To: event.SeverityCritical},
		{At: f.clock.Now(), From: event.SeverityCritical, To: event.SeverityMinor},
	}, a.History)
	assert.Equal(t, "ALR0000001", a.Number)
	assert.Equal(t, event.StateOpen, a.State)
	assert.Equal(t, []string{lifecycle.EventCreate, event.EditSeverity, event.EditSeverity}, events(f.journal(t, a)))

	st := f.engine.Stats()
	assert.Equal(t, event.Stats{Events: 3, Duplicates: 2, Opened: 1}, st)
}

func TestOkEventClearsAndNextEventOpensANewAlert(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.ingest(t, web(event.SeverityMajor))
	opened := f.alert(t, "nagios/web-1/http")
	f.ingest(t, web(event.SeverityOK))

	_, err := f.engine.Alert(f.ctx, "nagios/web-1/http")
	require.ErrorIs(t, err, event.ErrNoAlert)
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	stored, err := f.engine.Get(f.ctx, opened.ID)
	require.NoError(t, err)
	assert.Equal(t, event.StateClosed, stored.State)
	assert.Equal(t, int64(2), stored.Count)
	assert.False(t, stored.ClearedAt.IsZero())

	f.ingest(t, web(event.SeverityOK)) // nothing open: an orphan, counted
	f.ingest(t, web(event.SeverityMinor))
	again := f.alert(t, "nagios/web-1/http")
	assert.NotEqual(t, opened.ID, again.ID)
	assert.Equal(t, int64(1), f.engine.Stats().Orphans)
}

func TestIngestValidatesEveryEventFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	err := f.engine.Ingest(f.ctx, web(event.SeverityMajor), event.Event{Source: "x"})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events[1].severity", ve.Field)
	assert.ErrorIs(t, err, itil.ErrInvalid)
	assert.Zero(t, f.engine.Stats().Events, "nothing is half-ingested")

	for _, tc := range []struct {
		ev    event.Event
		field string
	}{
		{event.Event{Severity: event.SeverityInfo}, "source"},
		{event.Event{Source: "x", Ack: true}, "dedup_key"},
		{event.Event{Source: "x", Severity: 9}, "severity"},
		{event.Event{Source: "x", Severity: event.SeverityInfo, Message: "\xff"}, "message"},
		{event.Event{Source: "x", Severity: event.SeverityInfo, Labels: map[string]string{"": "v"}}, "labels"},
	} {
		err := tc.ev.Validate("")
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
	}
}

func TestAcknowledge(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.ingest(t, web(event.SeverityMajor))
	bob := itil.Actor{ID: "bob"}
	a, err := f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: bob, Note: "looking"})
	require.NoError(t, err)
	assert.Equal(t, event.StateAcknowledged, a.State)
	_, err = f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: bob, Note: "again"})
	require.ErrorIs(t, err, lifecycle.ErrTransition)
	_, err = f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{Key: "nope", By: bob})
	require.ErrorIs(t, err, event.ErrNoAlert)
	assert.ErrorIs(t, err, lifecycle.ErrNotFound, "no alert is a not found")
	assert.Equal(t, http.StatusNotFound, lifecycle.HTTPStatus(err))

	// An acknowledgement event acknowledges by dedup key.
	f.ingest(t, event.Event{Source: "pd", DedupKey: "k1", Severity: event.SeverityMajor})
	f.ingest(t, event.Event{Source: "pd", DedupKey: "k1", Ack: true})
	assert.Equal(t, event.StateAcknowledged, f.alert(t, "k1").State)
}

func TestClearAfterTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) { c.ClearAfter = 10 * time.Minute })
	f.ingest(t, web(event.SeverityMajor))
	rep, err := f.engine.Sweep(f.ctx, f.clock.Advance(9*time.Minute))
	require.NoError(t, err)
	assert.Zero(t, rep.Cleared)
	rep, err = f.engine.Sweep(f.ctx, f.clock.Advance(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Cleared)
	_, err = f.engine.Alert(f.ctx, "nagios/web-1/http")
	assert.True(t, errors.Is(err, event.ErrNoAlert))
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	for _, tc := range []struct {
		cfg   event.Config
		field string
	}{
		{event.Config{ClearAfter: -1}, "ClearAfter"},
		{event.Config{Flap: event.FlapConfig{High: 20, Low: 30}}, "Flap.Low"},
		{event.Config{Flap: event.FlapConfig{High: math.NaN()}}, "Flap.High"},
		{event.Config{Flap: event.FlapConfig{High: math.Inf(1)}}, "Flap.High"},
		{event.Config{Flap: event.FlapConfig{Low: math.NaN()}}, "Flap.Low"},
		{event.Config{Flap: event.FlapConfig{High: 40, Low: math.Inf(-1)}}, "Flap.Low"},
		{event.Config{Flap: event.FlapConfig{High: -5}}, "Flap.High"},
		{event.Config{Correlation: []event.CorrelationRule{{Name: "x"}}}, "Correlation[0].by"},
		{event.Config{Inhibit: []event.InhibitRule{{Name: "x", Source: map[string]string{"a": "b"}}}}, "Inhibit[0].target"},
		{event.Config{Maintenance: []event.MaintenanceWindow{{Name: "m"}}}, "Maintenance[0].labels"},
		{event.Config{Incidents: event.IncidentConfig{Rules: []event.IncidentRule{{MinSeverity: event.SeverityMajor}}}}, "Incidents.Desk"},
		{event.Config{Incidents: event.IncidentConfig{OnCleared: 7}}, "Incidents.OnCleared"},
		{event.Config{Incidents: event.IncidentConfig{Levels: map[event.Severity]event.Levels{
			event.SeverityOK: {Impact: itil.ImpactLow, Urgency: itil.UrgencyLow}}}}, "Incidents.Levels[ok]"},
		{event.Config{Incidents: event.IncidentConfig{Levels: map[event.Severity]event.Levels{
			event.SeverityMajor: {Impact: itil.ImpactLow}}}}, "Incidents.Levels[major]"},
		{event.Config{Incidents: event.IncidentConfig{Desk: f.desk, GroupWait: -1, Rules: []event.IncidentRule{{MinSeverity: event.SeverityMajor,
			Labels: map[string]string{"env": "pr\x00od"}}}}}, "Incidents.Rules[0].labels[env]"},
		{event.Config{Fields: []lifecycle.Field{{Name: "ticket", RequiredIn: []string{event.StateOpen}}}}, "Fields[0].required_in[0]"},
		{event.Config{Fields: []lifecycle.Field{{Name: "ticket"}, {Name: "ticket"}}}, "Fields[1].name"},
		{event.Config{Fields: []lifecycle.Field{{Name: "tier", Kind: lifecycle.FieldChoice}}}, "Fields[0].choices"},
	} {
		_, err := event.NewEngine(f.store, tc.cfg)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
	}
}

func TestConcurrentIngest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) { c.Shards = 4 })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				sev := event.SeverityWarning
				if i%50 == 49 {
					sev = event.SeverityOK
				}
				ev := event.Event{Source: "s", Node: "n", Check: string(rune('a' + i%5)), Severity: sev}
				if g%2 == 0 {
					ev.Labels = map[string]string{"g": "even"}
				}
				assert.NoError(t, f.engine.Ingest(f.ctx, ev))
			}
		})
	}
	wg.Wait()
	st := f.engine.Stats()
	assert.Equal(t, int64(1600), st.Events)
	assert.Equal(t, st.Events, st.Duplicates+st.Opened+st.Cleared+st.Orphans)
	for a, err := range f.engine.Alerts(f.ctx) {
		require.NoError(t, err)
		assert.Equal(t, event.StateOpen, a.State)
	}
}

// TestValidateText checks every text field at the lengths where the check
// switches between whole words and their tails, in ASCII, in other UTF-8,
// and broken.
func TestValidateText(t *testing.T) {
	t.Parallel()
	set := map[string]func(*event.Event, string){
		"source":    func(ev *event.Event, s string) { ev.Source = s },
		"node":      func(ev *event.Event, s string) { ev.Node = s },
		"ci":        func(ev *event.Event, s string) { ev.CI = s },
		"check":     func(ev *event.Event, s string) { ev.Check = s },
		"dedup_key": func(ev *event.Event, s string) { ev.DedupKey = s },
		"message":   func(ev *event.Event, s string) { ev.Message = s },
		"labels":    func(ev *event.Event, s string) { ev.Labels = map[string]string{"k": "v", "name": s} },
		"labels[k]": func(ev *event.Event, s string) { ev.Labels = map[string]string{s: "v", "k": "v"} },
	}
	for field, setField := range set {
		for n := 1; n <= 17; n++ {
			for pos := range n {
				ascii := strings.Repeat("a", n)
				ev := event.Event{Source: "s", Severity: event.SeverityInfo}
				setField(&ev, ascii)
				require.NoError(t, ev.Validate(""), "%s %d", field, n)

				ev = event.Event{Source: "s", Severity: event.SeverityInfo}
				setField(&ev, ascii[:pos]+"é"+ascii[pos:])
				require.NoError(t, ev.Validate(""), "%s %d é at %d", field, n, pos)

				ev = event.Event{Source: "s", Severity: event.SeverityInfo}
				setField(&ev, ascii[:pos]+"\xff"+ascii[pos+1:])
				var ve *itil.ValidationError
				require.ErrorAs(t, ev.Validate("ev"), &ve, "%s %d broken at %d", field, n, pos)
				want := "ev." + field
				switch field {
				case "labels": // a value: its label is named
					want = "ev.labels[name]"
				case "labels[k]": // a name: it cannot name the field
					want = "ev.labels"
				}
				assert.Equal(t, want, ve.Field)
				assert.Equal(t, "not valid UTF-8", ve.Reason)
			}
		}
	}

	long := strings.Repeat("x", event.MaxKeyLen)
	ev := event.Event{Source: long, Node: long, CI: long, Check: long, DedupKey: long, Severity: event.SeverityInfo,
		Labels: map[string]string{long: long}}
	require.NoError(t, ev.Validate(""), "at the limits")
	for field, setField := range set {
		ev := event.Event{Source: "s", Severity: event.SeverityInfo}
		setField(&ev, long+"x")
		var ve *itil.ValidationError
		if field == "message" {
			require.NoError(t, ev.Validate(""))
			continue
		}
		require.ErrorAs(t, ev.Validate(""), &ve, field)
		if field == "labels" {
			field = "labels[name]"
		}
		if field == "labels[k]" {
			field = "labels[" + long + "x]"
		}
		assert.Equal(t, field, ve.Field)
	}
}

// TestAlertKeepsLiveValues: the live alert shows every event's effect, and
// a persisted change carries the live counters.
func TestAlertKeepsLiveValues(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	first := web(event.SeverityMajor)
	f.ingest(t, first)
	f.clock.Advance(time.Minute)
	quiet := web(event.SeverityMajor)
	quiet.Message, quiet.Raw = "", []byte(`{"n":2}`)
	f.ingest(t, quiet)

	a := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, int64(2), a.Count)
	assert.Equal(t, f.clock.Now(), a.LastSeen)
	assert.Equal(t, first.Message, a.Message, "an event without a message keeps the last one")
	assert.Equal(t, quiet.Raw, a.Last.Raw)
	assert.Empty(t, a.Last.Message)

	stored, err := f.engine.Get(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), stored.Count, "a duplicate is not persisted")

	f.ingest(t, web(event.SeverityCritical))
	stored, err = f.engine.Get(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(3), stored.Count, "a severity change persists the live counters")
	assert.Equal(t, event.SeverityCritical, stored.Severity)
	assert.Equal(t, "HTTP critical", stored.Message)
}

// TestManyAlertsOpenAndClear opens and clears alerts in one shard kept
// about half full, in an order that mixes them up, and finds exactly the
// open ones by key, on engines of different hash seeds.
func TestManyAlertsOpenAndClear(t *testing.T) {
	t.Parallel()
	const n, closed = 40, 9
	key := func(i int) string { return "k" + strconv.Itoa(i) }
	ev := func(i int, sev event.Severity) event.Event {
		return event.Event{Source: "s", DedupKey: key(i), Severity: sev}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 12 {
		f := newFixture(t, func(_ *fixture, c *event.Config) {
			c.Shards = 1
			c.Flap.Disabled = true // keys that flap through their recoveries would stay open
		})
		open := map[int]bool{}
		for i := range n - closed {
			f.ingest(t, ev(i, event.SeverityMinor))
			open[i] = true
		}
		pick := func(want bool) int {
			for {
				if i := r.IntN(n); open[i] == want {
					return i
				}
			}
		}
		for range 20 * n {
			i, j := pick(true), pick(false)
			f.ingest(t, ev(i, event.SeverityOK), ev(j, event.SeverityMajor))
			open[i], open[j] = false, true
			for _, k := range []int{i, j, r.IntN(n), r.IntN(n)} {
				if _, err := f.engine.Alert(f.ctx, key(k)); open[k] != (err == nil) {
					require.Fail(t, "alert open or not as it should", key(k))
				}
			}
		}
		seen := 0
		for a, err := range f.engine.Alerts(f.ctx) {
			require.NoError(t, err)
			i, err := strconv.Atoi(strings.TrimPrefix(a.DedupKey, "k"))
			require.NoError(t, err)
			assert.True(t, open[i], a.DedupKey)
			seen++
		}
		assert.Equal(t, n-closed, seen)
	}
}

// TestLookupsDuringChurn: while other alerts of the same shard open and
// clear, growing and shrinking its map, an alert that stays
// open is always found, and every event for it folds into it rather than
// opening a second alert.
func TestLookupsDuringChurn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) { c.Shards = 1 })
	ev := func(key string, sev event.Severity) event.Event {
		return event.Event{Source: "s", DedupKey: key, Severity: sev}
	}
	const stable = 20
	for i := range stable {
		f.ingest(t, ev("stable-"+strconv.Itoa(i), event.SeverityMinor))
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := range 300 {
				key := "churn-" + strconv.Itoa(g) + "-" + strconv.Itoa(i%40)
				assert.NoError(t, f.engine.Ingest(f.ctx, ev(key, event.SeverityMajor)))
				if i%3 == 2 {
					assert.NoError(t, f.engine.Ingest(f.ctx, ev(key, event.SeverityOK)))
				}
			}
		})
	}
	wg.Go(func() {
		defer close(done)
		for i := range 3000 {
			key := "stable-" + strconv.Itoa(i%stable)
			_, err := f.engine.Alert(f.ctx, key)
			assert.NoError(t, err, key)
		}
	})
	const dups = 3000
	wg.Go(func() {
		for i := range dups {
			assert.NoError(t, f.engine.Ingest(f.ctx, ev("stable-"+strconv.Itoa(i%stable), event.SeverityMinor)))
		}
	})
	wg.Wait()
	<-done
	n := 0
	for a, err := range f.engine.Alerts(f.ctx) {
		require.NoError(t, err)
		if strings.HasPrefix(a.DedupKey, "stable-") {
			n++
			assert.Equal(t, int64(1+dups/stable), a.Count, "every duplicate folded into the one alert of %s", a.DedupKey)
		}
	}
	assert.Equal(t, stable, n)
}

// TestOneBatchClearsAndReopens: events of one Ingest call apply in order,
// each to the alert its key has at that point.
func TestOneBatchClearsAndReopens(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	f.ingest(t, web(event.SeverityMajor))
	first := f.alert(t, "nagios/web-1/http")
	f.ingest(t, web(event.SeverityMinor), web(event.SeverityOK), web(event.SeverityCritical), web(event.SeverityCritical),
		event.Event{Source: "pd", DedupKey: "k", Severity: event.SeverityOK}, event.Event{Source: "pd", DedupKey: "k", Severity: event.SeverityMajor})

	stored, err := f.engine.Get(f.ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, event.StateClosed, stored.State)
	assert.Equal(t, int64(3), stored.Count)
	again := f.alert(t, "nagios/web-1/http")
	assert.NotEqual(t, first.ID, again.ID)
	assert.Equal(t, int64(2), again.Count)
	assert.Equal(t, event.SeverityCritical, again.Severity)
	assert.Equal(t, int64(1), f.alert(t, "k").Count)
	assert.Equal(t, event.Stats{Events: 7, Duplicates: 2, Opened: 3, Cleared: 1, Orphans: 1}, f.engine.Stats())
}

// TestAlertLifecycleTransitions: every transition of the alert lifecycle
// succeeds from every state that allows it, and every other event fails
// with a *lifecycle.TransitionError and leaves the record as it was.
func TestAlertLifecycleTransitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	proc, err := lifecycle.NewProcess[event.Alert](memstore.New(memstore.Config{}), event.Lifecycle(), lifecycle.ProcessConfig{Prefix: "ALR"})
	require.NoError(t, err)
	by := itil.System("test")
	allowed := map[string]map[string]string{ // state → event → target
		event.StateOpen:         {event.EventAcknowledge: event.StateAcknowledged, event.EventSuppress: event.StateSuppressed, event.EventClear: event.StateClosed},
		event.StateAcknowledged: {event.EventSuppress: event.StateSuppressed, event.EventClear: event.StateClosed},
		event.StateSuppressed:   {event.EventUnsuppress: event.StateOpen, event.EventRestore: event.StateAcknowledged, event.EventClear: event.StateClosed},
		event.StateClosed:       {},
	}
	reach := map[string][]string{ // the events that take a new alert to the state
		event.StateOpen:         nil,
		event.StateAcknowledged: {event.EventAcknowledge},
		event.StateSuppressed:   {event.EventSuppress},
		event.StateClosed:       {event.EventClear},
	}
	events := []string{event.EventAcknowledge, event.EventSuppress, event.EventUnsuppress, event.EventRestore, event.EventClear}
	for state, out := range allowed {
		for _, ev := range events {
			a, err := proc.Create(ctx, &event.Alert{DedupKey: state + "/" + ev, Source: "s", Severity: event.SeverityMajor}, by, "")
			require.NoError(t, err)
			for _, step := range reach[state] {
				a, err = proc.Fire(ctx, a.ID, lifecycle.Action[*event.Alert]{Event: step, Actor: by})
				require.NoError(t, err)
			}
			require.Equal(t, state, a.State)
			got, err := proc.Fire(ctx, a.ID, lifecycle.Action[*event.Alert]{Event: ev, Actor: by})
			if to, ok := out[ev]; ok {
				require.NoError(t, err, "%s from %s", ev, state)
				assert.Equal(t, to, got.State, "%s from %s", ev, state)
				continue
			}
			var te *lifecycle.TransitionError
			require.ErrorAs(t, err, &te, "%s from %s", ev, state)
			stored, err := proc.Get(ctx, a.ID)
			require.NoError(t, err)
			assert.Equal(t, state, stored.State)
			assert.Equal(t, a.Version, stored.Version, "nothing written")
		}
	}
}

// TestCorrelationGroupsWithinWindow: alerts that share the rule's labels
// join one group while it has open alerts and for the rule's window after
// its last alert joined, and a new group after that; an alert the rule
// does not match, or without a By label, has a group of its own.
func TestCorrelationGroupsWithinWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) {
		c.Correlation = []event.CorrelationRule{{Name: "by-service", Match: map[string]string{"env": "prod"},
			By: []string{"service"}, Window: 2 * time.Hour}}
	})
	ev := func(node string, sev event.Severity, labels ...string) event.Event {
		m := map[string]string{}
		for i := 0; i < len(labels); i += 2 {
			m[labels[i]] = labels[i+1]
		}
		return event.Event{Source: "nagios", Node: node, Check: "http", Severity: sev, Labels: m}
	}
	shop := func(node string, sev event.Severity) event.Event {
		return ev(node, sev, "env", "prod", "service", "shop")
	}
	group := func(node string) uuid.UUID { return f.alert(t, "nagios/"+node+"/http").Group }

	f.ingest(t, shop("web-1", event.SeverityMajor))
	f.clock.Advance(time.Minute)
	f.ingest(t, shop("web-2", event.SeverityMajor), ev("mail-1", event.SeverityMajor, "env", "prod", "service", "mail"),
		ev("test-1", event.SeverityMajor, "env", "test", "service", "shop"), ev("bare-1", event.SeverityMajor, "env", "prod"))
	first := group("web-1")
	assert.Equal(t, first, group("web-2"), "same service")
	assert.NotEqual(t, first, group("mail-1"), "another service")
	assert.NotEqual(t, first, group("test-1"), "the rule does not match")
	assert.NotEqual(t, first, group("bare-1"), "no service label")
	assert.NotEqual(t, group("test-1"), group("bare-1"))

	f.ingest(t, shop("web-1", event.SeverityOK), shop("web-2", event.SeverityOK))
	f.clock.Advance(90 * time.Minute)
	f.ingest(t, shop("web-3", event.SeverityMajor))
	assert.Equal(t, first, group("web-3"), "within the window after the last join")

	f.ingest(t, shop("web-3", event.SeverityOK))
	f.clock.Advance(2*time.Hour + time.Minute)
	f.ingest(t, shop("web-4", event.SeverityMajor))
	assert.NotEqual(t, first, group("web-4"), "past the window: a new group")
}
