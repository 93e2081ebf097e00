package change

import (
	"errors"
	"fmt"
	"strings"

	"github.com/itil-go/itil/lifecycle/approval"
)

// Errors of the change Manager besides the kernel's and package approval's;
// compare with errors.Is.
var (
	// ErrFrozen is matched by every *FreezeError.
	ErrFrozen = errors.New("change: window falls in a freeze")
	// ErrNotApproved is matched by every *ApprovalError.
	ErrNotApproved = errors.New("change: not approved")
	// ErrConflicts is matched by every *ConflictError.
	ErrConflicts = errors.New("change: window conflicts with other changes")
)

// FreezeError refuses to schedule a normal or standard change into a freeze
// window. It matches ErrFrozen.
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

// Is reports whether target is ErrFrozen.
func (e *FreezeError) Is(target error) bool { return target == ErrFrozen }

// ApprovalError refuses to schedule or implement a change that is not
// approved. It matches ErrNotApproved.
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

// Is reports whether target is ErrNotApproved.
func (e *ApprovalError) Is(target error) bool { return target == ErrNotApproved }

// ConflictError refuses a window that conflicts with other changes, when
// Config.RefuseConflicts is set. It matches ErrConflicts.
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

// Is reports whether target is ErrConflicts.
func (e *ConflictError) Is(target error) bool { return target == ErrConflicts }
