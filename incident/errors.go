package incident

import "github.com/itil-go/itil/lifecycle"

// Errors of the incident desk besides the kernel's; compare with
// errors.Is. Both are in the class lifecycle.ErrRefused.
var (
	// ErrWindowPassed: the window for an action, such as reopening, has
	// passed. The error is a *WindowError.
	ErrWindowPassed = lifecycle.NewError(lifecycle.ErrRefused, "incident: window has passed")
	// ErrCycle: linking would make an incident its own ancestor.
	ErrCycle = lifecycle.NewError(lifecycle.ErrRefused, "incident: parent link would make a cycle")
)
