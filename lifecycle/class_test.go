package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// TestErrorClasses maps every exported error of the kernel to its one class.
func TestErrorClasses(t *testing.T) {
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	for _, tc := range []struct {
		err   error
		class error
		name  string
	}{
		{&itil.ValidationError{Field: "f", Reason: "r"}, itil.ErrInvalid, "invalid"},
		{lifecycle.ErrNotFound, lifecycle.ErrNotFound, "not_found"},
		{lifecycle.ErrConflict, lifecycle.ErrConflict, "conflict"},
		{lifecycle.ErrExists, lifecycle.ErrConflict, "conflict"},
		{lifecycle.ErrLeased, lifecycle.ErrConflict, "conflict"},
		{&lifecycle.StaleReadError{}, lifecycle.ErrConflict, "conflict"},
		{lifecycle.ErrForbidden, lifecycle.ErrForbidden, "forbidden"},
		{&lifecycle.ForbiddenError{Actor: "a", Event: "e"}, lifecycle.ErrForbidden, "forbidden"},
		{lifecycle.ErrRefused, lifecycle.ErrRefused, "refused"},
		{lifecycle.ErrTransition, lifecycle.ErrRefused, "refused"},
		{&lifecycle.TransitionError{Kind: "k", Event: "e", State: "s"}, lifecycle.ErrRefused, "refused"},
	} {
		wrapped := fmt.Errorf("doing it: %w", tc.err)
		for _, c := range classes {
			assert.Equal(t, c == tc.class, errors.Is(wrapped, c), "%v is %v", tc.err, c)
		}
		assert.Equal(t, tc.class, lifecycle.Class(wrapped), "%v", tc.err)
		assert.Equal(t, tc.name, lifecycle.ClassName(wrapped), "%v", tc.err)
	}
	assert.True(t, errors.Is(fmt.Errorf("x: %w", lifecycle.ErrExists), lifecycle.ErrExists), "a classed sentinel still matches itself")
	assert.False(t, errors.Is(lifecycle.ErrConflict, lifecycle.ErrExists))
	assert.Nil(t, lifecycle.Class(errors.New("disk full")))
	assert.Nil(t, lifecycle.Class(nil))
}

func TestHTTPStatus(t *testing.T) {
	for err, want := range map[error]int{
		itil.Invalid("f", "r"):                        http.StatusBadRequest,
		lifecycle.ErrForbidden:                        http.StatusForbidden,
		lifecycle.ErrNotFound:                         http.StatusNotFound,
		lifecycle.ErrExists:                           http.StatusConflict,
		lifecycle.ErrTransition:                       http.StatusConflict,
		lifecycle.NewError(lifecycle.ErrRefused, "x"): http.StatusConflict,
		context.DeadlineExceeded:                      http.StatusGatewayTimeout,
		context.Canceled:                              499,
		errors.New("disk full"):                       http.StatusInternalServerError,
	} {
		assert.Equal(t, want, lifecycle.HTTPStatus(fmt.Errorf("w: %w", err)), "%v", err)
	}
	assert.Equal(t, http.StatusOK, lifecycle.HTTPStatus(nil))
}
