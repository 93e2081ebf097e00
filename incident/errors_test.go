package incident_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// TestErrorClasses: every exported error of the package is in exactly one
// class, also when wrapped.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	window := &incident.WindowError{Rule: "reopen", Window: 7 * 24 * time.Hour, Since: 8 * 24 * time.Hour}
	for _, tt := range []struct {
		name  string
		err   error
		class string
		also  error // the sentinel the error matches besides its class
	}{
		{"ErrWindowPassed", incident.ErrWindowPassed, "refused", nil},
		{"ErrCycle", incident.ErrCycle, "refused", nil},
		{"*WindowError", window, "refused", incident.ErrWindowPassed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, err := range []error{tt.err, fmt.Errorf("wrapped: %w", tt.err)} {
				lifecycletest.AssertClass(t, err, tt.class)
				assert.Equal(t, http.StatusConflict, lifecycle.HTTPStatus(err))
				if tt.also != nil {
					assert.ErrorIs(t, err, tt.also)
				}
			}
		})
	}
	assert.NotErrorIs(t, incident.ErrCycle, incident.ErrWindowPassed)
}
