package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

var bob = itil.Actor{ID: "bob", Name: "Bob"}

// recorder is a notifier that keeps what it was given, in order.
type recorder struct {
	mu   sync.Mutex
	got  []lifecycle.Change
	seen map[uuid.UUID]bool
	// after, when set, runs after each delivery with the number of
	// distinct changes seen so far.
	after func(distinct int)
}

func newRecorder() *recorder { return &recorder{seen: map[uuid.UUID]bool{}} }

func (r *recorder) Notify(ctx context.Context, ch lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err // a stopped host delivers nothing more
	}
	r.mu.Lock()
	r.got = append(r.got, ch)
	r.seen[ch.ID] = true
	n := len(r.seen)
	after := r.after
	r.mu.Unlock()
	if after != nil {
		after(n)
	}
	return nil
}

func (r *recorder) distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func (r *recorder) deliveries() []lifecycle.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]lifecycle.Change(nil), r.got...)
}

// writeTickets creates n tickets through a process on st and moves each
// through start, hold and resume: 4n changes, which it returns in log order.
func writeTickets(t *testing.T, st *sqlstore.Store, n int) []lifecycle.Change {
	t.Helper()
	ctx := t.Context()
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	var ids []uuid.UUID
	for i := range n {
		tk, err := p.Create(ctx, &ticket{Title: fmt.Sprintf("ticket %d", i), Group: "desk"}, bob, "")
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	for _, ev := range []string{"start", "hold", "resume"} {
		for _, id := range ids {
			_, err := p.Fire(ctx, id, lifecycle.Action[*ticket]{Event: ev, Actor: bob})
			require.NoError(t, err)
		}
	}
	log, err := st.Claim(ctx, "test-reader", "test", 10*n, time.Minute)
	require.NoError(t, err)
	require.Len(t, log, 4*n)
	return log
}

// assertInOrderPerRecord asserts that, leaving out redeliveries, each
// record's changes arrived in version order, and that every change in want
// arrived.
func assertInOrderPerRecord(t *testing.T, want, got []lifecycle.Change) {
	t.Helper()
	seen := map[uuid.UUID]bool{}
	last := map[uuid.UUID]int64{}
	for _, ch := range got {
		if seen[ch.ID] {
			continue
		}
		seen[ch.ID] = true
		assert.Equal(t, last[ch.RecordID]+1, ch.Version, "%s: version %d after %d", ch.Number, ch.Version, last[ch.RecordID])
		last[ch.RecordID] = ch.Version
	}
	for _, ch := range want {
		assert.True(t, seen[ch.ID], "change %d (%s %s) was never delivered", ch.Seq, ch.Number, ch.Event)
	}
}

// TestRestart writes changes, stops one dispatcher midway and lets another
// holder's lease lapse without an ack, then opens a new store on the same
// database: a new dispatcher delivers every change, in order per record.
func TestRestart(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			tg := b.target(t)
			st1 := newStore(t, tg)
			want := writeTickets(t, st1, 10)

			// The first host delivers "mail" until a quarter is done, then
			// stops.
			mail1 := newRecorder()
			ctx, stop := context.WithCancel(t.Context())
			mail1.after = func(n int) {
				if n == len(want)/4 {
					stop()
				}
			}
			d1, err := lifecycle.NewDispatcher(st1, []lifecycle.Subscription{{Name: "mail", Notifier: mail1}},
				lifecycle.DispatcherConfig{Holder: "host-1", Batch: 7, Logger: quiet})
			require.NoError(t, err)
			require.NoError(t, d1.Run(ctx))
			delivered := mail1.distinct()
			require.GreaterOrEqual(t, delivered, len(want)/4)
			require.Less(t, delivered, len(want), "the first host stopped midway")

			// A host that dies holding "audit": a short lease, never acked
			// nor released.
			lease := 200 * time.Millisecond
			got, err := st1.Claim(t.Context(), "audit", "host-dead", 5, lease)
			require.NoError(t, err)
			require.Len(t, got, 5)

			// A new process: a new pool, a new store.
			st2 := newStore(t, tg)
			mail2, audit := newRecorder(), newRecorder()
			d2, err := lifecycle.NewDispatcher(st2, []lifecycle.Subscription{
				{Name: "mail", Notifier: mail2}, {Name: "audit", Notifier: audit},
			}, lifecycle.DispatcherConfig{Holder: "host-2", Batch: 7, Poll: 10 * time.Millisecond, Logger: quiet})
			require.NoError(t, err)
			require.NoError(t, d2.Drain(t.Context()))

			assertInOrderPerRecord(t, want, append(mail1.deliveries(), mail2.deliveries()...))
			second := mail2.deliveries()
			require.NotEmpty(t, second)
			assert.Greater(t, second[0].Seq, want[0].Seq, "the new host continues from the cursor, not from the start")
			assert.Equal(t, ids(want), ids(audit.deliveries()), "the dead host's lease lapsed and everything was delivered once, in log order")
		})
	}
}

// TestSeveralHosts runs two hosts, each its own pool and store on one
// database, dispatching one subscription while several goroutines write:
// every change is delivered, in order per record, and none is skipped by a
// cursor that moved past a change that committed late.
func TestSeveralHosts(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			tg := b.target(t)
			stores := []*sqlstore.Store{newStore(t, tg), newStore(t, tg)}
			mail := newRecorder()
			ctx, stop := context.WithCancel(t.Context())
			var hosts sync.WaitGroup
			for i, st := range stores {
				d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "mail", Notifier: mail}},
					lifecycle.DispatcherConfig{Holder: fmt.Sprintf("host-%d", i), Batch: 5, Poll: 5 * time.Millisecond, Logger: quiet})
				require.NoError(t, err)
				hosts.Go(func() { _ = d.Run(ctx) })
			}
			defer func() { stop(); hosts.Wait() }()

			const writers, each = 4, 10
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					p, err := lifecycle.NewProcess[ticket](stores[w%2], ticketDefinition(), lifecycle.ProcessConfig{})
					if !assert.NoError(t, err) {
						return
					}
					for i := range each {
						tk, err := p.Create(t.Context(), &ticket{Title: fmt.Sprintf("w%d-%d", w, i)}, bob, "")
						if !assert.NoError(t, err) {
							return
						}
						for _, ev := range []string{"start", "hold", "resume"} {
							if _, err := p.Fire(t.Context(), tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: bob}); !assert.NoError(t, err) {
								return
							}
						}
					}
				})
			}
			wg.Wait()
			want, err := stores[0].Claim(t.Context(), "test-reader", "test", 10*writers*each, time.Minute)
			require.NoError(t, err)
			require.Len(t, want, 4*writers*each)

			giveUp := time.Now().Add(time.Minute)
			for mail.distinct() < len(want) && time.Now().Before(giveUp) {
				time.Sleep(10 * time.Millisecond)
			}
			stop()
			hosts.Wait()
			assertInOrderPerRecord(t, want, mail.deliveries())
		})
	}
}

func ids(chs []lifecycle.Change) []uuid.UUID {
	out := make([]uuid.UUID, len(chs))
	for i, ch := range chs {
		out[i] = ch.ID
	}
	return out
}
