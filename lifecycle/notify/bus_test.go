package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/notify"
)

func change(kind, event, to string) lifecycle.Change {
	return lifecycle.Change{ID: uuid.New(), Kind: kind, Number: "X1", Event: event, To: to}
}

// recorder is a Handler that remembers what it got.
type recorder struct {
	mu  sync.Mutex
	got []lifecycle.Change
}

func (r *recorder) handle(_ context.Context, ch lifecycle.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, ch)
	return nil
}

func (r *recorder) events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ch := range r.got {
		out = append(out, ch.Kind+"."+ch.Event+">"+ch.To)
	}
	return out
}

func TestFilterMatch(t *testing.T) {
	t.Parallel()
	ch := change("incident", "resolve", "resolved")
	tests := []struct {
		name   string
		filter notify.Filter
		want   bool
	}{
		{"zero matches all", notify.Filter{}, true},
		{"kind", notify.Filter{Kinds: []string{"problem", "incident"}}, true},
		{"other kind", notify.Filter{Kinds: []string{"problem"}}, false},
		{"event", notify.Filter{Events: []string{"resolve"}}, true},
		{"other event", notify.Filter{Events: []string{"close"}}, false},
		{"state is the target", notify.Filter{States: []string{"resolved"}}, true},
		{"other state", notify.Filter{States: []string{"in_progress"}}, false},
		{"all lists match", notify.Filter{Kinds: []string{"incident"}, Events: []string{"resolve"}, States: []string{"resolved"}}, true},
		{"one list fails", notify.Filter{Kinds: []string{"incident"}, Events: []string{"resolve"}, States: []string{"closed"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.filter.Match(ch))
		})
	}
}

func TestBusDeliversToMatchingSubscriptions(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var all, incidents, resolved recorder
	bus.Subscribe(notify.Filter{}, all.handle)
	bus.Subscribe(notify.Filter{Kinds: []string{"incident"}}, incidents.handle)
	kinds := []string{"incident", "problem"}
	bus.Subscribe(notify.Filter{Kinds: kinds, States: []string{"resolved"}}, resolved.handle)
	kinds[1] = "change" // the bus keeps its own copy of the filter

	for _, ch := range []lifecycle.Change{
		change("incident", "create", "new"),
		change("problem", "resolve", "resolved"),
		change("incident", "resolve", "resolved"),
		change("change", "resolve", "resolved"),
	} {
		require.NoError(t, bus.Notify(t.Context(), ch))
	}

	assert.Equal(t, []string{"incident.create>new", "problem.resolve>resolved", "incident.resolve>resolved", "change.resolve>resolved"}, all.events())
	assert.Equal(t, []string{"incident.create>new", "incident.resolve>resolved"}, incidents.events())
	assert.Equal(t, []string{"problem.resolve>resolved", "incident.resolve>resolved"}, resolved.events())
}

func TestBusCallsInSubscriptionOrder(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var order []int
	for i := range 5 {
		bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error {
			order = append(order, i)
			return nil
		})
	}
	require.NoError(t, bus.Notify(t.Context(), change("incident", "create", "new")))
	assert.Equal(t, []int{0, 1, 2, 3, 4}, order)
}

func TestBusHandlersGetTheirOwnCopy(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	bus.Subscribe(notify.Filter{}, func(_ context.Context, ch lifecycle.Change) error {
		ch.Fields[0].New = "changed"
		ch.Actor.Groups[0] = "changed"
		return nil
	})
	var second recorder
	bus.Subscribe(notify.Filter{}, second.handle)

	ch := change("incident", "assign", "assigned")
	ch.Fields = []lifecycle.FieldChange{{Field: "group", Old: "", New: "network"}}
	ch.Actor = itil.Actor{ID: "bob", Groups: []string{"network"}}
	require.NoError(t, bus.Notify(t.Context(), ch))

	require.Len(t, second.got, 1)
	assert.Equal(t, "network", second.got[0].Fields[0].New)
	assert.Equal(t, "network", second.got[0].Actor.Groups[0])
	assert.Equal(t, "network", ch.Fields[0].New, "the caller's change is untouched")
}

func TestBusCancel(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var kept, dropped recorder
	bus.Subscribe(notify.Filter{}, kept.handle)
	cancel := bus.Subscribe(notify.Filter{}, dropped.handle)

	require.NoError(t, bus.Notify(t.Context(), change("incident", "create", "new")))
	cancel()
	cancel() // a second call does nothing
	require.NoError(t, bus.Notify(t.Context(), change("incident", "assign", "assigned")))

	assert.Len(t, kept.got, 2)
	assert.Equal(t, []string{"incident.create>new"}, dropped.events())
}

