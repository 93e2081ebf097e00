package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// watchedStore is a Store that counts its reads and keeps the last batch
// it committed.
type watchedStore struct {
	lifecycle.Store
	gets  int
	batch lifecycle.Batch
}

func (s *watchedStore) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	s.gets++
	return s.Store.Get(ctx, id, zero)
}

func (s *watchedStore) Commit(ctx context.Context, b lifecycle.Batch) error {
	s.batch = b
	return s.Store.Commit(ctx, b)
}

// watchedTickets returns a ticket process on a watchedStore over memstore,
// with one ticket in progress.
func watchedTickets(t *testing.T) (*lifecycle.Process[*ticket], *watchedStore, *ticket) {
	t.Helper()
	st := &watchedStore{Store: memstore.New(memstore.Config{})}
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	ctx := context.Background()
	tk, err := p.Create(ctx, &ticket{Title: "a", Group: "desk", HoldReason: "awaiting caller"}, alice, "")
	require.NoError(t, err)
	for _, ev := range []string{"assign", "start"} {
		tk, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice})
		require.NoError(t, err)
	}
	return p, st, tk
}

func TestTxWritesTheRecordsItsActionsReturn(t *testing.T) {
	ctx := context.Background()
	p, st, tk := watchedTickets(t)
	tx := lifecycle.NewTx(st)
	fired, err := p.FireIn(ctx, tx, tk.ID, lifecycle.Action[*ticket]{Event: "hold", Actor: alice})
	require.NoError(t, err)
	created, err := p.CreateIn(ctx, tx, &ticket{Title: "b"}, alice, "")
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	require.Len(t, st.batch.Writes, 2)
	assert.Same(t, fired, st.batch.Writes[0].Entity, "FireIn returns the record the Tx writes")
	assert.Same(t, created, st.batch.Writes[1].Entity, "CreateIn returns the record the Tx writes")
	got, err := p.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, fired, got)
}

func TestTxKeepsTheFirstReadAfterAFailedAction(t *testing.T) {
	errApply := errors.New("refused after editing")
	tests := []struct {
		name string
		a    lifecycle.Action[*ticket]
		want error
	}{
		{"event not allowed", lifecycle.Action[*ticket]{Event: "close", Actor: alice}, lifecycle.ErrTransition},
		{"stale version", lifecycle.Action[*ticket]{Event: "hold", Actor: alice, Version: 1}, lifecycle.ErrConflict},
		{"required field missing", lifecycle.Action[*ticket]{Event: "resolve", Actor: alice}, itil.ErrInvalid},
		{"apply edits, then fails", lifecycle.Action[*ticket]{Event: "hold", Actor: alice, Apply: func(tk *ticket, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "group", &tk.Group, "ops")
			tk.State, tk.Version = "mangled", 99
			return errApply
		}}, errApply},
		{"edit that changes nothing", lifecycle.Action[*ticket]{Actor: alice}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			p, st, tk := watchedTickets(t)
			tx := lifecycle.NewTx(st)
			gets := st.gets
			out, err := p.FireIn(ctx, tx, tk.ID, tt.a)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
			} else {
				require.NoError(t, err)
				out.Title = "changed by the caller" // the caller's copy
			}
			assert.False(t, tx.Staged(tk.ID))

			// The Tx answers from the record as it first read it, and
			// reads the store no more.
			for range 2 {
				e, err := tx.Get(ctx, tk.ID, nil)
				require.NoError(t, err)
				assert.Equal(t, tk, e)
				e.(*ticket).Group = "changed by the caller"
			}
			assert.Equal(t, gets+1, st.gets)

			// The record stays pinned at the version read.
			_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Name: "touch", Actor: bob, Note: "meanwhile"})
			require.NoError(t, err)
			_, err = p.CreateIn(ctx, tx, &ticket{Title: "b"}, alice, "")
			require.NoError(t, err)
			var stale *lifecycle.StaleReadError
			require.ErrorAs(t, tx.Commit(ctx), &stale)
			assert.Equal(t, tk.ID, stale.ID)
			assert.Equal(t, tk.Version, stale.Read)
		})
	}
}

