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
		if err := CheckText(fmt.Sprintf("%s[%d]", field, i), s, max); err != nil {
			return err
		}
	}
	return nil
}
