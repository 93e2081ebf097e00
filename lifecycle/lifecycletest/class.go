package lifecycletest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// classes are the five classes of errors, by the names ClassName gives.
var classes = []struct {
	name string
	err  error
}{
	{"invalid", itil.ErrInvalid},
	{"forbidden", lifecycle.ErrForbidden},
	{"not_found", lifecycle.ErrNotFound},
	{"conflict", lifecycle.ErrConflict},
	{"refused", lifecycle.ErrRefused},
}

// AssertClass checks that err is in exactly the one class named, through
// errors.Is: "invalid", "forbidden", "not_found", "conflict" or "refused",
// or "internal" for an error in none of them (which an HTTP layer answers
// 500). It reports a failure naming every class err matches, and returns
// whether the check held.
//
//	lifecycletest.AssertClass(t, err, "refused") // a freeze, a cycle, a state that refuses the event
func AssertClass(tb testing.TB, err error, class string) bool {
	tb.Helper()
	if err == nil {
		tb.Errorf("want an error of class %s, got nil", class)
		return false
	}
	known := class == "internal"
	var matched []string
	for _, c := range classes {
		known = known || c.name == class
		if errors.Is(err, c.err) {
			matched = append(matched, c.name)
		}
	}
	if !known {
		tb.Errorf("AssertClass: unknown class %q", class)
		return false
	}
	want := []string{class}
	if class == "internal" {
		want = nil
	}
	if fmt.Sprint(matched) != fmt.Sprint(want) || lifecycle.ClassName(err) != class {
		got := "none"
		if len(matched) > 0 {
			got = strings.Join(matched, " and ")
		}
		tb.Errorf("error %q: want class %s only, it matches %s", err, class, got)
		return false
	}
	return true
}
