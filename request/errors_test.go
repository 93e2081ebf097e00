package request_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/request"
)

// TestErrorClasses checks that every exported error of the package, as
// the desk returns it (wrapped), is in exactly one of the five classes.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	tests := []struct {
		name  string
		err   error
		class error
	}{
		{"ErrRetired", request.ErrRetired, lifecycle.ErrRefused},
		{"ErrNotCancellable", request.ErrNotCancellable, lifecycle.ErrRefused},
		{"ErrNotInFulfilment", request.ErrNotInFulfilment, lifecycle.ErrRefused},
		{"ErrUnknownUser", request.ErrUnknownUser, itil.ErrInvalid},
		{"LineError", &request.LineError{Line: 1, Item: "laptop", Err: itil.Invalid("variables[ram]", "too much")}, itil.ErrInvalid},
		{"LineError without cause", &request.LineError{Line: 0, Item: "laptop"}, itil.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("lines[1]: %w", tt.err)
			for _, c := range classes {
				assert.Equal(t, c == tt.class, errors.Is(wrapped, c), "%v is %v", tt.err, c)
			}
			assert.Equal(t, tt.class, lifecycle.Class(wrapped))
			assert.ErrorIs(t, wrapped, tt.err, "a classed error still matches itself")
		})
	}
}
