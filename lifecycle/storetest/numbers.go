package storetest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testNextNumber checks the per-prefix sequences.
func testNextNumber(t *testing.T, s *suite) {
	s.run(t, "Sequence", func(t *testing.T, f *fixture) {
		for want := int64(1); want <= 5; want++ {
			n, err := f.st.NextNumber(f.ctx, "INC")
			require.NoError(t, err)
			assert.Equal(t, want, n)
		}
	})

	s.run(t, "IndependentPrefixes", func(t *testing.T, f *fixture) {
		next := func(prefix string) int64 {
			n, err := f.st.NextNumber(f.ctx, prefix)
			require.NoError(t, err)
			return n
		}
		assert.Equal(t, int64(1), next("INC"))
		assert.Equal(t, int64(2), next("INC"))
		assert.Equal(t, int64(1), next("CHG"), "a new prefix starts at 1")
		assert.Equal(t, int64(3), next("INC"))
		assert.Equal(t, int64(2), next("CHG"))
		assert.Equal(t, int64(1), next("IN"), "prefixes are compared whole")
		assert.Equal(t, int64(1), next("INCX"))
		assert.Equal(t, int64(4), next("INC"))
	})

	s.run(t, "Concurrent", func(t *testing.T, f *fixture) {
		workers, each := s.cfg.workers, min(s.cfg.cycles, 100)
		got := make([][]int64, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for range each {
					n, err := f.st.NextNumber(f.ctx, "REQ")
					if !assert.NoError(t, err) {
						return
					}
					got[w] = append(got[w], n)
				}
			})
		}
		wg.Wait()
		seen := make(map[int64]bool, workers*each)
		for _, ns := range got {
			for _, n := range ns {
				assert.Positive(t, n)
				assert.False(t, seen[n], "number %d handed out twice", n)
				seen[n] = true
			}
		}
		assert.Len(t, seen, workers*each)
		n, err := f.st.NextNumber(f.ctx, "OTHER")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n, "other prefixes are untouched")
	})
}
