package itil

import "errors"

// ErrInvalid is matched by every *ValidationError through errors.Is, for
// callers that only need to know that the input was bad.
var ErrInvalid = errors.New("itil: invalid input")

// ValidationError reports bad input: which field, and why. Operations that
// return it have changed nothing.
type ValidationError struct {
	// Field names the field, with a path where it is nested: "resolution.code",
	// "variables[ram]".
	Field string
	// Reason says what is wrong, in words a user can act on.
	Reason string
}

// Error returns "invalid FIELD: REASON".
func (e *ValidationError) Error() string { return "invalid " + e.Field + ": " + e.Reason }

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a *ValidationError for field and reason.
func Invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }
