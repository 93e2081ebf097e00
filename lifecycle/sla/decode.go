package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// The JSON decoders of the package read their input in two steps: first an
// object of raw members, then each member by itself. So every error names
// the member it is in, as a *itil.ValidationError with a path such as
// "calendars[business].hours.monday[1]", and the texts taken from outside
// (names, zones) can be checked as they were written: encoding/json would
// replace bytes that are not UTF-8 with U+FFFD, where the package refuses
// them.

// at joins a path and a member's name: at("", "zone") is "zone",
// at("calendars[x]", "zone") is "calendars[x].zone".
func at(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// whole names the value at path, or root when it is the top-level value.
func whole(path, root string) string {
	if path == "" {
		return root
	}
	return path
}

// within moves a *itil.ValidationError of a value decoded at path under that
// path: "zone" at "calendars[x]" becomes "calendars[x].zone".
func within(path string, err error) error {
	var ve *itil.ValidationError
	if path == "" || !errors.As(err, &ve) {
		return err
	}
	return &itil.ValidationError{Field: at(path, ve.Field), Reason: ve.Reason}
}

// decodeJSON decodes raw into dst. Any error is a *itil.ValidationError
// naming field; want says what the field holds, for the reason: "a list of
// dates".
func decodeJSON(field string, raw []byte, dst any, want string) error {
	if err := json.Unmarshal(raw, dst); err != nil {
		return jsonError(field, err, want)
	}
	return nil
}

// jsonError returns err, an error of encoding/json or of a value's own
// decoder, as a *itil.ValidationError naming field.
func jsonError(field string, err error, want string) error {
	var (
		ve *itil.ValidationError
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &ve):
		return &itil.ValidationError{Field: field, Reason: ve.Reason}
	case errors.As(err, &se):
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("not JSON: %v (at byte %d)", se, se.Offset)}
	case errors.As(err, &te):
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("want %s, not a JSON %s", want, te.Value)}
	}
	return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("want %s: %v", want, err)}
}

// decodeText decodes raw, a JSON string or null, into a text from outside.
// It refuses, with a *itil.ValidationError naming field, a text that is not
// valid UTF-8 (bytes that are not, or a \u escape of half a surrogate pair,
// both of which encoding/json would turn into U+FFFD) or that holds NUL.
func decodeText(field string, raw []byte) (string, error) {
	if !utf8.Valid(raw) {
		return "", &itil.ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	var s string
	if err := decodeJSON(field, raw, &s, "a string"); err != nil {
		return "", err
	}
	if strings.ContainsRune(s, utf8.RuneError) && halfSurrogate(raw) {
		return "", &itil.ValidationError{Field: field, Reason: "not valid UTF-8 (an escape of half a surrogate pair)"}
	}
	return s, itil.CheckText(field, s, 0)
}

// decodeObject decodes raw, a JSON object, into its members. Their names
// are texts from outside: one that is not valid UTF-8 or holds NUL is
// refused with a *itil.ValidationError naming field. A null object has no
// members.
func decodeObject(field string, raw []byte, want string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := decodeJSON(field, raw, &m, want); err != nil {
		return nil, err
	}
	mangled := false
	for name := range m {
		if err := itil.CheckText(field, name, 0); err != nil {
			return nil, err
		}
		mangled = mangled || strings.ContainsRune(name, utf8.RuneError)
	}
	if mangled && badText(raw) {
		// Something in raw is not UTF-8: a name, unless it is in a member,
		// whose own decoding reports it at its path.
		for _, v := range m {
			if badText(v) {
				return m, nil
			}
		}
		return nil, &itil.ValidationError{Field: field, Reason: "a name is not valid UTF-8"}
	}
	return m, nil
}

// badText reports whether raw JSON holds bytes that are not UTF-8 or an
// escape of half a surrogate pair.
func badText(raw []byte) bool { return !utf8.Valid(raw) || halfSurrogate(raw) }

// halfSurrogate reports whether raw JSON holds a \u escape of half a
// surrogate pair: a high half not followed by an escape of a low one, or a
// low half alone.
func halfSurrogate(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character: a backslash escaped is no escape
		r, ok := escapedRune(raw[i-1:])
		if !ok || !utf16.IsSurrogate(r) {
			continue
		}
		low, ok := escapedRune(raw[i+5:])
		if !ok || utf16.DecodeRune(r, low) == utf8.RuneError {
			return true
		}
		i += 5 + 5 // both escapes
	}
	return false
}

// escapedRune returns the code unit of a \uXXXX escape at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
