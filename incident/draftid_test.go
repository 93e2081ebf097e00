package incident_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// commitCounter is a store that counts the commits it is asked for.
type commitCounter struct {
	lifecycle.Store
	commits atomic.Int64
}

func (s *commitCounter) Commit(ctx context.Context, b lifecycle.Batch) error {
	s.commits.Add(1)
	return s.Store.Commit(ctx, b)
}

// TestOpenTakenID opens an incident with an ID that is taken, alone, as a
// child and staged in a Tx with another write, on every store: each is an
// error wrapping lifecycle.ErrExists, tried once (a taken ID stays taken),
// and the incidents, their journals and the log are as they were.
func TestOpenTakenID(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := &commitCounter{Store: db.Host(t)}
		desk := newHostDesk(t, st)
		id := uuid.Must(uuid.NewV7())
		dr := draft()
		dr.ID = id
		taken, err := desk.Open(ctx, dr)
		require.NoError(t, err)
		require.Equal(t, id, taken.ID, "the draft's ID is the incident's")
		parent, err := desk.Open(ctx, draft())
		require.NoError(t, err)
		before := readState(t, st, desk, taken.ID, parent.ID)

		_, err = desk.Open(ctx, dr)
		assert.ErrorIs(t, err, lifecycle.ErrExists, "alone")

		dr.Parent = parent.ID
		commits := st.commits.Load()
		_, err = desk.Open(ctx, dr)
		assert.ErrorIs(t, err, lifecycle.ErrExists, "as a child")
		assert.LessOrEqual(t, st.commits.Load()-commits, int64(1), "a taken ID is not tried again")

		dr.Parent = uuid.Nil
		err = lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
			if _, err := tx.Lock(ctx, "test/"+id.String()); err != nil {
				return err
			}
			_, err := desk.OpenIn(ctx, tx, dr)
			return err
		})
		assert.ErrorIs(t, err, lifecycle.ErrExists, "in a Tx")
		_, err = st.Get(ctx, lifecycle.LockID("test/"+id.String()), func() lifecycle.Entity { return new(lifecycle.Lock) })
		assert.ErrorIs(t, err, lifecycle.ErrNotFound, "the Tx wrote nothing")

		after := readState(t, st, desk, taken.ID, parent.ID)
		assert.Equal(t, before, after)
	})
}

// TestOpenInCommitsWithTheTx: an incident opened in a Tx is saved with the
// Tx's other writes, as a child too, and not before the commit.
func TestOpenInCommitsWithTheTx(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		desk := newHostDesk(t, st)
		parent, err := desk.Open(ctx, draft())
		require.NoError(t, err)
		dr := draft()
		dr.ID, dr.Parent = uuid.Must(uuid.NewV7()), parent.ID
		var opened *incident.Incident
		err = lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
			if _, err := tx.Lock(ctx, "test/"+dr.ID.String()); err != nil {
				return err
			}
			var err error
			if opened, err = desk.OpenIn(ctx, tx, dr); err != nil {
				return err
			}
			_, err = desk.Get(ctx, dr.ID)
			assert.ErrorIs(t, err, lifecycle.ErrNotFound, "not saved before the commit")
			return nil
		})
		require.NoError(t, err)
		got, err := desk.Get(ctx, dr.ID)
		require.NoError(t, err)
		assert.Equal(t, opened.Number, got.Number)
		assert.Equal(t, parent.ID, got.Parent)
		_, err = st.Get(ctx, lifecycle.LockID("test/"+dr.ID.String()), func() lifecycle.Entity { return new(lifecycle.Lock) })
		assert.NoError(t, err, "saved with the lock")

		_, err = desk.OpenIn(ctx, nil, draft())
		requireValidation(t, err, "tx")
	})
}
