package problem_test

import (
	"context"
	"errors"
	"sync"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// errDeskDown is what a flaky store answers to the incident writes it
// fails.
var errDeskDown = errors.New("incident store unavailable")

// flaky is a store that fails writes of incidents while it is armed: the
// first skip of them succeed, the next fail fail (then it lets every write
// through again). After a problem write it calls committed, if set.
type flaky struct {
	lifecycle.Store

	mu        sync.Mutex
	skip      int
	fail      int
	failed    int
	onFail    func()
	committed func(ch *lifecycle.Change)
}

// arm makes the next incident writes fail as described at flaky.
func (f *flaky) arm(skip, fail int, onFail func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.skip, f.fail, f.onFail = skip, fail, onFail
}

// failures returns how many incident writes failed.
func (f *flaky) failures() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

// refuse reports whether a write of e should fail now.
func (f *flaky) refuse(e lifecycle.Entity) bool {
	if e.Base().Kind != incident.Kind {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.skip > 0:
		f.skip--
		return false
	case f.fail > 0:
		f.fail--
		f.failed++
		if f.onFail != nil {
			f.onFail()
		}
		return true
	}
	return false
}

func (f *flaky) after(e lifecycle.Entity, ch *lifecycle.Change) {
	f.mu.Lock()
	committed := f.committed
	f.mu.Unlock()
	if committed != nil && e.Base().Kind != incident.Kind {
		committed(ch)
	}
}

func (f *flaky) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if f.refuse(e) {
		return errDeskDown
	}
	if err := f.Store.Update(ctx, e, expect, ch); err != nil {
		return err
	}
	f.after(e, ch)
	return nil
}

func (f *flaky) Commit(ctx context.Context, b lifecycle.Batch) error {
	for _, w := range b.Writes {
		if f.refuse(w.Entity) {
			return errDeskDown
		}
	}
	if err := f.Store.Commit(ctx, b); err != nil {
		return err
	}
	for _, w := range b.Writes {
		if w.Change != nil {
			f.after(w.Entity, w.Change)
		}
	}
	return nil
}
