package storetest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// testContext checks that every call fails on a cancelled context and that
// a write that failed so wrote nothing.
func testContext(t *testing.T, s *suite) {
	s.run(t, "Cancelled", func(t *testing.T, f *fixture) {
		it := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
		f.create(it)
		stored := it.Clone().(*Item)
		got := f.claim("mail", "h1", 100)
		require.Len(t, got, 1)

		ctx, cancel := context.WithCancel(f.ctx)
		cancel()

		_, err := f.st.NextNumber(ctx, "INC")
		assert.Error(t, err, "NextNumber")

		fresh := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
		ch := createChange(fresh, fresh.CreatedAt)
		assert.Error(t, f.st.Create(ctx, fresh, &ch), "Create")
		_, err = f.st.Get(f.ctx, fresh.ID, NewItem)
		assert.ErrorIs(t, err, lifecycle.ErrNotFound, "a cancelled Create stores nothing")

		_, err = f.st.Get(ctx, it.ID, NewItem)
		assert.Error(t, err, "Get")

		next := it.Clone().(*Item)
		next.Owner, next.Version = "bob", next.Version+1
		uch := updateChange(next, "edit", "new", f.tick())
		assert.Error(t, f.st.Update(ctx, next, it.Version, &uch), "Update")
		sameItem(t, stored, f.get(it.ID), "a cancelled Update changes nothing")
		assert.Len(t, f.journal(it.ID), 1, "a cancelled Update journals nothing")

		assert.Error(t, firstErr(f.st.Find(ctx, lifecycle.Query{Kind: itemKind, New: NewItem})), "Find")
		assert.Error(t, firstErr(f.st.Journal(ctx, it.ID)), "Journal")

		_, err = f.st.Claim(ctx, "mail", "h1", 100, time.Hour)
		assert.Error(t, err, "Claim")
		assert.Error(t, f.st.Ack(ctx, "mail", "h1", got[0].Seq), "Ack")
		assert.Error(t, f.st.Release(ctx, "mail", "h1"), "Release")

		sameChanges(t, got, f.claim("mail", "h1", 100), "a cancelled Ack moves nothing, a cancelled Release keeps the lease")
		_, err = f.st.Claim(f.ctx, "mail", "h2", 100, time.Hour)
		assert.ErrorIs(t, err, lifecycle.ErrLeased, "a cancelled Release keeps the lease")
		assert.Len(t, f.find(lifecycle.Query{}), 1, "nothing was created")
	})
}

// firstErr iterates seq and returns the first error it yields, or nil.
func firstErr[V any](seq iter.Seq2[V, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
