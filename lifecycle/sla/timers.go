package sla

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"github.com/itil-go/itil"
)

// Timers holds the clocks of one record under a set of Definitions, one
// Timer per definition that has applied to it. A process keeps it in its
// entity, where it round-trips through JSON with the record, and calls
// Apply after every transition and on every sweep. The zero Timers has no
// clocks; the first Apply starts those whose conditions hold.
//
// Timers is not safe for concurrent use: it belongs to its record.
type Timers struct {
	// List holds the clocks, in the order their definitions first applied.
	List []Timer `json:"list,omitempty"`
	// Seen is a digest of the facts the clocks last followed (see Stale).
	Seen string `json:"seen,omitempty"`
	// At is when the clocks last followed the record's facts.
	At time.Time `json:"at,omitzero"`
}

// Timer is the clock of one definition on one record.
type Timer struct {
	// Name is the definition's name.
	Name string `json:"name"`
	// Type is the definition's type, and Group the group an OLA binds.
	Type  Type   `json:"type"`
	Group string `json:"group,omitempty"`
	// Clock measures the time: its Target and Calendar are the
	// definition's for the record's priority. Its WarnAt is the first
	// threshold below 100%, its Deadline the breach.
	Clock Clock `json:"clock"`
	// Raised lists the thresholds crossed and reported, in order: each is
	// reported once per clock, however the target changes later.
	Raised []Raised `json:"raised,omitempty"`
	// Due is when the next threshold not yet reported falls due while the
	// clock runs; zero otherwise.
	Due time.Time `json:"due,omitzero"`
	// Outcome is met or breached once the clock has stopped, pending
	// while it is idle, runs or is paused.
	Outcome Outcome `json:"outcome"`
}

// Raised is a threshold a Timer has reported.
type Raised struct {
	// Percent is the threshold's share of the target.
	Percent int `json:"percent"`
	// At is when the clock crossed it.
	At time.Time `json:"at"`
}

// Outcome is how a Timer ended: met or breached.
type Outcome int8

// The outcomes. The zero value, Pending, is a clock that has not stopped.
const (
	Pending Outcome = iota
	// Met: the clock stopped before using its whole target.
	Met
	// Breached: the clock used its whole target.
	Breached
)

var outcomeNames = itil.Names[Outcome]{Field: "outcome", List: []string{"pending", "met", "breached"}}

// String returns "pending", "met" or "breached".
func (o Outcome) String() string { return outcomeNames.String(o) }

// MarshalText encodes the outcome by name.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeNames.Marshal(o) }

// UnmarshalText decodes an outcome by name; another text is a
// *itil.ValidationError on "outcome".
func (o *Outcome) UnmarshalText(b []byte) error { return outcomeNames.Unmarshal(o, b) }

// Timer returns the clock of the definition called name, if it has applied
// to the record.
func (ts *Timers) Timer(name string) (Timer, bool) {
	if t := ts.find(name); t != nil {
		return *t, true
	}
	return Timer{}, false
}

func (ts *Timers) find(name string) *Timer {
	for i := range ts.List {
		if ts.List[i].Name == name {
			return &ts.List[i]
		}
	}
	return nil
}

// Clone returns a copy of ts that shares nothing with it.
func (ts Timers) Clone() Timers {
	ts.List = slices.Clone(ts.List)
	for i := range ts.List {
		ts.List[i].Raised = slices.Clone(ts.List[i].Raised)
	}
	return ts
}

// Apply brings the record's clocks up to date with its facts at now under
// the definitions ds, and returns the thresholds crossed that were not
// reported before, in the order they happened, each with its actions for
// the process to run in the same change. For each definition, in order:
//
//   - It applies while the record meets its When conditions and has a
//     target for its priority, and, for an OLA, while the record is with
//     the OLA's group.
//   - Its clock starts the first time it applies and its start condition
//     holds: at now, or at Facts.Created when Retroactive.
//   - A started clock stops when its stop condition holds or the
//     definition no longer applies (an OLA's group handed the record on),
//     and its outcome is then met or breached; otherwise it pauses while
//     the pause condition holds and runs when it does not.
//   - A stopped clock runs on from the time it accrued when the definition
//     applies again, its stop condition no longer holds and its start
//     condition does, unless the definition is Final: an OLA whose group
//     gets the record back counts the group's time anew against the same
//     target, its thresholds reported already not reported again.
//   - A change of priority, target or calendar retargets the clock, keeping
//     the time accrued.
//
// Apply is idempotent: calling it again with the same facts changes nothing
// and returns no crossings. Bad facts (an undefined priority or category)
// yield a *itil.ValidationError and leave ts unchanged. The clock of a
// definition the set no longer has is left as it was, and never due.
func (ts *Timers) Apply(ds *Definitions, f Facts, now time.Time) ([]Crossing, error) {
	switch {
	case ds == nil:
		return nil, &itil.ValidationError{Field: "definitions", Reason: "required"}
	case !f.Category.Valid():
		return nil, &itil.ValidationError{Field: "category", Reason: fmt.Sprintf("%v is not a category", f.Category)}
	case !f.Priority.Valid():
		return nil, &itil.ValidationError{Field: "priority", Reason: fmt.Sprintf("%v is not a priority P1 to P5", f.Priority)}
	}
	now = now.UTC()
	created := f.Created.UTC()
	if created.IsZero() || created.After(now) {
		created = now
	}
	var out []Crossing
	for i := range ds.defs {
		d := &ds.defs[i]
		target, ok := d.targetFor(f.Priority)
		applies := ok && d.When.matches(&f) && (d.Type == SLA || f.Group == d.Group)
		t := ts.find(d.Name)
		if t == nil {
			if !applies || !d.starts(&f) {
				continue
			}
			ts.List = append(ts.List, Timer{Name: d.Name, Type: d.Type, Group: d.Group, Clock: Clock{Name: d.Name}})
			t = &ts.List[len(ts.List)-1]
		}
		out = t.follow(ds, d, applies, target, &f, created, now, out)
	}
	for i := range ts.List {
		if !ds.has(ts.List[i].Name) {
			ts.List[i].Due = time.Time{}
		}
	}
	slices.SortStableFunc(out, func(a, b Crossing) int { return a.At.Compare(b.At) })
	ts.Seen = f.digest()
	if now.After(ts.At) {
		ts.At = now
	}
	return out, nil
}

