package event_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// TestErrorClasses: every error the package exports, and every error type
// its commands return, is in exactly one of the five classes.
func TestErrorClasses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		class  string
		status int
	}{
		{"ErrNoAlert", event.ErrNoAlert, "not_found", http.StatusNotFound},
		{"ValidationError", &itil.ValidationError{Field: "key", Reason: "required"}, "invalid", http.StatusBadRequest},
		{"TransitionError", &lifecycle.TransitionError{Kind: event.Kind, Event: event.EventAcknowledge, State: event.StateAcknowledged},
			"refused", http.StatusConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := fmt.Errorf("acknowledging: %w", tc.err)
			lifecycletest.AssertClass(t, wrapped, tc.class)
			assert.Equal(t, tc.status, lifecycle.HTTPStatus(wrapped))
			assert.ErrorIs(t, wrapped, tc.err, "still matches itself")
		})
	}
}
