package lifecycle

import (
	"context"

	"github.com/itil-go/itil"
)

// Authorizer decides whether an actor may fire an event on a record. The
// runner calls it before anything changes; an error wrapping ErrForbidden
// (a *ForbiddenError, say) refuses, and any other error aborts too.
// Implementations must be safe for concurrent use.
type Authorizer interface {
	Authorize(ctx context.Context, req AuthRequest) error
}

// AuthRequest is what an Authorizer decides on.
type AuthRequest struct {
	Actor itil.Actor
	// Entity is the record as stored, before the action; for EventCreate,
	// the record about to be created. It must not be modified, nor kept
	// beyond the call: the runner goes on to change it.
	Entity Entity
	// Event is the event, EventCreate or EventUpdate, or a process's own
	// action name.
	Event string
	// From and To are the states the event leads between.
	From, To string
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, req AuthRequest) error

// Authorize calls f.
func (f AuthorizerFunc) Authorize(ctx context.Context, req AuthRequest) error { return f(ctx, req) }
