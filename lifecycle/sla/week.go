package sla

import (
	"slices"
	"time"
)

// Week holds the working hours of each day, indexed by time.Weekday
// (Sunday is 0). A day without intervals has no working time. Intervals may
// come in any order; they must not overlap, and touching ones are joined.
//
// A Week with no intervals at all means working all day, every day: 24x7.
type Week [7][]Interval

// Weekdays returns a Week with the same intervals on Monday to Friday and
// none at the weekend.
func Weekdays(iv ...Interval) Week {
	var w Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = slices.Clone(iv)
	}
	return w
}

// empty reports whether no day has any interval.
func (w *Week) empty() bool {
	for _, ivs := range w {
		if len(ivs) > 0 {
			return false
		}
	}
	return true
}

// weekdayNames are the JSON names of the days, indexed by time.Weekday.
var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
