package lifecycle

import (
	"context"
	"sync"
	"time"

	"github.com/itil-go/itil"
)

// Projection keeps an in-memory read model (an index of known errors, a
// change calendar) current from a store's log, the same way on every host
// that shares the store: it replays the log from the start, then follows
// it. The model's owner gives the function that applies one change and
// calls CatchUp before it answers from the model, so that an answer
// reflects every change committed before the question, whichever host made
// it. NewProjection does no I/O; the first CatchUp (or Run) replays.
//
// Apply is called with one change at a time, in log order, never
// concurrently. If it fails, CatchUp returns the error and the next
// CatchUp applies the same change again.
type Projection struct {
	log   Outbox
	apply func(ctx context.Context, ch Change) error
	batch int

	mu  sync.Mutex // held while catching up
	seq int64      // the last change applied
}

// NewProjection returns a projection of log through apply.
func NewProjection(log Outbox, apply func(ctx context.Context, ch Change) error) *Projection {
	return &Projection{log: log, apply: apply, batch: 500}
}

// CatchUp applies every change the log holds after the last one applied.
func (p *Projection) CatchUp(ctx context.Context) error {
	if p.log == nil || p.apply == nil {
		return &itil.ValidationError{Field: "projection", Reason: "needs a log and an apply func (use NewProjection)"}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		chs, err := p.log.ReadLog(ctx, p.seq, p.batch)
		if err != nil {
			return err
		}
		for _, ch := range chs {
			if err := p.apply(ctx, ch); err != nil {
				return err
			}
			p.seq = ch.Seq
		}
		if len(chs) < p.batch {
			return nil
		}
	}
}

// Seq returns the sequence number of the last change applied.
func (p *Projection) Seq() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// Run catches up at every write the store announces (Waker) and at least
// every poll (default 1s), until ctx ends; it returns nil then. A failed
// catch-up is tried again at the next tick. Running it keeps the model warm,
// so that a CatchUp before a read finds little to do; it is not needed for
// correctness.
func (p *Projection) Run(ctx context.Context, poll time.Duration) error {
	if poll <= 0 {
		poll = time.Second
	}
	w, _ := p.log.(Waker)
	for ctx.Err() == nil {
		var wake <-chan struct{}
		if w != nil {
			wake = w.Changed()
		}
		p.CatchUp(ctx) //nolint:errcheck // retried at the next tick; readers see the error
		sleep(ctx, poll, wake)
	}
	return nil
}
