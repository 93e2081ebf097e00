package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// CalendarConfig describes a Calendar. Its zero value is the 24x7 calendar in
// UTC with no holidays.
type CalendarConfig struct {
	// Zone is the time zone the hours and holidays are read in; nil means UTC.
	Zone *time.Location
	// Hours are the working hours per weekday. An empty Week means 24x7.
	Hours Week
	// Holidays are whole days without working time, in Zone. Order and
	// repeats do not matter.
	Holidays []Date
}

// Calendar says when business time passes: working hours per weekday in a
// time zone, less holidays. Build one with NewCalendar (or Always,
// BusinessHours, or from JSON); it is immutable and safe for concurrent use.
//
// The zero Calendar and a nil *Calendar are 24x7 in UTC with no holidays.
//
// An instant is working time when the zone's wall clock shows a time inside
// that day's working hours and the day is not a holiday. Business time is the
// real time that passes while it is working time, so daylight saving changes
// count exactly: on the day clocks spring forward, 00:00–24:00 holds 23 hours
// (and 08:00–17:00 its usual 9), on the day they fall back 25, the repeated
// hour counting twice when it is working time.
//
// Neither Elapsed nor Add walks the span. Elapsed splits it where the zone's
// UTC offset changes (twice a year in most zones); within each piece it
// counts whole weeks by multiplication, takes the holidays off with two
// binary searches over the sorted list and a running sum of the working time
// each one removes, and looks at the two partial days at the ends. Add does
// the same, finding the number of whole weeks to jump by bisection: about
// 300 ns for a year of office hours with ten holidays.
type Calendar struct {
	loc      *time.Location
	fixed    bool  // the zone's offset never changes
	fixedOff int64 // the offset in seconds, when fixed
	always   bool  // every instant is working time

	week     Week             // sorted, joined intervals per weekday
	dayWork  [7]time.Duration // working time per weekday
	weekWork time.Duration    // working time of a week; zero only in the zero Calendar

	// Working time in whole minutes (interval bounds are whole minutes),
	// for counting spans of any length without overflow.
	runMin  [7][8]int64 // runMin[d][n]: minutes of work in n days from weekday d
	weekMin int64       // minutes of work in a week

	holidays []int64 // civil day numbers, sorted, unique
	holMin   []int64 // holMin[i]: minutes of work lost to holidays[:i]
}

// NewCalendar validates cfg and returns its calendar. Bad input yields a
// *itil.ValidationError naming the field: "hours.monday[1]", "holidays[0]",
// or "zone" for a zone whose name is not valid UTF-8 or holds NUL.
func NewCalendar(cfg CalendarConfig) (*Calendar, error) {
	c := &Calendar{loc: cfg.Zone}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if err := itil.CheckText("zone", c.loc.String(), 0); err != nil {
		return nil, err
	}
	if start, end := time.Unix(0, 0).In(c.loc).ZoneBounds(); start.IsZero() && end.IsZero() {
		_, off := time.Unix(0, 0).In(c.loc).Zone()
		c.fixed, c.fixedOff = true, int64(off)
	}

	hours := cfg.Hours
	if hours.empty() {
		for d := range hours {
			hours[d] = []Interval{{Start: 0, End: 24 * time.Hour}}
		}
	}
	for d, ivs := range hours {
		joined, err := joinIntervals(ivs, "hours."+weekdayNames[d])
		if err != nil {
			return nil, err
		}
		c.week[d] = joined
		for _, iv := range joined {
			c.dayWork[d] += iv.Length()
		}
		c.weekWork += c.dayWork[d]
	}
	c.weekMin = int64(c.weekWork / time.Minute)
	for d := range c.runMin {
		for n := 1; n < len(c.runMin[d]); n++ {
			c.runMin[d][n] = c.runMin[d][n-1] + int64(c.dayWork[(d+n-1)%7]/time.Minute)
		}
	}

	c.holidays = make([]int64, 0, len(cfg.Holidays))
	for i, h := range cfg.Holidays {
		if !h.Valid() {
			return nil, &itil.ValidationError{Field: fmt.Sprintf("holidays[%d]", i), Reason: fmt.Sprintf("%s is not a date between years 1 and 9999", h)}
		}
		c.holidays = append(c.holidays, h.days())
	}
	slices.Sort(c.holidays)
	c.holidays = slices.Compact(c.holidays)
	c.holMin = make([]int64, len(c.holidays)+1)
	for i, h := range c.holidays {
		c.holMin[i+1] = c.holMin[i] + int64(c.dayWork[weekday(h)]/time.Minute)
	}

	c.always = c.weekWork == 7*24*time.Hour && len(c.holidays) == 0
	return c, nil
}

