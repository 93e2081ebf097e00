package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/itil-go/itil/lifecycle"
)

// Handler receives the changes a Bus subscription matches. A returned error
// makes Bus.Notify fail, so the dispatcher delivers the change again later,
// to every matching handler: handlers see changes at least once and should
// deduplicate on Change.ID. A handler gets its own copy of the change.
type Handler func(ctx context.Context, ch lifecycle.Change) error

// Filter selects changes for a Bus subscription. Each list that is not empty
// must contain the change's value; an empty list matches anything, so the
// zero Filter matches every change.
type Filter struct {
	// Kinds are record kinds, such as "incident".
	Kinds []string
	// Events are event names, such as "resolve", lifecycle.EventCreate or
	// lifecycle.EventUpdate.
	Events []string
	// States are the states a change leads to (Change.To).
	States []string
}

// Match reports whether ch passes the filter.
func (f Filter) Match(ch lifecycle.Change) bool {
	return matchAny(f.Kinds, ch.Kind) && matchAny(f.Events, ch.Event) && matchAny(f.States, ch.To)
}

func matchAny(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }

func (f Filter) clone() Filter {
	return Filter{Kinds: slices.Clone(f.Kinds), Events: slices.Clone(f.Events), States: slices.Clone(f.States)}
}

// Bus is an in-process publish/subscribe lifecycle.Notifier: every change it
// is given goes to each subscription whose Filter matches. Subscribe, cancel
// and Notify are safe for concurrent use, and handlers may subscribe or cancel
// from inside a call. The zero Bus is not usable; call NewBus.
//
// All of a Bus's handlers share one dispatcher subscription, so one failing
// handler makes the others see the change again. Handlers that should not
// affect each other go on separate Buses with separate subscriptions.
type Bus struct {
	mu   sync.Mutex
	subs atomic.Pointer[[]*subscriber] // copy-on-write, in subscription order
	next uint64
}

type subscriber struct {
	id       uint64
	filter   Filter
	handle   Handler
	canceled atomic.Bool
}

var _ lifecycle.Notifier = (*Bus)(nil)

// NewBus returns a Bus without subscriptions.
func NewBus() *Bus {
	b := &Bus{}
	b.subs.Store(new([]*subscriber))
	return b
}

// Subscribe calls h with every change that f matches, until cancel is called.
// The filter's lists are copied. Handlers are called one after another, in
// the order they subscribed. Once cancel has returned, a Notify that starts
// later does not call h; cancel may be called more than once. A nil h
// subscribes nothing.
func (b *Bus) Subscribe(f Filter, h Handler) (cancel func()) {
	if h == nil {
		return func() {}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	s := &subscriber{id: b.next, filter: f.clone(), handle: h}
	subs := append(slices.Clone(*b.subs.Load()), s)
	b.subs.Store(&subs)
	var once sync.Once
	return func() { once.Do(func() { b.remove(s) }) }
}

func (b *Bus) remove(s *subscriber) {
	s.canceled.Store(true)
	b.mu.Lock()
	defer b.mu.Unlock()
	subs := slices.DeleteFunc(slices.Clone(*b.subs.Load()), func(x *subscriber) bool { return x == s })
	b.subs.Store(&subs)
}

// Notify calls every handler whose filter matches ch, each with its own copy
// of ch, even when an earlier one fails. It returns nil when all succeed, or
// the errors of those that failed joined with errors.Join, each wrapped with
// the subscription's number; a handler that panics counts as failed. Given an
// error, the dispatcher delivers ch again later to every matching handler,
// including those that already took it.
func (b *Bus) Notify(ctx context.Context, ch lifecycle.Change) error {
	var errs []error
	for _, s := range *b.subs.Load() {
		if s.canceled.Load() || !s.filter.Match(ch) {
			continue
		}
		if err := s.call(ctx, ch.Clone()); err != nil {
			errs = append(errs, fmt.Errorf("notify: bus subscription %d: %w", s.id, err))
		}
	}
	return errors.Join(errs...)
}

// call runs the handler, turning a panic into an error so that one broken
// handler cannot bring down the dispatcher that feeds the bus.
func (s *subscriber) call(ctx context.Context, ch lifecycle.Change) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r}
		}
	}()
	return s.handle(ctx, ch)
}

// PanicError reports a Bus handler that panicked; Notify returns it (joined
// with any other failures) instead of letting the panic unwind. It is in
// no class of its own: a panic is a fault of the handler, an internal
// error (HTTP 500) that the dispatcher retries, not something the caller
// can correct; when the handler panicked with an error, PanicError
// unwraps to it and so has that error's class, if any.
type PanicError struct {
	// Value is what the handler passed to panic.
	Value any
}

// Error describes the panic.
func (e *PanicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.Value) }

// Unwrap returns Value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
