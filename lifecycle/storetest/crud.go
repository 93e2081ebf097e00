package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// testCRUD checks Create, Get and Update on the happy path and the
// ErrExists and ErrNotFound errors.
func testCRUD(t *testing.T, s *suite) {
	s.run(t, "CreateGet", func(t *testing.T, f *fixture) {
		it := f.item(itemKind, func(it *Item) {
			it.Owner = "alice"
			it.Tags = []string{"red", "blue"}
			it.Labels = map[string]string{"colour": "red", "size": "L"}
			it.Fields = map[string]string{"vendor_ticket": "V-1", "source": "mail"}
		})
		f.create(it)
		got, err := f.st.Get(f.ctx, it.ID, NewItem)
		require.NoError(t, err)
		sameItem(t, it, got)
	})

	s.run(t, "CreateGetEmpty", func(t *testing.T, f *fixture) {
		// An item with every optional field empty.
		it := f.item(itemKind, func(it *Item) {
			it.Fields, it.Labels, it.Title = nil, nil, ""
		})
		f.create(it)
		sameItem(t, it, f.get(it.ID))
	})

	s.run(t, "Update", func(t *testing.T, f *fixture) {
		it := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
		f.create(it)
		f.update(it, "start", func(it *Item) {
			it.State = "open"
			it.Owner = "bob"
			it.Tags = []string{"green"}
			it.Fields["vendor_ticket"] = "V-2"
		})
		got := f.get(it.ID)
		sameItem(t, it, got)
		assert.Equal(t, int64(2), got.Version)
		assert.Equal(t, lifecycle.Open, got.StateCategory)

		f.update(it, "hold", func(it *Item) { it.State = "hold" })
		got = f.get(it.ID)
		sameItem(t, it, got)
		assert.Equal(t, int64(3), got.Version)
		assert.Equal(t, lifecycle.Paused, got.StateCategory)
	})

	s.run(t, "CreateExisting", func(t *testing.T, f *fixture) {
		it := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
		f.create(it)
		dup := f.item(itemKind, func(d *Item) { d.Owner = "mallory"; d.Title = "duplicate" })
		dup.ID = it.ID
		ch := createChange(dup, dup.CreatedAt)
		err := f.st.Create(f.ctx, dup, &ch)
		require.ErrorIs(t, err, lifecycle.ErrExists)

		sameItem(t, it, f.get(it.ID), "the first record is kept")
		assert.Len(t, f.journal(it.ID), 1, "the failed create is not journaled")
		assert.Empty(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "mallory")}}),
			"the failed create is not indexed")
		assert.Equal(t, []string{"create"}, eventsOf(f.claim("c", "h", 100)), "the failed create is not in the outbox")
	})

	s.run(t, "Missing", func(t *testing.T, f *fixture) {
		f.create(f.item(itemKind)) // the store is not empty
		missing := f.item(itemKind)

		_, err := f.st.Get(f.ctx, missing.ID, NewItem)
		assert.ErrorIs(t, err, lifecycle.ErrNotFound, "Get")

		prev := missing.Version
		missing.Version++
		ch := updateChange(missing, "start", "new", f.tick())
		err = f.st.Update(f.ctx, missing, prev, &ch)
		assert.ErrorIs(t, err, lifecycle.ErrNotFound, "Update")
		_, err = f.st.Get(f.ctx, missing.ID, NewItem)
		assert.ErrorIs(t, err, lifecycle.ErrNotFound, "Update of a missing record creates nothing")

		var jerr error
		n := 0
		for _, err := range f.st.Journal(f.ctx, missing.ID) {
			if err != nil {
				jerr = err
				break
			}
			n++
		}
		assert.ErrorIs(t, jerr, lifecycle.ErrNotFound, "Journal")
		assert.Zero(t, n, "Journal of a missing record yields no changes")

		assert.Equal(t, []string{"create"}, eventsOf(f.claim("c", "h", 100)),
			"the failed update is not in the outbox")
	})
}

// eventsOf returns the changes' events in order.
func eventsOf(chs []lifecycle.Change) []string {
	out := make([]string, len(chs))
	for i, ch := range chs {
		out[i] = ch.Event
	}
	return out
}
