package cmdb

import (
	"fmt"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Sentinels of the package, each in one of the kernel's error classes
// (see lifecycle.Class).
var (
	// ErrDuplicateKey: another CI has the key. Class: lifecycle.ErrConflict.
	// Keys are never reused, not even those of retired CIs.
	ErrDuplicateKey = lifecycle.NewError(lifecycle.ErrConflict, "cmdb: duplicate key")
	// ErrCycle: the relationship would close a cycle of "contains". Class:
	// lifecycle.ErrRefused.
	ErrCycle = lifecycle.NewError(lifecycle.ErrRefused, "cmdb: cycle of contains")
	// ErrRetired: the relationship names a retired CI. Class:
	// lifecycle.ErrRefused.
	ErrRetired = lifecycle.NewError(lifecycle.ErrRefused, "cmdb: CI is retired")
	// ErrInUse: other CIs still relate to the CI that would be retired.
	// Class: lifecycle.ErrRefused.
	ErrInUse = lifecycle.NewError(lifecycle.ErrRefused, "cmdb: CI is in use")
	// ErrQuorum: the cluster would have fewer members than its quorum while
	// it is live or in maintenance. Class: lifecycle.ErrRefused.
	ErrQuorum = lifecycle.NewError(lifecycle.ErrRefused, "cmdb: quorum above members")
)

// RuleError says which rule spanning several CIs refused a command, and
// where. It matches its Rule (ErrCycle, ErrRetired, ErrInUse, ErrQuorum)
// and that rule's class through errors.Is.
type RuleError struct {
	// Rule is the sentinel of the rule.
	Rule error
	// Field names the input that breaks the rule ("relations[3].to",
	// "quorum"), when there is one.
	Field string
	// CIs are the keys concerned: the cycle's path, the CIs still relating
	// to the one retired, the cluster.
	CIs []string
	// Reason says what is wrong.
	Reason string
}

// Error describes the refusal.
func (e *RuleError) Error() string {
	var b strings.Builder
	b.WriteString(e.Rule.Error())
	if e.Field != "" {
		fmt.Fprintf(&b, " (%s)", e.Field)
	}
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if len(e.CIs) > 0 {
		b.WriteString(": " + strings.Join(e.CIs, ", "))
	}
	return b.String()
}

// Unwrap returns the rule, so that errors.Is matches it and its class.
func (e *RuleError) Unwrap() error { return e.Rule }

// invalid returns a *itil.ValidationError.
func invalid(field, reason string) error { return &itil.ValidationError{Field: field, Reason: reason} }

// invalidf returns a *itil.ValidationError with a formatted reason.
func invalidf(field, format string, args ...any) error {
	return &itil.ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
