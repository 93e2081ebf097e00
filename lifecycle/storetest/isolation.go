package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// scribble changes every field of it that a store could share with the
// caller: scalars, the Tags slice (in place and by appending), the Labels
// map and Record.Fields.
func scribble(it *Item) {
	it.Title = "scribbled"
	it.Owner = "mallory"
	it.State = "gone"
	it.Version = 99
	if len(it.Tags) > 0 {
		it.Tags[0] = "scribbled"
	}
	it.Tags = append(it.Tags, "extra")
	it.Labels["colour"] = "scribbled"
	it.Labels["new"] = "scribbled"
	it.Fields["source"] = "scribbled"
	it.Fields["new"] = "scribbled"
	it.Counter = 1000
}

// scribbleChange changes every field of ch that a store could share with
// the caller, the Fields slice and Actor.Groups included.
func scribbleChange(ch *lifecycle.Change) {
	ch.Note = "scribbled"
	ch.Event = "scribbled"
	ch.Public = !ch.Public
	if len(ch.Fields) > 0 {
		ch.Fields[0].Field, ch.Fields[0].New = "scribbled", "scribbled"
	}
	ch.Fields = append(ch.Fields, lifecycle.FieldChange{Field: "extra"})
	if len(ch.Actor.Groups) > 0 {
		ch.Actor.Groups[0] = "scribbled"
	}
}

// newIsolated returns an item with every mutable field set.
func newIsolated(f *fixture) *Item {
	return f.item(itemKind, func(it *Item) {
		it.Owner = "alice"
		it.Tags = make([]string, 2, 8) // spare capacity: an append would share a stored backing array
		it.Tags[0], it.Tags[1] = "red", "blue"
	})
}

// testIsolation checks that the store keeps and hands out copies.
func testIsolation(t *testing.T, s *suite) {
	s.run(t, "AfterCreate", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		f.create(it)
		want := it.Clone().(*Item)
		scribble(it)
		sameItem(t, want, f.get(it.ID))
		assert.Empty(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "mallory")}}))
		assert.Empty(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("tag", "extra")}}))
		assert.Len(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("tag", "red")}}), 1)
	})

	s.run(t, "AfterUpdate", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		f.create(it)
		f.update(it, "start", func(it *Item) { it.State = "open"; it.Tags = append(it.Tags, "green") })
		want := it.Clone().(*Item)
		scribble(it)
		sameItem(t, want, f.get(it.ID))
		assert.Empty(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("tag", "extra")}}))
		assert.Len(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("tag", "green")}}), 1)
	})

	s.run(t, "Get", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		f.create(it)
		got := f.get(it.ID)
		scribble(got)
		sameItem(t, it, f.get(it.ID))
	})

	s.run(t, "Find", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		f.create(it)
		found := f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "alice")}})
		require.Len(t, found, 1)
		scribble(found[0])
		sameItem(t, it, f.get(it.ID))
		found = f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "alice")}})
		require.Len(t, found, 1)
		sameItem(t, it, found[0])
	})

	s.run(t, "ChangeAfterWrite", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		ch := f.create(it)
		wantCreate := ch.Clone()
		scribbleChange(&ch)
		ch2 := f.update(it, "start", func(it *Item) { it.State = "open" })
		wantUpdate := ch2.Clone()
		scribbleChange(&ch2)

		got := f.journal(it.ID)
		require.Len(t, got, 2)
		sameChange(t, wantCreate, got[0])
		sameChange(t, wantUpdate, got[1])
		claimed := f.claim("c", "h", 100)
		require.Len(t, claimed, 2)
		sameChange(t, wantCreate, claimed[0])
		sameChange(t, wantUpdate, claimed[1])
	})

	s.run(t, "Journal", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		ch := f.create(it)
		got := f.journal(it.ID)
		require.Len(t, got, 1)
		scribbleChange(&got[0])
		got = f.journal(it.ID)
		require.Len(t, got, 1)
		sameChange(t, ch, got[0])
	})

	s.run(t, "Claim", func(t *testing.T, f *fixture) {
		it := newIsolated(f)
		ch := f.create(it)
		got := f.claim("c", "h", 100)
		require.Len(t, got, 1)
		scribbleChange(&got[0])
		got = f.claim("c", "h", 100) // a renewal returns the same changes
		require.Len(t, got, 1)
		sameChange(t, ch, got[0])
		j := f.journal(it.ID)
		require.Len(t, j, 1)
		sameChange(t, ch, j[0])
	})
}
