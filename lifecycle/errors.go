package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/itil-go/itil"
)

// The classes of errors. Every exported sentinel and error type of the
// library matches exactly one of them through errors.Is, so that a caller,
// an HTTP layer for one, handles a class and not each error:
//
//	class              errors.Is(err, …)   HTTP status (HTTPStatus)
//	invalid input      itil.ErrInvalid      400 Bad Request
//	forbidden          ErrForbidden         403 Forbidden
//	not found          ErrNotFound          404 Not Found
//	conflict           ErrConflict          409 Conflict
//	refused            ErrRefused           409 Conflict
//
// Conflict means another writer came first: read again and retry. Refused
// means a business rule refuses the command in the record's current
// situation (a freeze, a missing approval, a cycle, a state that does not
// allow the event): repeating it changes nothing until the situation does.
var (
	// ErrNotFound: no record has the given ID or number.
	ErrNotFound = errors.New("lifecycle: not found")
	// ErrConflict: the record changed since it was read (stale version), or
	// another writer took what this one wanted. Retry on a fresh read.
	ErrConflict = errors.New("lifecycle: version conflict")
	// ErrForbidden: the actor may not do this (the Authorizer refused, or a
	// rule about who may act, such as segregation of duties).
	ErrForbidden = errors.New("lifecycle: forbidden")
	// ErrRefused: a business rule refuses the command in the record's
	// current situation.
	ErrRefused = errors.New("lifecycle: refused")
)

// Sentinels of the kernel that belong to a class.
var (
	// ErrExists: a record with the same ID is already stored. Class:
	// ErrConflict.
	ErrExists = NewError(ErrConflict, "lifecycle: already exists")
	// ErrLeased: another holder has the consumer's outbox lease. Class:
	// ErrConflict.
	ErrLeased = NewError(ErrConflict, "lifecycle: outbox lease held by another holder")
)

// NewError returns a new sentinel error with the given text that matches
// class (one of itil.ErrInvalid, ErrForbidden, ErrNotFound, ErrConflict,
// ErrRefused) through errors.Is, as well as itself. Process packages declare
// their sentinels with it:
//
//	var ErrFrozen = lifecycle.NewError(lifecycle.ErrRefused, "change: window falls in a freeze")
func NewError(class error, text string) error { return &classed{text: text, class: class} }

// classed is a sentinel error in a class.
type classed struct {
	text  string
	class error
}

func (e *classed) Error() string { return e.text }

// Is reports whether target is the error's class.
func (e *classed) Is(target error) bool { return target == e.class }

// classes lists the classes in the order Class tries them.
var classes = [...]error{itil.ErrInvalid, ErrForbidden, ErrNotFound, ErrConflict, ErrRefused}

// Class returns the class err belongs to: itil.ErrInvalid, ErrForbidden,
// ErrNotFound, ErrConflict or ErrRefused, or nil for an error of none (a
// store that failed, a cancelled context) and for nil.
func Class(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range classes {
		if errors.Is(err, c) {
			return c
		}
	}
	return nil
}

// HTTPStatus returns the HTTP status that answers err, by its class (see the
// table above): 400, 403, 404 or 409; 504 for a deadline that passed, 499
// (client closed request) for a cancelled context, and 500 for anything
// else. It returns 200 for nil.
func HTTPStatus(err error) int {
	switch Class(err) {
	case itil.ErrInvalid:
		return http.StatusBadRequest
	case ErrForbidden:
		return http.StatusForbidden
	case ErrNotFound:
		return http.StatusNotFound
	case ErrConflict, ErrRefused:
		return http.StatusConflict
	}
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.Is(err, context.Canceled):
		return 499
	}
	return http.StatusInternalServerError
}

// ClassName returns the class of err as a word for an API's answers:
// "invalid", "forbidden", "not_found", "conflict", "refused", or "internal".
func ClassName(err error) string {
	switch Class(err) {
	case itil.ErrInvalid:
		return "invalid"
	case ErrForbidden:
		return "forbidden"
	case ErrNotFound:
		return "not_found"
	case ErrConflict:
		return "conflict"
	case ErrRefused:
		return "refused"
	}
	return "internal"
}

// TransitionError reports an event that may not fire in the record's state.
// It matches ErrTransition and its class, ErrRefused, through errors.Is.
type TransitionError struct {
	Kind    string   // the record kind
	Event   string   // the event that was fired
	State   string   // the state the record is in
	Allowed []string // the events that may fire in State
}

// ErrTransition is matched by every *TransitionError. Class: ErrRefused.
var ErrTransition = NewError(ErrRefused, "lifecycle: event not allowed in state")

// Error names the event, the state and the allowed events.
func (e *TransitionError) Error() string {
	allowed := "none"
	if len(e.Allowed) > 0 {
		allowed = strings.Join(e.Allowed, ", ")
	}
	return fmt.Sprintf("%s: event %q not allowed in state %q (allowed: %s)", e.Kind, e.Event, e.State, allowed)
}

// Is reports whether target is ErrTransition or ErrRefused.
func (e *TransitionError) Is(target error) bool {
	return target == ErrTransition || target == ErrRefused
}

// ForbiddenError says who was refused what, and why. It matches ErrForbidden.
type ForbiddenError struct {
	Actor  string
	Event  string
	Reason string
}

// Error describes the refusal.
func (e *ForbiddenError) Error() string {
	msg := fmt.Sprintf("lifecycle: %s may not %s", e.Actor, e.Event)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is reports whether target is ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }
