package oncall

import "time"

// The schedule's wall clock. Daily and weekly hand-offs and restriction
// windows are written in local time, so each of them needs an instant for a
// local time that a DST change may skip or repeat. The package settles it
// with one rule, stated on the wall clock's high-water mark: the highest
// local time the clock has shown so far. Outside a repeated hour it is
// what the clock shows; during the hour that a change back to standard time
// repeats, it stays at the last reading before the change.
//
// A local time W begins at the first instant the high-water mark reaches
// W. So a local time that occurs twice begins at its first occurrence, and
// one that a change to summer time skips begins when the clocks jump
// (02:30 on the night of the jump in Berlin begins at 03:00 CEST). Every
// question, "is this instant inside the window?", "which turn is it?", is
// then a comparison of the high-water mark with local times, which keeps
// the answers and the listing's boundaries consistent.
//
// Local times are carried as UTC times with the same fields: 09:00 in
// Berlin is 09:00 UTC of the same date.

// wall is the schedule's zone.
type wall struct{ loc *time.Location }

// reading is the local time the clock shows at t.
func (w wall) reading(t time.Time) time.Time {
	_, off := t.In(w.loc).Zone()
	return t.UTC().Add(time.Duration(off) * time.Second)
}

// high is the wall clock's high-water mark at t.
func (w wall) high(t time.Time) time.Time {
	lt := t.In(w.loc)
	_, off := lt.Zone()
	start, _ := lt.ZoneBounds()
	if !start.IsZero() {
		_, before := start.Add(-time.Nanosecond).In(w.loc).Zone()
		if back := time.Duration(before-off) * time.Second; back > 0 && t.Sub(start) < back {
			return start.UTC().Add(time.Duration(before)*time.Second - time.Nanosecond)
		}
	}
	return t.UTC().Add(time.Duration(off) * time.Second)
}

// begin is the first instant whose high-water mark reaches the local time
// l (given as a UTC time with the local fields).
func (w wall) begin(l time.Time) time.Time {
	y, mo, d := l.Date()
	h, mi, s := l.Clock()
	t := time.Date(y, mo, d, h, mi, s, l.Nanosecond(), w.loc)
	r := w.reading(t)
	switch r.Compare(l) {
	case 0:
		// l exists; when it occurs twice, take the first.
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			return t
		}
		_, off := t.Zone()
		_, before := start.Add(-time.Nanosecond).In(w.loc).Zone()
		if before > off {
			if first := t.Add(-time.Duration(before-off) * time.Second); first.Before(start) {
				return first
			}
		}
		return t
	case 1:
		// l was skipped and t lies after the jump: the jump is the answer.
		if start, _ := t.ZoneBounds(); !start.IsZero() {
			return start
		}
		return t
	default:
		// l was skipped and t lies before the jump.
		if _, end := t.ZoneBounds(); !end.IsZero() {
			return end
		}
		return t
	}
}

// Week offsets count seconds from Monday 00:00 local time.
const (
	day  = 24 * 60 * 60
	week = 7 * day
	// monday is 1969-12-29 00:00 UTC, a Monday, in Unix seconds.
	monday = -3 * day
)

// weekOffset is the offset of the local time l into its week, in seconds.
func weekOffset(l time.Time) int64 { return floorMod(l.Unix()-monday, week) }

// weekIndex maps time.Sunday … time.Saturday to 6, 0 … 5: Monday first.
func weekIndex(d time.Weekday) int64 { return (int64(d) + 6) % 7 }

// floorDiv is the floor of a/b for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// floorMod is a modulo b in [0, b) for b > 0.
func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// periods is how many whole periods of the given seconds lie between
// origin and t, rounded down (negative when t is before origin).
func periods(t, origin time.Time, period int64) int64 {
	d := t.Unix() - origin.Unix()
	if t.Nanosecond() < origin.Nanosecond() {
		d--
	}
	return floorDiv(d, period)
}
