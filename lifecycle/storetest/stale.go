package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// testStaleVersion checks that Update compares and sets on the version: a
// wrong expected version fails with ErrConflict and writes nothing.
func testStaleVersion(t *testing.T, s *suite) {
	for _, tc := range []struct {
		name   string
		expect func(stored int64) int64
	}{
		{"Older", func(v int64) int64 { return v - 1 }},
		{"Newer", func(v int64) int64 { return v + 1 }},
		{"Zero", func(int64) int64 { return 0 }},
	} {
		s.run(t, tc.name, func(t *testing.T, f *fixture) {
			it := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red"} })
			f.create(it)
			f.update(it, "start", func(it *Item) { it.State = "open" })
			stored := it.Clone().(*Item)
			journal := f.journal(it.ID)
			require.Len(t, journal, 2)

			stale := it.Clone().(*Item)
			stale.Owner, stale.Tags, stale.State, stale.Title = "bob", []string{"blue"}, "done", "stale write"
			stale.StateCategory = states[stale.State]
			stale.Version++
			ch := updateChange(stale, "resolve", "open", f.tick())
			err := f.st.Update(f.ctx, stale, tc.expect(stored.Version), &ch)
			require.ErrorIs(t, err, lifecycle.ErrConflict)

			sameItem(t, stored, f.get(it.ID), "the record is unchanged")
			got := f.journal(it.ID)
			if assert.Len(t, got, len(journal), "the journal is unchanged") {
				for i := range got {
					sameChange(t, journal[i], got[i])
				}
			}
			assert.Equal(t, []string{"create", "start"}, eventsOf(f.claim("c", "h", 100)),
				"the outbox is unchanged")
			for _, c := range []lifecycle.Cond{
				lifecycle.Eq("owner", "bob"), lifecycle.Eq("tag", "blue"),
				lifecycle.Eq("state", "done"), lifecycle.Eq("state_category", "resolved"),
			} {
				assert.Empty(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{c}}),
					"the indexes are unchanged: %s=%v", c.Key, c.Values)
			}
			for _, c := range []lifecycle.Cond{
				lifecycle.Eq("owner", "alice"), lifecycle.Eq("tag", "red"),
				lifecycle.Eq("state", "open"), lifecycle.Eq("state_category", "open"),
			} {
				assert.Len(t, f.find(lifecycle.Query{Where: []lifecycle.Cond{c}}), 1,
					"the indexes are unchanged: %s=%v", c.Key, c.Values)
			}

			// The right version still works after the conflict.
			f.update(it, "resolve", func(it *Item) { it.State = "done" })
			sameItem(t, it, f.get(it.ID))
		})
	}
}
