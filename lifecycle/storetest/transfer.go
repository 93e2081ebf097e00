package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// Sizes of the commit concurrency tests.
const (
	accounts       = 5   // records the transfers move units between
	openingBalance = 100 // each account's Counter when created
)

// errNoFunds and errHeld end a transaction without writing.
var (
	errNoFunds = errors.New("storetest: no funds")
	errHeld    = errors.New("storetest: key held")
)

// transfers is how many transfers each worker of the Transfers test runs.
func (s *suite) transfers() int { return max(1, min(s.cfg.cycles/20, 50)) }

// testCommitConcurrency checks Commit under contention from several hosts:
// invariants that span records hold at the end.
func testCommitConcurrency(t *testing.T, s *suite) {
	s.runHosts(t, "Transfers", func(t *testing.T, f *fixture) {
		// Workers move one unit at a time between two accounts, reading
		// both through a Tx and writing both in one commit; every third
		// transfer also pins a rate record it only reads, which another
		// goroutine keeps updating. Each transfer's change notes the rate's
		// version it read, so that the log shows whether a commit saw a
		// rate that had moved.
		workers := s.cfg.workers
		hosts := f.hosts(workers + 1)
		want := map[uuid.UUID]int64{} // the changes committed: ID → Seq
		accts := make([]*Item, accounts)
		for i := range accts {
			accts[i] = f.item(itemKind, func(it *Item) { it.Owner = "bank"; it.Counter = openingBalance })
			ch := f.create(accts[i])
			want[ch.ID] = ch.Seq
		}
		rate := f.item(otherKind, func(it *Item) { it.Owner = "rate" })
		ch := f.create(rate)
		want[ch.ID] = ch.Seq

		type result struct {
			committed [][]*lifecycle.Change // each successful commit's changes, Seq set
			failed    int                   // conflicts past the retries, or no funds
		}
		results := make([]result, workers+1)
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { // the rate's writer
			res, st := &results[workers], hosts[workers]
			most := max(3, workers*s.transfers()/3)
			for i := 0; i < most; i++ {
				select {
				case <-done:
					if i >= 3 {
						return
					}
				default:
				}
				var staged []*lifecycle.Change
				err := lifecycle.Atomic(f.ctx, st, 50, func(tx *lifecycle.Tx) error {
					e, err := tx.Get(f.ctx, rate.ID, NewItem)
					if err != nil {
						return err
					}
					it := e.(*Item)
					ch := f.moved(it, "rate", 1)
					tx.Put(it, it.Version-1, ch)
					staged = []*lifecycle.Change{ch}
					return nil
				})
				switch {
				case err == nil:
					res.committed = append(res.committed, staged)
				case errors.Is(err, lifecycle.ErrConflict):
					res.failed++
				default:
					assert.NoError(t, err, "rate update")
					return
				}
			}
		})
		var workersWG sync.WaitGroup
		for w := range workers {
			workersWG.Go(func() {
				res, st := &results[w], hosts[w]
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				for k := range s.transfers() {
					from := rng.IntN(accounts)
					to := (from + 1 + rng.IntN(accounts-1)) % accounts
					pin := k%3 == 0
					var staged []*lifecycle.Change
					err := lifecycle.Atomic(f.ctx, st, 50, func(tx *lifecycle.Tx) error {
						staged = nil
						note := ""
						if pin {
							e, err := tx.Get(f.ctx, rate.ID, NewItem)
							if err != nil {
								return err
							}
							note = "rate " + strconv.FormatInt(e.Base().Version, 10)
						}
						for _, leg := range []struct{ acct, delta int }{{from, -1}, {to, +1}} {
							e, err := tx.Get(f.ctx, accts[leg.acct].ID, NewItem)
							if err != nil {
								return err
							}
							it := e.(*Item)
							if it.Counter+leg.delta < 0 {
								return errNoFunds
							}
							ch := f.moved(it, "transfer", leg.delta)
							ch.Note = note
							tx.Put(it, it.Version-1, ch)
							staged = append(staged, ch)
						}
						return nil
					})
					switch {
					case err == nil:
						res.committed = append(res.committed, staged)
					case errors.Is(err, lifecycle.ErrConflict), errors.Is(err, errNoFunds):
						res.failed++
					default:
						assert.NoError(t, err, "transfer")
						return
					}
				}
			})
		}
		workersWG.Wait()
		close(done)
		wg.Wait()
		if t.Failed() {
			return
		}

		// The total is kept, and each account's journal replays to it.
		total, transfers := 0, 0
		for _, r := range results[:workers] {
			transfers += len(r.committed)
		}
		require.Positive(t, transfers, "some transfers commit")
		for i, a := range accts {
			got := f.get(a.ID)
			total += got.Counter
			j := f.journal(a.ID)
			assert.Equal(t, int64(len(j)), got.Version, "account %d: one journal entry per version", i)
			assertReplays(t, j, openingBalance, got.Counter, fmt.Sprintf("account %d", i))
		}
		assert.Equal(t, accounts*openingBalance, total, "transfers move units, never make or lose them")
		rateNow := f.get(rate.ID)
		assert.Equal(t, int64(1+len(results[workers].committed)), rateNow.Version, "the rate's version counts its updates")

		// The log holds exactly the committed changes, each at the Seq its
		// commit was given, and no transfer committed over a rate that had
		// moved since it read it.
		log := f.readAll(100)
		for _, r := range results {
			for _, chs := range r.committed {
				for i, ch := range chs {
					want[ch.ID] = ch.Seq
					if i > 0 && !s.cfg.sparseSeq {
						assert.Equal(t, chs[i-1].Seq+1, ch.Seq, "a commit's changes are consecutive in the log")
					}
				}
			}
		}
		assert.Len(t, log, len(want), "the log holds every committed change once, and nothing else")
		rateVersion := int64(1)
		for i, ch := range log {
			if i > 0 {
				assert.Greater(t, ch.Seq, log[i-1].Seq, "the log is in Seq order")
			}
			seq, ok := want[ch.ID]
			if assert.True(t, ok, "change %s (%s of %s) in the log was never committed", ch.ID, ch.Event, ch.Number) {
				assert.Equal(t, seq, ch.Seq, "change %s is in the log at the Seq its commit set", ch.ID)
			}
			switch {
			case ch.RecordID == rate.ID && ch.Event == "rate":
				rateVersion = ch.Version
			case ch.Event == "transfer" && ch.Note != "":
				assert.Equal(t, "rate "+strconv.FormatInt(rateVersion, 10), ch.Note,
					"a transfer that pinned the rate committed while the rate was at the version it read")
			}
		}
	})

	s.runHosts(t, "LockOnce", func(t *testing.T, f *fixture) {
		// Goroutines take one lock and create a record if no record holds
		// the key yet: exactly one does, whatever their number.
		n := s.cfg.workers + 4
		hosts := f.hosts(n)
		key := "storetest/claim/" + mustV7().String()
		type result struct {
			created uuid.UUID // the record this goroutine created
			saw     uuid.UUID // the holder it found
			err     error
		}
		results := make([]result, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := range n {
			wg.Go(func() {
				<-start
				res := &results[g]
				res.err = lifecycle.Atomic(f.ctx, hosts[g], 4*n, func(tx *lifecycle.Tx) error {
					res.created, res.saw = uuid.Nil, uuid.Nil
					l, err := tx.Lock(f.ctx, key)
					if err != nil {
						return err
					}
					if l.Holder != uuid.Nil {
						res.saw = l.Holder
						return errHeld
					}
					it := f.item(itemKind, func(it *Item) { it.Owner = "claimant" })
					ch := createChange(it, it.CreatedAt)
					l.Holder = it.ID
					tx.Put(it, 0, &ch)
					res.created = it.ID
					return nil
				})
			})
		}
		close(start)
		wg.Wait()

		var winner uuid.UUID
		wins := 0
		for g, r := range results {
			switch {
			case r.err == nil:
				wins++
				winner = r.created
			case errors.Is(r.err, errHeld):
			default:
				assert.NoError(t, r.err, "goroutine %d", g)
			}
		}
		require.Equal(t, 1, wins, "exactly one goroutine creates the record")
		for g, r := range results {
			if r.err != nil {
				assert.Equal(t, winner, r.saw, "goroutine %d found the winner holding the key", g)
			}
		}
		e, err := f.st.Get(f.ctx, lifecycle.LockID(key), func() lifecycle.Entity { return new(lifecycle.Lock) })
		require.NoError(t, err)
		l, ok := e.(*lifecycle.Lock)
		require.True(t, ok, "Get returned %T", e)
		assert.Equal(t, winner, l.Holder, "the lock names the winner")
		assert.Equal(t, key, l.Key)
		assert.Equal(t, int64(1), l.Version, "the lock was written once")
		assert.Equal(t, []uuid.UUID{winner}, idsOf(f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", "claimant")}})),
			"one record was created")
		log := f.readAll(100)
		if assert.Len(t, log, 1, "the log holds the winner's create, and nothing of the lock") {
			assert.Equal(t, winner, log[0].RecordID)
		}
	})
}

// moved moves it (as stored) to its next version with delta added to its
// Counter, and returns the change, which records the Counter's old and new
// values. It is safe to call from any goroutine.
func (f *fixture) moved(it *Item, event string, delta int) *lifecycle.Change {
	old := it.Counter
	it.Counter += delta
	it.Version++
	it.UpdatedAt = f.tick()
	return &lifecycle.Change{
		ID: mustV7(), Kind: it.Kind, RecordID: it.ID, Number: it.Number, Version: it.Version,
		Event: event, From: it.State, To: it.State, Actor: actor(), At: it.UpdatedAt,
		Fields: []lifecycle.FieldChange{{Field: "counter", Old: strconv.Itoa(old), New: strconv.Itoa(it.Counter)}},
	}
}

// assertReplays asserts that journal j, of a record created with Counter
// opening, is in version order and replays to balance: each change's old
// Counter is the one before it left.
func assertReplays(t *testing.T, j []lifecycle.Change, opening, balance int, what string) bool {
	t.Helper()
	if !assert.NotEmpty(t, j, "%s: the journal holds the create", what) {
		return false
	}
	cur := strconv.Itoa(opening)
	for i, ch := range j {
		if !assert.Equal(t, int64(i+1), ch.Version, "%s: journal entry %d in version order", what, i) {
			return false
		}
		if i == 0 {
			continue
		}
		if !assert.Len(t, ch.Fields, 1, "%s: journal entry %d", what, i) {
			return false
		}
		if !assert.Equal(t, cur, ch.Fields[0].Old, "%s: journal entry %d starts where the one before ended: no update lost", what, i) {
			return false
		}
		cur = ch.Fields[0].New
	}
	return assert.Equal(t, strconv.Itoa(balance), cur, "%s: the journal replays to the balance", what)
}
