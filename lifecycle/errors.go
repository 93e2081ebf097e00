package lifecycle

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Compare with errors.Is: stores and services wrap them.
var (
	// ErrNotFound: no record has the given ID or number.
	ErrNotFound = errors.New("lifecycle: not found")
	// ErrExists: a record with the same ID is already stored.
	ErrExists = errors.New("lifecycle: already exists")
	// ErrConflict: the record changed since it was read (stale version).
	ErrConflict = errors.New("lifecycle: version conflict")
	// ErrForbidden: the Authorizer refused the actor.
	ErrForbidden = errors.New("lifecycle: forbidden")
	// ErrLeased: another holder has the consumer's outbox lease.
	ErrLeased = errors.New("lifecycle: outbox lease held by another holder")
)

// TransitionError reports an event that may not fire in the record's state.
// It matches ErrTransition through errors.Is.
type TransitionError struct {
	Kind    string   // the record kind
	Event   string   // the event that was fired
	State   string   // the state the record is in
	Allowed []string // the events that may fire in State
}

// ErrTransition is matched by every *TransitionError.
var ErrTransition = errors.New("lifecycle: event not allowed in state")

// Error names the event, the state and the allowed events.
func (e *TransitionError) Error() string {
	allowed := "none"
	if len(e.Allowed) > 0 {
		allowed = strings.Join(e.Allowed, ", ")
	}
	return fmt.Sprintf("%s: event %q not allowed in state %q (allowed: %s)", e.Kind, e.Event, e.State, allowed)
}

// Is reports whether target is ErrTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrTransition }

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
