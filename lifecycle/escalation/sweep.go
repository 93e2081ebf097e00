package escalation

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Sweeper sends the pages that fall due on a process's records. The
// process supplies where its records keep their escalation (State); the
// Sweeper finds the records that still need work, skips those with nothing
// due (State.Next), and writes each due page to its record once, as a
// change named EventPage whose fields say the page (see Page.Journal),
// with compare-and-set on the version it read. The change is the record's
// journal entry and the outbox's message at once: a dispatcher delivers
// it to the notifiers subscribed to EventPage. A record changed meanwhile
// is left alone for the next sweep, so that two hosts sweeping one store
// send each page once; and as the escalation lives in the record, a host
// that restarts between two levels resumes at the next one.
//
//	sw := escalation.Sweeper[*Incident]{
//		Process:   proc,
//		State:     func(inc *Incident) *escalation.State { return &inc.Paging },
//		Policies:  policies,  // by name
//		Schedules: schedules, // by name
//	}
//	swept, err := sw.Sweep(ctx, now) // swept.Pages, swept.Records
//
// A Sweeper holds no state of its own; it is safe for concurrent use when
// its function is.
type Sweeper[T lifecycle.Entity] struct {
	// Process is the process whose records are swept; required.
	Process *lifecycle.Process[T]
	// State returns the record's escalation, as it is stored; required.
	State func(t T) *State
	// Policies are the policies that escalations follow, by name.
	Policies map[string]*Policy
	// Schedules are the on-call schedules their targets name.
	Schedules Schedules
	// Actor is who the pages are by; default itil.System("escalation-sweep").
	Actor itil.Actor
}

// Swept counts what a Sweep sent.
type Swept struct {
	// Pages counts the pages sent.
	Pages int
	// Records counts the records paged.
	Records int
}

// check reports the first required field of s that is missing.
func (s Sweeper[T]) check(now time.Time) error {
	switch {
	case s.Process == nil:
		return itil.Invalid("Process", "required")
	case s.State == nil:
		return itil.Invalid("State", "required")
	case now.IsZero():
		return itil.Invalid("now", "required")
	}
	return nil
}

// Sweep visits the records of the process that still need work (states in
// the open and paused categories) and sends the pages due by now on each,
// as Send does. A record whose pages fail (its policy is not among
// Policies, say) is reported in the joined error, named by its number,
// and the sweep goes on; an error reading the records ends it. A Sweeper
// without Process or State, and a zero now, are a *itil.ValidationError
// naming the field.
func (s Sweeper[T]) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	if err := s.check(now); err != nil {
		return out, err
	}
	var errs []error
	for t, err := range s.Process.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}) {
		if err != nil {
			return out, err
		}
		if !s.State(t).Due(now) {
			continue
		}
		_, n, err := s.Send(ctx, t, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", t.Base().Number, err))
		}
		if n > 0 {
			out.Records++
			out.Pages += n
		}
	}
	return out, errors.Join(errs...)
}

// Send sends the pages due by now on t, a record as read from the store:
// one change per page, in order, each written with compare-and-set on the
// version before it. It returns the record as last written and how many
// pages it sent. When the record has changed since it was read (another
// host sent the page, or someone acknowledged), Send stops there without
// an error: the change that won saw to it, or the next sweep will. A nil
// t is a *itil.ValidationError naming "record".
func (s Sweeper[T]) Send(ctx context.Context, t T, now time.Time) (T, int, error) {
	if err := s.check(now); err != nil {
		return t, 0, err
	}
	if v := reflect.ValueOf(t); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return t, 0, itil.Invalid("record", "required")
	}
	by := s.Actor
	if by.ID == "" {
		by = itil.System("escalation-sweep")
	}
	n := 0
	for s.State(t).Due(now) {
		st := s.State(t)
		p := s.Policies[st.Policy]
		if p == nil {
			return t, n, itil.Invalid("policy", fmt.Sprintf("unknown policy %q", st.Policy))
		}
		rec := t.Base()
		out, err := s.Process.Fire(ctx, rec.ID, lifecycle.Action[T]{Name: EventPage, Actor: by, Version: rec.Version,
			Apply: func(t T, ed *lifecycle.Edit) error {
				pg, ok, err := s.State(t).Page(p, s.Schedules, now)
				if err != nil {
					return err
				}
				if !ok {
					return errNothingDue
				}
				pg.Journal(ed)
				return nil
			},
		})
		switch {
		case errors.Is(err, lifecycle.ErrConflict), errors.Is(err, errNothingDue):
			return t, n, nil
		case err != nil:
			return t, n, err
		}
		t = out
		n++
	}
	return t, n, nil
}

// errNothingDue ends a Send whose record, as written, has no page due.
var errNothingDue = errors.New("escalation: nothing due")
