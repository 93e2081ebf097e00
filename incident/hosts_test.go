package incident_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// newHostDesk returns a desk over st that logs nothing, as one host's desk.
func newHostDesk(t testing.TB, st lifecycle.Store) *incident.Desk {
	t.Helper()
	desk, err := incident.NewDesk(st, incident.Config{Logger: teststores.Quiet})
	require.NoError(t, err)
	return desk
}

// TestLinkParentNoCycleAcrossHosts links a→b, b→c and c→a at once from two
// desks on two hosts sharing one store, round after round, on every store:
// the incidents never end in a cycle, and the links stored are exactly
// those of the calls that succeeded.
func TestLinkParentNoCycleAcrossHosts(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		desks := []*incident.Desk{newHostDesk(t, db.Host(t)), newHostDesk(t, db.Host(t))}
		const rounds = 20
		for round := range rounds {
			var ids [3]uuid.UUID
			for i := range ids {
				inc, err := desks[i%2].Open(ctx, draft())
				require.NoError(t, err)
				ids[i] = inc.ID
			}
			// Call i makes ids[i] a child of ids[i+1].
			var ok [3]bool
			var wg sync.WaitGroup
			for i := range 3 {
				wg.Go(func() {
					_, err := desks[i%2].LinkParent(ctx, incident.ParentParams{ID: ids[i], By: bob, Parent: ids[(i+1)%3]})
					ok[i] = err == nil
					if err != nil && !errors.Is(err, incident.ErrCycle) && !errors.Is(err, lifecycle.ErrConflict) {
						t.Errorf("round %d: link %d: unexpected error %v", round, i, err)
					}
				})
			}
			wg.Wait()

			parent := map[uuid.UUID]uuid.UUID{}
			for i, id := range ids {
				got, err := desks[0].Get(ctx, id)
				require.NoError(t, err)
				parent[id] = got.Parent
				if ok[i] {
					assert.Equal(t, ids[(i+1)%3], got.Parent, "round %d: link %d succeeded", round, i)
				} else {
					assert.Equal(t, uuid.Nil, got.Parent, "round %d: link %d failed", round, i)
				}
			}
			for _, start := range ids {
				seen := map[uuid.UUID]bool{}
				for at := start; at != uuid.Nil; at = parent[at] {
					require.False(t, seen[at], "round %d: a cycle through %s (links %v)", round, at, ok)
					seen[at] = true
				}
			}
			assert.False(t, ok[0] && ok[1] && ok[2], "round %d: all three links succeeded", round)
		}
	})
}
