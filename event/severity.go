package event

import (
	"strings"

	"github.com/itil-go/itil"
)

// Severity is how bad an event says things are, on one scale for every
// source. The zero value means unset and is not valid on an event.
type Severity int8

// The severities, from all clear to critical.
const (
	// SeverityOK says the check is fine again: it clears the alert.
	SeverityOK Severity = iota + 1
	SeverityInfo
	SeverityWarning
	SeverityMinor
	SeverityMajor
	SeverityCritical
)

var severityNames = itil.Names[Severity]{Field: "severity",
	List: []string{"", "ok", "info", "warning", "minor", "major", "critical"}}

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool { return severityNames.Valid(s) }

// String returns the severity's name, or "severity(N)" for other values.
func (s Severity) String() string { return severityNames.String(s) }

// ParseSeverity returns the severity named s, ignoring case: ok (or clear),
// info, warning, minor, major or critical. Any other text is a
// *itil.ValidationError naming "severity".
func ParseSeverity(s string) (Severity, error) {
	if err := itil.CheckText("severity", s, MaxKeyLen); err != nil {
		return 0, err
	}
	l := strings.ToLower(s)
	if l == "clear" {
		return SeverityOK, nil
	}
	if v, err := severityNames.Parse(l); err == nil {
		return v, nil
	}
	return 0, invalid("severity", "unknown severity %q (want ok, clear, %s)", s,
		strings.TrimPrefix(severityNames.Want(), "ok, "))
}

// MarshalText encodes the severity by name; an unset value is a
// *itil.ValidationError.
func (s Severity) MarshalText() ([]byte, error) { return severityNames.Marshal(s) }

// UnmarshalText decodes a severity as ParseSeverity reads it, leaving s as
// it was on error.
func (s *Severity) UnmarshalText(b []byte) error {
	if s == nil {
		return severityNames.Unmarshal(s, b)
	}
	v, err := ParseSeverity(string(b))
	if err == nil {
		*s = v
	}
	return err
}
