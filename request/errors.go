package request

import (
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Errors of the request desk besides the kernel's; compare with errors.Is.
// Each is in one class of lifecycle's (see lifecycle.Class).
var (
	// ErrRetired: the catalog item can no longer be ordered. Class:
	// lifecycle.ErrRefused, since the catalog, not the order, decides it.
	ErrRetired = lifecycle.NewError(lifecycle.ErrRefused, "request: catalog item is retired")
	// ErrNotCancellable: the request may not be cancelled, such as a
	// revocation, which must run to its end. Class: lifecycle.ErrRefused.
	ErrNotCancellable = lifecycle.NewError(lifecycle.ErrRefused, "request: may not be cancelled")
	// ErrNotInFulfilment: a failed task is retried only while its request
	// is in fulfilment. Class: lifecycle.ErrRefused.
	ErrNotInFulfilment = lifecycle.NewError(lifecycle.ErrRefused, "request: no longer in fulfilment")
	// ErrUnknownUser: a user variable names someone the Directory does not
	// know. The error is a *itil.ValidationError on the variable that also
	// wraps this sentinel. Class: itil.ErrInvalid: the value given for the
	// variable is wrong, and the error names the variable, so that a form
	// shows it next to the field; the record acted on exists, so it is
	// not lifecycle.ErrNotFound.
	ErrUnknownUser = lifecycle.NewError(itil.ErrInvalid, "request: unknown user")
)

// LineError says which line of an order holds bad input. It wraps the
// problem, a *itil.ValidationError on "item", "quantity",
// "variables[NAME]" or "tasks[N].group", so that errors.As finds both. Class: itil.ErrInvalid.
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

// Is reports whether target is itil.ErrInvalid, the class of every
// LineError.
func (e *LineError) Is(target error) bool { return target == itil.ErrInvalid }

// unknownUser is a *itil.ValidationError-compatible error for a user the
// directory does not know: it unwraps to both.
type unknownUser struct{ v error }

func (u unknownUser) Error() string   { return u.v.Error() }
func (u unknownUser) Unwrap() []error { return []error{u.v, ErrUnknownUser} }
