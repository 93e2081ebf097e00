package request

import (
	"errors"
	"fmt"
)

// Errors of the request desk besides the kernel's; compare with errors.Is.
var (
	// ErrRetired: the catalog item can no longer be ordered.
	ErrRetired = errors.New("request: catalog item is retired")
	// ErrNotCancellable: the request may not be cancelled, such as a
	// revocation, which must run to its end.
	ErrNotCancellable = errors.New("request: may not be cancelled")
	// ErrUnknownUser: a user variable names someone the Directory does not
	// know. The error is a *itil.ValidationError on the variable that also
	// wraps this sentinel.
	ErrUnknownUser = errors.New("request: unknown user")
)

// LineError says which line of an order a problem is in. It wraps the
// problem, usually a *itil.ValidationError on "variables[NAME]", so that
// errors.As finds both.
type LineError struct {
	// Line is the line's index in the order.
	Line int
	// Item is the item the line orders.
	Item string
	// Err is the problem.
	Err error
}

// Error names the line, its item and the problem.
func (e *LineError) Error() string { return fmt.Sprintf("line %d (%s): %v", e.Line, e.Item, e.Err) }

// Unwrap returns the problem.
func (e *LineError) Unwrap() error { return e.Err }

// unknownUser is a *itil.ValidationError-compatible error for a user the
// directory does not know: it unwraps to both.
type unknownUser struct{ v error }

func (u unknownUser) Error() string   { return u.v.Error() }
func (u unknownUser) Unwrap() []error { return []error{u.v, ErrUnknownUser} }
