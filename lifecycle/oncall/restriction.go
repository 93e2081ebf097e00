package oncall

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// RestrictionKind tells the two forms of a Restriction apart.
type RestrictionKind int

const (
	// DailyRestriction is a window of the same hours on each of some
	// weekdays. It is the zero kind.
	DailyRestriction RestrictionKind = iota
	// WeeklyRestriction is one window from a time on one weekday to a time
	// on another.
	WeeklyRestriction
)

// Restriction limits a layer to windows of local time in the schedule's
// zone; outside every window of its restrictions the layer has nobody on
// call, and the layers below it answer. Restrictions mask a rotation: they
// neither pause nor shift its turns.
//
// A daily restriction is open from Start to End on each of Days (every day
// when Days is empty); End is after Start, at most 24h (midnight at the end
// of the day). A window across midnight is two windows, or a weekly one.
//
// A weekly restriction is open from Start on StartDay to End on EndDay. It
// may run across the end of the week: Friday 17:00 to Monday 09:00 is the
// weekend. A window that ends where it starts is an error.
//
// Start and End are times of day, as durations since midnight in whole
// seconds. A window's edges follow the package's rule for local times that
// DST skips or repeats (see the package documentation).
type Restriction struct {
	// Kind is DailyRestriction (the zero value) or WeeklyRestriction.
	Kind RestrictionKind
	// Days are the weekdays of a daily window; empty means every day.
	Days []time.Weekday
	// StartDay is the weekday a weekly window opens on.
	StartDay time.Weekday
	// Start is the time of day the window opens, in [0, 24h).
	Start time.Duration
	// EndDay is the weekday a weekly window closes on.
	EndDay time.Weekday
	// End is the time of day the window closes, in (0, 24h].
	End time.Duration
}

// DailyWindow is a daily restriction: open from start to end on each of
// days, or every day when days is empty.
func DailyWindow(start, end time.Duration, days ...time.Weekday) Restriction {
	return Restriction{Kind: DailyRestriction, Days: days, Start: start, End: end}
}

// WeeklyWindow is a weekly restriction: open from start on startDay to end
// on endDay.
func WeeklyWindow(startDay time.Weekday, start time.Duration, endDay time.Weekday, end time.Duration) Restriction {
	return Restriction{Kind: WeeklyRestriction, StartDay: startDay, Start: start, EndDay: endDay, End: end}
}

// Weekdays are Monday to Friday, for DailyWindow.
func Weekdays() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
}

// validate checks the restriction; errors name fields under path.
func (r *Restriction) validate(path string) error {
	if err := timeOfDay(path+".start", r.Start, false); err != nil {
		return err
	}
	if err := timeOfDay(path+".end", r.End, true); err != nil {
		return err
	}
	switch r.Kind {
	case DailyRestriction:
		for i, d := range r.Days {
			field := fmt.Sprintf("%s.days[%d]", path, i)
			if d < time.Sunday || d > time.Saturday {
				return itil.Invalid(field, fmt.Sprintf("invalid weekday %d", int(d)))
			}
			if slices.Contains(r.Days[:i], d) {
				return itil.Invalid(field, "repeats "+weekdayName(d))
			}
		}
		if r.End <= r.Start {
			return itil.Invalid(path+".end", fmt.Sprintf("end %s is not after start %s (split a window across midnight in two, or make it weekly)",
				clockText(r.End), clockText(r.Start)))
		}
	case WeeklyRestriction:
		if len(r.Days) > 0 {
			return itil.Invalid(path+".days", "only for a daily window (a weekly one has start_day and end_day)")
		}
		if r.StartDay < time.Sunday || r.StartDay > time.Saturday {
			return itil.Invalid(path+".start_day", fmt.Sprintf("invalid weekday %d", int(r.StartDay)))
		}
		if r.EndDay < time.Sunday || r.EndDay > time.Saturday {
			return itil.Invalid(path+".end_day", fmt.Sprintf("invalid weekday %d", int(r.EndDay)))
		}
		a, b := r.weekly()
		if a == b {
			return itil.Invalid(path+".end", "the window ends where it starts")
		}
	default:
		return itil.Invalid(path+".type", fmt.Sprintf("unknown kind %d", int(r.Kind)))
	}
	return nil
}

// timeOfDay checks a time of day: [0, 24h), or (0, 24h] for an end.
func timeOfDay(field string, d time.Duration, end bool) error {
	switch {
	case d%time.Second != 0:
		return itil.Invalid(field, fmt.Sprintf("time of day %v is not a whole number of seconds", d))
	case d < 0 || d > 24*time.Hour || (!end && d == 24*time.Hour):
		return itil.Invalid(field, fmt.Sprintf("time of day %v is outside the day", d))
	case end && d == 0:
		return itil.Invalid(field, "a window cannot end at 00:00 (write 24:00 for midnight at the end of the day)")
	}
	return nil
}

// weekly returns a weekly window's week offsets, both in [0, week).
func (r *Restriction) weekly() (start, end int64) {
	start = weekIndex(r.StartDay)*day + int64(r.Start/time.Second)
	end = floorMod(weekIndex(r.EndDay)*day+int64(r.End/time.Second), week)
	return start, end
}

// span is an interval of week offsets [from, to), 0 <= from < to <= week.
type span struct{ from, to int64 }

// windows is the union of valid restrictions as sorted, disjoint spans of
// week offsets, and the offsets where a layer may open or close; both nil
// when there are no restrictions or the union covers the whole week.
func windows(rs []Restriction) (spans []span, edges []int64) {
	if len(rs) == 0 {
		return nil, nil
	}
	for i := range rs {
		r := &rs[i]
		switch r.Kind {
		case DailyRestriction:
			days := r.Days
			if len(days) == 0 {
				days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
			}
			for _, d := range days {
				base := weekIndex(d) * day
				spans = append(spans, span{base + int64(r.Start/time.Second), base + int64(r.End/time.Second)})
			}
		case WeeklyRestriction:
			a, b := r.weekly()
			if a < b {
				spans = append(spans, span{a, b})
			} else {
				spans = append(spans, span{a, week})
				if b > 0 {
					spans = append(spans, span{0, b})
				}
			}
		}
	}
	slices.SortFunc(spans, func(x, y span) int { return int(x.from - y.from) })
	merged := spans[:1]
	for _, s := range spans[1:] {
		last := &merged[len(merged)-1]
		if s.from <= last.to {
			last.to = max(last.to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	if len(merged) == 1 && merged[0] == (span{0, week}) {
		return nil, nil
	}
	for _, s := range merged {
		if s.from > 0 {
			edges = append(edges, s.from)
		}
		if s.to < week {
			edges = append(edges, s.to)
		}
	}
	if merged[0].from == 0 && merged[len(merged)-1].to == week {
		// Open across the end of the week: Monday 00:00 changes nothing.
	} else {
		edges = append(edges, 0)
		slices.Sort(edges)
	}
	return merged, edges
}

// open reports whether the week offset lies in one of spans.
func open(spans []span, offset int64) bool {
	i, _ := slices.BinarySearchFunc(spans, offset, func(s span, o int64) int {
		if s.to <= o {
			return -1
		}
		return 1
	})
	return i < len(spans) && spans[i].from <= offset
}
