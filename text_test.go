package itil_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		max     int
		reason  string // "" when accepted
	}{
		{"plain", "VPN down", 200, ""},
		{"characters not bytes", strings.Repeat("€", 150), 200, ""},
		{"too long", strings.Repeat("€", 201), 200, "longer than 200 characters (201)"},
		{"no limit", strings.Repeat("x", 10000), 0, ""},
		{"NUL", "a\x00b", 0, "holds a NUL character"},
		{"not UTF-8", "a\xffb", 0, "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := itil.CheckText("title", tc.s, tc.max)
			if tc.reason == "" {
				assert.NoError(t, err)
				return
			}
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "title", ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
		})
	}
	var ve *itil.ValidationError
	require.ErrorAs(t, itil.CheckTexts("cis", []string{"a", "b\x00"}, 0), &ve)
	assert.Equal(t, "cis[1]", ve.Field)
}

func TestCheckJSONText(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		ok         bool
	}{
		{"plain", `{"title":"VPN down"}`, true},
		{"escapes", `{"t":"a\"b\\c\n\u00e9"}`, true},
		{"a whole pair", `"\ud83d\ude00"`, true},
		{"escaped backslash before u", `"\\ud800"`, true},
		{"malformed escape left to the decoder", `"\u12"`, true},
		{"bytes not UTF-8", "{\"t\":\"a\xffb\"}", false},
		{"a high surrogate alone", `"\ud800x"`, false},
		{"a high surrogate at the end", `"\ud800"`, false},
		{"a low surrogate alone", `"\udc00"`, false},
		{"a high surrogate before a non-surrogate", `"\ud800\u0041"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := itil.CheckJSONText("body", []byte(tc.data))
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "body", ve.Field)
			assert.Contains(t, ve.Reason, "not valid UTF-8")
		})
	}
}

func TestShorten(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		max  int
		mark string
		want string
	}{
		{"short", 10, "…", "short"},
		{"exactly ten", 11, "…", "exactly ten"},
		{"abcdefghij", 5, "…", "abcd…"},
		{"abcdefghij", 5, "...", "ab..."},
		{"€€€€€€", 4, "…", "€€€…"}, // characters, not bytes
		{"€€€€", 4, "…", "€€€€"},   // 12 bytes, 4 characters: fits
		{"abcdef", 2, "...", "..."},
	} {
		got := itil.Shorten(tc.s, tc.max, tc.mark)
		assert.Equal(t, tc.want, got, "%q to %d", tc.s, tc.max)
		assert.LessOrEqual(t, utf8.RuneCountInString(got), max(tc.max, utf8.RuneCountInString(tc.mark)))
	}
}
