package storetest

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// findStates, findOwners and findTags spread the Find test's records over
// attribute values; an empty owner means none.
var (
	findStates = []string{"new", "open", "hold", "done", "closed", "gone"}
	findOwners = []string{"alice", "bob", "carol", ""}
	findTags   = []string{"red", "green", "blue"}
)

// seedFind stores 40 items of itemKind and 10 of otherKind with a spread of
// states, owners and tags (from none to all three).
func seedFind(f *fixture) (items []*Item) {
	edit := func(i int, it *Item) {
		it.State = findStates[i%len(findStates)]
		it.Owner = findOwners[i%len(findOwners)]
		it.Tags = nil
		for b, tag := range findTags {
			if (i/3)&(1<<b) != 0 {
				it.Tags = append(it.Tags, tag)
			}
		}
	}
	items = f.createN(itemKind, 40, edit)
	f.createN(otherKind, 10, edit)
	return items
}

// hasTag reports whether it has every one of tags.
func hasTag(it *Item, tags ...string) bool {
	for _, tag := range tags {
		if !slices.Contains(it.Tags, tag) {
			return false
		}
	}
	return true
}

// testFind checks queries: conditions, limits, cursors and order.
func testFind(t *testing.T, s *suite) {
	s.run(t, "Conditions", func(t *testing.T, f *fixture) {
		items := seedFind(f)
		byID := make(map[uuid.UUID]*Item, len(items))
		for _, it := range items {
			byID[it.ID] = it
		}
		eq := lifecycle.Eq
		cases := []struct {
			name  string
			where []lifecycle.Cond
			keep  func(*Item) bool // nil: every item of itemKind
			none  bool             // the query matches nothing
		}{
			{name: "KindOnly"},
			{name: "State", where: []lifecycle.Cond{eq("state", "open")},
				keep: func(it *Item) bool { return it.State == "open" }},
			{name: "Category", where: []lifecycle.Cond{eq("state_category", "open")},
				keep: func(it *Item) bool { return it.StateCategory == lifecycle.Open }},
			{name: "CategoryPaused", where: []lifecycle.Cond{eq("state_category", "paused")},
				keep: func(it *Item) bool { return it.StateCategory == lifecycle.Paused }},
			{name: "Number", where: []lifecycle.Cond{eq("number", items[7].Number)},
				keep: func(it *Item) bool { return it.ID == items[7].ID }},
			{name: "EntityAttr", where: []lifecycle.Cond{eq("owner", "alice")},
				keep: func(it *Item) bool { return it.Owner == "alice" }},
			{name: "MultiValued", where: []lifecycle.Cond{eq("tag", "blue")},
				keep: func(it *Item) bool { return hasTag(it, "blue") }},
			{name: "OrWithinCond", where: []lifecycle.Cond{eq("owner", "alice", "carol")},
				keep: func(it *Item) bool { return it.Owner == "alice" || it.Owner == "carol" }},
			{name: "OrMultiValued", where: []lifecycle.Cond{eq("tag", "red", "green")},
				keep: func(it *Item) bool { return hasTag(it, "red") || hasTag(it, "green") }},
			{name: "RepeatedValue", where: []lifecycle.Cond{eq("owner", "bob", "bob")},
				keep: func(it *Item) bool { return it.Owner == "bob" }},
			{name: "OrWithUnknownValue", where: []lifecycle.Cond{eq("owner", "nobody", "bob")},
				keep: func(it *Item) bool { return it.Owner == "bob" }},
			{name: "AndAcrossConds", where: []lifecycle.Cond{eq("owner", "alice"), eq("tag", "red")},
				keep: func(it *Item) bool { return it.Owner == "alice" && hasTag(it, "red") }},
			{name: "AndSameKey", where: []lifecycle.Cond{eq("tag", "red"), eq("tag", "blue")},
				keep: func(it *Item) bool { return hasTag(it, "red", "blue") }},
			{name: "AndOr", where: []lifecycle.Cond{eq("state_category", "open", "paused"), eq("tag", "green", "blue"), eq("owner", "alice", "bob")},
				keep: func(it *Item) bool {
					return it.StateCategory.Active() && (hasTag(it, "green") || hasTag(it, "blue")) &&
						(it.Owner == "alice" || it.Owner == "bob")
				}},
			{name: "UnknownValue", where: []lifecycle.Cond{eq("owner", "nobody")}, none: true},
			{name: "UnknownKey", where: []lifecycle.Cond{eq("colour", "grey")}, none: true},
			{name: "UnknownAndKnown", where: []lifecycle.Cond{eq("owner", "alice"), eq("tag", "purple")}, none: true},
			{name: "NoValues", where: []lifecycle.Cond{eq("owner")}, none: true},
			{name: "Disjoint", where: []lifecycle.Cond{eq("state", "new"), eq("state", "open")}, none: true},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				got := f.find(lifecycle.Query{Where: tc.where})
				if tc.none {
					assert.Empty(t, idsOf(got))
					return
				}
				want := sortedIDs(items, tc.keep)
				require.NotEmpty(t, want, "the seed data must match the case")
				if !assert.Equal(t, want, idsOf(got)) {
					return
				}
				for _, g := range got {
					sameItem(t, byID[g.ID], g)
				}
			})
		}
	})

	s.run(t, "Kinds", func(t *testing.T, f *fixture) {
		seedFind(f)
		for _, it := range f.find(lifecycle.Query{Kind: otherKind, Where: []lifecycle.Cond{lifecycle.Eq("owner", "alice")}}) {
			assert.Equal(t, otherKind, it.Kind)
		}
		assert.Len(t, f.find(lifecycle.Query{Kind: otherKind}), 10)
		assert.Len(t, f.find(lifecycle.Query{Kind: itemKind}), 40)
		assert.Empty(t, f.find(lifecycle.Query{Kind: "nothing"}))
	})

	s.run(t, "NoKind", func(t *testing.T, f *fixture) {
		seedFind(f)
		for _, q := range []lifecycle.Query{
			{New: NewItem},
			{New: NewItem, Where: []lifecycle.Cond{lifecycle.Eq("owner", "alice")}},
			{},
		} {
			n := 0
			var err error
			for e, ferr := range f.st.Find(f.ctx, q) {
				if ferr != nil {
					err = ferr
					break
				}
				assert.Failf(t, "Find without a kind yielded a record", "%s", e.Base().ID)
				n++
			}
			var verr *itil.ValidationError
			if assert.ErrorAs(t, err, &verr, "Find %+v: the kind is required", q) {
				assert.Equal(t, "kind", verr.Field)
			}
			assert.Zero(t, n)
		}
	})

	s.run(t, "LimitAfterOrder", func(t *testing.T, f *fixture) {
		items := seedFind(f)
		all := sortedIDs(items, nil)
		alice := sortedIDs(items, func(it *Item) bool { return it.Owner == "alice" })
		ownerAlice := []lifecycle.Cond{lifecycle.Eq("owner", "alice")}

		assert.Equal(t, all, idsOf(f.find(lifecycle.Query{})), "ID order")
		assert.Equal(t, all, idsOf(f.find(lifecycle.Query{Limit: -1})), "a negative limit is no limit")
		assert.Equal(t, all[:5], idsOf(f.find(lifecycle.Query{Limit: 5})))
		assert.Equal(t, all, idsOf(f.find(lifecycle.Query{Limit: len(all) + 10})))
		assert.Equal(t, alice[:3], idsOf(f.find(lifecycle.Query{Where: ownerAlice, Limit: 3})))

		assert.Equal(t, all[10:], idsOf(f.find(lifecycle.Query{After: all[9]})))
		assert.Equal(t, all[10:14], idsOf(f.find(lifecycle.Query{After: all[9], Limit: 4})))
		assert.Empty(t, idsOf(f.find(lifecycle.Query{After: all[len(all)-1]})), "after the last record")
		assert.Equal(t, alice[2:], idsOf(f.find(lifecycle.Query{Where: ownerAlice, After: alice[1]})))
		// A cursor need not be a matching record's ID, nor any record's.
		after := func(ids []uuid.UUID, cursor uuid.UUID) []uuid.UUID {
			out := []uuid.UUID{}
			for _, id := range ids {
				if cmpID(id, cursor) > 0 {
					out = append(out, id)
				}
			}
			return out
		}
		notAlice := sortedIDs(items, func(it *Item) bool { return it.Owner != "alice" })
		for _, cursor := range notAlice[:5] {
			assert.Equal(t, after(alice, cursor), idsOf(f.find(lifecycle.Query{Where: ownerAlice, After: cursor})),
				"after a record that does not match")
		}
		for range 5 {
			cursor := uuid.New()
			assert.Equal(t, after(all, cursor), idsOf(f.find(lifecycle.Query{After: cursor})), "after %s", cursor)
		}
		var last uuid.UUID
		for i := range last {
			last[i] = 0xff
		}
		assert.Empty(t, idsOf(f.find(lifecycle.Query{After: last})))

		// Pages chained by the cursor cover everything once, in order.
		for _, limit := range []int{1, 3, 7, 40} {
			var paged []uuid.UUID
			var after uuid.UUID
			for pages := 0; ; pages++ {
				require.Less(t, pages, len(all)+2, "paging does not end")
				page := f.find(lifecycle.Query{After: after, Limit: limit})
				require.LessOrEqual(t, len(page), limit)
				paged = append(paged, idsOf(page)...)
				if len(page) < limit {
					break
				}
				after = page[len(page)-1].ID
			}
			assert.Equal(t, all, paged, "pages of %d", limit)
		}
	})

	s.run(t, "StopEarly", func(t *testing.T, f *fixture) {
		items := seedFind(f)
		all := sortedIDs(items, nil)
		var got []uuid.UUID
		for e, err := range f.st.Find(f.ctx, lifecycle.Query{Kind: itemKind, New: NewItem}) {
			require.NoError(t, err)
			got = append(got, e.Base().ID)
			if len(got) == 3 {
				break
			}
		}
		assert.Equal(t, all[:3], got)
	})

	s.run(t, "IndexFollowsUpdate", func(t *testing.T, f *fixture) {
		it := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red", "green"} })
		f.create(it)
		bystander := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red"} })
		f.create(bystander)

		f.update(it, "resolve", func(it *Item) {
			it.State = "done"
			it.Owner = "bob"
			it.Tags = []string{"green", "blue"}
		})
		ids := func(where ...lifecycle.Cond) []uuid.UUID {
			return idsOf(f.find(lifecycle.Query{Where: where}))
		}
		eq := lifecycle.Eq
		assert.Equal(t, []uuid.UUID{bystander.ID}, ids(eq("owner", "alice")), "old owner no longer matches")
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("owner", "bob")), "new owner matches")
		assert.Equal(t, []uuid.UUID{bystander.ID}, ids(eq("tag", "red")), "removed tag no longer matches")
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("tag", "green")), "kept tag still matches")
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("tag", "blue")), "added tag matches")
		assert.Equal(t, []uuid.UUID{bystander.ID}, ids(eq("state", "new")), "old state no longer matches")
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("state", "done")), "new state matches")
		assert.Equal(t, []uuid.UUID{bystander.ID}, ids(eq("state_category", "open")), "old category no longer matches")
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("state_category", "resolved")), "new category matches")
		assert.Empty(t, ids(eq("owner", "alice"), eq("tag", "green")))
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("owner", "bob"), eq("tag", "green", "red")))

		// Dropping the attribute altogether, then adding it back.
		f.update(it, "edit", func(it *Item) { it.Owner = ""; it.Tags = nil })
		assert.Empty(t, ids(eq("owner", "bob")))
		assert.Empty(t, ids(eq("tag", "green")))
		assert.Empty(t, ids(eq("tag", "blue")))
		f.update(it, "edit", func(it *Item) { it.Owner = "bob"; it.Tags = []string{"red"} })
		assert.Equal(t, []uuid.UUID{it.ID}, ids(eq("owner", "bob")))
		assert.Equal(t, sortedIDs([]*Item{it, bystander}, nil), ids(eq("tag", "red")))

		// An update that keeps the attributes keeps the record findable.
		f.update(it, "edit", func(it *Item) { it.Title = "retitled" })
		got := f.find(lifecycle.Query{Where: []lifecycle.Cond{eq("owner", "bob")}})
		require.Len(t, got, 1)
		sameItem(t, it, got[0])
	})

	s.run(t, "IndexFollowsMovedValues", func(t *testing.T, f *fixture) {
		// Values that change place, repeat, or change in one of the places
		// they repeat in: after each update a tag finds the record exactly
		// when the record has it.
		it := f.item(itemKind)
		f.create(it)
		for _, tags := range [][]string{
			{"red", "green"},
			{"green", "red"},   // swapped
			{"green", "green"}, // a value twice
			{"blue", "green"},  // changed in one of its places
			{"blue", "blue"},   // and in the other
			{"green", "amber"}, // a repeated value changed in both places
			{"blue", "blue"},
			{"red", "red", "blue"},    // longer
			{"amber", "red", "amber"}, // changed in two places at once
			{"red"},                   // shorter
		} {
			f.update(it, "edit", func(it *Item) { it.Tags = tags })
			for _, tag := range []string{"red", "green", "blue", "amber"} {
				want := []uuid.UUID{}
				if slices.Contains(tags, tag) {
					want = []uuid.UUID{it.ID}
				}
				assert.Equal(t, want, idsOf(f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("tag", tag)}})), "tags %v, tag %q", tags, tag)
			}
		}
	})
}
