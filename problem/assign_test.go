package problem_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/problem"
)

// ciClasses classifies CIs by a map.
type ciClasses map[string]string

func (c ciClasses) Classify(_ context.Context, ci string) (string, []string, error) {
	return c[ci], nil, nil
}

// TestAssignmentRules: two managers sharing a store open problems without
// a group from several goroutines; the rules choose the group by CI class
// and category, round robin takes the members in equal turns across both
// managers, and each creation names its rule; Assign to a group without an
// owner lets the group's rule choose one. On memstore, SQLite and
// PostgreSQL.
func TestAssignmentRules(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		rules, err := assign.New(assign.Config{Rules: []assign.Rule{
			{Name: "databases", When: assign.When{CIClasses: []string{"database"}}, Group: "dba-problems",
				Strategy: assign.LeastLoaded, Members: []string{"dora", "dan"}},
			{Name: "network", When: assign.When{Categories: []string{"network"}}, Group: "network-problems",
				Strategy: assign.RoundRobin, Members: []string{"ann", "ben", "cat"}},
		}})
		require.NoError(t, err)
		var mgrs []*problem.Manager
		for range 2 {
			st := db.Host(t)
			desk, err := incident.NewDesk(st, incident.Config{Logger: quiet})
			require.NoError(t, err)
			m, err := problem.NewManager(st, desk, problem.Config{Assignment: rules,
				Classifier: ciClasses{"orders-db": "database"}, Logger: quiet})
			require.NoError(t, err)
			mgrs = append(mgrs, m)
		}
		const n = 9
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := mgrs[i%2].Open(ctx, problem.Draft{Title: "tunnels drop", By: carol, Category: "network",
					Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		turns := map[string]int{}
		for p, err := range mgrs[0].Find(ctx, problem.Query{Group: "network-problems"}) {
			require.NoError(t, err)
			turns[p.Assignee]++
			var created lifecycle.Change
			for ch, err := range mgrs[0].Journal(ctx, p.ID) {
				require.NoError(t, err)
				created = ch
				break
			}
			assert.Contains(t, created.Note, "by rule network")
		}
		assert.Equal(t, map[string]int{"ann": 3, "ben": 3, "cat": 3}, turns)

		db1, err := mgrs[1].Open(ctx, problem.Draft{Title: "deadlocks", By: carol, CIs: []string{"orders-db"},
			Impact: itil.ImpactHigh, Urgency: itil.UrgencyMedium})
		require.NoError(t, err)
		assert.Equal(t, "dba-problems", db1.Group, "the CI's class")
		db2, err := mgrs[0].Open(ctx, problem.Draft{Title: "slow backups", By: carol, CIs: []string{"orders-db"},
			Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
		require.NoError(t, err)
		assert.NotEqual(t, db1.Assignee, db2.Assignee, "the least loaded")

		none, err := mgrs[0].Open(ctx, problem.Draft{Title: "printer", By: carol, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
		require.NoError(t, err)
		assert.Empty(t, none.Group, "no rule matches")
		given, err := mgrs[0].Open(ctx, problem.Draft{Title: "vpn", By: carol, Category: "network", Group: "noc",
			Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
		require.NoError(t, err)
		assert.Equal(t, "noc", given.Group, "a group the caller names stays")
		assert.Empty(t, given.Assignee)

		moved, err := mgrs[1].Assign(ctx, problem.AssignParams{ID: none.ID, By: carol, Group: "dba-problems"})
		require.NoError(t, err)
		assert.Contains(t, []string{"dora", "dan"}, moved.Assignee, "the group's rule chooses the owner")
		var last lifecycle.Change
		for ch, err := range mgrs[1].Journal(ctx, none.ID) {
			require.NoError(t, err)
			last = ch
		}
		assert.Contains(t, last.Note, "by rule databases")
		kept, err := mgrs[1].Assign(ctx, problem.AssignParams{ID: given.ID, By: carol, Group: "noc", Assignee: "zoe"})
		require.NoError(t, err)
		assert.Equal(t, "zoe", kept.Assignee)
	})
}
