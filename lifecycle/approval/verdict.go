package approval

import "github.com/itil-go/itil"

// Verdict is what an approver decides. The zero value is unset and is
// refused by Decide.
type Verdict int8

// The verdicts.
const (
	// Approve votes for the round.
	Approve Verdict = iota + 1
	// Reject votes against it; a rejection needs a comment.
	Reject
)

var verdictNames = itil.Names[Verdict]{Field: "verdict", List: []string{"", "approve", "reject"}}

// String returns "approve" or "reject", or "verdict(N)" for other values.
func (v Verdict) String() string { return verdictNames.String(v) }

// Valid reports whether v is Approve or Reject.
func (v Verdict) Valid() bool { return verdictNames.Valid(v) }

// ParseVerdict returns the verdict named s: "approve" or "reject". Any other
// text is a *itil.ValidationError on "verdict".
func ParseVerdict(s string) (Verdict, error) { return verdictNames.Parse(s) }

// MarshalText encodes the verdict by name; an unset or unknown value is an
// error.
func (v Verdict) MarshalText() ([]byte, error) { return verdictNames.Marshal(v) }

// UnmarshalText decodes a verdict by name. An unknown name or a nil receiver is
// a *itil.ValidationError, and leaves the value as it was.
func (v *Verdict) UnmarshalText(b []byte) error { return verdictNames.Unmarshal(v, b) }
