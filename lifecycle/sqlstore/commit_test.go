package sqlstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// sqlState is implemented by drivers' errors that carry an SQLSTATE.
type sqlState interface{ SQLState() string }

// Commits that write the same records, listed in opposite orders, from
// hosts with pools of their own: the store locks rows in one order, so the
// database never finds a deadlock, and every commit either lands or fails
// with ErrConflict.
func TestCommitOppositeOrders(t *testing.T) {
	t.Parallel()
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			t.Parallel()
			tg := be.target(t)
			const workers, rounds, records = 8, 15, 3
			hosts := make([]*sqlstore.Store, workers)
			for i := range hosts {
				hosts[i] = newStore(t, tg)
			}
			ctx := t.Context()
			p, err := lifecycle.NewProcess[ticket](hosts[0], ticketDefinition(), lifecycle.ProcessConfig{})
			require.NoError(t, err)
			ids := make([]uuid.UUID, records)
			for i := range ids {
				tk, err := p.Create(ctx, &ticket{Title: fmt.Sprintf("shared %d", i)}, bob, "")
				require.NoError(t, err)
				ids[i] = tk.ID
			}

			var mu sync.Mutex
			landed := 0
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					st := hosts[w]
					for r := range rounds {
						var writes []lifecycle.Write
						for k := range records {
							i := k
							if w%2 == 1 { // every other worker lists the records backwards
								i = records - 1 - k
							}
							e, err := st.Get(ctx, ids[i], func() lifecycle.Entity { return new(ticket) })
							if !assert.NoError(t, err) {
								return
							}
							tk := e.(*ticket)
							tk.Version++
							tk.Title = fmt.Sprintf("worker %d round %d", w, r)
							tk.UpdatedAt = time.Now()
							ch := &lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: tk.Kind, RecordID: tk.ID,
								Number: tk.Number, Version: tk.Version, Event: "edit", From: tk.State, To: tk.State, Actor: bob, At: tk.UpdatedAt}
							writes = append(writes, lifecycle.Write{Entity: tk, Expect: tk.Version - 1, Change: ch})
						}
						err := st.Commit(ctx, lifecycle.Batch{Writes: writes})
						var state sqlState
						switch {
						case err == nil:
							mu.Lock()
							landed++
							mu.Unlock()
						case errors.As(err, &state):
							assert.NotEqual(t, "40P01", state.SQLState(), "a deadlock: %v", err)
							assert.ErrorIs(t, err, lifecycle.ErrConflict, "a database conflict is ErrConflict")
						default:
							assert.ErrorIs(t, err, lifecycle.ErrConflict)
						}
					}
				})
			}
			wg.Wait()
			require.Positive(t, landed)
			for _, id := range ids {
				e, err := hosts[0].Get(ctx, id, func() lifecycle.Entity { return new(ticket) })
				require.NoError(t, err)
				assert.Equal(t, int64(1+landed), e.Base().Version, "every record was written by every commit that landed, and only by those")
			}
		})
	}
}
