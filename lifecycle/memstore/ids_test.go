package memstore_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func TestSequentialIDs(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := memstore.New(memstore.Config{SequentialIDs: true})
	assert.Equal(t, "00000000-0000-7000-8000-000000000001", st.NewID().String())

	it, ch := newItem(t, "ops")
	it.ID = st.NewID()
	ch.RecordID = it.ID
	given := ch.ID
	require.NoError(t, st.Create(ctx, it, &ch))
	assert.Equal(t, "00000000-0000-7000-8000-000000000002", it.ID.String())
	assert.Equal(t, "00000000-0000-7000-8000-000000000003", ch.ID.String(), "the store gives the change its ID")
	assert.NotEqual(t, given, ch.ID)

	// A write that fails draws no ID.
	dup, dupCh := newItem(t, "ops")
	dup.ID = it.ID
	require.ErrorIs(t, st.Create(ctx, dup, &dupCh), lifecycle.ErrExists)
	c := it.Clone()
	c.Base().Version = 2
	up := ch
	up.Version = 2
	require.NoError(t, st.Update(ctx, c, 1, &up))
	assert.Equal(t, "00000000-0000-7000-8000-000000000004", up.ID.String())

	// A commit's changes get their IDs in the order of its writes.
	c2 := c.Clone()
	c2.Base().Version = 3
	up2 := up
	up2.Version = 3
	other, otherCh := newItem(t, "ops")
	other.ID = st.NewID() // ...0005
	otherCh.RecordID = other.ID
	require.NoError(t, st.Commit(ctx, lifecycle.Batch{Writes: []lifecycle.Write{
		{Entity: c2, Expect: 2, Change: &up2},
		{Entity: other, Change: &otherCh},
	}}))
	assert.Equal(t, "00000000-0000-7000-8000-000000000006", up2.ID.String())
	assert.Equal(t, "00000000-0000-7000-8000-000000000007", otherCh.ID.String())

	var journal []uuid.UUID
	for c, err := range st.Journal(ctx, it.ID) {
		require.NoError(t, err)
		journal = append(journal, c.ID)
	}
	assert.Equal(t, []uuid.UUID{ch.ID, up.ID, up2.ID}, journal, "the journal keeps the IDs the store gave")
}

func TestRandomIDsByDefault(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	a, b := st.NewID(), st.NewID()
	assert.NotEqual(t, a, b)
	assert.Equal(t, uuid.Version(7), a.Version())
	sec, _ := a.Time().UnixTime()
	assert.Positive(t, sec, "a UUIDv7 of the real clock, not a sequential one")

	it, ch := newItem(t, "ops")
	given := ch.ID
	require.NoError(t, st.Create(t.Context(), it, &ch))
	assert.Equal(t, given, ch.ID, "a change keeps the ID it came with")
}
