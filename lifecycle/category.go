package lifecycle

import "fmt"

// Category groups states by what they mean for the work, so that process
// code, SLA clocks and reports reason about categories and a host can add its
// own states without breaking them.
type Category int8

// The state categories.
const (
	// Open: work is in progress or waiting to start; clocks run.
	Open Category = iota + 1
	// Paused: waiting on someone outside the team (caller, vendor, change);
	// SLA clocks pause.
	Paused
	// Resolved: the work is done but may still be reopened; SLA clocks stop.
	Resolved
	// Closed: final; nothing more happens unless the state declares exits.
	Closed
	// Cancelled: abandoned; final like Closed.
	Cancelled
)

var categoryNames = [...]string{"", "open", "paused", "resolved", "closed", "cancelled"}

// Valid reports whether c is one of the defined categories.
func (c Category) Valid() bool { return c >= Open && c <= Cancelled }

// Active reports whether c is Open or Paused: the record still needs work.
func (c Category) Active() bool { return c == Open || c == Paused }

// Terminal reports whether c is Closed or Cancelled.
func (c Category) Terminal() bool { return c == Closed || c == Cancelled }

// String returns the category's name.
func (c Category) String() string {
	if c.Valid() {
		return categoryNames[c]
	}
	return fmt.Sprintf("category(%d)", int8(c))
}

// ParseCategory returns the category named s.
func ParseCategory(s string) (Category, error) {
	for i := 1; i < len(categoryNames); i++ {
		if categoryNames[i] == s {
			return Category(i), nil
		}
	}
	return 0, fmt.Errorf("unknown category %q (want open, paused, resolved, closed or cancelled)", s)
}

// MarshalText encodes the category by name.
func (c Category) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("undefined category %d", int8(c))
	}
	return []byte(categoryNames[c]), nil
}

// UnmarshalText decodes a category by name.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err == nil {
		*c = v
	}
	return err
}
