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
	// EventClocks names a change that crosses nothing but moves clocks,
	// such as an OLA stopped because its group handed the record on by an
	// edit, which the sweep is first to see.
	EventClocks = "sla_clocks"
)

// Sweeper raises the warnings and breaches that fall due on a process's
// records while nobody touches them: a transition brings a record's clocks
// up to date, and a sweep does it for the others. The process supplies
// where its records keep their clocks (Clocks) and how it brings them up to
// date and journals what they cross (Apply, the function its enter hook
// calls too); the Sweeper finds the records that still need work, checks
// each one's clocks, and writes a change named EventWarning or EventBreach
// to each record with a crossing due (EventClocks to one whose clocks Apply
// moved without a crossing), with compare-and-set on the version it read.
// A record changed meanwhile is left alone: its change brought its clocks
// up to date, or the next sweep will. Each crossing is journaled once,
// however often and on however many hosts a sweep runs.
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
	switch {
	case s.Process == nil:
		return Swept{}, &itil.ValidationError{Field: "Process", Reason: "required"}
	case s.Clocks == nil:
		return Swept{}, &itil.ValidationError{Field: "Clocks", Reason: "required"}
	case s.Apply == nil:
		return Swept{}, &itil.ValidationError{Field: "Apply", Reason: "required"}
	}
	out, err := sweep(ctx, s.Process, func(t T) time.Time { return s.Clocks(t).Next() }, s.Apply, s.Actor, now)
	return out.Swept, err
}

// TimersSweeper is Sweeper for a process whose records keep Timers, the
// clocks of Definitions: it raises the thresholds that fall due, and
// writes what an edit changed in the facts the clocks follow (a group
// that handed an OLA's record on), each with compare-and-set, once.
//
//	sw := sla.TimersSweeper[*Incident]{
//		Process: proc,
//		Due: func(inc *Incident) time.Time {
//			if inc.SLATimers.Stale(factsOf(inc)) {
//				return inc.UpdatedAt
//			}
//			return inc.SLATimers.Next()
//		},
//		Apply: func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) { … },
//	}
//	swept, err := sw.Sweep(ctx, now) // swept.Warnings, swept.Breaches, swept.Actions
//
// A TimersSweeper holds no state of its own; it is safe for concurrent use
// when its functions are.
type TimersSweeper[T lifecycle.Entity] struct {
	// Process is the process whose records are swept; required.
	Process *lifecycle.Process[T]
	// Due tells when the record next needs its clocks brought up to date,
	// zero for never: Timers.Next, or a time past when the record's facts
	// are Stale; required.
	Due func(t T) time.Time
	// Apply brings the record's clocks up to date at now, runs the actions
	// of the thresholds crossed, records both in ed as the process journals
	// them, and returns the crossings; required. It is called on a copy of
	// the record first, to find what is due, and then on the record being
	// written; a record is written when Apply returns crossings or records
	// a change in ed.
	Apply func(t T, ed *lifecycle.Edit, now time.Time) ([]Crossing, error)
	// Actor is who the sweep's changes are by; default
	// itil.System("sla-sweep").
	Actor itil.Actor
}

// TimersSwept counts what a TimersSweeper's Sweep did.
type TimersSwept struct {
	Swept
	// Actions counts the actions of the crossings journaled.
	Actions int
}

// Sweep visits the records of the process that still need work, and
// writes each one whose clocks Due says need it, as a change named
// EventWarning, EventBreach or, when nothing was crossed, EventClocks;
// errors are as for Sweeper.Sweep, with Due in place of Clocks.
func (s TimersSweeper[T]) Sweep(ctx context.Context, now time.Time) (TimersSwept, error) {
	switch {
	case s.Process == nil:
		return TimersSwept{}, &itil.ValidationError{Field: "Process", Reason: "required"}
	case s.Due == nil:
		return TimersSwept{}, &itil.ValidationError{Field: "Due", Reason: "required"}
	case s.Apply == nil:
		return TimersSwept{}, &itil.ValidationError{Field: "Apply", Reason: "required"}
	}
	return sweep(ctx, s.Process, s.Due, s.Apply, s.Actor, now)
}

// sweep is the loop of both sweepers.
func sweep[T lifecycle.Entity](ctx context.Context, proc *lifecycle.Process[T], due func(T) time.Time,
	apply func(T, *lifecycle.Edit, time.Time) ([]Crossing, error), by itil.Actor, now time.Time) (TimersSwept, error) {
	var out TimersSwept
	if now.IsZero() {
		return out, &itil.ValidationError{Field: "now", Reason: "required"}
	}
	if by.ID == "" {
		by = itil.System("sla-sweep")
	}
	var errs []error
	for t, err := range proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}) {
		if err != nil {
			return out, err
		}
		if due := due(t); due.IsZero() || due.After(now) {
			continue
		}
		rec := t.Base()
		// Find what is due on a copy, to name the change.
		var probe lifecycle.Edit
		crossings, err := apply(t.Clone().(T), &probe, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rec.Number, err))
			continue
		}
		if len(crossings) == 0 && !probe.Changed() {
			continue
		}
		warnings, breaches := Count(crossings)
		name := EventWarning
		switch {
		case breaches > 0:
			name = EventBreach
		case warnings == 0:
			name = EventClocks
		}
		_, err = proc.Fire(ctx, rec.ID, lifecycle.Action[T]{Name: name, Actor: by, Version: rec.Version,
			Apply: func(t T, ed *lifecycle.Edit) error {
				_, err := apply(t, ed, now)
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
		for _, c := range crossings {
			out.Actions += len(c.Actions)
		}
	}
	return out, errors.Join(errs...)
}
