package itil

import "fmt"

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

// levelNames are the names shared by Impact and Urgency, indexed by value.
var levelNames = [...]string{"", "high", "medium", "low"}

func parseLevel(field, s string) (int8, error) {
	for i := 1; i < len(levelNames); i++ {
		if levelNames[i] == s {
			return int8(i), nil
		}
	}
	return 0, &ValidationError{Field: field, Reason: fmt.Sprintf("unknown %s %q (want high, medium or low)", field, s)}
}

// String returns "high", "medium" or "low", or "impact(N)" for other values.
func (i Impact) String() string {
	if i.Valid() {
		return levelNames[i]
	}
	return fmt.Sprintf("impact(%d)", int8(i))
}

// Valid reports whether i is one of the defined levels.
func (i Impact) Valid() bool { return i >= ImpactHigh && i <= ImpactLow }

// ParseImpact returns the impact named s ("high", "medium", "low").
func ParseImpact(s string) (Impact, error) {
	v, err := parseLevel("impact", s)
	return Impact(v), err
}

// MarshalText encodes the impact by name; an unset or unknown value is an error.
func (i Impact) MarshalText() ([]byte, error) {
	if !i.Valid() {
		return nil, &ValidationError{Field: "impact", Reason: fmt.Sprintf("undefined value %d", int8(i))}
	}
	return []byte(levelNames[i]), nil
}

// UnmarshalText decodes an impact by name.
func (i *Impact) UnmarshalText(b []byte) error {
	v, err := ParseImpact(string(b))
	if err == nil {
		*i = v
	}
	return err
}

// String returns "high", "medium" or "low", or "urgency(N)" for other values.
func (u Urgency) String() string {
	if u.Valid() {
		return levelNames[u]
	}
	return fmt.Sprintf("urgency(%d)", int8(u))
}

// Valid reports whether u is one of the defined levels.
func (u Urgency) Valid() bool { return u >= UrgencyHigh && u <= UrgencyLow }

// ParseUrgency returns the urgency named s ("high", "medium", "low").
func ParseUrgency(s string) (Urgency, error) {
	v, err := parseLevel("urgency", s)
	return Urgency(v), err
}

// MarshalText encodes the urgency by name; an unset or unknown value is an error.
func (u Urgency) MarshalText() ([]byte, error) {
	if !u.Valid() {
		return nil, &ValidationError{Field: "urgency", Reason: fmt.Sprintf("undefined value %d", int8(u))}
	}
	return []byte(levelNames[u]), nil
}

// UnmarshalText decodes an urgency by name.
func (u *Urgency) UnmarshalText(b []byte) error {
	v, err := ParseUrgency(string(b))
	if err == nil {
		*u = v
	}
	return err
}

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

// Valid reports whether p is one of P1 to P5.
func (p Priority) Valid() bool { return p >= P1 && p <= P5 }

// String returns "P1" … "P5", or "priority(N)" for other values.
func (p Priority) String() string {
	if p.Valid() {
		return "P" + string(rune('0'+p))
	}
	return fmt.Sprintf("priority(%d)", int8(p))
}

// Label returns the priority's word: critical, high, moderate, low, planning.
func (p Priority) Label() string {
	if p.Valid() {
		return priorityLabels[p]
	}
	return p.String()
}

// ParsePriority returns the priority named s: "P1" … "P5" (or "p1" … "p5").
func ParsePriority(s string) (Priority, error) {
	if len(s) == 2 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '1' && s[1] <= '5' {
		return Priority(s[1] - '0'), nil
	}
	return 0, &ValidationError{Field: "priority", Reason: fmt.Sprintf("unknown priority %q (want P1 to P5)", s)}
}

// MarshalText encodes the priority as "P1" … "P5"; an unset value is an error.
func (p Priority) MarshalText() ([]byte, error) {
	if !p.Valid() {
		return nil, &ValidationError{Field: "priority", Reason: fmt.Sprintf("undefined value %d", int8(p))}
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a priority from "P1" … "P5".
func (p *Priority) UnmarshalText(b []byte) error {
	v, err := ParsePriority(string(b))
	if err == nil {
		*p = v
	}
	return err
}
