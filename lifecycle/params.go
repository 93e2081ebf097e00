package lifecycle

import (
	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// Params is what every command of every service carries, and all that a
// command with no inputs of its own takes ("close it", "start work"). The
// params of a command with inputs of its own hold the same fields under the
// same names, beside those inputs:
//
//	desk.Assign(ctx, incident.AssignParams{ID: id, Group: "network", By: agent})
//	desk.Close(ctx, incident.Params{ID: id, By: agent})
type Params struct {
	// ID is the record the command acts on.
	ID uuid.UUID
	// Version, when non-zero, is the version of the record the caller read:
	// if the record has changed since, the command fails with ErrConflict
	// and changes nothing. Zero acts on the latest version, running the
	// command again on a fresh copy after a concurrent change.
	Version int64
	// By is who acts.
	By itil.Actor
	// Note is journaled with the change.
	Note string
	// Fields sets custom fields with the command, as the lifecycle declares
	// them (see Field); an empty value unsets a field.
	Fields map[string]string
}

// FireParams fires a lifecycle event by name: the services' Fire, for the
// events a host added to a lifecycle ("wait_vendor") as much as the built-in
// ones. Its first five fields are those of Params.
type FireParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Event is the event to fire; required.
	Event string
}
