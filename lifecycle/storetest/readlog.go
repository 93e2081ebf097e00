package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// readLog calls ReadLog and fails the test on an error.
func (f *fixture) readLog(after int64, limit int) []lifecycle.Change {
	f.t.Helper()
	chs, err := f.st.ReadLog(f.ctx, after, limit)
	require.NoError(f.t, err, "ReadLog after %d, limit %d", after, limit)
	return chs
}

// testReadLog checks Outbox.ReadLog: the log after a Seq, in order, without
// a lease.
func testReadLog(t *testing.T, s *suite) {
	s.run(t, "AfterAndLimit", func(t *testing.T, f *fixture) {
		assert.Empty(t, f.readLog(0, 100), "an empty log")
		log := seedLog(f)
		sameChanges(t, log, f.readLog(0, 100), "from the start")
		sameChanges(t, log[:2], f.readLog(0, 2), "the first two")
		sameChanges(t, log[2:5], f.readLog(log[1].Seq, 3), "three after the second")
		sameChanges(t, log[5:], f.readLog(log[4].Seq, 3), "the limit reaches past the end")
		assert.Empty(t, f.readLog(log[5].Seq, 100), "after the last change")
		assert.Empty(t, f.readLog(log[5].Seq+1000, 100), "after a Seq beyond the end")
		for _, limit := range []int{0, -1} {
			got := f.readLog(0, limit)
			if assert.NotEmpty(t, got, "limit %d: a store-chosen batch", limit) && len(got) <= len(log) {
				sameChanges(t, log[:len(got)], got, "limit %d: a prefix of the log", limit)
			}
		}
	})

	s.run(t, "Prefix", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		for n := 1; n <= len(log); n++ {
			sameChanges(t, log[:n], f.readLog(0, n), "the first %d changes", n)
		}
		var paged []lifecycle.Change
		for after := int64(0); ; {
			page := f.readLog(after, 1)
			if len(page) == 0 {
				break
			}
			require.Len(t, page, 1)
			paged = append(paged, page...)
			after = page[0].Seq
		}
		sameChanges(t, log, paged, "reading on after the last Seq seen misses nothing")

		// What is written next comes after what was read.
		it := f.item(itemKind)
		ch := f.create(it)
		sameChanges(t, []lifecycle.Change{ch}, f.readLog(log[len(log)-1].Seq, 100))
		sameChanges(t, append(log, ch), f.readAll(2), "the whole log in pages of two")
	})

	s.run(t, "LeasesNothing", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 2)
		require.Len(t, got, 2)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[1].Seq))
		sameChanges(t, log, f.readLog(0, 100), "a consumer's cursor does not move the log")
		sameChanges(t, log[2:], f.claim("mail", "h1", 100), "reading the log moves no cursor")
		sameChanges(t, log, f.claim("fresh", "h2", 100), "a new consumer starts at the beginning")
		sameChanges(t, log, f.readLog(0, 100), "leased consumers do not hold the log")
	})
}
