package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// decodeJSON reads r whole and decodes it into v, reporting a
// *itil.ValidationError naming field (or the JSON field at fault) for
// malformed input and trailing data.
func decodeJSON(r io.Reader, v any) ([]byte, error) {
	body, err := readJSONBody(new(bytes.Buffer), r)
	if err != nil {
		return nil, err
	}
	return body, unmarshal(body, "body", v)
}

// readJSONBody reads r whole into buf, refusing, as field "body", text
// that decoding JSON would alter (see itil.CheckJSONText).
func readJSONBody(buf *bytes.Buffer, r io.Reader) ([]byte, error) {
	if l, ok := r.(interface{ Len() int }); ok {
		// A bytes.Reader, as from the handlers: read it at once, rather
		// than in ever larger copies as io.ReadAll does.
		buf.Grow(l.Len() + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	body := buf.Bytes()
	if err := itil.CheckJSONText("body", body); err != nil {
		return nil, err
	}
	return body, nil
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
