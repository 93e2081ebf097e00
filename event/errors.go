package event

import (
	"errors"
	"fmt"

	"github.com/itil-go/itil"
)

// ErrNoAlert: no open alert has the given dedup key. It wraps
// lifecycle.ErrNotFound semantics for the in-memory view; compare with
// errors.Is.
var ErrNoAlert = errors.New("event: no open alert with that dedup key")

func invalid(field, format string, args ...any) error {
	return &itil.ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
