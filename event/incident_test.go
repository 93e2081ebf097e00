package event_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

type parents map[string][]string

func (p parents) Parents(_ context.Context, ci string) ([]string, error) { return p[ci], nil }

type criticality map[string]itil.Impact

func (c criticality) Criticality(_ context.Context, ci string) (itil.Impact, error) {
	return c[ci], nil
}

func automated(f *fixture, c *event.Config) {
	c.Correlation = []event.CorrelationRule{{Name: "by-service", By: []string{"service"}, Window: 10 * time.Minute}}
	c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1, Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor, Group: "web"}},
		ReopenWindow: 30 * time.Minute}
}

func openIncidents(t *testing.T, f *fixture) []*incident.Incident {
	t.Helper()
	var out []*incident.Incident
	for inc, err := range f.desk.Find(f.ctx, incident.Query{}) {
		require.NoError(t, err)
		out = append(out, inc)
	}
	return out
}

func TestOneIncidentPerGroupResolvedAndReopened(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { automated(f, c) })

	shop := func(node string, sev event.Severity) event.Event {
		return event.Event{Source: "nagios", Node: node, Check: "http", Severity: sev, Message: node + " down",
			Labels: map[string]string{"service": "shop"}}
	}
	f.ingest(t, shop("web-1", event.SeverityWarning)) // below the rule: no incident
	assert.Empty(t, openIncidents(t, f))
	f.ingest(t, shop("web-2", event.SeverityCritical))
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	inc := incs[0]
	assert.Equal(t, itil.ImpactHigh, inc.Impact)
	assert.Equal(t, itil.UrgencyHigh, inc.Urgency)
	assert.Equal(t, incident.ChannelMonitoring, inc.Channel)
	assert.Equal(t, []string{"web-2"}, inc.CIs)

	f.ingest(t, shop("web-3", event.SeverityMajor)) // same group: linked
	assert.Len(t, openIncidents(t, f), 1)
	assert.Equal(t, inc.ID, f.alert(t, "nagios/web-3/http").Incident.ID)
	assert.Equal(t, inc.ID, f.alert(t, "nagios/web-2/http").Incident.ID)
	g, ok := f.engine.Group(f.alert(t, "nagios/web-1/http").Group)
	require.True(t, ok)
	assert.Equal(t, 3, g.Open)
	assert.Equal(t, "by-service", g.Rule)
	assert.Equal(t, inc.ID, g.Incident.ID)

	// Every alert clears: the incident resolves itself.
	f.clock.Advance(time.Minute)
	f.ingest(t, shop("web-1", event.SeverityOK), shop("web-2", event.SeverityOK))
	got, err := f.desk.Get(f.ctx, inc.ID)
	require.NoError(t, err)
	assert.True(t, got.Open(), "web-3 still fires")
	f.ingest(t, shop("web-3", event.SeverityOK))
	got, err = f.desk.Get(f.ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Resolved, got.StateCategory)

	// A new alert within the reopen window reopens it.
	f.clock.Advance(5 * time.Minute)
	f.ingest(t, shop("web-4", event.SeverityMajor))
	got, err = f.desk.Get(f.ctx, inc.ID)
	require.NoError(t, err)
	assert.True(t, got.Open())
	assert.Equal(t, 1, got.Reopens)
	assert.Len(t, openIncidents(t, f), 1)
}

func TestNoteModeAndCriticality(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) {
		automated(f, c)
		c.Incidents.OnCleared = event.NoteIncident
		c.Incidents.Criticality = criticality{"db-1": itil.ImpactHigh}
	})
	f.ingest(t, event.Event{Source: "z", Node: "db-1", Check: "cpu", Severity: event.SeverityMajor})
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.ImpactHigh, incs[0].Impact, "raised to the CI's criticality")
	assert.Equal(t, itil.UrgencyHigh, incs[0].Urgency)
	f.ingest(t, event.Event{Source: "z", Node: "db-1", Check: "cpu", Severity: event.SeverityOK})
	got, err := f.desk.Get(f.ctx, incs[0].ID)
	require.NoError(t, err)
	assert.True(t, got.Open(), "only noted")
}

