package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The names of the clocks in a Set.
const (
	ResponseClock   = "response"
	ResolutionClock = "resolution"
)

// Set holds the SLA clocks of one record: time to respond and time to
// resolve. A process keeps it in its entity, where it round-trips through
// JSON with the record, and calls Apply after every transition and on every
// sweep. The zero Set has not started; the first Apply starts it.
//
// A Set is not safe for concurrent use: it belongs to its record.
type Set struct {
	// Priority is the priority whose targets the clocks follow.
	Priority itil.Priority `json:"priority,omitzero"`
	// Response runs from the record's creation until it is responded to.
	Response Clock `json:"response"`
	// Resolution runs while the record is open, pauses while it waits,
	// stops when it is resolved and continues when it is reopened.
	Resolution Clock `json:"resolution"`
}

// Facts are what a process knows about its record after a transition.
type Facts struct {
	// Priority selects the policy's targets. When it changes, the clocks
	// are retargeted, keeping the time accrued.
	Priority itil.Priority
	// Category is the category of the record's state.
	Category lifecycle.Category
	// Responded is true once the record has been responded to: assigned,
	// or in progress, as the process defines it.
	Responded bool

	// The facts below are read by Definitions (Timers.Apply) only.

	// State is the name of the record's state, for conditions on states.
	State string
	// Created is when the record was created: a retroactive start counts
	// from it. Zero means the current time.
	Created time.Time
	// RecordCategory is the record's own category ("network"), for When's
	// categories.
	RecordCategory string
	// Group is the assignment group holding the record, which an OLA
	// binds.
	Group string
	// Services are the business services the record affects.
	Services []string
	// CIClasses are the classes of the record's configuration items.
	CIClasses []string
}

// Apply brings the clocks up to date with the record's facts at now, then
// checks them, and returns the warnings and breaches not reported before
// (see Clock.Check), in the order they happened:
//
//   - The first Apply starts both clocks.
//   - The clocks follow the policy's targets for Facts.Priority; when these
//     differ from the clocks' (the priority or the policy changed), the
//     clocks are retargeted, keeping the time accrued.
//   - The response clock stops for good once Responded is true or the record
//     is resolved, closed or cancelled; until then it pauses in Paused states
//     and runs in Open ones.
//   - The resolution clock runs in Open states, pauses in Paused states and
//     stops in Resolved, Closed and Cancelled ones; a reopened record's clock
//     runs on from the time it had accrued.
//
// Apply is idempotent: calling it again with the same facts changes nothing
// and returns no crossings, so a sweep may call it on every record it visits.
// Bad facts, or a policy that lacks their targets or calendars, yield a
// *itil.ValidationError, and the Set is left unchanged.
//
// A clock whose calendar the policy no longer has is settled on the
// calendar of its new target.
func (s *Set) Apply(p *Policy, f Facts, now time.Time) ([]Crossing, error) {
	if p == nil {
		return nil, &itil.ValidationError{Field: "policy", Reason: "required"}
	}
	if !f.Category.Valid() {
		return nil, &itil.ValidationError{Field: "category", Reason: fmt.Sprintf("%v is not a category", f.Category)}
	}
	ts, err := p.For(f.Priority)
	if err != nil {
		return nil, err
	}
	if p.WarnPercent < 0 || p.WarnPercent > 100 {
		return nil, &itil.ValidationError{Field: "warn_percent", Reason: fmt.Sprintf("%d is not between 1 and 100", p.WarnPercent)}
	}
	respCal, err := p.calendar(ts.Response.Calendar, "")
	if err != nil {
		return nil, inField(err, "targets."+f.Priority.String()+".response.calendar")
	}
	resCal, err := p.calendar(ts.Resolution.Calendar, "")
	if err != nil {
		return nil, inField(err, "targets."+f.Priority.String()+".resolution.calendar")
	}

	s.Priority = f.Priority
	s.Response.follow(p, ResponseClock, ts.Response, respCal, now)
	s.Resolution.follow(p, ResolutionClock, ts.Resolution, resCal, now)

	r := &s.Response
	r.Start(respCal, now)
	switch {
	case f.Responded || !f.Category.Active():
		r.Stop(respCal, now)
	case r.Status == Stopped: // responded before: stays stopped
	case f.Category == lifecycle.Paused:
		r.Pause(respCal, now)
	default:
		r.Resume(respCal, now)
	}

	res := &s.Resolution
	res.Start(resCal, now)
	switch f.Category {
	case lifecycle.Open:
		res.Resume(resCal, now)
	case lifecycle.Paused:
		res.Pause(resCal, now)
	default:
		res.Stop(resCal, now)
	}

	out := append(r.Check(respCal, now), res.Check(resCal, now)...)
	slices.SortStableFunc(out, func(a, b Crossing) int { return a.At.Compare(b.At) })
	return out, nil
}

// Next returns when the next crossing not yet reported is due on either
// clock, or the zero time when none is pending (see Clock.Next).
func (s *Set) Next() time.Time {
	a, b := s.Response.Next(), s.Resolution.Next()
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// follow names the clock and gives it target t on calendar cal, retargeting
// a started clock whose target, calendar or warning share differ.
func (c *Clock) follow(p *Policy, name string, t Target, cal *Calendar, now time.Time) {
	c.Name = name
	if c.Target == t.Within && c.Calendar == t.Calendar && c.WarnPercent == p.WarnPercent {
		return
	}
	old, err := p.calendar(c.Calendar, "")
	if err != nil {
		old = cal
	}
	c.retarget(t.Within, p.WarnPercent, t.Calendar, old, cal, now)
}
