package sla

import (
	"math"
	"time"
)

// The calendar arithmetic works on wall-clock readings, where every day has
// exactly 24 hours and every week 168, so whole weeks are counted by
// multiplication. Calendar.Elapsed and Calendar.Add split a span of real time
// where the zone's UTC offset changes; within each piece, wall time is real
// time shifted by a constant, and the wall-clock answer is the real one.

const secondsPerDay = 24 * 60 * 60

// wall is a wall-clock reading: a civil day, counted from 1970-01-01, and the
// time since that day's midnight. ns may equal 24h: the end of the day.
type wall struct {
	day int64
	ns  time.Duration
}

// wallOf returns the wall-clock reading of t in a zone off seconds east of UTC.
func wallOf(t time.Time, off int64) wall {
	sec := t.Unix() + off
	d := floorDiv(sec, secondsPerDay)
	return wall{day: d, ns: time.Duration(sec-d*secondsPerDay)*time.Second + time.Duration(t.Nanosecond())}
}

// instant returns the real instant that shows w in a zone off seconds east
// of UTC.
func (w wall) instant(off int64) time.Time {
	return time.Unix(w.day*secondsPerDay-off, int64(w.ns))
}

// before reports whether w comes before v.
func (w wall) before(v wall) bool { return w.day < v.day || (w.day == v.day && w.ns < v.ns) }

// weekday returns the day of the week of a civil day number.
func weekday(day int64) time.Weekday { return time.Weekday(floorMod(day+4, 7)) } // 1970-01-01 was a Thursday

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// addSat adds two non-negative durations, saturating at the largest Duration.
func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
