package oncall

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// Layer is a rotation: Users take turns in order, each for one Turn, the
// first user's first turn beginning at Start, round and round until End.
// Before Start and from End on, and outside its Restrictions, the layer has
// nobody on call.
type Layer struct {
	// Name labels the layer ("primary"); optional.
	Name string
	// Users take turns in this order; a user may appear more than once.
	Users []string
	// Start is the rotation's virtual start: when the first user's first
	// turn begins. For daily and weekly turns its local time of day in the
	// schedule's zone is the hand-off time.
	Start time.Time
	// Turn is how long each turn lasts.
	Turn Turn
	// End, when not zero, is when the layer stops (exclusive).
	End time.Time
	// Restrictions, when any, limit the layer to their windows.
	Restrictions []Restriction
}

// validate checks the layer; errors name fields under path.
func (l *Layer) validate(path string) error {
	if len(l.Users) == 0 {
		return itil.Invalid(path+".users", "at least one user")
	}
	for i, u := range l.Users {
		if u == "" {
			return itil.Invalid(fmt.Sprintf("%s.users[%d]", path, i), "empty user name")
		}
	}
	if l.Start.IsZero() {
		return itil.Invalid(path+".start", "missing (when the first user's first turn begins)")
	}
	if err := inRange(path+".start", l.Start); err != nil {
		return err
	}
	if err := l.Turn.validate(path + ".turn"); err != nil {
		return err
	}
	if !l.End.IsZero() {
		if err := inRange(path+".end", l.End); err != nil {
			return err
		}
		if !l.End.After(l.Start) {
			return itil.Invalid(path+".end", fmt.Sprintf("end %s is not after start %s",
				l.End.Format(time.RFC3339), l.Start.Format(time.RFC3339)))
		}
	}
	for i := range l.Restrictions {
		if err := l.Restrictions[i].validate(fmt.Sprintf("%s.restrictions[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// inRange refuses times that RFC 3339 cannot write.
func inRange(field string, t time.Time) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return itil.Invalid(field, fmt.Sprintf("year %d is outside 1 to 9999", y))
	}
	return nil
}

// rotation is a validated layer, ready for arithmetic.
type rotation struct {
	users     []string
	start     time.Time
	end       time.Time // zero: none
	days      int64     // wall-clock days per turn, or 0
	every     int64     // seconds per turn when days is 0
	startWall time.Time // the local time of start
	spans     []span    // nil: no restriction
	edges     []int64
	// alone is whether every turn is the same user's: hand-offs change
	// nothing, and the listing need not stop at them.
	alone bool
}

func newRotation(l *Layer, w wall) rotation {
	r := rotation{
		users: l.Users,
		start: l.Start,
		end:   l.End,
		days:  int64(l.Turn.Days),
		every: int64(l.Turn.Length / time.Second),
	}
	r.startWall = w.reading(l.Start)
	r.alone = !slices.ContainsFunc(l.Users, func(u string) bool { return u != l.Users[0] })
	r.spans, r.edges = windows(l.Restrictions)
	return r
}

// wallClock reports whether the rotation needs the high-water mark.
func (r *rotation) wallClock() bool { return r.days > 0 || r.spans != nil }

// live reports whether the layer runs at t (between start and end, in a
// window); high is the wall clock's high-water mark at t.
func (r *rotation) live(t, high time.Time) bool {
	if t.Before(r.start) || (!r.end.IsZero() && !t.Before(r.end)) {
		return false
	}
	return r.spans == nil || open(r.spans, weekOffset(high))
}

// turn is the index of the turn running at t >= start.
func (r *rotation) turn(t, high time.Time) int64 {
	if r.days > 0 {
		return max(0, periods(high, r.startWall, r.days*day))
	}
	return max(0, periods(t, r.start, r.every))
}

// user is who has turn k.
func (r *rotation) user(k int64) string { return r.users[floorMod(k, int64(len(r.users)))] }

// turnStart is when turn k >= 0 begins.
func (r *rotation) turnStart(k int64, w wall) time.Time {
	if k == 0 {
		return r.start
	}
	if r.days > 0 {
		l := time.Unix(r.startWall.Unix()+k*r.days*day, int64(r.startWall.Nanosecond())).UTC()
		return w.begin(l)
	}
	return time.Unix(r.start.Unix()+k*r.every, int64(r.start.Nanosecond()))
}

// next is the first instant after t at which the layer may change: a
// hand-off, a window's edge, its start or its end; zero when it never does.
func (r *rotation) next(t, high time.Time, w wall) time.Time {
	if t.Before(r.start) {
		return r.start
	}
	if !r.end.IsZero() && !t.Before(r.end) {
		return time.Time{}
	}
	var n time.Time
	if !r.alone {
		n = r.turnStart(r.turn(t, high)+1, w)
	}
	if r.edges != nil {
		off := weekOffset(high)
		e := r.edges[0] + week
		for _, x := range r.edges {
			if x > off {
				e = x
				break
			}
		}
		edge := w.begin(time.Unix(high.Unix()-off+e, 0).UTC())
		if n.IsZero() || edge.Before(n) {
			n = edge
		}
	}
	if !r.end.IsZero() && (n.IsZero() || r.end.Before(n)) {
		n = r.end
	}
	return n
}
