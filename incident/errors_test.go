package incident_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// TestErrorClasses: every exported error of the package is in exactly one
// class, also when wrapped.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	window := &incident.WindowError{Rule: "reopen", Window: 7 * 24 * time.Hour, Since: 8 * 24 * time.Hour}
	for _, tt := range []struct {
		name  string
		err   error
		class error
		also  error // the sentinel the error matches besides its class
	}{
		{"ErrWindowPassed", incident.ErrWindowPassed, lifecycle.ErrRefused, nil},
		{"ErrCycle", incident.ErrCycle, lifecycle.ErrRefused, nil},
		{"*WindowError", window, lifecycle.ErrRefused, incident.ErrWindowPassed},
	} {
		for _, err := range []error{tt.err, fmt.Errorf("wrapped: %w", tt.err)} {
			var in []error
			for _, c := range classes {
				if errors.Is(err, c) {
					in = append(in, c)
				}
			}
			assert.Equal(t, []error{tt.class}, in, "%s: exactly one class", tt.name)
			assert.Equal(t, tt.class, lifecycle.Class(err), tt.name)
			assert.Equal(t, http.StatusConflict, lifecycle.HTTPStatus(err), tt.name)
			if tt.also != nil {
				assert.ErrorIs(t, err, tt.also, tt.name)
			}
		}
	}
	assert.NotErrorIs(t, incident.ErrCycle, incident.ErrWindowPassed)
}
