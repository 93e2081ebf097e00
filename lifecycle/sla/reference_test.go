package sla_test

import (
	"time"

	"github.com/itil-go/itil/lifecycle/sla"
)

// reference answers calendar questions the slow way, a minute at a time,
// asking the zone what the wall clock shows: it is what the calendar is
// checked against. It is right when instants, interval bounds and zone
// changes are whole minutes.
type reference struct {
	loc      *time.Location
	hours    sla.Week
	holidays map[sla.Date]bool
}

func newReference(cfg sla.CalendarConfig) *reference {
	r := &reference{loc: cfg.Zone, hours: cfg.Hours, holidays: make(map[sla.Date]bool)}
	if r.loc == nil {
		r.loc = time.UTC
	}
	empty := true
	for _, ivs := range cfg.Hours {
		empty = empty && len(ivs) == 0
	}
	if empty {
		for d := range r.hours {
			r.hours[d] = []sla.Interval{{Start: 0, End: 24 * time.Hour}}
		}
	}
	for _, h := range cfg.Holidays {
		r.holidays[h] = true
	}
	return r
}

// working reports whether the minute starting at t is working time.
func (r *reference) working(t time.Time) bool {
	lt := t.In(r.loc)
	if r.holidays[sla.DateOf(lt)] {
		return false
	}
	tod := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute
	for _, iv := range r.hours[lt.Weekday()] {
		if iv.Start <= tod && tod < iv.End {
			return true
		}
	}
	return false
}

// elapsed counts the working minutes in [from, to).
func (r *reference) elapsed(from, to time.Time) time.Duration {
	var n time.Duration
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if r.working(t) {
			n += time.Minute
		}
	}
	return n
}

// add returns the first whole minute after from at which d of working time
// has passed.
func (r *reference) add(from time.Time, d time.Duration) time.Time {
	t := from
	for ; d > 0; t = t.Add(time.Minute) {
		if r.working(t) {
			d -= time.Minute
		}
	}
	return t
}

// minuteWalk is the reference's Elapsed for cfg.
func minuteWalk(cfg sla.CalendarConfig, from, to time.Time) time.Duration {
	return newReference(cfg).elapsed(from, to)
}
