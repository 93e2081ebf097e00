package memstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) lifecycle.Store {
		return memstore.New(memstore.Config{})
	})
}

// TestStoreSequentialIDs runs the conformance suite on a store that gives
// changes sequential IDs, as lifecycletest's stores do.
func TestStoreSequentialIDs(t *testing.T) {
	storetest.Run(t, func(t *testing.T) lifecycle.Store {
		return memstore.New(memstore.Config{SequentialIDs: true})
	})
}

// newItem returns an unsaved storetest.Item and the change that creates it.
func newItem(t *testing.T, owner string) (*storetest.Item, lifecycle.Change) {
	t.Helper()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	it := &storetest.Item{Owner: owner}
	it.ID = uuid7(t)
	it.Kind, it.Number, it.State, it.StateCategory, it.Version = "item", "ITM1", "new", lifecycle.Open, 1
	it.CreatedAt, it.UpdatedAt = now, now
	ch := lifecycle.Change{ID: uuid7(t), Kind: it.Kind, RecordID: it.ID, Version: 1, Event: lifecycle.EventCreate, To: "new", At: now}
	return it, ch
}

func uuid7(t *testing.T) uuid.UUID {
	t.Helper()
	id, err := uuid.NewV7()
	require.NoError(t, err)
	return id
}

// closed reports whether c is closed, without waiting.
func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestChanged(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := memstore.New(memstore.Config{})

	c1 := st.Changed()
	assert.True(t, c1 == st.Changed(), "callers between writes share one channel")
	assert.False(t, closed(c1))

	it, ch := newItem(t, "alice")
	require.NoError(t, st.Create(ctx, it, &ch))
	assert.True(t, closed(c1), "a create closes the channel")

	c2 := st.Changed()
	assert.False(t, closed(c2), "a new channel after the write")
	_, err := st.Get(ctx, it.ID, storetest.NewItem)
	require.NoError(t, err)
	_, err = st.NextNumber(ctx, "ITM")
	require.NoError(t, err)
	_, err = st.Claim(ctx, "mail", "h", 10, time.Minute)
	require.NoError(t, err)
	assert.False(t, closed(c2), "reads, numbers and claims do not close it")

	stale := it.Clone().(*storetest.Item)
	stale.Version = 3
	upd := lifecycle.Change{ID: uuid7(t), Kind: it.Kind, RecordID: it.ID, Version: 3, Event: "edit", From: "new", To: "new"}
	require.ErrorIs(t, st.Update(ctx, stale, 2, &upd), lifecycle.ErrConflict)
	assert.False(t, closed(c2), "a failed update does not close it")

	stale.Version = 2
	upd.Version = 2
	require.NoError(t, st.Update(ctx, stale, 1, &upd))
	assert.True(t, closed(c2), "an update closes it")
}

func TestLeaseClock(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var mu sync.Mutex
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st := memstore.New(memstore.Config{Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	advance := func(d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(d)
	}
	it, ch := newItem(t, "alice")
	require.NoError(t, st.Create(ctx, it, &ch))

	got, err := st.Claim(ctx, "mail", "h1", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, got, 1)

	advance(59 * time.Second)
	_, err = st.Claim(ctx, "mail", "h2", 10, time.Minute)
	assert.ErrorIs(t, err, lifecycle.ErrLeased, "the lease runs on the configured clock")

	advance(time.Second)
	assert.ErrorIs(t, st.Ack(ctx, "mail", "h1", got[0].Seq), lifecycle.ErrLeased, "a lease ends at its deadline")
	got, err = st.Claim(ctx, "mail", "h2", 10, time.Minute)
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := memstore.New(memstore.Config{})

	it, ch := newItem(t, "alice")
	it.ID = uuid.Nil
	assert.Error(t, st.Create(ctx, it, &ch), "a record needs an ID")
	assert.Zero(t, st.Len())

	_, err := st.Claim(ctx, "", "h", 10, time.Minute)
	assert.Error(t, err, "a claim needs a consumer")
	_, err = st.Claim(ctx, "mail", "", 10, time.Minute)
	assert.Error(t, err, "a claim needs a holder")

	_, err = st.Claim(ctx, "mail", "h", 10, time.Minute)
	require.NoError(t, err)
	assert.Error(t, st.Ack(ctx, "mail", "h", 1), "an ack past the end of the log")
}

func TestLen(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	assert.Zero(t, st.Len())
	for i := range 3 {
		it, ch := newItem(t, "alice")
		require.NoError(t, st.Create(t.Context(), it, &ch))
		assert.Equal(t, i+1, st.Len())
	}
}

// TestJournalKeepsEveryInstant checks that the journal gives back the
// instant, the offset and every other field of a change, for times far
// from today and in zones other than UTC.
func TestJournalKeepsEveryInstant(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	east := time.FixedZone("", 5*3600+30*60)
	for _, at := range []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1600, 2, 29, 23, 59, 59, 999999999, east),
		time.Date(2026, 11, 21, 9, 30, 0, 123, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 1, east),
	} {
		st := memstore.New(memstore.Config{})
		it, ch := newItem(t, "ops")
		ch.At = at
		ch.Number, ch.From, ch.Note, ch.Public = "ITM1", "", "a note with ünïcode", true
		ch.Actor = itil.Actor{ID: "sys", Name: "System", Groups: []string{"a", "b"}, System: true}
		ch.Fields = []lifecycle.FieldChange{{Field: "owner", Old: "", New: "ops"}, {Field: strings.Repeat("x", 300), Old: "1", New: "2"}}
		require.NoError(t, st.Create(ctx, it, &ch))
		var got []lifecycle.Change
		for c, err := range st.Journal(ctx, it.ID) {
			require.NoError(t, err)
			got = append(got, c)
		}
		require.Len(t, got, 1)
		assert.True(t, at.Equal(got[0].At), "%s read back as %s", at, got[0].At)
		_, want := at.Zone()
		_, off := got[0].At.Zone()
		assert.Equal(t, want, off)
		got[0].At = ch.At
		assert.Equal(t, ch, got[0])
	}
}
