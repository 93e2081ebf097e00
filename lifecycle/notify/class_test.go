package notify_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/notify"
)

// TestErrorClasses checks every exported error of the package against the
// five classes: each is in the one its doc names, and in no other.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		class string // "internal": in no class
	}{
		{"ErrBadSignature", notify.ErrBadSignature, "forbidden"},
		{"ErrStale", notify.ErrStale, "forbidden"},
		{"SignatureError bad", &notify.SignatureError{Err: notify.ErrBadSignature, Reason: "no signature"}, "forbidden"},
		{"SignatureError stale", &notify.SignatureError{Err: notify.ErrStale, Reason: "old"}, "forbidden"},
		{"StatusError", &notify.StatusError{StatusCode: 404, Status: "404 Not Found"}, "internal"},
		{"PanicError", &notify.PanicError{Value: "boom"}, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("delivering: %w", tt.err)
			lifecycletest.AssertClass(t, wrapped, tt.class)
			assert.ErrorIs(t, wrapped, tt.err, "the error still matches itself")
		})
	}
	assert.NotErrorIs(t, notify.ErrBadSignature, notify.ErrStale)
	assert.NotErrorIs(t, notify.ErrStale, notify.ErrBadSignature)
}
