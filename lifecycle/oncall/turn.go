package oncall

import (
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Turn is how long each user of a layer stays on call before the next one
// takes over. It is either a number of calendar days on the schedule's wall
// clock or an elapsed duration, never both:
//
//   - Days(n), with Daily() and Weekly() for one and seven days: hand-offs
//     happen at the local time of the layer's start, whatever DST does in
//     between. A daily hand-off at 09:00 stays at 09:00 local time, and the
//     turn across a DST change lasts 23 or 25 hours.
//   - Every(d): turns of exactly d elapsed time, counted from the layer's
//     start. A 12-hour turn is always 12 hours, so its hand-offs move by an
//     hour of local time at a DST change.
//
// The zero Turn is not a turn; a schedule with it does not validate.
type Turn struct {
	// Days is the length of a turn in calendar days, hand-offs at the same
	// local time. At most MaxTurnDays.
	Days int
	// Length is the length of a turn in elapsed time, when Days is 0: a
	// whole number of seconds, at most MaxTurnDays days.
	Length time.Duration
}

// MaxTurnDays bounds the length of a turn: ten years of days.
const MaxTurnDays = 3660

// Daily is a turn of one calendar day.
func Daily() Turn { return Turn{Days: 1} }

// Weekly is a turn of seven calendar days.
func Weekly() Turn { return Turn{Days: 7} }

// Days is a turn of n calendar days.
func Days(n int) Turn { return Turn{Days: n} }

// Every is a turn of d elapsed time.
func Every(d time.Duration) Turn { return Turn{Length: d} }

// String returns the turn as its JSON form writes it: "daily", "weekly",
// "3d" or a duration such as "12h" or "1h30m".
func (t Turn) String() string {
	switch {
	case t.Days == 1 && t.Length == 0:
		return "daily"
	case t.Days == 7 && t.Length == 0:
		return "weekly"
	case t.Days != 0:
		return fmt.Sprintf("%dd", t.Days)
	default:
		s := t.Length.String() // "12h0m0s", "1h30m0s", "45m0s", "1h0m5s"
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
		return s
	}
}

// validate checks the turn; errors name field.
func (t Turn) validate(field string) error {
	switch {
	case t.Days != 0 && t.Length != 0:
		return itil.Invalid(field, "set days or length, not both")
	case t.Days < 0:
		return itil.Invalid(field, fmt.Sprintf("turn of %d days is not positive", t.Days))
	case t.Days > MaxTurnDays:
		return itil.Invalid(field, fmt.Sprintf("turn of %d days is longer than %d days", t.Days, MaxTurnDays))
	case t.Days > 0:
		return nil
	case t.Length <= 0:
		return itil.Invalid(field, fmt.Sprintf("turn length %v is not positive", t.Length))
	case t.Length%time.Second != 0:
		return itil.Invalid(field, fmt.Sprintf("turn length %v is not a whole number of seconds", t.Length))
	case t.Length > MaxTurnDays*24*time.Hour:
		return itil.Invalid(field, fmt.Sprintf("turn length %v is longer than %d days", t.Length, MaxTurnDays))
	}
	return nil
}
