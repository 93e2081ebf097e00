package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// Subscription names a Notifier for the dispatcher. The name is the
// consumer's cursor in the store's outbox: keep it stable across restarts, or
// the subscription starts again from the beginning of the log.
type Subscription struct {
	Name     string
	Notifier Notifier
}

// DispatcherConfig configures a Dispatcher. The zero value means the
// defaults.
type DispatcherConfig struct {
	// Holder identifies this process to the store's leases. Default: a new
	// random ID.
	Holder string
	// Batch is how many changes one claim reads. Default 100.
	Batch int
	// Lease is how long a claim holds a subscription against other holders.
	// Default 30s.
	Lease time.Duration
	// Poll is how often an idle dispatcher looks for changes when the store
	// does not implement Waker, and how often a holder retries a
	// subscription another process holds. Default 250ms.
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the exponential backoff between
	// attempts to deliver a change that failed. Defaults 100ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// Logger receives delivery failures. Default slog.Default().
	Logger *slog.Logger
}

// Dispatcher drains a store's outbox to notifiers: at least once, in log
// order (so in order per record), retrying a failing notifier with
// exponential backoff and jitter until it takes the change. A failing
// notifier holds back only its own subscription; it never fails or loses a
// transition, which was saved before the dispatcher saw it.
type Dispatcher struct {
	box  Outbox
	subs []Subscription
	cfg  DispatcherConfig
	wake func() <-chan struct{}
}

// NewDispatcher returns a dispatcher for box and subs. Subscription names
// must be non-empty and distinct, and every notifier set.
func NewDispatcher(box Outbox, subs []Subscription, cfg DispatcherConfig) (*Dispatcher, error) {
	if box == nil {
		return nil, &itil.ValidationError{Field: "outbox", Reason: "required"}
	}
	seen := map[string]bool{}
	for i, s := range subs {
		switch {
		case s.Name == "":
			return nil, &itil.ValidationError{Field: fmt.Sprintf("subscriptions[%d].name", i), Reason: "required"}
		case seen[s.Name]:
			return nil, &itil.ValidationError{Field: fmt.Sprintf("subscriptions[%d].name", i), Reason: fmt.Sprintf("%q used twice", s.Name)}
		case s.Notifier == nil:
			return nil, &itil.ValidationError{Field: fmt.Sprintf("subscriptions[%d].notifier", i), Reason: "required"}
		}
		seen[s.Name] = true
	}
	if cfg.Holder == "" {
		cfg.Holder = uuid.NewString()
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(30*time.Second, cfg.MinBackoff)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	d := &Dispatcher{box: box, subs: subs, cfg: cfg}
	if w, ok := box.(Waker); ok {
		d.wake = w.Changed
	}
	return d, nil
}

// Run delivers until ctx ends, one goroutine per subscription, and returns
// nil then. Leases are released on the way out.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, s := range d.subs {
		wg.Go(func() { d.run(ctx, s) })
	}
	wg.Wait()
	return nil
}

func (d *Dispatcher) run(ctx context.Context, s Subscription) {
	defer d.box.Release(context.WithoutCancel(ctx), s.Name, d.cfg.Holder) //nolint:errcheck // best effort: the lease expires anyway
	backoff := d.cfg.MinBackoff
	for ctx.Err() == nil {
		var wake <-chan struct{}
		if d.wake != nil {
			wake = d.wake() // before the claim, so a write after it is not missed
		}
		n, err := d.pass(ctx, s)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrLeased):
			backoff = d.cfg.MinBackoff
			sleep(ctx, d.cfg.Poll, nil)
		case err != nil:
			d.cfg.Logger.WarnContext(ctx, "delivery failed; will retry",
				slog.String("subscription", s.Name), slog.Duration("backoff", backoff), slog.Any("error", err))
			sleep(ctx, jitter(backoff), nil)
			backoff = min(backoff*2, d.cfg.MaxBackoff)
		case n == 0:
			backoff = d.cfg.MinBackoff
			sleep(ctx, d.cfg.Poll, wake)
		default:
			backoff = d.cfg.MinBackoff
		}
	}
}

// pass claims one batch for s and delivers it in order, acknowledging what
// was delivered. It returns how many changes were delivered.
func (d *Dispatcher) pass(ctx context.Context, s Subscription) (int, error) {
	batch, err := d.box.Claim(ctx, s.Name, d.cfg.Holder, d.cfg.Batch, d.cfg.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	claimed := time.Now()
	delivered := 0
	var failure error
	for _, ch := range batch {
		// Renew the lease when half of it has gone, so that a slow notifier
		// does not let another holder take the subscription mid-batch.
		if time.Since(claimed) > d.cfg.Lease/2 {
			if delivered > 0 {
				if err := d.box.Ack(ctx, s.Name, d.cfg.Holder, batch[delivered-1].Seq); err != nil {
					return delivered, err
				}
			}
			if _, err := d.box.Claim(ctx, s.Name, d.cfg.Holder, 1, d.cfg.Lease); err != nil {
				return delivered, err
			}
			claimed = time.Now()
		}
		if err := s.Notifier.Notify(ctx, ch); err != nil {
			failure = fmt.Errorf("%s %s (seq %d): %w", ch.Number, ch.Event, ch.Seq, err)
			break
		}
		delivered++
	}
	if delivered > 0 {
		if err := d.box.Ack(ctx, s.Name, d.cfg.Holder, batch[delivered-1].Seq); err != nil {
			return delivered, err
		}
	}
	return delivered, failure
}

// Drain delivers every change already in the outbox to every subscription,
// retrying failures with backoff, and returns when all are caught up or ctx
// ends. Hosts that run no background dispatcher (command-line tools, tests)
// call it after their writes.
func (d *Dispatcher) Drain(ctx context.Context) error {
	for _, s := range d.subs {
		// Whatever ends the drain, the lease goes, so that another holder
		// (this host restarted, say) need not wait for it to expire.
		defer d.box.Release(context.WithoutCancel(ctx), s.Name, d.cfg.Holder) //nolint:errcheck // best effort: the lease expires anyway

		backoff := d.cfg.MinBackoff
		for {
			n, err := d.pass(ctx, s)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if errors.Is(err, ErrLeased) {
					sleep(ctx, d.cfg.Poll, nil)
					continue
				}
				d.cfg.Logger.WarnContext(ctx, "delivery failed; will retry",
					slog.String("subscription", s.Name), slog.Duration("backoff", backoff), slog.Any("error", err))
				sleep(ctx, jitter(backoff), nil)
				backoff = min(backoff*2, d.cfg.MaxBackoff)
				continue
			}
			backoff = d.cfg.MinBackoff
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// jitter spreads d over [d/2, d).
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// sleep waits for d, for wake to close, or for ctx to end.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-wake:
	}
}
