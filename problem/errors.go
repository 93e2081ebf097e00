package problem

import (
	"errors"
	"fmt"

	"github.com/itil-go/itil"
)

// ErrOneSided is matched by a *LinkError: a link between a problem and an
// incident could be written on one side only, and undoing it failed too.
var ErrOneSided = errors.New("problem: link left on one side")

// LinkError reports a link between a problem and an incident left on one
// side: the incident's side was written, the problem's side failed with Err,
// and putting the incident back as it was failed with Undo. Running the same
// link or unlink again completes it. It matches ErrOneSided, and Err through
// errors.Is and errors.As.
type LinkError struct {
	// Op is "link" or "unlink".
	Op       string
	Problem  itil.Ref
	Incident itil.Ref
	Err      error
	Undo     error
}

// Error names both records and both failures.
func (e *LinkError) Error() string {
	return fmt.Sprintf("problem: %s of %s and %s left on one side: %v (undo: %v)", e.Op, e.Problem, e.Incident, e.Err, e.Undo)
}

// Is reports whether target is ErrOneSided.
func (e *LinkError) Is(target error) bool { return target == ErrOneSided }

// Unwrap returns the problem side's error.
func (e *LinkError) Unwrap() error { return e.Err }
