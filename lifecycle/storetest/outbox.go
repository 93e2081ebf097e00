package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// seedLog writes six changes to three records of two kinds, interleaved,
// and returns them in the order they were written.
func seedLog(f *fixture) []lifecycle.Change {
	f.t.Helper()
	a, b, c := f.item(itemKind), f.item(otherKind), f.item(itemKind)
	return []lifecycle.Change{
		f.create(a),
		f.create(b),
		f.update(a, "start", func(it *Item) { it.State = "open" }),
		f.create(c),
		f.update(b, "hold", func(it *Item) { it.State = "hold" }),
		f.update(a, "resolve", func(it *Item) { it.State = "done" }),
	}
}

// sameChanges asserts that got holds want's changes, in order, intact, with
// increasing Seq.
func sameChanges(t *testing.T, want, got []lifecycle.Change, msgAndArgs ...any) bool {
	t.Helper()
	if !assert.Equal(t, changeIDs(want), changeIDs(got), msgAndArgs...) {
		return false
	}
	ok := true
	for i := range got {
		ok = sameChange(t, want[i], got[i], msgAndArgs...) && ok
		if i > 0 {
			ok = assert.Greater(t, got[i].Seq, got[i-1].Seq, "Seq increases") && ok
		}
	}
	return ok
}

// testOutbox checks Claim, Ack and Release: cursors, limits and leases.
func testOutbox(t *testing.T, s *suite) {
	s.run(t, "FromStart", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		sameChanges(t, log, f.claim("mail", "h1", 100), "a new consumer starts at the beginning of the log")
	})

	s.run(t, "EmptyLog", func(t *testing.T, f *fixture) {
		assert.Empty(t, f.claim("mail", "h1", 100))
		log := seedLog(f)
		sameChanges(t, log, f.claim("mail", "h1", 100), "changes written after the first claim")
	})

	s.run(t, "Limit", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		sameChanges(t, log[:2], f.claim("mail", "h1", 2))
		sameChanges(t, log[:2], f.claim("mail", "h1", 2), "claiming again before an ack returns the same changes")
		sameChanges(t, log[:4], f.claim("mail", "h1", 4))
		sameChanges(t, log, f.claim("mail", "h1", 6))
		sameChanges(t, log, f.claim("mail", "h1", 1000))
	})

	s.run(t, "Ack", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 2)
		require.Len(t, got, 2)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[1].Seq))
		got = f.claim("mail", "h1", 3)
		sameChanges(t, log[2:5], got, "claiming after an ack continues after it")
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[2].Seq))
		got = f.claim("mail", "h1", 100)
		sameChanges(t, log[5:], got)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[0].Seq))
		assert.Empty(t, f.claim("mail", "h1", 100), "everything acknowledged")

		// New changes after the consumer caught up.
		it := f.item(itemKind)
		ch := f.create(it)
		sameChanges(t, []lifecycle.Change{ch}, f.claim("mail", "h1", 100))
	})

	s.run(t, "Leased", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 2)
		require.Len(t, got, 2)

		_, err := f.st.Claim(f.ctx, "mail", "h2", 100, time.Hour)
		assert.ErrorIs(t, err, lifecycle.ErrLeased, "another holder's claim")
		assert.ErrorIs(t, f.st.Ack(f.ctx, "mail", "h2", got[1].Seq), lifecycle.ErrLeased, "another holder's ack")
		sameChanges(t, log[:2], f.claim("mail", "h1", 2), "the other holder's ack moved nothing")

		require.NoError(t, f.st.Release(f.ctx, "mail", "h2"), "releasing a lease one does not hold")
		_, err = f.st.Claim(f.ctx, "mail", "h2", 100, time.Hour)
		assert.ErrorIs(t, err, lifecycle.ErrLeased, "a release by a non-holder does nothing")

		require.NoError(t, f.st.Release(f.ctx, "unknown", "h1"), "releasing a consumer never claimed")
	})

	s.run(t, "Release", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 2)
		require.Len(t, got, 2)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[1].Seq))
		require.NoError(t, f.st.Release(f.ctx, "mail", "h1"))

		got = f.claim("mail", "h2", 100)
		sameChanges(t, log[2:], got, "the next holder continues from the cursor")
		assert.ErrorIs(t, f.st.Ack(f.ctx, "mail", "h1", got[1].Seq), lifecycle.ErrLeased,
			"the released holder may not ack")
		_, err := f.st.Claim(f.ctx, "mail", "h1", 100, time.Hour)
		assert.ErrorIs(t, err, lifecycle.ErrLeased, "the released holder may not claim while h2 holds")

		require.NoError(t, f.st.Release(f.ctx, "mail", "h2"))
		sameChanges(t, log[2:], f.claim("mail", "h1", 100), "and may claim again once released")
	})

	s.run(t, "LeaseExpiry", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 2)
		require.Len(t, got, 2)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[1].Seq))
		// Renew with a short lease, deliver nothing more, and let it lapse.
		got, err := f.st.Claim(f.ctx, "mail", "h1", 100, s.cfg.lease)
		require.NoError(t, err)
		sameChanges(t, log[2:], got)

		got = f.claimAfterLease(s.cfg.lease, "mail", "h2")
		sameChanges(t, log[2:], got, "the next holder gets the unacknowledged changes again")
		require.NotEmpty(t, got)
		assert.ErrorIs(t, f.st.Ack(f.ctx, "mail", "h1", got[len(got)-1].Seq), lifecycle.ErrLeased,
			"the holder whose lease lapsed may not ack")
		sameChanges(t, log[2:], f.claim("mail", "h2", 100), "its ack moved nothing")
	})

	s.run(t, "IndependentConsumers", func(t *testing.T, f *fixture) {
		log := seedLog(f)
		got := f.claim("mail", "h1", 4)
		require.Len(t, got, 4)
		require.NoError(t, f.st.Ack(f.ctx, "mail", "h1", got[3].Seq))

		got = f.claim("webhook", "h2", 100)
		sameChanges(t, log, got, "a second consumer has its own cursor and lease")
		require.NoError(t, f.st.Ack(f.ctx, "webhook", "h2", got[0].Seq))
		sameChanges(t, log[4:], f.claim("mail", "h1", 100))
		sameChanges(t, log[1:], f.claim("webhook", "h2", 100))
		sameChanges(t, log[1:], f.claim("webhook", "h2", 100))
		sameChanges(t, log, f.claim("audit", "h1", 100), "one holder may hold several consumers")
	})
}

// claimAfterLease claims consumer for holder as soon as another holder's
// lease of about lease has lapsed, polling; it fails the test if the lease
// is still held after many times its length.
func (f *fixture) claimAfterLease(lease time.Duration, consumer, holder string) []lifecycle.Change {
	f.t.Helper()
	poll := max(lease/10, time.Millisecond)
	giveUp := time.Now().Add(max(200*lease, 10*time.Second))
	for {
		got, err := f.st.Claim(f.ctx, consumer, holder, 100, time.Hour)
		if err == nil {
			return got
		}
		require.True(f.t, errors.Is(err, lifecycle.ErrLeased), "Claim: %v", err)
		require.True(f.t, time.Now().Before(giveUp), "the lease of %v did not lapse", lease)
		time.Sleep(poll)
	}
}
