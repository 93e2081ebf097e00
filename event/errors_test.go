package event_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

// TestErrorClasses: every error the package exports, and every error type
// its commands return, is in exactly one of the five classes.
func TestErrorClasses(t *testing.T) {
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	for _, tc := range []struct {
		name   string
		err    error
		class  error
		status int
	}{
		{"ErrNoAlert", event.ErrNoAlert, lifecycle.ErrNotFound, http.StatusNotFound},
		{"ValidationError", &itil.ValidationError{Field: "key", Reason: "required"}, itil.ErrInvalid, http.StatusBadRequest},
		{"TransitionError", &lifecycle.TransitionError{Kind: event.Kind, Event: event.EventAcknowledge, State: event.StateAcknowledged},
			lifecycle.ErrRefused, http.StatusConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := fmt.Errorf("acknowledging: %w", tc.err)
			for _, c := range classes {
				assert.Equal(t, c == tc.class, errors.Is(wrapped, c), "errors.Is(%v, %v)", tc.err, c)
			}
			assert.Equal(t, tc.class, lifecycle.Class(wrapped))
			assert.Equal(t, tc.status, lifecycle.HTTPStatus(wrapped))
			assert.ErrorIs(t, wrapped, tc.err, "still matches itself")
		})
	}
}
