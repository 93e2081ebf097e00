package notify_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/notify"
)

// TestErrorClasses checks every exported error of the package against the
// five classes: each is in the one its doc names, and in no other.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	tests := []struct {
		name  string
		err   error
		class error // nil: an internal error, in no class
	}{
		{"ErrBadSignature", notify.ErrBadSignature, lifecycle.ErrForbidden},
		{"ErrStale", notify.ErrStale, lifecycle.ErrForbidden},
		{"SignatureError bad", &notify.SignatureError{Err: notify.ErrBadSignature, Reason: "no signature"}, lifecycle.ErrForbidden},
		{"SignatureError stale", &notify.SignatureError{Err: notify.ErrStale, Reason: "old"}, lifecycle.ErrForbidden},
		{"StatusError", &notify.StatusError{StatusCode: 404, Status: "404 Not Found"}, nil},
		{"PanicError", &notify.PanicError{Value: "boom"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("delivering: %w", tt.err)
			for _, c := range classes {
				assert.Equal(t, c == tt.class, errors.Is(wrapped, c), "errors.Is(%v, %v)", tt.err, c)
			}
			assert.Equal(t, tt.class, lifecycle.Class(wrapped))
			assert.ErrorIs(t, wrapped, tt.err, "the error still matches itself")
		})
	}
	assert.NotErrorIs(t, notify.ErrBadSignature, notify.ErrStale)
	assert.NotErrorIs(t, notify.ErrStale, notify.ErrBadSignature)
}
