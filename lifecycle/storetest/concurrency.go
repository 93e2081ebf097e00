package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// testConcurrency checks compare-and-set under contention: goroutines run
// read-modify-write cycles on a few shared records, and no successful update
// may be lost.
func testConcurrency(t *testing.T, s *suite) {
	s.run(t, "ReadModifyWrite", func(t *testing.T, f *fixture) {
		workers, cycles, records := s.cfg.workers, s.cfg.cycles, s.cfg.records
		shared := f.createN(itemKind, records, func(i int, it *Item) { it.Owner = "alice" })

		type tally struct{ ok, conflicts []int } // per record
		tallies := make([]tally, workers)
		var wg sync.WaitGroup
		for w := range workers {
			tl := &tallies[w]
			tl.ok, tl.conflicts = make([]int, records), make([]int, records)
			wg.Go(func() {
				for c := range cycles {
					r := (w + c) % records
					e, err := f.st.Get(f.ctx, shared[r].ID, NewItem)
					if !assert.NoError(t, err) {
						return
					}
					it, ok := e.(*Item)
					if !assert.True(t, ok, "Get returned %T", e) {
						return
					}
					_, err = f.tryUpdate(it, "count", nil) // Counter++, Version++
					switch {
					case err == nil:
						tl.ok[r]++
					case errors.Is(err, lifecycle.ErrConflict):
						tl.conflicts[r]++
					default:
						assert.NoError(t, err)
						return
					}
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}

		total, conflicts := 0, 0
		for r, it := range shared {
			ok := 0
			for _, tl := range tallies {
				ok += tl.ok[r]
				conflicts += tl.conflicts[r]
			}
			total += ok
			got := f.get(it.ID)
			assert.Equal(t, ok, got.Counter, "record %d: Counter counts every successful update: none lost", r)
			assert.Equal(t, int64(1+ok), got.Version, "record %d: Version is 1 + successful updates", r)
			j := f.journal(it.ID)
			assert.Len(t, j, 1+ok, "record %d: one journal entry per successful write", r)
			for i := range j {
				if !assert.Equal(t, int64(i+1), j[i].Version, "record %d: journal entry %d", r, i) {
					break
				}
			}
		}
		require.Positive(t, total, "some updates succeed")
		assert.Equal(t, workers*cycles, total+conflicts, "every cycle either succeeded or conflicted")

		sum := 0
		for _, it := range f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "alice")}}) {
			sum += it.Counter
		}
		assert.Equal(t, total, sum, "the Counter sum equals the number of successful updates")

		n := len(f.claim("count", "h", records+total+10))
		assert.Equal(t, records+total, n, "the outbox holds every create and successful update once")
	})

	s.run(t, "CreateAndUpdate", func(t *testing.T, f *fixture) {
		// Writers that create and update their own records at the same
		// time: every write lands, and the log holds each once, in Seq order.
		workers, each := s.cfg.workers, min(s.cfg.cycles/10, 100)
		each = max(each, 1)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for range each {
					it := f.item(itemKind, func(it *Item) { it.Owner = "w" + string(rune('a'+w%26)) })
					ch := createChange(it, it.CreatedAt)
					if !assert.NoError(t, f.st.Create(f.ctx, it, &ch)) {
						return
					}
					if _, err := f.tryUpdate(it, "edit", nil); !assert.NoError(t, err) {
						return
					}
				}
			})
		}
		wg.Wait()
		assert.Len(t, f.find(lifecycle.Query{}), workers*each)
		got := f.claim("all", "h", 2*workers*each+10)
		assert.Len(t, got, 2*workers*each)
		ids := map[string]bool{}
		for i, ch := range got {
			assert.False(t, ids[ch.ID.String()], "change %s twice in the log", ch.ID)
			ids[ch.ID.String()] = true
			if i > 0 {
				assert.Greater(t, ch.Seq, got[i-1].Seq)
			}
		}
	})
}
