package change

import (
	"fmt"
	"strings"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Errors of the change Manager besides the kernel's and package approval's;
// compare with errors.Is. Each refuses a step by a business rule in the
// change's current situation, so each, and every error type that matches
// it, is in the class lifecycle.ErrRefused (see lifecycle.Class): an HTTP
// layer answers it 409 through lifecycle.HTTPStatus.
var (
	// ErrFrozen is matched by every *FreezeError. Class:
	// lifecycle.ErrRefused.
	ErrFrozen = lifecycle.NewError(lifecycle.ErrRefused, "change: window falls in a freeze")
	// ErrNotApproved is matched by every *ApprovalError. Class:
	// lifecycle.ErrRefused.
	ErrNotApproved = lifecycle.NewError(lifecycle.ErrRefused, "change: not approved")
	// ErrConflicts is matched by every *ConflictError: a window that other
	// changes' windows overlap, refused under Config.RefuseConflicts. It
	// is not lifecycle.ErrConflict, a stale version. Class:
	// lifecycle.ErrRefused.
	ErrConflicts = lifecycle.NewError(lifecycle.ErrRefused, "change: window conflicts with other changes")
)

// FreezeError refuses to schedule a normal or standard change into a freeze
// window. It matches ErrFrozen and lifecycle.ErrRefused.
type FreezeError struct {
	// Number is the change's number.
	Number string
	// Hits are the freeze occurrences the window falls into.
	Hits []FreezeHit
}

// Error names the change and the freezes.
func (e *FreezeError) Error() string {
	parts := make([]string, len(e.Hits))
	for i, h := range e.Hits {
		parts[i] = h.String()
	}
	return fmt.Sprintf("change: %s may not be scheduled in %s", e.Number, strings.Join(parts, "; "))
}

// Is reports whether target is ErrFrozen or lifecycle.ErrRefused.
func (e *FreezeError) Is(target error) bool {
	return target == ErrFrozen || target == lifecycle.ErrRefused
}

// ApprovalError refuses to schedule or implement a change that is not
// approved. It matches ErrNotApproved and lifecycle.ErrRefused.
type ApprovalError struct {
	// Number is the change's number; Event the refused event.
	Number string
	Event  string
	// State is where the current approval round stands; zero when no round
	// was requested.
	State approval.State
}

// Error names the change, the event and the round's state.
func (e *ApprovalError) Error() string {
	state := "no approval was requested"
	if e.State != 0 {
		state = "its approval is " + e.State.String()
	}
	return fmt.Sprintf("change: %s may not %s: %s", e.Number, e.Event, state)
}

// Is reports whether target is ErrNotApproved or lifecycle.ErrRefused.
func (e *ApprovalError) Is(target error) bool {
	return target == ErrNotApproved || target == lifecycle.ErrRefused
}

// ConflictError refuses a window that conflicts with other changes, when
// Config.RefuseConflicts is set. It matches ErrConflicts and
// lifecycle.ErrRefused.
type ConflictError struct {
	// Number is the change's number.
	Number string
	// Conflicts are the changes its window collides with.
	Conflicts []Conflict
}

// Error names the change and the conflicts.
func (e *ConflictError) Error() string {
	parts := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		parts[i] = c.String()
	}
	return fmt.Sprintf("change: %s conflicts with %s", e.Number, strings.Join(parts, "; "))
}

// Is reports whether target is ErrConflicts or lifecycle.ErrRefused.
func (e *ConflictError) Is(target error) bool {
	return target == ErrConflicts || target == lifecycle.ErrRefused
}
