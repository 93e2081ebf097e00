package lifecycle_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// idStore is a Store whose IDSource hands out the IDs it was given.
type idStore struct {
	lifecycle.Store
	ids []uuid.UUID
}

func (s *idStore) NewID() uuid.UUID {
	id := s.ids[0]
	s.ids = s.ids[1:]
	return id
}

func TestRecordIDsFromTheStoresIDSource(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	want := uuid.MustParse("01900000-0000-7000-8000-00000000002a")
	st := &idStore{Store: memstore.New(memstore.Config{}), ids: []uuid.UUID{want}}
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	tk, err := p.Create(ctx, &ticket{Title: "printer jammed"}, alice, "")
	require.NoError(t, err)
	assert.Equal(t, want, tk.ID)
	assert.Empty(t, st.ids)

	given := uuid.MustParse("01900000-0000-7000-8000-0000000000ff")
	tk, err = p.Create(ctx, &ticket{Record: lifecycle.Record{ID: given}, Title: "toner low"}, alice, "")
	require.NoError(t, err, "a record that has an ID asks the source for none")
	assert.Equal(t, given, tk.ID)
}

func TestKitStoreGivesEqualIDsForEqualWork(t *testing.T) {
	t.Parallel()
	run := func() ([]*ticket, []lifecycle.Change) {
		clk := lifecycletest.NewClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
		st := lifecycletest.NewStore(t, clk)
		p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{Now: clk.Now})
		require.NoError(t, err)
		a, err := p.Create(t.Context(), &ticket{Title: "printer jammed"}, alice, "")
		require.NoError(t, err)
		clk.Advance(time.Minute)
		b, err := p.Create(t.Context(), &ticket{Title: "toner low"}, alice, "")
		require.NoError(t, err)
		a, err = p.Fire(t.Context(), a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: fill})
		require.NoError(t, err)
		return []*ticket{a, b}, lifecycletest.RequireOutbox(t, st, 0, lifecycletest.Events("create", "create", "assign")...)
	}
	t1, log1 := run()
	t2, log2 := run()
	assert.Equal(t, t1, t2)
	assert.Equal(t, log1, log2)
	assert.Equal(t, "00000000-0000-7000-8000-000000000001", t1[0].ID.String())
}

// TestRecordNumbers: a number is the prefix and the sequence padded with
// zeros to Digits, and longer when the sequence outgrows them.
func TestRecordNumbers(t *testing.T) {
	t.Parallel()
	for _, digits := range []int{1, 3, 7} {
		p := newTickets(t, nil, lifecycle.ProcessConfig{Prefix: "TKT", Digits: digits})
		for n := 1; n <= 1100; n++ {
			tk, err := p.Create(context.Background(), &ticket{Title: "printer"}, alice, "")
			require.NoError(t, err)
			if n%97 == 1 || n == 1000 || n == 1100 {
				assert.Equal(t, fmt.Sprintf("TKT%0*d", digits, n), tk.Number)
			}
		}
	}
}
