package change

import "github.com/itil-go/itil"

// Type is the kind of change, which decides its lifecycle. The zero value is
// unset.
type Type int8

// The change types.
const (
	// Normal changes are assessed, authorized by the approvers their risk
	// calls for, scheduled, implemented and reviewed.
	Normal Type = iota + 1
	// Standard changes follow a pre-approved Template: no CAB, straight from
	// new to scheduled.
	Standard
	// Emergency changes are authorized by the emergency CAB without an
	// assessment stage, may be scheduled into a freeze (with a warning), and
	// are always reviewed before they close.
	Emergency
)

var typeNames = itil.Names[Type]{Field: "type", List: []string{"", "normal", "standard", "emergency"}}

// String returns "normal", "standard" or "emergency", or "type(N)".
func (t Type) String() string { return typeNames.String(t) }

// Valid reports whether t is one of the defined types.
func (t Type) Valid() bool { return typeNames.Valid(t) }

// ParseType returns the type named s.
func ParseType(s string) (Type, error) { return typeNames.Parse(s) }

// MarshalText encodes the type by name; an unset value is an error.
func (t Type) MarshalText() ([]byte, error) { return typeNames.Marshal(t) }

// UnmarshalText decodes a type by name.
func (t *Type) UnmarshalText(b []byte) error { return typeNames.Unmarshal(t, b) }

// Outcome is how an implementation ended. The zero value is unset.
type Outcome int8

// The outcomes of an implementation.
const (
	// Successful: the change did what it was meant to.
	Successful Outcome = iota + 1
	// Failed: the change did not work and was left in place or fixed forward.
	Failed
	// BackedOut: the change was reverted with its backout plan.
	BackedOut
)

var outcomeNames = itil.Names[Outcome]{Field: "outcome", List: []string{"", "successful", "failed", "backed_out"}}

// String returns "successful", "failed" or "backed_out", or "outcome(N)".
func (o Outcome) String() string { return outcomeNames.String(o) }

// Valid reports whether o is one of the defined outcomes.
func (o Outcome) Valid() bool { return outcomeNames.Valid(o) }

// ParseOutcome returns the outcome named s.
func ParseOutcome(s string) (Outcome, error) { return outcomeNames.Parse(s) }

// MarshalText encodes the outcome by name; an unset value is an error.
func (o Outcome) MarshalText() ([]byte, error) { return outcomeNames.Marshal(o) }

// UnmarshalText decodes an outcome by name.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomeNames.Unmarshal(o, b) }

// Risk is what an assessment concludes about a change; it picks the
// approval rule. Values ascend, so RiskHigh > RiskLow. The zero value means
// not assessed.
type Risk int8

// The risk levels.
const (
	RiskLow Risk = iota + 1
	RiskModerate
	RiskHigh
)

var riskNames = itil.Names[Risk]{Field: "risk", List: []string{"", "low", "moderate", "high"}}

// String returns "low", "moderate" or "high", or "risk(N)".
func (r Risk) String() string { return riskNames.String(r) }

// Valid reports whether r is one of the defined levels.
func (r Risk) Valid() bool { return riskNames.Valid(r) }

// ParseRisk returns the risk named s.
func ParseRisk(s string) (Risk, error) { return riskNames.Parse(s) }

// MarshalText encodes the risk by name; an unset value is an error.
func (r Risk) MarshalText() ([]byte, error) { return riskNames.Marshal(r) }

// UnmarshalText decodes a risk by name.
func (r *Risk) UnmarshalText(b []byte) error { return riskNames.Unmarshal(r, b) }

// Likelihood is how likely a change is to cause a disruption, the second
// axis of the impact × likelihood risk matrix. Like itil.Impact and
// itil.Urgency it counts from the top: LikelihoodHigh is 1. The zero value
// is unset.
type Likelihood int8

// The likelihood levels, from most to least likely.
const (
	LikelihoodHigh Likelihood = iota + 1
	LikelihoodMedium
	LikelihoodLow
)

var likelihoodNames = itil.Names[Likelihood]{Field: "likelihood", List: []string{"", "high", "medium", "low"}}

// String returns "high", "medium" or "low", or "likelihood(N)".
func (l Likelihood) String() string { return likelihoodNames.String(l) }

// Valid reports whether l is one of the defined levels.
func (l Likelihood) Valid() bool { return likelihoodNames.Valid(l) }

// ParseLikelihood returns the likelihood named s.
func ParseLikelihood(s string) (Likelihood, error) { return likelihoodNames.Parse(s) }

// MarshalText encodes the likelihood by name; an unset value is an error.
func (l Likelihood) MarshalText() ([]byte, error) { return likelihoodNames.Marshal(l) }

// UnmarshalText decodes a likelihood by name.
func (l *Likelihood) UnmarshalText(b []byte) error { return likelihoodNames.Unmarshal(l, b) }