func TestTxOfManyRecords(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	var ids []uuid.UUID
	for i := range 40 { // more than a Tx scans for: it indexes them
		tk, err := p.Create(ctx, &ticket{Title: fmt.Sprint("t", i), Group: "desk"}, alice, "")
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	runs := 0
	err := lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
		runs++
		for _, id := range ids {
			if _, err := tx.Get(ctx, id, nil); err != nil {
				return err
			}
		}
		if runs == 1 { // another writer moves a record read only
			_, err := p.Fire(ctx, ids[37], lifecycle.Action[*ticket]{Name: "touch", Actor: bob, Note: "meanwhile"})
			require.NoError(t, err)
		}
		for i, id := range ids[:30] {
			if _, err := p.FireIn(ctx, tx, id, lifecycle.Action[*ticket]{Event: "assign", Actor: alice}); err != nil {
				return err
			}
			if i%2 == 0 {
				if _, err := p.FireIn(ctx, tx, id, lifecycle.Action[*ticket]{Event: "start", Actor: alice}); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Lock(ctx, "tickets/batch"); err != nil {
			return err
		}
		if _, err := tx.Lock(ctx, "tickets/batch"); err != nil {
			return err
		}
		assert.True(t, tx.Staged(ids[29]))
		assert.False(t, tx.Staged(ids[30]))
		assert.True(t, tx.Staged(lifecycle.LockID("tickets/batch")))
		assert.Equal(t, 30+15+1, tx.Len())
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 2, runs, "the stale read of a record past the first ones is found")
	for i, id := range ids {
		got, err := p.Get(ctx, id)
		require.NoError(t, err)
		want := map[bool]string{true: "in_progress", false: "assigned"}[i%2 == 0]
		if i >= 30 {
			want = "new"
		}
		assert.Equal(t, want, got.State, "ticket %d", i)
	}
}

func TestBatchCheckLargeBatch(t *testing.T) {
	id, other := uuid.New(), uuid.New()
	rec := func(id uuid.UUID, version int64) *ticket {
		return &ticket{Record: lifecycle.Record{ID: id, Kind: "ticket", Number: "TIC1", State: "new", StateCategory: lifecycle.Open, Version: version}, Title: "x"}
	}
	write := func(id uuid.UUID, version, expect int64) lifecycle.Write {
		return lifecycle.Write{Entity: rec(id, version), Expect: expect}
	}
	tests := []struct {
		name   string
		writes []lifecycle.Write
		reads  []lifecycle.Read
		field  string // "" for a well-formed batch
	}{
		{"well formed", []lifecycle.Write{write(id, 1, 0), write(id, 2, 1)}, []lifecycle.Read{{ID: other, Version: 3}}, ""},
		{"second write at the wrong version", []lifecycle.Write{write(id, 1, 0), write(id, 3, 2)}, nil, "writes[1].expect"},
		{"read twice", nil, []lifecycle.Read{{ID: other, Version: 1}, {ID: other, Version: 1}}, "reads[1].id"},
		{"read and written", []lifecycle.Write{write(id, 1, 0)}, []lifecycle.Read{{ID: other, Version: 1}, {ID: id, Version: 1}}, "reads[1].id"},
	}
	// Each batch is checked as it is, then with records enough after its
	// own that it is checked through maps.
	for _, more := range []int{0, 40} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s+%d", tt.name, more), func(t *testing.T) {
				b := lifecycle.Batch{Writes: tt.writes, Reads: tt.reads}
				for range more / 2 {
					b.Writes = append(b.Writes, write(uuid.New(), 1, 0))
					b.Reads = append(b.Reads, lifecycle.Read{ID: uuid.New(), Version: 1})
				}
				err := b.Check()
				if tt.field == "" {
					assert.NoError(t, err)
					return
				}
				var ve *itil.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field, ve.Reason)
			})
		}
	}
}

// TestCommitAllocatesLikeTwoTransitions holds the cost of a two-record
// commit through Atomic to what two transitions allocate, and a few more
// allocations: the Tx, and the journal entries it keeps until the commit.
func TestCommitAllocatesLikeTwoTransitions(t *testing.T) {
	if raceEnabled() {
		t.Skip("the race detector drops pooled values at random")
	}
	ctx := context.Background()
	p, first := benchTicket(t, nil, lifecycle.ProcessConfig{})
	second := benchSecond(t, p)
	events := [2]string{"hold", "resume"}
	fired := map[uuid.UUID]int{first: 0, second: 0} // events fired on each
	event := func(id uuid.UUID) string {
		fired[id]++
		return events[(fired[id]-1)&1]
	}
	transition := testing.AllocsPerRun(100, func() {
		_, err := p.Fire(ctx, first, lifecycle.Action[*ticket]{Event: event(first), Actor: alice})
		require.NoError(t, err)
	})
	commit := testing.AllocsPerRun(100, func() {
		err := lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
			for _, id := range [2]uuid.UUID{first, second} {
				if _, err := p.FireIn(ctx, tx, id, lifecycle.Action[*ticket]{Event: event(id), Actor: alice}); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
	})
	t.Logf("a two-record commit allocates %v times, a transition %v", commit, transition)
	assert.LessOrEqual(t, commit, 2*transition+6)
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

func TestZeroTxRefusesLock(t *testing.T) {
	var tx lifecycle.Tx
	var err error
	require.NotPanics(t, func() { _, err = tx.Lock(context.Background(), "k") })
	assert.ErrorIs(t, err, itil.ErrInvalid)
	tx.Put(&ticket{Record: lifecycle.Record{ID: uuid.New(), Version: 1}}, 0, nil)
	assert.ErrorIs(t, tx.Commit(context.Background()), itil.ErrInvalid)
}
