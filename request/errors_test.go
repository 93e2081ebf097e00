package request_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/request"
)

// TestErrorClasses checks that every exported error of the package, as
// the desk returns it (wrapped), is in exactly one of the five classes.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		class string
	}{
		{"ErrRetired", request.ErrRetired, "refused"},
		{"ErrNotCancellable", request.ErrNotCancellable, "refused"},
		{"ErrNotInFulfilment", request.ErrNotInFulfilment, "refused"},
		{"ErrUnknownUser", request.ErrUnknownUser, "invalid"},
		{"LineError", &request.LineError{Line: 1, Item: "laptop", Err: itil.Invalid("variables[ram]", "too much")}, "invalid"},
		{"LineError without cause", &request.LineError{Line: 0, Item: "laptop"}, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("lines[1]: %w", tt.err)
			lifecycletest.AssertClass(t, wrapped, tt.class)
			assert.ErrorIs(t, wrapped, tt.err, "a classed error still matches itself")
		})
	}
}
