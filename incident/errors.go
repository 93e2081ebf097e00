package incident

import "errors"

// Errors of the incident desk besides the kernel's; compare with errors.Is.
var (
	// ErrWindowPassed: the window for an action, such as reopening, has
	// passed. The error is a *WindowError.
	ErrWindowPassed = errors.New("incident: window has passed")
	// ErrCycle: linking would make an incident its own ancestor.
	ErrCycle = errors.New("incident: parent link would make a cycle")
)
