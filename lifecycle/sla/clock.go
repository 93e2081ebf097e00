package sla

import (
	"slices"
	"time"
)

// DefaultWarnPercent is the share of a target, in percent, after which a
// clock warns when no other share is set.
const DefaultWarnPercent = 75

// Clock measures one SLA target of one record, such as the time to respond
// or to resolve, in business time on a calendar. It is plain state that
// lives in the record and round-trips through JSON, so a restarted host
// resumes every clock where it was; the calendar is configuration and is
// passed to each method. A Clock is not safe for concurrent use: it belongs
// to its record.
//
// Methods take the current time: no method reads a clock of its own. A now
// before Since counts as Since, so clocks never run backwards. Start, Pause,
// Resume and Stop do nothing when the clock is not in a status they apply
// to, so a caller may repeat them.
//
// The zero Clock is idle, with no target: it measures time but never warns or
// breaches.
type Clock struct {
	// Name says what the clock measures: "response", "resolution".
	Name string
	// Target is the business time allowed; zero means no target.
	Target time.Duration
	// Calendar names the calendar the clock runs on, for the host to find
	// it again ("" is 24x7); the methods take the calendar itself.
	Calendar string
	// WarnPercent is the share of Target, 1 to 100, after which the clock
	// warns; 0 (or anything outside 1 to 100) means DefaultWarnPercent.
	WarnPercent int

	// Status is idle, running, paused or stopped.
	Status Status
	// StartedAt is when the clock first started.
	StartedAt time.Time
	// Since is when the clock last changed status or target: Accrued and
	// PausedFor count up to it. For a stopped clock it is when it stopped.
	Since time.Time
	// Accrued is the business time used up to Since.
	Accrued time.Duration
	// PausedFor is the wall-clock time spent paused up to Since.
	PausedFor time.Duration

	// WarnAt and Deadline are when the clock reaches its warning threshold
	// and its target: projected while running, kept once reached, zero while
	// paused or stopped short of them, and zero without a target.
	WarnAt   time.Time
	Deadline time.Time
	// WarnedAt and BreachedAt are the instants of the warning and the
	// breach once Check has reported them: a crossing is reported once.
	WarnedAt   time.Time
	BreachedAt time.Time
}

// Start starts an idle clock at now. It does nothing to a clock that has
// started before: use Resume.
func (c *Clock) Start(cal *Calendar, now time.Time) {
	if c.Status != Idle {
		return
	}
	now = now.UTC()
	c.Status, c.StartedAt, c.Since = Running, now, now
	c.project(cal, now)
}

// Pause pauses a running clock.
func (c *Clock) Pause(cal *Calendar, now time.Time) {
	if c.Status != Running {
		return
	}
	now = c.settle(cal, now)
	c.Status = Paused
	c.project(cal, now)
}

// Resume runs a paused or stopped clock again, continuing from the business
// time accrued (a reopened record continues its resolution clock). It starts
// an idle clock.
func (c *Clock) Resume(cal *Calendar, now time.Time) {
	switch c.Status {
	case Idle:
		c.Start(cal, now)
	case Paused, Stopped:
		now = c.settle(cal, now)
		c.Status = Running
		c.project(cal, now)
	}
}

// Stop stops a running or paused clock.
func (c *Clock) Stop(cal *Calendar, now time.Time) {
	if c.Status != Running && c.Status != Paused {
		return
	}
	now = c.settle(cal, now)
	c.Status = Stopped
	c.project(cal, now)
}

// Retarget changes the target, as when a record's priority changes. The
// business and paused time accrued so far are kept and the deadline is
// recomputed from them: a record raised from P3 to P1 after three hours has
// one hour left of a four-hour target, not four.
//
// A threshold the new target moves ahead of the accrued time may be
// crossed, and reported, again. One it moves behind is crossed at now,
// unless its crossing was reported already. The clock stays on cal, the
// calendar it ran on; Set.Apply also moves clocks between calendars.
func (c *Clock) Retarget(target time.Duration, cal *Calendar, now time.Time) {
	c.retarget(target, c.WarnPercent, c.Calendar, cal, cal, now)
}

// retarget settles the clock on the calendar it ran on, then sets its target,
// warning share and calendar and projects on the new calendar.
func (c *Clock) retarget(target time.Duration, warn int, calName string, old, cal *Calendar, now time.Time) {
	if c.Status == Idle {
		c.Target, c.WarnPercent, c.Calendar = target, warn, calName
		return
	}
	now = c.settle(old, now)
	oldWarn, oldTarget := c.warnAfter(), c.Target
	c.Target, c.WarnPercent, c.Calendar = target, warn, calName
	if c.warnAfter() != oldWarn {
		c.WarnAt = time.Time{}
	}
	if c.Target != oldTarget {
		c.Deadline = time.Time{}
	}
	for _, th := range c.thresholds() {
		if c.Target <= 0 || c.Accrued < th.after {
			*th.raised = time.Time{} // ahead again: may be crossed anew
		}
	}
	c.project(cal, now)
}

// Elapsed returns the business time used by now.
func (c *Clock) Elapsed(cal *Calendar, now time.Time) time.Duration {
	if c.Status != Running {
		return c.Accrued
	}
	return addSat(c.Accrued, cal.Elapsed(c.Since, now))
}