func TestBusCancelFromInsideHandler(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var calls int
	var cancel func()
	cancel = bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error {
		calls++
		cancel() // a one-shot subscription
		return nil
	})
	var later recorder
	// Subscribing from inside a handler works too; the new subscription sees
	// the next change, not the current one.
	var once sync.Once
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error {
		once.Do(func() { bus.Subscribe(notify.Filter{}, later.handle) })
		return nil
	})

	for range 3 {
		require.NoError(t, bus.Notify(t.Context(), change("incident", "comment", "new")))
	}
	assert.Equal(t, 1, calls)
	assert.Len(t, later.got, 2)
}

func TestBusCancelledHandlerIsSkippedMidNotify(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var second recorder
	var cancelSecond func()
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error {
		cancelSecond()
		return nil
	})
	cancelSecond = bus.Subscribe(notify.Filter{}, second.handle)

	require.NoError(t, bus.Notify(t.Context(), change("incident", "create", "new")))
	assert.Empty(t, second.got)
}

func TestBusNilHandler(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	cancel := bus.Subscribe(notify.Filter{}, nil)
	assert.NoError(t, bus.Notify(t.Context(), change("incident", "create", "new")))
	cancel()
}

func TestBusJoinsHandlerErrors(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	errMail := errors.New("mail server down")
	errChat := errors.New("chat unreachable")
	var ok recorder
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error { return errMail })
	bus.Subscribe(notify.Filter{}, ok.handle)
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error { return errChat })
	bus.Subscribe(notify.Filter{Kinds: []string{"problem"}}, func(context.Context, lifecycle.Change) error {
		return errors.New("not called: the filter does not match")
	})

	err := bus.Notify(t.Context(), change("incident", "create", "new"))
	require.Error(t, err)
	assert.ErrorIs(t, err, errMail)
	assert.ErrorIs(t, err, errChat)
	assert.NotContains(t, err.Error(), "not called")
	assert.Len(t, ok.got, 1, "a failing handler does not stop the others")
}

func TestBusTurnsPanicIntoError(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	boom := errors.New("boom")
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error { panic(boom) })
	var after recorder
	bus.Subscribe(notify.Filter{}, after.handle)

	err := bus.Notify(t.Context(), change("incident", "create", "new"))
	var pe *notify.PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, boom, pe.Value)
	assert.ErrorIs(t, err, boom)
	assert.Len(t, after.got, 1)
}

func TestBusConcurrentUse(t *testing.T) {
	t.Parallel()
	bus := notify.NewBus()
	var steady atomic.Int64
	bus.Subscribe(notify.Filter{}, func(context.Context, lifecycle.Change) error {
		steady.Add(1)
		return nil
	})

	const notifiers, churners, rounds = 8, 8, 200
	var wg sync.WaitGroup
	for i := range churners {
		kind := fmt.Sprintf("churn%d", i) // only this goroutine sends changes of this kind
		wg.Go(func() {
			for range rounds {
				var got atomic.Int64
				cancel := bus.Subscribe(notify.Filter{Kinds: []string{kind}}, func(context.Context, lifecycle.Change) error {
					got.Add(1)
					return nil
				})
				assert.NoError(t, bus.Notify(t.Context(), change(kind, "create", "new")))
				cancel()
				assert.NoError(t, bus.Notify(t.Context(), change(kind, "update", "new")))
				assert.Equal(t, int64(1), got.Load(), "called before cancel, not after")
			}
		})
	}
	for i := range notifiers {
		wg.Go(func() {
			for j := range rounds {
				assert.NoError(t, bus.Notify(t.Context(), change("incident", fmt.Sprintf("e%d_%d", i, j), "new")))
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64((notifiers+2*churners)*rounds), steady.Load())
}

// TestBusUnderDispatcher shows the at-least-once contract: when one handler
// fails, the dispatcher delivers the change again to every handler.
func TestBusUnderDispatcher(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	def, err := ticketLifecycle()
	require.NoError(t, err)
	st := memstore.New(memstore.Config{})
	proc, err := lifecycle.NewProcess[ticket](st, def, lifecycle.ProcessConfig{})
	require.NoError(t, err)

	bus := notify.NewBus()
	var steady, flaky recorder
	bus.Subscribe(notify.Filter{}, steady.handle)
	failed := false
	bus.Subscribe(notify.Filter{Events: []string{"start"}}, func(ctx context.Context, ch lifecycle.Change) error {
		if !failed {
			failed = true
			return errors.New("not yet")
		}
		return flaky.handle(ctx, ch)
	})
	d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "bus", Notifier: bus}},
		lifecycle.DispatcherConfig{MinBackoff: 1, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)

	tk, err := proc.Create(ctx, &ticket{Title: "printer jam"}, itil.Actor{ID: "alice"}, "")
	require.NoError(t, err)
	_, err = proc.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: itil.Actor{ID: "bob"}})
	require.NoError(t, err)
	require.NoError(t, d.Drain(ctx))

	assert.Equal(t, []string{"ticket.create>open", "ticket.start>working", "ticket.start>working"}, steady.events())
	assert.Equal(t, []string{"ticket.start>working"}, flaky.events())
	assert.Equal(t, steady.got[1].ID, steady.got[2].ID, "the redelivery carries the same ID")
}
