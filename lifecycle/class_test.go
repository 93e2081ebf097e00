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
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// TestErrorClasses maps every exported error of the kernel to its one class.
func TestErrorClasses(t *testing.T) {
	for _, tc := range []struct {
		err   error
		class string
	}{
		{&itil.ValidationError{Field: "f", Reason: "r"}, "invalid"},
		{lifecycle.ErrNotFound, "not_found"},
		{lifecycle.ErrConflict, "conflict"},
		{lifecycle.ErrExists, "conflict"},
		{lifecycle.ErrLeased, "conflict"},
		{&lifecycle.StaleReadError{}, "conflict"},
		{lifecycle.ErrForbidden, "forbidden"},
		{&lifecycle.ForbiddenError{Actor: "a", Event: "e"}, "forbidden"},
		{lifecycle.ErrRefused, "refused"},
		{lifecycle.ErrTransition, "refused"},
		{&lifecycle.TransitionError{Kind: "k", Event: "e", State: "s"}, "refused"},
	} {
		lifecycletest.AssertClass(t, fmt.Errorf("doing it: %w", tc.err), tc.class)
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
