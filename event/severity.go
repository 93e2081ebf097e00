package event

import (
	"fmt"
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

var severityNames = [...]string{"", "ok", "info", "warning", "minor", "major", "critical"}

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool { return s >= SeverityOK && s <= SeverityCritical }

// String returns the severity's name, or "severity(N)" for other values.
func (s Severity) String() string {
	if s.Valid() {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int8(s))
}

// ParseSeverity returns the severity named s, ignoring case: ok (or clear),
// info, warning, minor, major or critical.
func ParseSeverity(s string) (Severity, error) {
	l := strings.ToLower(s)
	if l == "clear" {
		return SeverityOK, nil
	}
	for i := 1; i < len(severityNames); i++ {
		if severityNames[i] == l {
			return Severity(i), nil
		}
	}
	return 0, &itil.ValidationError{Field: "severity", Reason: fmt.Sprintf("unknown severity %q (want ok, clear, info, warning, minor, major or critical)", s)}
}

// MarshalText encodes the severity by name; an unset value is an error.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, &itil.ValidationError{Field: "severity", Reason: fmt.Sprintf("undefined value %d", int8(s))}
	}
	return []byte(severityNames[s]), nil
}

// UnmarshalText decodes a severity by name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err == nil {
		*s = v
	}
	return err
}
