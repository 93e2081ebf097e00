package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// decodeJSON reads r whole and decodes it into v, reporting a
// *itil.ValidationError naming field (or the JSON field at fault) for
// malformed input and trailing data.
func decodeJSON(r io.Reader, v any) ([]byte, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := checkJSONText(body); err != nil {
		return nil, err
	}
	return body, unmarshal(body, "body", v)
}

// checkJSONText refuses a body that encoding/json would alter as it
// decodes it: bytes that are not UTF-8, and \u escapes of half a
// surrogate pair, both of which it turns into U+FFFD without a word.
func checkJSONText(b []byte) error {
	if !utf8.Valid(b) {
		return invalid("body", "not valid UTF-8")
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		i++ // the escaped character; a backslash outside a string is malformed JSON anyway
		if i >= len(b) || b[i] != 'u' {
			continue
		}
		r, ok := hex4(b[i+1:])
		if !ok {
			continue // malformed: the decoder says so
		}
		i += 4
		switch {
		case r >= 0xdc00 && r <= 0xdfff:
			return invalid("body", "holds half a UTF-16 surrogate pair (\\u%04x)", r)
		case r >= 0xd800 && r <= 0xdbff:
			if i+6 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
				if lo, ok := hex4(b[i+3:]); ok && lo >= 0xdc00 && lo <= 0xdfff {
					i += 6
					continue
				}
			}
			return invalid("body", "holds half a UTF-16 surrogate pair (\\u%04x)", r)
		}
	}
	return nil
}

// hex4 decodes the four hex digits b starts with.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// renamed returns err with the event field it names (see Event.Validate)
// renamed to the payload's, through name, and prefixed.
func renamed(prefix string, err error, name func(field string) string) error {
	var ve *itil.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	f := name(ve.Field)
	if prefix != "" {
		f = prefix + "." + f
	}
	return &itil.ValidationError{Field: f, Reason: ve.Reason}
}

// labelField returns the label a field names, "k" of "labels[k]".
func labelField(field string) (string, bool) {
	k, ok := strings.CutPrefix(field, "labels[")
	if !ok || !strings.HasSuffix(k, "]") {
		return "", false
	}
	return k[:len(k)-1], true
}

func unmarshal(b []byte, field string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return invalid(field+"."+te.Field, "want a JSON %s, got %s", te.Type, te.Value)
		}
		return invalid(field, "malformed JSON: %v", err)
	}
	if dec.More() {
		return invalid(field, "trailing data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid(field, "trailing data after the JSON value")
	}
	return nil
}

// parseTime parses an RFC 3339 time; empty gives the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, invalid(field, "not an RFC 3339 time: %q", s)
	}
	return t, nil
}

// prefixed returns err with its field prefixed when it is a validation
// error.
func prefixed(prefix string, err error) error {
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		return &itil.ValidationError{Field: prefix + "." + ve.Field, Reason: ve.Reason}
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
