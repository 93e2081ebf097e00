package approval

import "github.com/itil-go/itil"

// State is where a round stands. The zero value means no round was
// requested.
type State int8

// The states of a round. Pending is the only open one; the others are final.
const (
	// Pending: waiting for decisions.
	Pending State = iota + 1
	// Approved: the policy's approvals were reached.
	Approved
	// Rejected: approval can no longer be reached, or the policy rejects on
	// the first rejection and one came.
	Rejected
	// Cancelled: the round was called off before an outcome, as when a
	// change goes back to new.
	Cancelled
)

var stateNames = itil.Names[State]{Field: "state", List: []string{"", "pending", "approved", "rejected", "cancelled"}}

// String returns "pending", "approved", "rejected" or "cancelled", or
// "state(N)" for other values.
func (s State) String() string { return stateNames.String(s) }

// Valid reports whether s is one of the defined states.
func (s State) Valid() bool { return stateNames.Valid(s) }

// ParseState returns the state named s: "pending", "approved", "rejected" or
// "cancelled". Any other text is a *itil.ValidationError on "state".
func ParseState(s string) (State, error) { return stateNames.Parse(s) }

// MarshalText encodes the state by name; an unset or unknown value is an
// error.
func (s State) MarshalText() ([]byte, error) { return stateNames.Marshal(s) }

// UnmarshalText decodes a state by name. An unknown name or a nil receiver is
// a *itil.ValidationError, and leaves the value as it was.
func (s *State) UnmarshalText(b []byte) error { return stateNames.Unmarshal(s, b) }
