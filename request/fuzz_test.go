package request_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/request"
)

// FuzzParseItem decodes arbitrary input as a catalog item. Whatever decodes
// is valid and encodes to JSON that decodes and encodes again the same; whatever
// fails fails with a *itil.ValidationError, never a panic. Seeds are in
// testdata/fuzz/FuzzParseItem.
func FuzzParseItem(f *testing.F) {
	for _, it := range []request.Item{laptopItem(), erpItem()} {
		b, err := json.Marshal(it)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := request.ParseItem(b)
		if err != nil {
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, "%T: %v", err, err)
			return
		}
		require.NoError(t, it.Validate())
		require.True(t, utf8.ValidString(it.Name+it.Description), "text is kept valid")
		out, err := json.Marshal(it)
		require.NoError(t, err)
		back, err := request.ParseItem(out)
		require.NoError(t, err, string(out))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.JSONEq(t, string(out), string(again))
		_, _ = it.Values(map[string]string{}, monday9)
	})
}

// FuzzVariableValue parses arbitrary text as a value of every variable of
// the laptop item. Nothing panics, and a value that parses parses again to
// itself: the canonical form is stable. Seeds are in
// testdata/fuzz/FuzzVariableValue.
func FuzzVariableValue(f *testing.F) {
	it := laptopItem()
	f.Fuzz(func(t *testing.T, value string) {
		for _, v := range it.Variables {
			got, err := v.Parse(value, monday9)
			if err != nil {
				continue
			}
			again, err := v.Parse(got, monday9)
			if got == "" {
				continue
			}
			require.NoError(t, err, "%s: %q → %q", v.Name, value, got)
			require.Equal(t, got, again, v.Name)
		}
	})
}