// joinIntervals sorts ivs, checks them and joins touching ones.
func joinIntervals(ivs []Interval, field string) ([]Interval, error) {
	for i, iv := range ivs {
		if err := iv.validate(fmt.Sprintf("%s[%d]", field, i)); err != nil {
			return nil, err
		}
	}
	order := make([]int, len(ivs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(ivs[a].Start - ivs[b].Start) })
	var out []Interval
	for k, i := range order {
		iv := ivs[i]
		if k > 0 {
			prev := ivs[order[k-1]]
			if iv.Start < prev.End {
				return nil, &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: fmt.Sprintf("%s overlaps %s", iv, prev)}
			}
		}
		if n := len(out); n > 0 && out[n-1].End == iv.Start {
			out[n-1].End = iv.End
			continue
		}
		out = append(out, iv)
	}
	return out, nil
}

// Always returns the 24x7 calendar in UTC with no holidays, the same as the
// zero Calendar.
func Always() *Calendar {
	c, _ := NewCalendar(CalendarConfig{}) // the zero config is valid
	return c
}

// BusinessHours returns the calendar of Monday to Friday, 08:00–17:00, in loc
// (nil means UTC), with no holidays.
func BusinessHours(loc *time.Location) *Calendar {
	c, _ := NewCalendar(CalendarConfig{Zone: loc, Hours: Weekdays(Interval{Start: 8 * time.Hour, End: 17 * time.Hour})})
	return c
}