// Next returns when the next threshold not yet reported is due on any
// clock, or the zero time when none is pending.
func (ts *Timers) Next() time.Time {
	var next time.Time
	for _, t := range ts.List {
		if !t.Due.IsZero() && (next.IsZero() || t.Due.Before(next)) {
			next = t.Due
		}
	}
	return next
}

// Stale reports whether f differs from the facts the clocks last followed
// in anything but time: a change the record had without a transition (a
// reassignment by edit, say), which a sweep brings to the clocks.
func (ts *Timers) Stale(f Facts) bool { return ts.Seen != f.digest() }

// follow brings the timer of definition d up to date, appending what it
// crosses to out.
func (t *Timer) follow(ds *Definitions, d *compiled, applies bool, target Target, f *Facts, created, now time.Time, out []Crossing) []Crossing {
	c := &t.Clock
	run, ok := ds.Calendar(c.Calendar)
	cal, _ := ds.Calendar(target.Calendar)
	if !ok {
		run = cal
	}
	out = t.raise(d, run, now, out) // what came due under the status it had
	if warn := d.warnPercent(); applies && (c.Target != target.Within || c.Calendar != target.Calendar || c.WarnPercent != warn) {
		c.retarget(target.Within, warn, target.Calendar, run, cal, now)
		run = cal
	}
	start, stop := d.starts(f), d.Stop.holds(f)
	switch c.Status {
	case Idle:
		if applies && start {
			at := now
			if d.Retroactive {
				at = created
			}
			c.Start(run, at)
		}
	case Stopped:
		if applies && !d.Final && !stop && start {
			c.Resume(run, now)
		}
	}
	if c.Status == Running || c.Status == Paused {
		switch {
		case !applies || stop:
			c.Stop(run, now)
		case d.Pause.holds(f):
			c.Pause(run, now)
		default:
			c.Resume(run, now)
		}
	}
	out = t.raise(d, run, now, out) // what a retroactive start or a retarget made due
	t.Outcome = Pending
	if c.Status == Stopped {
		t.Outcome = Met
		if t.raised(100) {
			t.Outcome = Breached
		}
	}
	for _, r := range t.Raised {
		if r.Percent == c.WarnPercent {
			c.WarnedAt = r.At
		}
		if r.Percent == 100 {
			c.BreachedAt = r.At
		}
	}
	t.Due = t.next(d, run)
	return out
}

// raise reports the thresholds the clock has crossed by now and not
// reported, at the instants it crossed them.
func (t *Timer) raise(d *compiled, cal *Calendar, now time.Time, out []Crossing) []Crossing {
	c := &t.Clock
	if c.Status == Idle || c.Target <= 0 {
		return out
	}
	used := c.Elapsed(cal, now)
	for _, th := range d.thresholds {
		if t.raised(th.Percent) {
			continue
		}
		after := share(c.Target, th.Percent)
		if after > used {
			break
		}
		at := c.Since
		if c.Status == Running && after > c.Accrued {
			at = cal.Add(c.Since, after-c.Accrued).UTC()
		}
		t.Raised = append(t.Raised, Raised{Percent: th.Percent, At: at})
		kind := Warning
		if th.Percent == 100 {
			kind = Breach
		}
		out = append(out, Crossing{Clock: t.Name, Kind: kind, At: at, Target: c.Target, Percent: th.Percent, Actions: slices.Clone(th.Actions)})
	}
	return out
}

// next returns when the clock crosses its next threshold not reported, if
// it runs.
func (t *Timer) next(d *compiled, cal *Calendar) time.Time {
	c := &t.Clock
	if c.Status != Running || c.Target <= 0 {
		return time.Time{}
	}
	for _, th := range d.thresholds {
		if t.raised(th.Percent) {
			continue
		}
		after := share(c.Target, th.Percent)
		if after <= c.Accrued {
			return c.Since
		}
		return cal.Add(c.Since, after-c.Accrued).UTC()
	}
	return time.Time{}
}

// raised reports whether the threshold at percent has been reported.
func (t *Timer) raised(percent int) bool {
	return slices.ContainsFunc(t.Raised, func(r Raised) bool { return r.Percent == percent })
}

// starts reports whether the definition's start condition holds.
func (d *compiled) starts(f *Facts) bool { return d.Start.empty() || d.Start.holds(f) }

// warnPercent is the share its clock's WarnAt shows: the first threshold
// below 100%, or 100.
func (d *compiled) warnPercent() int { return d.thresholds[0].Percent }

// digest sums up the facts but time, for Stale.
func (f *Facts) digest() string {
	h := fnv.New64a()
	write := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	write(f.Priority.String())
	write(f.Category.String())
	write(strconv.FormatBool(f.Responded))
	write(f.State)
	write(f.RecordCategory)
	write(f.Group)
	for _, l := range [][]string{f.Services, f.CIClasses} {
		for _, s := range slices.Sorted(slices.Values(l)) {
			write(s)
		}
		write("\x01")
	}
	return strconv.FormatUint(h.Sum64(), 16)
}
