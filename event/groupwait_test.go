package event_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
)

// waited is automated with the groups waiting 30s before their incident.
func waited(f *fixture, c *event.Config) {
	automated(f, c)
	c.Incidents.GroupWait = 30 * time.Second
}

// sweep sweeps f's engine at f's clock.
func sweep(t *testing.T, f *fixture) event.SweepReport {
	t.Helper()
	rep, err := f.engine.Sweep(f.ctx, f.clock.Now())
	require.NoError(t, err)
	return rep
}

// TestChildBeforeParentMakesOneIncident: a child CI's alert that arrives
// before its parent's, within the group wait, joins the parent's group: one
// outage, one incident, the parent's.
func TestChildBeforeParentMakesOneIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) {
		waited(f, c)
		c.Topology = parents{"web-1": {"switch-1"}}
	})
	f.ingest(t, event.Event{Source: "nagios", Node: "web-1", Check: "http", Severity: event.SeverityCritical, Message: "HTTP 503"})
	f.clock.Advance(5 * time.Second)
	f.ingest(t, event.Event{Source: "snmp", Node: "switch-1", Check: "ping", Severity: event.SeverityCritical, Message: "no answer"})
	assert.Empty(t, openIncidents(t, f), "both groups wait")

	f.clock.Advance(25 * time.Second)
	rep := sweep(t, f)
	assert.Equal(t, 1, rep.Joined, "the child's group's wait is over: it joins the parent's, which waits on")
	assert.Zero(t, rep.Linked)
	assert.Empty(t, openIncidents(t, f))
	child := f.alert(t, "nagios/web-1/http")
	parent := f.alert(t, "snmp/switch-1/ping")
	assert.Equal(t, parent.Group, child.Group)
	assert.Equal(t, "switch-1", child.Parent)
	stored, err := f.engine.Get(f.ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, parent.Group, stored.Group, "the move is persisted")
	assert.Contains(t, events(f.journal(t, stored)), event.EditGroup)

	f.clock.Advance(5 * time.Second)
	rep = sweep(t, f)
	assert.Equal(t, 2, rep.Linked)
	incs := openIncidents(t, f)
	require.Len(t, incs, 1, "one outage, one incident")
	assert.Contains(t, incs[0].Title, "no answer", "the parent's alert raised it")
	assert.Equal(t, incs[0].ID, f.alert(t, "nagios/web-1/http").Incident.ID)
	assert.Equal(t, incs[0].ID, f.alert(t, "snmp/switch-1/ping").Incident.ID)

	rep = sweep(t, f)
	assert.Zero(t, rep.Linked, "nothing left waiting")
	assert.Len(t, openIncidents(t, f), 1)
}

// TestGroupWait: the zero value waits 30s, to the nanosecond; a negative
// wait raises the incident with the first alert.
func TestGroupWait(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		wait   time.Duration
		atOnce bool
	}{
		{"default", 0, false},
		{"none", -1, true},
		{"one minute", time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(f *fixture, c *event.Config) {
				c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: tc.wait}
			})
			f.ingest(t, web(event.SeverityCritical))
			if tc.atOnce {
				assert.Len(t, openIncidents(t, f), 1)
				assert.Zero(t, sweep(t, f).Linked)
				return
			}
			wait := tc.wait
			if wait == 0 {
				wait = 30 * time.Second
			}
			f.clock.Advance(wait - time.Nanosecond)
			assert.Zero(t, sweep(t, f).Linked)
			assert.Empty(t, openIncidents(t, f))
			f.ingest(t, web(event.SeverityCritical)) // a duplicate within the wait raises nothing either
			assert.Empty(t, openIncidents(t, f))

			f.clock.Advance(time.Nanosecond)
			assert.Equal(t, 1, sweep(t, f).Linked)
			require.Len(t, openIncidents(t, f), 1)
			assert.False(t, f.alert(t, "nagios/web-1/http").Incident.IsZero())
		})
	}
}

// TestGroupWaitTakesTheHighestPriority: the alerts of one group that
// arrive within its wait make one incident, raised from the most severe:
// its priority and its title.
func TestGroupWaitTakesTheHighestPriority(t *testing.T) {
	t.Parallel()
	f := newFixture(t, waited)
	major := web(event.SeverityMajor)
	f.ingest(t, major)
	f.clock.Advance(10 * time.Second)
	critical := web(event.SeverityCritical)
	critical.Node = "web-2"
	f.ingest(t, critical)
	f.clock.Advance(20 * time.Second)
	assert.Equal(t, 2, sweep(t, f).Linked)
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.Equal(t, "P1", incs[0].Priority.String())
	assert.Contains(t, incs[0].Title, "[critical]", "raised from the most severe alert")
	assert.ElementsMatch(t, []string{"web-1", "web-2"}, incs[0].CIs)
}

// TestReopenDoesNotWait: an alert of a group whose incident resolved
// within the reopen window reopens it at once.
func TestReopenDoesNotWait(t *testing.T) {
	t.Parallel()
	f := newFixture(t, waited)
	f.ingest(t, web(event.SeverityCritical))
	f.clock.Advance(30 * time.Second)
	sweep(t, f)
	require.Len(t, openIncidents(t, f), 1)
	f.ingest(t, web(event.SeverityOK))
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	require.Equal(t, incident.StateResolved, incs[0].State)

	f.clock.Advance(time.Minute)
	f.ingest(t, web(event.SeverityCritical))
	incs = openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.True(t, incs[0].Open(), "reopened without a wait")
}

// TestGroupWaitOutlivesTheHost: a host that ingested an alert and stopped
// within its group's wait leaves the incident to whichever host sweeps the
// store after the wait, on every store; the reactions do not raise it
// early, and the first host's own sweep raises no second one.
func TestGroupWaitOutlivesTheHost(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		c := newClock()
		wait := func(cfg *event.Config) { cfg.Incidents.GroupWait = 30 * time.Second }
		first := newHost(t, db.Host(t), c, nil, wait)
		require.NoError(t, first.engine.Ingest(t.Context(), crit("web-1")))
		drain(t, first)
		require.Empty(t, incidentsOf(t, first.desk), "the reactions wait too")

		next := newHost(t, db.Host(t), c, nil, wait)
		c.Advance(30 * time.Second)
		rep, err := next.engine.Sweep(t.Context(), c.Now())
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Linked)
		rep, err = first.engine.Sweep(t.Context(), c.Now())
		require.NoError(t, err)
		assert.Zero(t, rep.Linked)
		drain(t, first, next)
		incs := checkOneIncidentPerGroup(t, next.engine, next.desk)
		assert.Len(t, incs, 1)
	})
}
