package change_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
)

// assertInvalid asserts that err is a *itil.ValidationError on field.
func assertInvalid(t testing.TB, err error, field string) {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field, ve.Error())
	assert.ErrorIs(t, err, itil.ErrInvalid)
}
