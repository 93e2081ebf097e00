package sqlstore

import (
	"bytes"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// checkJSON refuses an encoding that would not keep its text as it was
// given, naming field: encoding/json writes bytes that are not UTF-8 as the
// escape \ufffd (the text would come back altered) and a NUL as \u0000
// (which PostgreSQL's jsonb refuses), while a U+FFFD that was sent as such
// is written as its own bytes, so the escapes tell the cases apart.
// lifecycle.CheckStorable finds such text in an entity's fields and names
// the field; this check catches the text that a MarshalJSON or MarshalText
// method writes, and bytes such a method leaves that are not UTF-8.
func checkJSON(b []byte, field string) error {
	switch {
	case hasEscape(b, `\ufffd`):
		return &itil.ValidationError{Field: field, Reason: "not valid UTF-8"}
	case hasEscape(b, `\u0000`):
		return &itil.ValidationError{Field: field, Reason: "holds a NUL character"}
	case !utf8.Valid(b):
		return &itil.ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	return nil
}

// hasEscape reports whether JSON text b holds the escape esc: an
// occurrence whose backslash is not itself escaped (preceded by an even
// number of backslashes).
func hasEscape(b []byte, esc string) bool {
	for {
		i := bytes.Index(b, []byte(esc))
		if i < 0 {
			return false
		}
		j := i
		for j > 0 && b[j-1] == '\\' {
			j--
		}
		if (i-j)%2 == 0 {
			return true
		}
		b = b[i+1:]
	}
}
