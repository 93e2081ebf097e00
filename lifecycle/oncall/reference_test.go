package oncall_test

import (
	"slices"
	"time"

	"github.com/itil-go/itil/lifecycle/oncall"
)

// reference answers OnCall by the plainest means, for the property tests
// and as the benchmark's baseline: it walks each layer's turns from its
// start, one turn at a time, with wall-clock dates, and tries each
// restriction window of the days around the instant. It shares no code
// with the package.
type reference struct {
	cfg     oncall.Config
	loc     *time.Location
	offsets []int // the zone's UTC offsets, in seconds
}

func newReference(cfg oncall.Config) reference {
	loc := time.UTC
	if cfg.Zone != "" {
		var err error
		if loc, err = time.LoadLocation(cfg.Zone); err != nil {
			panic(err)
		}
	}
	seen := map[int]bool{}
	for t := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() < 2050; t = t.Add(24 * time.Hour) {
		_, off := t.In(loc).Zone()
		seen[off] = true
	}
	var offs []int
	for off := range seen {
		offs = append(offs, off)
	}
	slices.Sort(offs)
	return reference{cfg: cfg, loc: loc, offsets: offs}
}

// label is a local time written as a UTC time with the same fields.
func label(y int, m time.Month, d int, clock time.Duration) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(clock)
}

// reads is the local time the clock shows at t, as a label.
func (ref reference) reads(t time.Time) time.Time {
	l := t.In(ref.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// begin is the first instant at which the clock shows l or later: the
// first occurrence of a repeated local time, the jump for a skipped one.
func (ref reference) begin(l time.Time) time.Time {
	var first, after time.Time
	for _, off := range ref.offsets {
		c := l.Add(-time.Duration(off) * time.Second)
		switch r := ref.reads(c); {
		case r.Equal(l):
			if first.IsZero() || c.Before(first) {
				first = c
			}
		case r.After(l):
			if after.IsZero() || c.Before(after) {
				after = c
			}
		}
	}
	if !first.IsZero() {
		return first
	}
	// Skipped: bisect for the jump between the earliest candidate, which
	// shows an earlier time, and after.
	lo := l.Add(-time.Duration(ref.offsets[len(ref.offsets)-1]) * time.Second)
	hi := after
	for hi.Sub(lo) > time.Nanosecond {
		mid := lo.Add(hi.Sub(lo) / 2)
		if ref.reads(mid).Before(l) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// OnCall is who is on call at t: the user, the layer, the override.
func (ref reference) OnCall(t time.Time) oncall.Assignment {
	for i := len(ref.cfg.Overrides) - 1; i >= 0; i-- {
		o := ref.cfg.Overrides[i]
		if !t.Before(o.From) && t.Before(o.Until) {
			return oncall.Assignment{User: o.User, Layer: -1, Override: i}
		}
	}
	for i := len(ref.cfg.Layers) - 1; i >= 0; i-- {
		l := ref.cfg.Layers[i]
		if t.Before(l.Start) || (!l.End.IsZero() && !t.Before(l.End)) || !ref.inside(l.Restrictions, t) {
			continue
		}
		return oncall.Assignment{User: l.Users[ref.turn(l, t)%len(l.Users)], Layer: i, Override: -1}
	}
	return oncall.Assignment{Layer: -1, Override: -1}
}

// turn walks the layer's turns from its start to the one running at t.
func (ref reference) turn(l oncall.Layer, t time.Time) int {
	if l.Turn.Days == 0 {
		k := 0
		for next := l.Start.Add(l.Turn.Length); !next.After(t); next = next.Add(l.Turn.Length) {
			k++
		}
		return k
	}
	s := l.Start.In(ref.loc)
	clock := time.Duration(s.Hour())*time.Hour + time.Duration(s.Minute())*time.Minute +
		time.Duration(s.Second())*time.Second + time.Duration(s.Nanosecond())
	k := 0
	for !ref.begin(label(s.Year(), s.Month(), s.Day()+(k+1)*l.Turn.Days, clock)).After(t) {
		k++
	}
	return k
}

// inside reports whether t lies in a window of rs (true without any).
func (ref reference) inside(rs []oncall.Restriction, t time.Time) bool {
	if len(rs) == 0 {
		return true
	}
	r := ref.reads(t)
	for _, x := range rs {
		for back := -8; back <= 1; back++ {
			d := r.AddDate(0, 0, back)
			var from, until time.Time
			switch x.Kind {
			case oncall.DailyRestriction:
				if len(x.Days) > 0 && !slices.Contains(x.Days, d.Weekday()) {
					continue
				}
				from, until = label(d.Year(), d.Month(), d.Day(), x.Start), label(d.Year(), d.Month(), d.Day(), x.End)
			case oncall.WeeklyRestriction:
				if d.Weekday() != x.StartDay {
					continue
				}
				ahead := (int(x.EndDay) - int(x.StartDay) + 7) % 7
				if ahead == 0 && x.End <= x.Start {
					ahead = 7
				}
				from, until = label(d.Year(), d.Month(), d.Day(), x.Start), label(d.Year(), d.Month(), d.Day()+ahead, x.End)
			}
			if !t.Before(ref.begin(from)) && t.Before(ref.begin(until)) {
				return true
			}
		}
	}
	return false
}