// Remaining returns the business time left before the target at now:
// negative once past it, zero without a target.
func (c *Clock) Remaining(cal *Calendar, now time.Time) time.Duration {
	if c.Target <= 0 {
		return 0
	}
	return c.Target - c.Elapsed(cal, now)
}

// Percent returns the share of the target used by now, in percent (above
// 100 once past it); zero without a target.
func (c *Clock) Percent(cal *Calendar, now time.Time) float64 {
	if c.Target <= 0 {
		return 0
	}
	return 100 * float64(c.Elapsed(cal, now)) / float64(c.Target)
}

// Breached reports whether the clock has used its whole target by now.
func (c *Clock) Breached(cal *Calendar, now time.Time) bool {
	return c.Target > 0 && c.Elapsed(cal, now) >= c.Target
}

// TotalPaused returns the wall-clock time spent paused by now.
func (c *Clock) TotalPaused(now time.Time) time.Duration {
	if c.Status == Paused && now.After(c.Since) {
		return c.PausedFor + now.Sub(c.Since)
	}
	return c.PausedFor
}

// Check returns the warning and the breach that are due by now and were not
// reported before, in the order they happened, and marks them reported
// (WarnedAt, BreachedAt): a second Check returns nothing new. A crossing that
// happened before the clock paused or stopped is still reported. While the
// clock runs, Check first recomputes WarnAt and Deadline on cal, so a changed
// calendar (a new holiday) takes effect. A now before Since counts as Since
// (see Clock): what is due at Since is reported at once.
func (c *Clock) Check(cal *Calendar, now time.Time) []Crossing {
	if now.Before(c.Since) {
		now = c.Since
	}
	if c.Status == Running {
		c.project(cal, c.Since)
	}
	var out []Crossing
	if !c.WarnAt.IsZero() && c.WarnedAt.IsZero() && !c.WarnAt.After(now) {
		c.WarnedAt = c.WarnAt
		out = append(out, Crossing{Clock: c.Name, Kind: Warning, At: c.WarnAt, Target: c.Target})
	}
	if !c.Deadline.IsZero() && c.BreachedAt.IsZero() && !c.Deadline.After(now) {
		c.BreachedAt = c.Deadline
		out = append(out, Crossing{Clock: c.Name, Kind: Breach, At: c.Deadline, Target: c.Target})
	}
	slices.SortStableFunc(out, func(a, b Crossing) int { return a.At.Compare(b.At) })
	return out
}

// Next returns when the next crossing not yet reported is due: the earlier
// of WarnAt and Deadline that Check has not reported, or the zero time when
// none is pending. A host can index records by it to sweep only those due.
func (c *Clock) Next() time.Time {
	var next time.Time
	if !c.WarnAt.IsZero() && c.WarnedAt.IsZero() {
		next = c.WarnAt
	}
	if !c.Deadline.IsZero() && c.BreachedAt.IsZero() && (next.IsZero() || c.Deadline.Before(next)) {
		next = c.Deadline
	}
	return next
}

// settle counts the time from Since to now (business time while running,
// paused time while paused), records the instants of thresholds crossed on
// the way, and moves Since to now. It returns now in UTC, no earlier than
// Since.
func (c *Clock) settle(cal *Calendar, now time.Time) time.Time {
	now = now.UTC()
	if now.Before(c.Since) {
		now = c.Since
	}
	switch c.Status {
	case Running:
		before := c.Accrued
		c.Accrued = addSat(before, cal.Elapsed(c.Since, now))
		if c.Target > 0 {
			for _, th := range c.thresholds() {
				if before < th.after && th.after <= c.Accrued {
					*th.due = cal.Add(c.Since, th.after-before).UTC()
				}
			}
		}
	case Paused:
		c.PausedFor = addSat(c.PausedFor, now.Sub(c.Since))
	}
	c.Since = now
	return now
}

// project sets WarnAt and Deadline from the time accrued at Since == now:
// projected on cal while running; once reached, kept, or set to the reported
// instant or now when unknown; zero otherwise.
func (c *Clock) project(cal *Calendar, now time.Time) {
	for _, th := range c.thresholds() {
		switch {
		case c.Target <= 0:
			*th.due = time.Time{}
		case c.Accrued >= th.after:
			if th.due.IsZero() && !th.raised.IsZero() {
				*th.due = *th.raised
			} else if th.due.IsZero() {
				*th.due = now
			}
		case c.Status == Running:
			*th.due = cal.Add(now, th.after-c.Accrued).UTC()
		default:
			*th.due = time.Time{}
		}
	}
}

// threshold is one point a clock reports crossing.
type threshold struct {
	after       time.Duration // business time at which it is crossed
	due, raised *time.Time
}

func (c *Clock) thresholds() [2]threshold {
	return [2]threshold{
		{after: c.warnAfter(), due: &c.WarnAt, raised: &c.WarnedAt},
		{after: c.Target, due: &c.Deadline, raised: &c.BreachedAt},
	}
}

// warnAfter returns the business time at which the clock warns.
func (c *Clock) warnAfter() time.Duration {
	p := time.Duration(c.WarnPercent)
	if p < 1 || p > 100 {
		p = DefaultWarnPercent
	}
	t := c.Target
	return t/100*p + t%100*p/100
}
