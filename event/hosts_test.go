package event_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// host is one host process of a deployment whose hosts share a store: its
// own desk and engine over its own connection to the store.
type host struct {
	store  lifecycle.Store
	desk   *incident.Desk
	engine *event.Engine
}

// majorRule raises an incident for alerts of major severity and above.
var majorRule = []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}

// newHost starts a host on st: a desk, and an engine whose incidents the
// desk raises (through wrap, when it is set); tune edits the engine's
// config first.
func newHost(t *testing.T, st lifecycle.Store, c *clock, wrap func(*incident.Desk) event.Desk, tune func(*event.Config)) *host {
	t.Helper()
	desk, err := incident.NewDesk(st, incident.Config{Now: c.Now})
	require.NoError(t, err)
	var d event.Desk = desk
	if wrap != nil {
		d = wrap(desk)
	}
	cfg := event.Config{Now: c.Now, Logger: teststores.Quiet, Incidents: event.IncidentConfig{Desk: d, GroupWait: -1, Rules: majorRule}}
	if tune != nil {
		tune(&cfg)
	}
	e, err := event.NewEngine(st, cfg)
	require.NoError(t, err)
	start(t, e)
	return &host{store: st, desk: desk, engine: e}
}

// start starts an engine: it takes over the open alerts of its store.
func start(t *testing.T, e *event.Engine) {
	t.Helper()
	require.NoError(t, e.Start(t.Context()))
}

// drain delivers everything pending to the hosts' reactions, each host
// through its own dispatcher, as hosts that share a store run them.
func drain(t *testing.T, hosts ...*host) {
	t.Helper()
	for _, h := range hosts {
		d, err := lifecycle.NewDispatcher(h.store, h.engine.Reactions(), lifecycle.DispatcherConfig{
			MinBackoff: 1e6, MaxBackoff: 1e7, Logger: teststores.Quiet})
		require.NoError(t, err)
		require.NoError(t, d.Drain(t.Context()))
	}
}

// alertsOf returns the stored alerts, oldest first.
func alertsOf(t *testing.T, e *event.Engine) []*event.Alert {
	t.Helper()
	var out []*event.Alert
	for a, err := range e.Find(t.Context(), event.Query{}) {
		require.NoError(t, err)
		out = append(out, a)
	}
	return out
}

// incidentsOf returns the stored incidents, oldest first.
func incidentsOf(t *testing.T, d *incident.Desk) []*incident.Incident {
	t.Helper()
	var out []*incident.Incident
	for inc, err := range d.Find(t.Context(), incident.Query{}) {
		require.NoError(t, err)
		out = append(out, inc)
	}
	return out
}

// checkAlertInvariants checks what must hold of the alerts in a store
// however many engines share it: at most one open alert per dedup key, and
// no change journaled on an alert after it closed.
func checkAlertInvariants(t *testing.T, e *event.Engine) {
	t.Helper()
	open := map[string]string{}
	for _, a := range alertsOf(t, e) {
		if a.Open() {
			if other, ok := open[a.DedupKey]; ok {
				t.Errorf("dedup key %q has two open alerts: %s and %s", a.DedupKey, other, a.Number)
			}
			open[a.DedupKey] = a.Number
		}
		closed := false
		for ch, err := range e.Journal(t.Context(), a.ID) {
			require.NoError(t, err)
			if closed {
				t.Errorf("%s: %s (%s → %s) journaled after the alert closed", a.Number, ch.Event, ch.From, ch.To)
			}
			closed = closed || ch.To == event.StateClosed
		}
	}
}

// checkOneIncidentPerGroup checks that every group whose alerts raised an
// incident has exactly one, that every open alert of such a group that
// wants one is linked to it, and that no incident belongs to no group.
func checkOneIncidentPerGroup(t *testing.T, e *event.Engine, d *incident.Desk) map[string]*incident.Incident {
	t.Helper()
	byGroup := map[string]map[string]bool{} // group → incident IDs its alerts link
	for _, a := range alertsOf(t, e) {
		g := a.Group.String()
		if byGroup[g] == nil {
			byGroup[g] = map[string]bool{}
		}
		if !a.Incident.IsZero() {
			byGroup[g][a.Incident.ID.String()] = true
		} else if a.Open() && a.Severity >= event.SeverityMajor && a.State != event.StateSuppressed && !a.Flapping {
			t.Errorf("%s (%s, %s) is open without an incident", a.Number, a.DedupKey, a.Severity)
		}
	}
	linked := map[string]bool{}
	for g, incs := range byGroup {
		assert.LessOrEqual(t, len(incs), 1, "group %s links %d incidents", g, len(incs))
		for id := range incs {
			assert.False(t, linked[id], "incident %s linked from two groups", id)
			linked[id] = true
		}
	}
	out := map[string]*incident.Incident{}
	for _, inc := range incidentsOf(t, d) {
		assert.True(t, linked[inc.ID.String()], "%s is linked from no alert", inc.Number)
		out[inc.ID.String()] = inc
	}
	return out
}

// logOf returns the store's log from its beginning.
func logOf(t *testing.T, st lifecycle.Store) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for after := int64(0); ; {
		chs, err := st.ReadLog(context.WithoutCancel(t.Context()), after, 0)
		require.NoError(t, err)
		if len(chs) == 0 {
			return out
		}
		out = append(out, chs...)
		after = chs[len(chs)-1].Seq
	}
}
