package lifecycle

import "github.com/itil-go/itil"

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

var categoryNames = itil.Names[Category]{Field: "category", List: []string{"", "open", "paused", "resolved", "closed", "cancelled"}}

// Valid reports whether c is one of the defined categories.
func (c Category) Valid() bool { return categoryNames.Valid(c) }

// Active reports whether c is Open or Paused: the record still needs work.
func (c Category) Active() bool { return c == Open || c == Paused }

// Terminal reports whether c is Closed or Cancelled.
func (c Category) Terminal() bool { return c == Closed || c == Cancelled }

// String returns the category's name, or "category(N)" for other values.
func (c Category) String() string { return categoryNames.String(c) }

// ParseCategory returns the category named s, or a *itil.ValidationError
// naming "category".
func ParseCategory(s string) (Category, error) { return categoryNames.Parse(s) }

// MarshalText encodes the category by name; an undefined value is an error.
func (c Category) MarshalText() ([]byte, error) { return categoryNames.Marshal(c) }

// UnmarshalText decodes a category by name.
func (c *Category) UnmarshalText(b []byte) error { return categoryNames.Unmarshal(c, b) }
