package itil

import (
	"fmt"
	"strings"
)

// maxNameLength caps the text a Names parses, in characters: no defined
// name is longer, and a longer text is refused before it is compared.
const maxNameLength = 64

// Names is the text form of a small enumeration, for the MarshalText and
// UnmarshalText methods of its type: value i is called List[i], and an empty
// name marks a value that is not defined (the unset zero value, usually).
// Field names the enumeration in errors. A Names is read-only once built
// and safe for concurrent use.
//
//	var riskNames = itil.Names[Risk]{Field: "risk", List: []string{"", "low", "medium", "high"}}
//
//	func (r Risk) String() string                { return riskNames.String(r) }
//	func (r Risk) MarshalText() ([]byte, error)  { return riskNames.Marshal(r) }
//	func (r *Risk) UnmarshalText(b []byte) error { return riskNames.Unmarshal(r, b) }
type Names[T ~int8] struct {
	// Field names the value in errors: "risk", "policy.kind".
	Field string
	// List holds the names by value.
	List []string
}

// Valid reports whether v has a name.
func (n Names[T]) Valid(v T) bool { return v >= 0 && int(v) < len(n.List) && n.List[v] != "" }

// String returns v's name, or "field(N)" for a value without one.
func (n Names[T]) String(v T) string {
	if n.Valid(v) {
		return n.List[v]
	}
	return fmt.Sprintf("%s(%d)", n.Field, int8(v))
}

// Marshal returns v's name; a value without one is a *ValidationError.
func (n Names[T]) Marshal(v T) ([]byte, error) {
	if !n.Valid(v) {
		return nil, &ValidationError{Field: n.Field, Reason: fmt.Sprintf("undefined value %d", int8(v))}
	}
	return []byte(n.List[v]), nil
}

// Parse returns the value named s, or a *ValidationError naming Field and
// the names it knows.
func (n Names[T]) Parse(s string) (T, error) { return n.ParseAt(n.Field, s) }

// ParseAt is Parse naming field in its error instead of Field:
// "decisions[2].verdict".
func (n Names[T]) ParseAt(field, s string) (T, error) {
	if err := CheckText(field, s, maxNameLength); err != nil {
		return 0, err
	}
	for i, name := range n.List {
		if name != "" && name == s {
			return T(i), nil
		}
	}
	return 0, &ValidationError{Field: field, Reason: fmt.Sprintf("unknown %s %q (want %s)", n.Field, s, n.Want())}
}

// Unmarshal decodes the name in b into *v, leaving *v as it was on error.
// A nil v is a *ValidationError, not a panic.
func (n Names[T]) Unmarshal(v *T, b []byte) error {
	if v == nil {
		return &ValidationError{Field: n.Field, Reason: fmt.Sprintf("decoding into a nil *%T", *new(T))}
	}
	p, err := n.Parse(string(b))
	if err == nil {
		*v = p
	}
	return err
}

// Want lists the defined names for an error message: "a, b or c".
func (n Names[T]) Want() string {
	var defined []string
	for _, name := range n.List {
		if name != "" {
			defined = append(defined, name)
		}
	}
	return Alternatives(defined)
}

// Alternatives lists names for an error message: "a", "a or b", "a, b or
// c"; "none" for no names.
func Alternatives(names []string) string {
	switch len(names) {
	case 0:
		return "none"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
