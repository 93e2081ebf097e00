package event

import (
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ErrNoAlert: no open alert has the given dedup key or ID. Class:
// lifecycle.ErrNotFound, so that errors.Is(err, lifecycle.ErrNotFound)
// holds, and an HTTP layer answers it 404.
var ErrNoAlert = lifecycle.NewError(lifecycle.ErrNotFound, "event: no open alert with that dedup key or ID")

func invalid(field, format string, args ...any) error {
	return &itil.ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
