package lifecycle

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// FormatValue formats a value for the journal (FieldChange.Old and New):
// an instant in UTC as RFC 3339 with its nanoseconds, the zero instant as
// "" (a field that was not set), a duration as time.Duration prints it, a
// string, a type of kind string and the integers as they are, and
// anything else with fmt's %v. Instants print the same whatever their
// location or monotonic reading, so that an edit that keeps an instant
// records nothing; nil, and a nil pointer, are "".
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339Nano)
	case time.Duration:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case fmt.Stringer:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return "" // as a nil value of any other type
		}
		return x.String()
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	return fmt.Sprint(v)
}
