package oncall

import (
	"iter"
	"time"

	"github.com/itil-go/itil"
)

// Entry is a stretch of the final schedule with one user on call.
type Entry struct {
	// User is who is on call.
	User string
	// From is when the entry begins, in the schedule's zone.
	From time.Time
	// Until is when it ends (exclusive), in the schedule's zone.
	Until time.Time
}

// Entries lists the final schedule from from until until: who is on call,
// from when, until when, in order of time. Consecutive stretches of one
// user are merged into one entry, whichever layer or override they come
// from; stretches with nobody on call have no entry. The first and last
// entries are cut at from and until.
//
// Errors: a *itil.ValidationError on "until" when until is not after from,
// yielded once.
func (s *Schedule) Entries(from, until time.Time) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if !until.After(from) {
			yield(Entry{}, itil.Invalid("until", "not after from"))
			return
		}
		var cur Entry
		for t := from; t.Before(until); {
			a, next := s.step(t)
			if next.IsZero() || next.After(until) {
				next = until
			}
			switch {
			case a.User != "" && a.User == cur.User && cur.Until.Equal(t):
				cur.Until = next
			default:
				if cur.User != "" && !yield(s.local(cur), nil) {
					return
				}
				cur = Entry{User: a.User, From: t, Until: next}
			}
			t = next
		}
		if cur.User != "" {
			yield(s.local(cur), nil)
		}
	}
}

// local puts an entry's times in the schedule's zone.
func (s *Schedule) local(e Entry) Entry {
	e.From, e.Until = e.From.In(s.Location()), e.Until.In(s.Location())
	return e
}

// step returns who is on call at t and the first instant after t at which
// that may change (zero: never).
func (s *Schedule) step(t time.Time) (Assignment, time.Time) {
	i, covered := segmentAt(s.segments, t)
	if covered {
		o := s.segments[i].override
		return Assignment{User: s.cfg.Overrides[o].User, Layer: -1, Override: o}, s.segments[i].until
	}
	var next time.Time
	if i < len(s.segments) {
		next = s.segments[i].from
	}
	var high time.Time
	if s.clocked {
		high = s.wall.high(t)
	}
	a := nobody
	// Only the winning layer and those above it can change the answer.
	for j := len(s.rotations) - 1; j >= 0; j-- {
		r := &s.rotations[j]
		if n := r.next(t, high, s.wall); !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
		if r.live(t, high) {
			a = Assignment{User: r.user(r.turn(t, high)), Layer: j, Override: -1}
			break
		}
	}
	if !next.IsZero() && !next.After(t) {
		// Never expected; a step forward keeps the listing finite.
		next = t.Add(time.Second)
	}
	return a, next
}
