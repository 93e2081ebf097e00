package itil

// Impact is how widely a disruption or change reaches: how many users,
// services or how much of the business it touches. The zero value means unset.
type Impact int8

// The impact levels, from widest to narrowest.
const (
	ImpactHigh   Impact = 1
	ImpactMedium Impact = 2
	ImpactLow    Impact = 3
)

// Urgency is how soon the business needs a disruption handled. The zero value
// means unset.
type Urgency int8

// The urgency levels, from most to least urgent.
const (
	UrgencyHigh   Urgency = 1
	UrgencyMedium Urgency = 2
	UrgencyLow    Urgency = 3
)

// The names of Impact and Urgency, which share them.
var (
	impactNames  = Names[Impact]{Field: "impact", List: []string{"", "high", "medium", "low"}}
	urgencyNames = Names[Urgency]{Field: "urgency", List: []string{"", "high", "medium", "low"}}
)

// String returns "high", "medium" or "low", or "impact(N)" for other values.
func (i Impact) String() string { return impactNames.String(i) }

// Valid reports whether i is one of the defined levels.
func (i Impact) Valid() bool { return impactNames.Valid(i) }

// ParseImpact returns the impact named s ("high", "medium", "low").
func ParseImpact(s string) (Impact, error) { return impactNames.Parse(s) }

// MarshalText encodes the impact by name; an unset or unknown value is an error.
func (i Impact) MarshalText() ([]byte, error) { return impactNames.Marshal(i) }

// UnmarshalText decodes an impact by name.
func (i *Impact) UnmarshalText(b []byte) error { return impactNames.Unmarshal(i, b) }

// String returns "high", "medium" or "low", or "urgency(N)" for other values.
func (u Urgency) String() string { return urgencyNames.String(u) }

// Valid reports whether u is one of the defined levels.
func (u Urgency) Valid() bool { return urgencyNames.Valid(u) }

// ParseUrgency returns the urgency named s ("high", "medium", "low").
func ParseUrgency(s string) (Urgency, error) { return urgencyNames.Parse(s) }

// MarshalText encodes the urgency by name; an unset or unknown value is an error.
func (u Urgency) MarshalText() ([]byte, error) { return urgencyNames.Marshal(u) }

// UnmarshalText decodes an urgency by name.
func (u *Urgency) UnmarshalText(b []byte) error { return urgencyNames.Unmarshal(u, b) }

// Priority orders work: P1 is handled first. It is usually derived from
// Impact and Urgency through a PriorityMatrix. The zero value means unset.
type Priority int8

// The priorities, P1 (critical) to P5 (planning).
const (
	P1 Priority = 1 // critical
	P2 Priority = 2 // high
	P3 Priority = 3 // moderate
	P4 Priority = 4 // low
	P5 Priority = 5 // planning
)

var priorityLabels = [...]string{"", "critical", "high", "moderate", "low", "planning"}

// priorityNames are the priorities' names, "P1" … "P5".
var priorityNames = Names[Priority]{Field: "priority", List: []string{"", "P1", "P2", "P3", "P4", "P5"}}

// Valid reports whether p is one of P1 to P5.
func (p Priority) Valid() bool { return priorityNames.Valid(p) }

// String returns "P1" … "P5", or "priority(N)" for other values.
func (p Priority) String() string { return priorityNames.String(p) }

// Label returns the priority's word: critical, high, moderate, low, planning.
func (p Priority) Label() string {
	if p.Valid() {
		return priorityLabels[p]
	}
	return p.String()
}

// ParsePriority returns the priority named s: "P1" … "P5" (or "p1" … "p5").
func ParsePriority(s string) (Priority, error) {
	if len(s) == 2 && s[0] == 'p' {
		s = "P" + s[1:]
	}
	return priorityNames.Parse(s)
}

// MarshalText encodes the priority as "P1" … "P5"; an unset value is an error.
func (p Priority) MarshalText() ([]byte, error) { return priorityNames.Marshal(p) }

// UnmarshalText decodes a priority from "P1" … "P5".
func (p *Priority) UnmarshalText(b []byte) error {
	if p == nil {
		return priorityNames.Unmarshal(p, b)
	}
	v, err := ParsePriority(string(b))
	if err == nil {
		*p = v
	}
	return err
}
