package incident_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
)

func TestEscalateFunctional(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	require.Equal(t, 1, inc.Tier)
	require.Equal(t, "bob", inc.Assignee)

	inc, err := f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "routing table corrupt", ToGroup: "network-l2"})
	require.NoError(t, err)
	assert.Equal(t, "network-l2", inc.Group)
	assert.Equal(t, 2, inc.Tier)
	assert.Equal(t, 1, inc.Escalations)
	assert.Equal(t, 1, inc.Reassignments)
	assert.Empty(t, inc.Assignee, "the new group picks its own assignee")
	assert.Equal(t, incident.StateInProgress, inc.State)

	c := changesNamed(t, f.desk, inc.ID, "escalate")
	require.Len(t, c, 1)
	assert.Equal(t, bob.ID, c[0].Actor.ID, "who")
	assert.Equal(t, "routing table corrupt", c[0].Note, "why")
	assert.ElementsMatch(t, []string{"tier", "escalations", "reassignments", "group", "assignee"}, fieldNames(c[0]))
	g, _ := field(c[0], "group")
	assert.Equal(t, "network", g.Old)
	assert.Equal(t, "network-l2", g.New)

	inc, err = f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "needs the architects", ToGroup: "network-l3"})
	require.NoError(t, err)
	assert.Equal(t, 3, inc.Tier)
	assert.Equal(t, 2, inc.Escalations)
	assert.Equal(t, 2, inc.Reassignments)

	n := len(journal(t, f.desk, inc.ID))
	_, err = f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "beyond us", ToGroup: "vendor"})
	requireValidation(t, err, "tier")
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after, "nothing changed beyond the highest tier")
	assert.Len(t, journal(t, f.desk, inc.ID), n)
}

func TestEscalateFunctionalConfiguredMaxTier(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{MaxTier: 2})
	ctx := t.Context()
	inc := f.toState(t, incident.StateAssigned)
	_, err := f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "r", ToGroup: "l2"})
	require.NoError(t, err)
	_, err = f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "r", ToGroup: "l3"})
	requireValidation(t, err, "tier")
	_, err = f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "r", ToGroup: "l3", Tier: 3})
	requireValidation(t, err, "tier")
}

func TestEscalateFunctionalRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateAssigned)
	for _, tt := range []struct {
		f     incident.FunctionalParams
		field string
	}{
		{incident.FunctionalParams{Note: "r", By: bob}, "to_group"},
		{incident.FunctionalParams{ToGroup: "l2", By: bob}, "note"},
		{incident.FunctionalParams{ToGroup: "l2", Note: "r"}, "by"},
		{incident.FunctionalParams{ToGroup: "l2", Tier: 4, Note: "r", By: bob}, "tier"},
		{incident.FunctionalParams{ToGroup: "l2", Tier: -1, Note: "r", By: bob}, "tier"},
		{incident.FunctionalParams{ToGroup: "network", Note: "r", By: bob}, "to_group"},
	} {
		tt.f.ID = inc.ID
		_, err := f.desk.EscalateFunctional(ctx, tt.f)
		requireValidation(t, err, tt.field)
	}
	closed := f.toState(t, incident.StateClosed)
	_, err := f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: closed.ID, By: bob, Note: "r", ToGroup: "l2"})
	requireTransition(t, err)
}

func TestEscalateHierarchical(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)

	inc, err := f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: bob, Note: "VIP caller", Notify: "team-lead"})
	require.NoError(t, err)
	assert.Equal(t, 1, inc.EscalationLevel)
	c := changesNamed(t, f.desk, inc.ID, "escalate_hierarchical")
	require.Len(t, c, 1)
	assert.Equal(t, bob.ID, c[0].Actor.ID)
	assert.Contains(t, c[0].Note, "VIP caller", "why")
	assert.Contains(t, c[0].Note, "team-lead", "who is told")
	lvl, ok := field(c[0], "escalation_level")
	require.True(t, ok)
	assert.Equal(t, "0", lvl.Old)
	assert.Equal(t, "1", lvl.New)

	inc, err = f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: carol, Note: "outage over a day", Level: 3, Notify: "head-of-it"})
	require.NoError(t, err)
	assert.Equal(t, 3, inc.EscalationLevel)
	assert.Equal(t, 0, inc.Escalations, "hierarchical escalation leaves the group alone")
	assert.Equal(t, "network", inc.Group)

	for _, h := range []incident.HierarchicalParams{
		{Level: 2, Notify: "service-manager", Note: "r", By: carol}, // lower
		{Level: 3, Notify: "head-of-it", Note: "r", By: carol},      // the same
		{Notify: "board", Note: "r", By: carol},                     // one beyond the highest
		{Level: 4, Notify: "board", Note: "r", By: carol},           // beyond the highest
		{Notify: "", Note: "r", By: carol},
		{Notify: "x", By: carol},
		{Notify: "x", Note: "r"},
	} {
		h.ID = inc.ID
		_, err := f.desk.EscalateHierarchical(ctx, h)
		var field string
		switch {
		case h.Notify == "":
			field = "notify"
		case h.Note == "":
			field = "note"
		case h.By.ID == "":
			field = "by"
		default:
			field = "level"
		}
		requireValidation(t, err, field)
	}
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after)
}

func TestEscalateHierarchicalConfiguredLevels(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{EscalationLevels: 1})
	ctx := t.Context()
	inc := f.open(t)
	_, err := f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: bob, Note: "r", Notify: "lead"})
	require.NoError(t, err)
	_, err = f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: bob, Note: "r", Notify: "manager"})
	requireValidation(t, err, "level")
	closed := f.toState(t, incident.StateCancelled)
	_, err = f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: closed.ID, By: bob, Note: "r", Notify: "lead"})
	requireTransition(t, err)
	_, err = f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: bob, Note: "r", Level: 2, Notify: "lead"})
	requireValidation(t, err, "level")
}
