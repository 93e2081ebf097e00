package incident_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle/assign"
)

type classes map[string]string

func (c classes) Classify(_ context.Context, ci string) (string, []string, error) {
	return c[ci], []string{"shop"}, nil
}

func assignmentRules(t *testing.T) *assign.Rules {
	t.Helper()
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "databases", When: assign.When{CIClasses: []string{"database"}}, Group: "dba",
			Strategy: assign.LeastLoaded, Members: []string{"dora", "dan"}},
		{Name: "network", When: assign.When{Categories: []string{"network"}}, Group: "network",
			Strategy: assign.RoundRobin, Members: []string{"ann", "ben", "cat"}},
		{Name: "everything else", Group: "service-desk"},
	}})
	require.NoError(t, err)
	return rules
}

// TestAssignmentRulesAcrossDesks: two desks sharing a store, opening
// network incidents from several goroutines, take the round-robin rule's
// members in equal turns; every creation names the rule in its journal.
func TestAssignmentRulesAcrossDesks(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		var desks []*incident.Desk
		for range 2 {
			d, err := incident.NewDesk(db.Host(t), incident.Config{Assignment: assignmentRules(t), Logger: teststores.Quiet})
			require.NoError(t, err)
			desks = append(desks, d)
		}
		const n = 12
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := desks[i%2].Open(ctx, incident.Draft{Title: "link down", Caller: alice, Category: "network",
					Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		turns := map[string]int{}
		for inc, err := range desks[0].Find(ctx, incident.Query{Group: "network"}) {
			require.NoError(t, err)
			turns[inc.Assignee]++
			var notes []string
			for c, err := range desks[0].Journal(ctx, inc.ID) {
				require.NoError(t, err)
				notes = append(notes, c.Note)
			}
			require.NotEmpty(t, notes)
			assert.Equal(t, "assigned to network ("+inc.Assignee+") by rule network", notes[0])
		}
		assert.Equal(t, map[string]int{"ann": n / 3, "ben": n / 3, "cat": n / 3}, turns)
	})
}

// TestAssignmentRulesOnOpenAndReassign: a CI's class chooses the rule
// (through the Classifier), the least loaded member of the group takes
// it, a draft naming a group is left alone, and Assign to a group without
// an assignee asks the group's rule.
func TestAssignmentRulesOnOpenAndReassign(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newFixture(t, incident.Config{Assignment: assignmentRules(t), Classifier: classes{"shop-db": "database"}})
	open := func(dr incident.Draft) *incident.Incident {
		t.Helper()
		dr.Caller, dr.Impact, dr.Urgency = alice, itil.ImpactLow, itil.UrgencyLow
		inc, err := f.desk.Open(ctx, dr)
		require.NoError(t, err)
		return inc
	}
	first := open(incident.Draft{Title: "slow queries", CIs: []string{"shop-db"}})
	assert.Equal(t, "dba", first.Group)
	assert.Equal(t, "dora", first.Assignee, "no one holds any: the first")
	second := open(incident.Draft{Title: "locks", CIs: []string{"shop-db"}})
	assert.Equal(t, "dan", second.Assignee, "dora holds one")

	other := open(incident.Draft{Title: "printer", Note: "from the phone"})
	assert.Equal(t, "service-desk", other.Group)
	assert.Empty(t, other.Assignee)
	var notes []string
	for c, err := range f.desk.Journal(ctx, other.ID) {
		require.NoError(t, err)
		notes = append(notes, c.Note)
	}
	assert.Equal(t, []string{"from the phone\nassigned to service-desk by rule everything else"}, notes)

	named := open(incident.Draft{Title: "vpn", Category: "network", Group: "vpn-team"})
	assert.Equal(t, "vpn-team", named.Group, "a draft's group wins")
	assert.Empty(t, named.Assignee)

	moved, err := f.desk.Assign(ctx, incident.AssignParams{ID: other.ID, By: bob, Group: "network"})
	require.NoError(t, err)
	assert.Equal(t, "ann", moved.Assignee, "the network rule's first turn")
	moved, err = f.desk.Assign(ctx, incident.AssignParams{ID: other.ID, By: bob, Group: "dba"})
	require.NoError(t, err)
	assert.Equal(t, "dora", moved.Assignee, "dora and dan hold one each: the first of them")
}
