package sla

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The journal names of the changes a Sweeper writes: a warning, or a
// breach (with or without a warning beside it).
const (
	EventWarning = "sla_warning"
	EventBreach  = "sla_breach"
)

// Sweeper raises the warnings and breaches that fall due on a process's
// records while nobody touches them: a transition brings a record's clocks
// up to date, and a sweep does it for the others. The process supplies
// where its records keep their clocks (Clocks) and how it brings them up to
// date and journals what they cross (Apply, the function its enter hook
// calls too); the Sweeper finds the records that still need work, checks
// each one's clocks, and writes a change named EventWarning or EventBreach
// to each record with a crossing due, with compare-and-set on the version
// it read. A record changed meanwhile is left alone: its change brought
// its clocks up to date, or the next sweep will. Each crossing is
// journaled once, however often and on however many hosts a sweep runs.
//
//	sw := sla.Sweeper[*Incident]{
//		Process: proc,
//		Clocks:  func(inc *Incident) *sla.Set { return &inc.SLA },
//		Apply: func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
//			return d.applySLA(inc, ed, inc.StateCategory, now)
//		},
//		Actor: itil.System("incident-sweep"),
//	}
//	swept, err := sw.Sweep(ctx, now)
//
// A Sweeper holds no state of its own; it is safe for concurrent use when
// its functions are.
type Sweeper[T lifecycle.Entity] struct {
	// Process is the process whose records are swept; required.
	Process *lifecycle.Process[T]
	// Clocks returns the record's clocks, as they are stored; required.
	// The Sweeper reads them only, to skip the records with nothing due.
	Clocks func(t T) *Set
	// Apply brings the record's clocks up to date at now, as the process
	// does on every transition, records the crossings in ed as the process
	// journals them (field "sla.resolution" → "breach", say), and returns
	// them; required. It is called on a copy of the record first, to find
	// what is due, and then on the record being written.
	Apply func(t T, ed *lifecycle.Edit, now time.Time) ([]Crossing, error)
	// Actor is who the sweep's changes are by; default
	// itil.System("sla-sweep").
	Actor itil.Actor
}

// Swept counts what a Sweep raised.
type Swept struct {
	// Warnings and Breaches count the crossings journaled.
	Warnings, Breaches int
	// Records counts the records written.
	Records int
}

// Sweep visits the records of the process that still need work (states in
// the open and paused categories), and journals the warnings and breaches
// due by now on each, as described for Sweeper. A record whose clocks
// Apply refuses, or whose write fails other than by a concurrent change,
// is reported in the joined error, named by its number, and the sweep goes
// on; an error reading the records ends it. A Sweeper without Process,
// Clocks or Apply, and a zero now, are a *itil.ValidationError naming the
// field.
func (s Sweeper[T]) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	switch {
	case s.Process == nil:
		return out, &itil.ValidationError{Field: "Process", Reason: "required"}
	case s.Clocks == nil:
		return out, &itil.ValidationError{Field: "Clocks", Reason: "required"}
	case s.Apply == nil:
		return out, &itil.ValidationError{Field: "Apply", Reason: "required"}
	case now.IsZero():
		return out, &itil.ValidationError{Field: "now", Reason: "required"}
	}
	by := s.Actor
	if by.ID == "" {
		by = itil.System("sla-sweep")
	}
	var errs []error
	for t, err := range s.Process.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}) {
		if err != nil {
			return out, err
		}
		if due := s.Clocks(t).Next(); due.IsZero() || due.After(now) {
			continue
		}
		rec := t.Base()
		// Find what is due on a copy, to name the change.
		crossings, err := s.Apply(t.Clone().(T), &lifecycle.Edit{}, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rec.Number, err))
			continue
		}
		if len(crossings) == 0 {
			continue
		}
		warnings, breaches := Count(crossings)
		name := EventWarning
		if breaches > 0 {
			name = EventBreach
		}
		_, err = s.Process.Fire(ctx, rec.ID, lifecycle.Action[T]{Name: name, Actor: by, Version: rec.Version,
			Apply: func(t T, ed *lifecycle.Edit) error {
				_, err := s.Apply(t, ed, now)
				return err
			}})
		switch {
		case errors.Is(err, lifecycle.ErrConflict):
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", rec.Number, err))
			continue
		}
		out.Records++
		out.Warnings += warnings
		out.Breaches += breaches
	}
	return out, errors.Join(errs...)
}
