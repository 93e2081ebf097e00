package storetest

import (
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// pageLimit is the page size of the paging tests.
const pageLimit = 10

// pagingStates are the states updates cycle through: all of them Open or
// Paused, so that no filter of the paging tests depends on them.
var pagingStates = []string{"new", "open", "hold"}

// seedPaging stores n items, every other one owned by alice.
func seedPaging(f *fixture, n int) []*Item {
	return f.createN(itemKind, n, func(i int, it *Item) {
		it.Owner = "bob"
		if i%2 == 0 {
			it.Owner = "alice"
		}
		it.Tags = []string{"red"}
	})
}

// churn is the edit the paging tests make to existing records: it changes
// tags and state, which no paging filter looks at.
func churn(it *Item) {
	it.State = pagingStates[(it.Counter+1)%len(pagingStates)]
	it.Tags = append(it.Tags[:0:0], "red", "gen", it.Number)
	if it.Counter%2 == 1 {
		it.Tags = nil
	}
}

// pagingFilters are the queries the paging tests page through.
var pagingFilters = []struct {
	name  string
	where []lifecycle.Cond
	keep  func(*Item) bool
}{
	{"Unfiltered", nil, func(*Item) bool { return true }},
	{"Filtered", []lifecycle.Cond{lifecycle.Eq("owner", "alice")}, func(it *Item) bool { return it.Owner == "alice" }},
}

// checkSeen asserts that every record in before was seen exactly once, that
// nothing was seen twice, and that order is increasing.
func checkSeen(t *testing.T, before map[uuid.UUID]bool, seen map[uuid.UUID]int, order []uuid.UUID) {
	t.Helper()
	missed, twice := 0, 0
	for id := range before {
		if seen[id] == 0 {
			missed++
		}
	}
	for id, n := range seen {
		if n > 1 {
			twice++
			assert.Failf(t, "record seen more than once", "%s seen %d times", id, n)
		}
	}
	assert.Zero(t, missed, "records that existed before paging began but were not seen (of %d)", len(before))
	assert.Zero(t, twice, "records seen more than once")
	assertIncreasing(t, order, "records")
}

// testPaging checks that paging sees a consistent set of records while
// other writes go on.
func testPaging(t *testing.T, s *suite) {
	for _, pf := range pagingFilters {
		s.run(t, "PagesWhileWriting"+pf.name, func(t *testing.T, f *fixture) {
			n := s.cfg.paging
			items := seedPaging(f, n)
			before := map[uuid.UUID]bool{}
			var owned [3][]*Item // two writers' records and the pager's
			for i, it := range items {
				if pf.keep(it) {
					before[it.ID] = true
				}
				owned[i%3] = append(owned[i%3], it)
			}

			done := make(chan struct{})
			stopped := func() bool {
				select {
				case <-done:
					return true
				default:
					return false
				}
			}
			var wg sync.WaitGroup
			// Stop the writers however the test ends: they report to t.
			stop := sync.OnceFunc(func() { close(done); wg.Wait() })
			defer stop()
			for w := range 2 {
				own := owned[w]
				wg.Go(func() { // updates its own records: no conflicts
					for i := 0; i < 4*len(own) && !stopped(); i++ {
						if _, err := f.tryUpdate(own[i%len(own)], "edit", churn); !assert.NoError(t, err) {
							return
						}
					}
				})
				wg.Go(func() { // creates matching and other records
					for i := 0; i < n/2 && !stopped(); i++ {
						kind := itemKind
						if i%3 == 2 {
							kind = otherKind
						}
						it := f.item(kind, func(it *Item) {
							it.Owner = []string{"alice", "bob"}[i%2]
						})
						ch := createChange(it, it.CreatedAt)
						if !assert.NoError(t, f.st.Create(f.ctx, it, &ch)) {
							return
						}
					}
				})
			}

			seen := map[uuid.UUID]int{}
			var order []uuid.UUID
			var after uuid.UUID
			mine := owned[2]
			for pages := 0; ; pages++ {
				require.Less(t, pages, 3*n/pageLimit+10, "paging does not end")
				page := f.find(lifecycle.Query{Where: pf.where, After: after, Limit: pageLimit})
				require.LessOrEqual(t, len(page), pageLimit)
				for _, it := range page {
					assert.True(t, pf.keep(it), "%s does not match the filter", it.Number)
					seen[it.ID]++
					order = append(order, it.ID)
				}
				if len(page) < pageLimit {
					break
				}
				after = page[len(page)-1].ID
				// Write between pages too, whatever the scheduler does: one
				// update and one matching record.
				if len(mine) > 0 {
					f.update(mine[pages%len(mine)], "edit", churn)
				}
				f.create(f.item(itemKind, func(it *Item) { it.Owner = "alice" }))
			}
			stop()
			checkSeen(t, before, seen, order)
		})
	}

	for _, pf := range pagingFilters {
		s.run(t, "FindWhileWriting"+pf.name, func(t *testing.T, f *fixture) {
			// One Find without a limit, long enough for a store to read it
			// in several batches, whose loop updates and creates records.
			n := s.cfg.paging
			items := seedPaging(f, n)
			local := make(map[uuid.UUID]*Item, n) // the current version of each record
			before := map[uuid.UUID]bool{}
			for _, it := range items {
				local[it.ID] = it
				if pf.keep(it) {
					before[it.ID] = true
				}
			}
			seen := map[uuid.UUID]int{}
			var order []uuid.UUID
			created := 0
			q := lifecycle.Query{Kind: itemKind, Where: pf.where, New: NewItem}
			for e, err := range f.st.Find(f.ctx, q) {
				require.NoError(t, err)
				it, ok := e.(*Item)
				require.True(t, ok, "Find yielded %T", e)
				assert.True(t, pf.keep(it), "%s does not match the filter", it.Number)
				seen[it.ID]++
				order = append(order, it.ID)
				require.LessOrEqual(t, len(order), 2*n, "Find does not end")
				cur := local[it.ID]
				if cur == nil {
					continue // created during the loop
				}
				f.update(cur, "edit", churn)
				ahead := items[(len(order)*7)%n] // some record, seen or not yet
				f.update(local[ahead.ID], "edit", churn)
				if len(order)%4 == 0 && created < n/4 {
					f.create(f.item(itemKind, func(it *Item) { it.Owner = "alice" }))
					created++
				}
			}
			checkSeen(t, before, seen, order)
		})
	}
}