func TestTopologyChildJoinsDownParentsGroup(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) {
		automated(f, c)
		c.Topology = parents{"web-1": {"switch-1"}, "web-2": {"switch-1"}}
	})
	f.ingest(t, event.Event{Source: "snmp", Node: "switch-1", Check: "ping", Severity: event.SeverityCritical})
	f.ingest(t, event.Event{Source: "nagios", Node: "web-1", Check: "http", Severity: event.SeverityCritical},
		event.Event{Source: "nagios", Node: "web-2", Check: "http", Severity: event.SeverityCritical})
	incs := openIncidents(t, f)
	require.Len(t, incs, 1, "children raise no incidents of their own")
	parent := f.alert(t, "snmp/switch-1/ping")
	child := f.alert(t, "nagios/web-1/http")
	assert.Equal(t, parent.Group, child.Group)
	assert.Equal(t, "switch-1", child.Parent)
	assert.Equal(t, incs[0].ID, child.Incident.ID)
}

func TestFlappingAlertRaisesNoIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) {
		automated(f, c)
		c.Incidents.Rules[0].MinSeverity = event.SeverityCritical
		c.Flap = event.FlapConfig{High: 5, Low: 1}
	})
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	f.ingest(t, ev(event.SeverityWarning), ev(event.SeverityCritical)) // 6% ≥ 5%: flapping at once
	a := f.alert(t, "s/n/c")
	assert.True(t, a.Flapping)
	assert.Empty(t, openIncidents(t, f))
}

// TestDeskWithoutRulesRaisesEveryAlert: a desk given no rules gets
// DefaultIncidentRule, so that every alert, info and up, raises its
// group's incident, as PagerDuty does, rather than a desk that never hears
// of an alert.
func TestDeskWithoutRulesRaisesEveryAlert(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	f.ingest(t, web(event.SeverityInfo))
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.ImpactLow, incs[0].Impact, "severity sets the priority")
	assert.Equal(t, itil.UrgencyLow, incs[0].Urgency)
	assert.Contains(t, incs[0].Description, event.DefaultIncidentRule.Name)
	assert.Equal(t, incs[0].Ref(), f.alert(t, "nagios/web-1/http").Incident)
}

func TestOnClearedText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    event.OnCleared
		text string
	}{{event.ResolveIncident, "resolve"}, {event.NoteIncident, "note"}} {
		b, err := tc.v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.text, string(b))
		assert.Equal(t, tc.text, tc.v.String())
		var got event.OnCleared = 5
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, tc.v, got)
	}
	_, err := event.OnCleared(5).MarshalText()
	assert.ErrorIs(t, err, itil.ErrInvalid)
	got := event.NoteIncident
	err = got.UnmarshalText([]byte("ignore"))
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Incidents.OnCleared", ve.Field)
	assert.Equal(t, event.NoteIncident, got, "left as it was")
}

// TestMixedGroupTakesHighestSeverityAndAllCIs: a group whose alerts arrive
// in one batch, in any order, has one incident with the priority of its
// most severe alert and the CIs of all its alerts.
func TestMixedGroupTakesHighestSeverityAndAllCIs(t *testing.T) {
	t.Parallel()
	alerts := []event.Event{
		{Source: "am", Node: "web-1", Check: "latency", Severity: event.SeverityWarning, Labels: map[string]string{"service": "shop"}},
		{Source: "am", Node: "web-2", Check: "down", Severity: event.SeverityCritical, Labels: map[string]string{"service": "shop"}},
		{Source: "am", Node: "web-3", Check: "disk", Severity: event.SeverityInfo, Labels: map[string]string{"service": "shop"}},
	}
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		f := newFixture(t, func(f *fixture, c *event.Config) {
			c.Correlation = []event.CorrelationRule{{Name: "by-service", By: []string{"service"}, Window: 10 * time.Minute}}
			c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1}
		})
		var batch []event.Event
		for _, i := range order {
			batch = append(batch, alerts[i])
		}
		f.ingest(t, batch...)
		incs := openIncidents(t, f)
		require.Len(t, incs, 1, "order %v", order)
		assert.Equal(t, itil.ImpactHigh, incs[0].Impact, "order %v", order)
		assert.Equal(t, itil.UrgencyHigh, incs[0].Urgency, "order %v", order)
		assert.Equal(t, itil.P1, incs[0].Priority, "order %v", order)
		assert.ElementsMatch(t, []string{"web-1", "web-2", "web-3"}, incs[0].CIs, "order %v", order)
	}
}
