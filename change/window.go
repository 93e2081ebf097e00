package change

import (
	"fmt"
	"time"

	"github.com/itil-go/itil"
)

// Window is a span of time from Start up to, but not including, End. Two
// windows that only touch (one ends at 10:00, the next starts at 10:00) do
// not overlap.
type Window struct {
	// Start is the first instant in the window.
	Start time.Time `json:"start"`
	// End is the first instant after it.
	End time.Time `json:"end"`
}

// IsZero reports whether neither end is set.
func (w Window) IsZero() bool { return w.Start.IsZero() && w.End.IsZero() }

// Duration returns End - Start.
func (w Window) Duration() time.Duration { return w.End.Sub(w.Start) }

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Overlaps reports whether the windows share an instant.
func (w Window) Overlaps(o Window) bool { return w.Start.Before(o.End) && o.Start.Before(w.End) }

// The years a window may fall in: the calendar index keeps times as Unix
// nanoseconds, which reach from 1677 to 2262.
const (
	minYear = 1900
	maxYear = 2200
)

// Validate reports a *itil.ValidationError naming field.start or field.end
// when an end is missing, the window ends before (or when) it starts, or it
// lies outside the years 1900 to 2200.
func (w Window) Validate(field string) error {
	switch {
	case w.Start.IsZero():
		return &itil.ValidationError{Field: field + ".start", Reason: "required"}
	case w.End.IsZero():
		return &itil.ValidationError{Field: field + ".end", Reason: "required"}
	case !w.End.After(w.Start):
		return &itil.ValidationError{Field: field + ".end", Reason: "must be after the start"}
	case w.Start.Year() < minYear:
		return &itil.ValidationError{Field: field + ".start", Reason: fmt.Sprintf("must be in the years %d to %d", minYear, maxYear)}
	case w.End.Year() > maxYear:
		return &itil.ValidationError{Field: field + ".end", Reason: fmt.Sprintf("must be in the years %d to %d", minYear, maxYear)}
	}
	return nil
}

// String formats the window as "2026-12-01T22:00:00Z/2026-12-02T02:00:00Z"
// (the ISO 8601 interval form), in UTC.
func (w Window) String() string {
	return w.Start.UTC().Format(time.RFC3339) + "/" + w.End.UTC().Format(time.RFC3339)
}
