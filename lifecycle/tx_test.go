package lifecycle_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func setGroup(g string) func(*ticket, *lifecycle.Edit) error {
	return func(t *ticket, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "group", &t.Group, g)
		return nil
	}
}

func TestAtomicCommitsEveryActionOrNone(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	a, err := p.Create(ctx, &ticket{Title: "a"}, alice, "")
	require.NoError(t, err)
	b, err := p.Create(ctx, &ticket{Title: "b"}, alice, "")
	require.NoError(t, err)
	before, err := p.Store().ReadLog(ctx, 0, 0)
	require.NoError(t, err)

	// The second action fails: the first is not saved either.
	err = lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
		if _, err := p.FireIn(ctx, tx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")}); err != nil {
			return err
		}
		_, err := p.FireIn(ctx, tx, b.ID, lifecycle.Action[*ticket]{Event: "close", Actor: alice})
		return err
	})
	require.ErrorIs(t, err, lifecycle.ErrTransition)
	after, err := p.Store().ReadLog(ctx, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	got, err := p.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "new", got.State)

	// Both succeed: both are saved, with their journal entries, and a
	// second action on one record sees the first.
	var created *ticket
	err = lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
		if _, err := p.FireIn(ctx, tx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")}); err != nil {
			return err
		}
		if _, err := p.FireIn(ctx, tx, a.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice}); err != nil {
			return err
		}
		if _, err := p.FireIn(ctx, tx, b.ID, lifecycle.Action[*ticket]{Event: "cancel", Actor: alice}); err != nil {
			return err
		}
		var err error
		created, err = p.CreateIn(ctx, tx, &ticket{Title: "c"}, alice, "")
		return err
	})
	require.NoError(t, err)
	got, err = p.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "in_progress", got.State)
	assert.EqualValues(t, 3, got.Version)
	got, err = p.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", got.State)
	got, err = p.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "c", got.Title)
	events := []string{}
	for _, c := range journal(t, p, a.ID) {
		events = append(events, c.Event)
	}
	assert.Equal(t, []string{lifecycle.EventCreate, "assign", "start"}, events)
}

func TestAtomicRetriesAConflictOnAFreshTx(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	a, err := p.Create(ctx, &ticket{Title: "a"}, alice, "")
	require.NoError(t, err)
	b, err := p.Create(ctx, &ticket{Title: "b"}, alice, "")
	require.NoError(t, err)
	runs := 0
	err = lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
		runs++
		// b is only read: pinned. Another writer moves it on the first run.
		if _, err := tx.Get(ctx, b.ID, nil); err != nil {
			return err
		}
		if runs == 1 {
			_, err := p.Fire(ctx, b.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: bob, Apply: setGroup("ops")})
			require.NoError(t, err)
		}
		_, err := p.FireIn(ctx, tx, a.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")})
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, 2, runs)

	// With no retries left, the conflict is returned and nothing written.
	err = lifecycle.Atomic(ctx, p.Store(), 1, func(tx *lifecycle.Tx) error {
		if _, err := tx.Get(ctx, b.ID, nil); err != nil {
			return err
		}
		_, err := p.Fire(ctx, b.ID, lifecycle.Action[*ticket]{Name: "touch", Actor: bob, Note: "again"})
		require.NoError(t, err)
		_, err = p.FireIn(ctx, tx, a.ID, lifecycle.Action[*ticket]{Name: "note", Actor: alice, Note: "x"})
		return err
	})
	require.ErrorIs(t, err, lifecycle.ErrConflict)
	var stale *lifecycle.StaleReadError
	assert.ErrorAs(t, err, &stale)
	got, err := p.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
}

func TestTxLockLetsOneOfManyWin(t *testing.T) {
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	var wg sync.WaitGroup
	var won atomic.Int32
	for range 16 {
		wg.Go(func() {
			err := lifecycle.Atomic(ctx, p.Store(), 64, func(tx *lifecycle.Tx) error {
				l, err := tx.Lock(ctx, "ticket/printer")
				if err != nil {
					return err
				}
				if l.Holder != uuid.Nil {
					return errTaken
				}
				tk, err := p.CreateIn(ctx, tx, &ticket{Title: "printer"}, alice, "")
				if err != nil {
					return err
				}
				l.Holder = tk.ID
				tx.AfterCommit(func() { won.Add(1) })
				return nil
			})
			if err != nil && !errors.Is(err, errTaken) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
	n := 0
	for _, err := range p.Find(ctx, lifecycle.Query{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
	// The lock keeps no journal: only the ticket's creation is in the log.
	log, err := p.Store().ReadLog(ctx, 0, 0)
	require.NoError(t, err)
	assert.Len(t, log, 1)
}

var errTaken = errors.New("taken")

func TestTxRefusesMisuse(t *testing.T) {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	_, err = p.FireIn(ctx, nil, [16]byte{1}, lifecycle.Action[*ticket]{Event: "assign"})
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = p.CreateIn(ctx, nil, &ticket{Title: "x"}, alice, "")
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = p.Create(ctx, nil, alice, "")
	assert.ErrorIs(t, err, itil.ErrInvalid)

	tx := lifecycle.NewTx(st)
	require.NoError(t, tx.Commit(ctx)) // nothing staged
	assert.Error(t, tx.Commit(ctx))
}
