package cmdb_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/internal/teststores"
)

// race runs a and b at once and returns their errors.
func race(a, b func() error) (errA, errB error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Go(func() { <-start; errA = a() })
	wg.Go(func() { <-start; errB = b() })
	close(start)
	wg.Wait()
	return errA, errB
}

// oneWins asserts that exactly one of two errors is nil and that the other
// matches want.
func oneWins(t *testing.T, want error, errA, errB error, round int) {
	t.Helper()
	if errA == nil {
		assert.ErrorIs(t, errB, want, "round %d", round)
	} else {
		assert.NoError(t, errB, "round %d: neither won (%v)", round, errA)
		assert.ErrorIs(t, errA, want, "round %d", round)
	}
}

// Two hosts sharing a store, each with its registry, write at once; the
// rules across CIs hold on every store.
func TestTwoHostsKeepTheRules(t *testing.T) {
	t.Parallel()
	const rounds = 6
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		a, b := newRegistry(t, db.Host(t)), newRegistry(t, db.Host(t))

		t.Run("no cycle of contains", func(t *testing.T) {
			for i := range rounds {
				x := register(t, a, cmdb.Item{Key: fmt.Sprintf("room-%d", i), Class: cmdb.ClassRoom})
				y := register(t, a, cmdb.Item{Key: fmt.Sprintf("rack-%d", i), Class: cmdb.ClassRack})
				errA, errB := race(
					func() error {
						_, err := a.Relate(ctx, cmdb.RelateParams{ID: x.ID, By: alice, Type: cmdb.Contains, To: y.Key})
						return err
					},
					func() error {
						_, err := b.Relate(ctx, cmdb.RelateParams{ID: y.ID, By: alice, Type: cmdb.Contains, To: x.Key})
						return err
					})
				oneWins(t, cmdb.ErrCycle, errA, errB, i)
			}
		})

		t.Run("no relationship to a retired CI", func(t *testing.T) {
			for i := range rounds {
				x := register(t, a, cmdb.Item{Key: fmt.Sprintf("app-%d", i), Class: cmdb.ClassApplication})
				y := register(t, a, cmdb.Item{Key: fmt.Sprintf("db-%d", i), Class: cmdb.ClassDatabase})
				errA, errB := race(
					func() error {
						_, err := a.Relate(ctx, cmdb.RelateParams{ID: x.ID, By: alice, Type: cmdb.DependsOn, To: y.Key})
						return err
					},
					func() error {
						_, err := b.Retire(ctx, cmdb.Params{ID: y.ID, By: alice})
						return err
					})
				if errA == nil {
					assert.ErrorIs(t, errB, cmdb.ErrInUse, "round %d", i)
				} else {
					assert.NoError(t, errB, "round %d", i)
					assert.ErrorIs(t, errA, cmdb.ErrRetired, "round %d", i)
				}
			}
			// Whatever won, nothing live relates to a retired CI.
			for c, err := range a.Find(ctx, cmdb.Query{}) {
				require.NoError(t, err)
				for _, r := range c.Relations {
					to, err := a.GetByKey(ctx, r.To)
					require.NoError(t, err)
					assert.False(t, to.Retired(), "%s %s %s, which is retired", c.Key, r.Type, r.To)
				}
			}
		})

		t.Run("a live cluster keeps its quorum", func(t *testing.T) {
			for i := range rounds {
				importJSON(t, a, fmt.Sprintf(`{"cis": [
				  {"key": "c%[1]d", "class": "cluster", "quorum": 2, "state": "live"},
				  {"key": "c%[1]d-1", "class": "server", "relations": [{"type": "member_of", "to": "c%[1]d"}]},
				  {"key": "c%[1]d-2", "class": "server", "relations": [{"type": "member_of", "to": "c%[1]d"}]},
				  {"key": "c%[1]d-3", "class": "server", "relations": [{"type": "member_of", "to": "c%[1]d"}]}]}`, i))
				m1, err := a.GetByKey(ctx, fmt.Sprintf("c%d-1", i))
				require.NoError(t, err)
				m2, err := b.GetByKey(ctx, fmt.Sprintf("c%d-2", i))
				require.NoError(t, err)
				cluster := fmt.Sprintf("c%d", i)
				errA, errB := race(
					func() error {
						_, err := a.Unrelate(ctx, cmdb.RelateParams{ID: m1.ID, By: alice, Type: cmdb.MemberOf, To: cluster})
						return err
					},
					func() error {
						_, err := b.Retire(ctx, cmdb.Params{ID: m2.ID, By: alice})
						return err
					})
				oneWins(t, cmdb.ErrQuorum, errA, errB, i)
				assert.Equal(t, 2, count(t, a, cmdb.Query{MemberOf: cluster}), "round %d", i)
			}
		})

		t.Run("unique keys", func(t *testing.T) {
			for i := range rounds {
				key := fmt.Sprintf("vm-%d", i)
				errA, errB := race(
					func() error {
						_, err := a.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: key, Class: cmdb.ClassVirtualMachine}})
						return err
					},
					func() error {
						_, err := b.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: key, Class: cmdb.ClassServer}})
						return err
					})
				oneWins(t, cmdb.ErrDuplicateKey, errA, errB, i)
				assert.Equal(t, 1, count(t, b, cmdb.Query{Key: key}), "round %d", i)
			}
		})
	})
}