// Config returns the calendar's configuration in normal form: the zone,
// sorted and joined intervals (every day 00:00–24:00 for 24x7), and sorted
// holidays without repeats. NewCalendar(c.Config()) builds an equal calendar;
// change the copy to derive a new calendar, such as next year's holidays.
func (c *Calendar) Config() CalendarConfig {
	if c == nil || c.weekWork == 0 {
		return Always().Config()
	}
	cfg := CalendarConfig{Zone: c.loc}
	for d, ivs := range c.week {
		cfg.Hours[d] = slices.Clone(ivs)
	}
	if len(c.holidays) > 0 {
		cfg.Holidays = make([]Date, len(c.holidays))
		for i, h := range c.holidays {
			cfg.Holidays[i] = dateOfDays(h)
		}
	}
	return cfg
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// WeekDuration returns the working time of a week without holidays.
func (c *Calendar) WeekDuration() time.Duration {
	if c == nil || c.weekWork == 0 {
		return 7 * 24 * time.Hour
	}
	return c.weekWork
}

// IsWorking reports whether t is working time.
func (c *Calendar) IsWorking(t time.Time) bool {
	if c == nil || c.weekWork == 0 || c.always {
		return true
	}
	off, _ := c.zoneAt(t)
	w := wallOf(t, off)
	if c.isHoliday(w.day) {
		return false
	}
	for _, iv := range c.week[weekday(w.day)] {
		if iv.Start <= w.ns && w.ns < iv.End {
			return true
		}
	}
	return false
}

// Elapsed returns the business time between from and to: the working time in
// [from, to). It is zero when to is not after from, and saturates at the
// largest Duration.
func (c *Calendar) Elapsed(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c == nil || c.weekWork == 0 || c.always {
		return to.Sub(from)
	}
	var total time.Duration
	for t := from; ; { // each round moves t on to next, which is after t (see zoneAt)
		off, next := c.zoneAt(t)
		end := to
		if !next.IsZero() && next.Before(to) {
			end = next
		}
		total = addSat(total, c.wallElapsed(wallOf(t, off), wallOf(end, off)))
		if end.Equal(to) {
			return total
		}
		t = end
	}
}

// Add returns the instant at which d of business time has passed after from:
// the earliest t with Elapsed(from, t) == d, in the calendar's zone. A
// deadline that uses up a working interval exactly falls at the interval's
// end (17:00), not at the start of the next one. Add returns from when d is
// not positive.
//
// Add does not search past the end of year 9999 in UTC, the latest instant a
// stored Clock can hold: a deadline later than that, as on a calendar with
// one working minute a week and a target of centuries, comes back as
// 9999-12-31T23:59:59.999999999Z, or as from when from is later still. So
// even then Add costs no more than a walk over the zone's offset changes up
// to that year.
func (c *Calendar) Add(from time.Time, d time.Duration) time.Time {
	loc := c.Location()
	if d <= 0 {
		return from.In(loc)
	}
	if c == nil || c.weekWork == 0 || c.always {
		return lastOf(from.Add(d), from).In(loc)
	}
	for t := from; ; {
		off, next := c.zoneAt(t)
		w := wallOf(t, off)
		// next is after t (see zoneAt), so each round moves t on, and
		// there are finitely many offset changes before lastInstant.
		if !next.IsZero() && next.Unix() <= lastUnix {
			if avail := c.wallElapsed(w, wallOf(next, off)); d > avail {
				d -= avail
				t = next
				continue
			}
		}
		return lastOf(c.wallAdd(w, d).instant(off), from).In(loc)
	}
}

// lastUnix is the last second of year 9999 in UTC, and lastInstant its last
// instant: the latest a stored clock can hold, and the furthest Add
// searches. An instant is after lastInstant when its Unix second is after
// lastUnix.
const lastUnix = 253402300799 // 9999-12-31T23:59:59Z

var lastInstant = time.Unix(lastUnix, 999999999).UTC()

// lastOf returns due, or lastInstant when due is later than that, or from
// when from is later still.
func lastOf(due, from time.Time) time.Time {
	switch {
	case due.Unix() <= lastUnix:
		return due
	case from.Unix() > lastUnix:
		return from
	}
	return lastInstant
}

// zoneAt returns the zone's offset at t, in seconds east of UTC, and the
// instant the offset next changes, which is after t (zero when it never
// changes again).
//
// Past a zone's last explicit transition, time.Time.ZoneBounds computes the
// bounds from the zone's rule, and on the last day of a leap year it reports
// an end that is not after t (2040-12-31 00:00 UTC for the instants of
// 2040-12-31 in Berlin): a loop that stepped to it would stand still or go
// back. zoneAt then finds the next change itself.
func (c *Calendar) zoneAt(t time.Time) (off int64, next time.Time) {
	if c.fixed {
		return c.fixedOff, time.Time{}
	}
	lt := t.In(c.loc)
	_, o := lt.Zone()
	_, next = lt.ZoneBounds()
	if !next.IsZero() && next.Unix() <= t.Unix() { // not after t: zone changes fall on whole seconds
		next = c.changeWithinHour(t, o)
	}
	return int64(o), next
}

// changeWithinHour returns an instant after t up to which the zone's offset
// is off, the offset at t: the first second within the hour after t at which
// the offset differs, found by bisection, or else the end of that hour.
// Zones change their offsets on whole seconds, months apart.
func (c *Calendar) changeWithinHour(t time.Time, off int) time.Time {
	offsetAt := func(sec int64) int {
		_, o := time.Unix(sec, 0).In(c.loc).Zone()
		return o
	}
	lo := t.Unix() // the second t falls in: the same offset as t
	hi := lo + 60*60
	if offsetAt(hi) == off {
		return time.Unix(hi, 0)
	}
	for hi-lo > 1 { // offsetAt(lo) == off != offsetAt(hi)
		mid := lo + (hi-lo)/2
		if offsetAt(mid) == off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return time.Unix(hi, 0) // hi > lo >= the second of t: after t
}
