package sla

import (
	"time"

	"github.com/itil-go/itil"
)

// Crossing reports that a clock reached its warning threshold or its target.
// Clock.Check returns each crossing once.
type Crossing struct {
	// Clock is the clock's name: "response", "resolution".
	Clock string
	// Kind is Warning or Breach.
	Kind Kind
	// At is when the threshold was reached, which may be before the Check
	// that reports it.
	At time.Time
	// Target is the clock's target.
	Target time.Duration
	// Percent is the share of the target crossed, for the clocks of
	// Definitions: a threshold's (100 for the breach). Set.Apply leaves it
	// zero.
	Percent int
	// Actions are the threshold's actions, for the process to run in the
	// change that reports the crossing (Definitions only).
	Actions []Action
}

// Count returns how many of cs are warnings and how many are breaches.
// Sweeps use it to name and count what they journal.
func Count(cs []Crossing) (warnings, breaches int) {
	for _, c := range cs {
		if c.Kind == Breach {
			breaches++
		} else {
			warnings++
		}
	}
	return warnings, breaches
}

// Kind is the kind of a Crossing: a warning or a breach.
type Kind int8

// The kinds of crossing.
const (
	// Warning: the clock has used its warning share of the target.
	Warning Kind = iota + 1
	// Breach: the clock has used its whole target.
	Breach
)

// kindNames are the kinds' names, for their text form.
var kindNames = itil.Names[Kind]{Field: "kind", List: []string{"", "warning", "breach"}}

// String returns "warning" or "breach".
func (k Kind) String() string { return kindNames.String(k) }

// MarshalText encodes the kind by name; an undefined one is a
// *itil.ValidationError on "kind".
func (k Kind) MarshalText() ([]byte, error) { return kindNames.Marshal(k) }

// UnmarshalText decodes a kind by name; another text is a
// *itil.ValidationError on "kind", and leaves k as it was.
func (k *Kind) UnmarshalText(b []byte) error { return kindNames.Unmarshal(k, b) }
