package sla

import (
	"math"
	"slices"
	"time"
)

// isHoliday reports whether civil day n is a holiday.
func (c *Calendar) isHoliday(n int64) bool {
	_, found := slices.BinarySearch(c.holidays, n)
	return found
}

// holidayMinutes returns the minutes of work lost to holidays on days [a, b).
func (c *Calendar) holidayMinutes(a, b int64) int64 {
	if len(c.holidays) == 0 {
		return 0
	}
	i, _ := slices.BinarySearch(c.holidays, a)
	j, _ := slices.BinarySearch(c.holidays, b)
	return c.holMin[j] - c.holMin[i]
}

// within returns the working time of civil day n between from and to, times
// since its midnight.
func (c *Calendar) within(n int64, from, to time.Duration) time.Duration {
	if from >= to || c.isHoliday(n) {
		return 0
	}
	var sum time.Duration
	for _, iv := range c.week[weekday(n)] {
		if s, e := max(iv.Start, from), min(iv.End, to); s < e {
			sum += e - s
		}
	}
	return sum
}

// days returns the working time of the whole days [a, b): whole weeks by
// multiplication, the rest from the table of runs, less holidays, saturating
// at the largest Duration. It counts in minutes, which cannot overflow for
// any span of days between two time.Time values, so it grows with b and
// saturates only when the true sum is that large.
func (c *Calendar) days(a, b int64) time.Duration {
	if b <= a {
		return 0
	}
	n := b - a
	m := c.weekMin*(n/7) + c.runMin[weekday(a)][n%7] - c.holidayMinutes(a, b)
	if m > math.MaxInt64/int64(time.Minute) {
		return math.MaxInt64
	}
	return time.Duration(m) * time.Minute
}

// wallElapsed returns the working time between two wall-clock readings.
func (c *Calendar) wallElapsed(from, to wall) time.Duration {
	if !from.before(to) {
		return 0
	}
	if from.day == to.day {
		return c.within(from.day, from.ns, to.ns)
	}
	sum := c.within(from.day, from.ns, 24*time.Hour)
	sum = addSat(sum, c.days(from.day+1, to.day))
	return addSat(sum, c.within(to.day, 0, to.ns))
}

// wallAdd returns the earliest wall-clock reading at which d > 0 of working
// time has passed after from.
func (c *Calendar) wallAdd(from wall, d time.Duration) wall {
	if !c.isHoliday(from.day) {
		for _, iv := range c.week[weekday(from.day)] {
			if iv.End <= from.ns {
				continue
			}
			s := max(iv.Start, from.ns)
			if avail := iv.End - s; d <= avail {
				return wall{day: from.day, ns: s + d}
			} else {
				d -= avail
			}
		}
	}
	n := from.day + 1
	k := c.weeksBefore(n, d)
	d -= c.days(n, n+7*k)
	// The week from n+7k holds at least the d left (see weeksBefore): the
	// deadline falls within its seven days.
	end := n + 7*k + 7
	for n += 7 * k; n < end; n++ {
		if c.isHoliday(n) {
			continue
		}
		wd := weekday(n)
		if d > c.dayWork[wd] {
			d -= c.dayWork[wd]
			continue
		}
		for _, iv := range c.week[wd] {
			if d <= iv.Length() {
				return wall{day: n, ns: iv.Start + d}
			}
			d -= iv.Length()
		}
	}
	return wall{day: end} // not reached
}

// weeksBefore returns the largest k >= 0 for which the whole days
// [n, n+7k) hold less than d > 0 of working time. The answer is at least
// (d-1)/weekWork, found by galloping and then bisecting: each step costs
// O(log holidays). The gallop ends: holidays lie in years 1 to 9999, so past
// them every week adds weekWork > 0, and days saturates at the largest
// Duration, which is at least d.
func (c *Calendar) weeksBefore(n int64, d time.Duration) int64 {
	lo := int64((d - 1) / c.weekWork) // days(n, n+7lo) <= lo*weekWork < d
	step := int64(1)
	hi := lo + step
	for c.days(n, n+7*hi) < d {
		lo = hi
		step *= 2
		hi = lo + step
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if c.days(n, n+7*mid) < d {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
