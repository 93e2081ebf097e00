package itil

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CheckText reports a *ValidationError naming field when s cannot be kept
// as it is by every store: it is not valid UTF-8 (a SQL store would replace
// the bad bytes), or it holds a NUL byte (PostgreSQL refuses it in text).
// When max is positive, s may hold at most max characters (Unicode code
// points, not bytes: 150 × "€" is 150 characters). Every text a process
// takes from outside passes through it, so that a text is refused, never
// altered, and refused the same way on every store.
func CheckText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return &ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return &ValidationError{Field: field, Reason: "holds a NUL character"}
	}
	if max > 0 && len(s) > max { // more bytes than characters allowed: count them
		if n := utf8.RuneCountInString(s); n > max {
			return &ValidationError{Field: field, Reason: fmt.Sprintf("longer than %d characters (%d)", max, n)}
		}
	}
	return nil
}

// CheckTexts is CheckText for every element of ss, naming the bad one as
// field[i].
func CheckTexts(field string, ss []string, max int) error {
	for i, s := range ss {
		if err := CheckText(field, s, max); err != nil {
			err.(*ValidationError).Field = fmt.Sprintf("%s[%d]", field, i) // named only when refused
			return err
		}
	}
	return nil
}

// CheckJSONText reports a *ValidationError naming field when encoding/json
// would alter a text of the JSON data as it decodes it: bytes that are not
// UTF-8, and \u escapes of half a UTF-16 surrogate pair, both of which it
// turns into U+FFFD without a word. data may be a whole document or one
// string literal; what is malformed otherwise is left to the decoder.
func CheckJSONText(field string, data []byte) error {
	if !utf8.Valid(data) {
		return &ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		i++ // the escaped character; only \u needs a look
		if i >= len(data) || data[i] != 'u' {
			continue
		}
		r, ok := hex4(data[i+1:])
		if !ok {
			continue // malformed: the decoder says so
		}
		i += 4
		if r < 0xd800 || r > 0xdfff {
			continue
		}
		if r <= 0xdbff && i+6 < len(data) && data[i+1] == '\\' && data[i+2] == 'u' {
			if lo, ok := hex4(data[i+3:]); ok && lo >= 0xdc00 && lo <= 0xdfff {
				i += 6
				continue
			}
		}
		return &ValidationError{Field: field, Reason: fmt.Sprintf("not valid UTF-8: holds half a UTF-16 surrogate pair (\\u%04x)", r)}
	}
	return nil
}

// hex4 decodes the four hexadecimal digits that start b.
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

// Shorten returns s when it holds at most max characters, else its first
// characters followed by mark ("…", "..."), max characters in all, cut
// between characters, never inside one. Decoders use it for text that is
// only too long, which they cut rather than refuse.
func Shorten(s string, max int, mark string) string {
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	keep := max - utf8.RuneCountInString(mark)
	if keep <= 0 {
		return mark
	}
	n := 0
	for i := range s {
		if n == keep {
			return s[:i] + mark
		}
		n++
	}
	return s
}
