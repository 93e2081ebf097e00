package sla

import (
	"fmt"
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

var kindNames = [...]string{"", "warning", "breach"}

// String returns "warning" or "breach".
func (k Kind) String() string {
	if k == Warning || k == Breach {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int8(k))
}

// MarshalText encodes the kind by name.
func (k Kind) MarshalText() ([]byte, error) {
	if k != Warning && k != Breach {
		return nil, &itil.ValidationError{Field: "kind", Reason: fmt.Sprintf("undefined value %d", int8(k))}
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText decodes a kind by name.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "warning":
		*k = Warning
	case "breach":
		*k = Breach
	default:
		return &itil.ValidationError{Field: "kind", Reason: fmt.Sprintf("unknown kind %q (want warning or breach)", b)}
	}
	return nil
}
