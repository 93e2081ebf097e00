package lifecycle_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// recorder is a notifier that fails its first failures calls and records
// every change it accepts.
type recorder struct {
	mu       sync.Mutex
	failures int
	calls    int
	got      []lifecycle.Change
}

func (r *recorder) Notify(_ context.Context, ch lifecycle.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.failures > 0 {
		r.failures--
		return errors.New("receiver down")
	}
	r.got = append(r.got, ch)
	return nil
}

func (r *recorder) changes() []lifecycle.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]lifecycle.Change(nil), r.got...)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func fastConfig(holder string) lifecycle.DispatcherConfig {
	return lifecycle.DispatcherConfig{Holder: holder, Batch: 7, Poll: time.Millisecond,
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Logger: quiet}
}

// writeTickets makes n tickets with a few transitions each and returns the
// journal of all of them in log order.
func writeTickets(t *testing.T, p *lifecycle.Process[*ticket], n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		tk, err := p.Create(ctx, &ticket{Title: "x", Group: "desk", HoldReason: "caller"}, alice, "")
		require.NoError(t, err)
		for _, ev := range []string{"assign", "start", "hold", "resume"} {
			_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice})
			require.NoError(t, err)
		}
	}
}

func TestDispatcherDrainRetriesAndKeepsOrder(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	writeTickets(t, p, 10)

	flaky := &recorder{failures: 5}
	steady := &recorder{}
	d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "flaky", Notifier: flaky}, {Name: "steady", Notifier: steady}}, fastConfig("h1"))
	require.NoError(t, err)
	require.NoError(t, d.Drain(context.Background()))

	for _, r := range []*recorder{flaky, steady} {
		got := r.changes()
		require.Len(t, got, 50, "every change delivered")
		for i, c := range got {
			assert.Equal(t, int64(i+1), c.Seq, "in log order")
		}
	}
	assert.Equal(t, 55, flaky.calls, "five failures, then each change once")
	assert.Equal(t, 50, steady.calls, "a failing subscription does not hold back another")

	// A second drain has nothing left to deliver; a new change is delivered once.
	require.NoError(t, d.Drain(context.Background()))
	writeTickets(t, p, 1)
	require.NoError(t, d.Drain(context.Background()))
	assert.Len(t, steady.changes(), 55)
}

func TestDispatcherRunDeliversAsWritesHappen(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	r := &recorder{failures: 3}
	cfg := fastConfig("h1")
	cfg.Poll = time.Hour // only the store's wake-up can make this dispatcher look again
	d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "sub", Notifier: r}}, cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()

	writeTickets(t, p, 4)
	require.Eventually(t, func() bool { return len(r.changes()) == 20 }, 10*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)

	// Run released its lease on the way out: another holder may claim at once.
	_, err = st.Claim(context.Background(), "sub", "h2", 1, time.Minute)
	assert.NoError(t, err)
}

// TestDispatchersShareASubscription runs two dispatchers, as two hosts would,
// on one store: each change arrives, in order, with no gaps.
func TestDispatchersShareASubscription(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(t, err)
	r := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, holder := range []string{"host-a", "host-b"} {
		d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "shared", Notifier: r}}, fastConfig(holder))
		require.NoError(t, err)
		wg.Go(func() { _ = d.Run(ctx) })
	}
	writeTickets(t, p, 20)
	require.Eventually(t, func() bool { return len(r.changes()) >= 100 }, 10*time.Second, time.Millisecond)
	cancel()
	wg.Wait()
	got := r.changes()
	seen := map[uuid.UUID]int64{}
	for i, c := range got {
		assert.Equal(t, int64(i+1), c.Seq, "one delivery per change, in log order")
		assert.Greater(t, c.Version, seen[c.RecordID])
		seen[c.RecordID] = c.Version
	}
}

func TestNewDispatcherRejects(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	n := &recorder{}
	for name, subs := range map[string][]lifecycle.Subscription{
		"subscriptions[0].name":     {{Notifier: n}},
		"subscriptions[1].name":     {{Name: "a", Notifier: n}, {Name: "a", Notifier: n}},
		"subscriptions[0].notifier": {{Name: "a"}},
	} {
		_, err := lifecycle.NewDispatcher(st, subs, lifecycle.DispatcherConfig{})
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, name, ve.Field)
	}
	_, err := lifecycle.NewDispatcher(nil, nil, lifecycle.DispatcherConfig{})
	assert.ErrorIs(t, err, itil.ErrInvalid)
}
