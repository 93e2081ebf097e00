package change_test

import (
	"encoding"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
)

// TestEnumerationsText: every enumeration marshals by name, parses its
// names back, and refuses an unknown name, an overlong text and a nil
// receiver with a *itil.ValidationError naming it, never a panic.
func TestEnumerationsText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field string
		names []string
		new   func() encoding.TextUnmarshaler
		nilv  encoding.TextUnmarshaler
	}{
		{"type", []string{"normal", "standard", "emergency"}, func() encoding.TextUnmarshaler { return new(change.Type) }, (*change.Type)(nil)},
		{"outcome", []string{"successful", "failed", "backed_out"}, func() encoding.TextUnmarshaler { return new(change.Outcome) }, (*change.Outcome)(nil)},
		{"risk", []string{"low", "moderate", "high"}, func() encoding.TextUnmarshaler { return new(change.Risk) }, (*change.Risk)(nil)},
		{"likelihood", []string{"high", "medium", "low"}, func() encoding.TextUnmarshaler { return new(change.Likelihood) }, (*change.Likelihood)(nil)},
		{"conflict", []string{"ci", "parent", "child", "implementer"}, func() encoding.TextUnmarshaler { return new(change.ConflictKind) }, (*change.ConflictKind)(nil)},
	} {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			for _, name := range tc.names {
				v := tc.new()
				require.NoError(t, v.UnmarshalText([]byte(name)))
				b, err := v.(encoding.TextMarshaler).MarshalText()
				require.NoError(t, err)
				assert.Equal(t, name, string(b))
			}
			err := tc.new().UnmarshalText([]byte("bogus"))
			assertInvalid(t, err, tc.field)
			assert.ErrorContains(t, err, " or "+tc.names[len(tc.names)-1], "the names it knows")
			assertInvalid(t, tc.new().UnmarshalText([]byte(strings.Repeat("x", 100))), tc.field)
			assert.NotPanics(t, func() { assertInvalid(t, tc.nilv.UnmarshalText([]byte(tc.names[0])), tc.field) })
			_, err = tc.new().(encoding.TextMarshaler).MarshalText()
			assertInvalid(t, err, tc.field)
		})
	}
	r, err := change.ParseRisk("moderate")
	require.NoError(t, err)
	assert.Equal(t, change.RiskModerate, r)
	assert.False(t, change.Risk(0).Valid(), "the zero risk is unset")
	assert.Equal(t, "risk(9)", change.Risk(9).String())
}
