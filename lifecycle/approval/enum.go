package approval

import (
	"fmt"

	"github.com/itil-go/itil"
)

// names is the text form of a small enumeration: value i is called list[i],
// and an empty name marks a value that is not defined (such as unset).
type names[T ~int8] struct {
	field string
	list  []string
}

func (n names[T]) valid(v T) bool { return v >= 0 && int(v) < len(n.list) && n.list[v] != "" }

func (n names[T]) String(v T) string {
	if n.valid(v) {
		return n.list[v]
	}
	return fmt.Sprintf("%s(%d)", n.field, int8(v))
}

func (n names[T]) marshal(v T) ([]byte, error) {
	if !n.valid(v) {
		return nil, &itil.ValidationError{Field: n.field, Reason: fmt.Sprintf("undefined value %d", int8(v))}
	}
	return []byte(n.list[v]), nil
}

func (n names[T]) parse(s string) (T, error) { return n.parseAt(n.field, s) }

// parseAt is parse naming field in its errors: "decisions[2].verdict".
func (n names[T]) parseAt(field, s string) (T, error) {
	if err := itil.CheckText(field, s, maxEnumLength); err != nil {
		return 0, err
	}
	for i, name := range n.list {
		if name != "" && name == s {
			return T(i), nil
		}
	}
	return 0, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("unknown %s %q (want %s)", n.field, s, n.want())}
}

// unmarshal decodes the name in b into *v, leaving it as it was on error.
func (n names[T]) unmarshal(v *T, b []byte) error {
	if v == nil {
		return nilReceiver(n.field, fmt.Sprintf("*%T", *new(T)))
	}
	p, err := n.parse(string(b))
	if err == nil {
		*v = p
	}
	return err
}

// want lists the defined names: "a, b or c".
func (n names[T]) want() string {
	var defined []string
	for _, name := range n.list {
		if name != "" {
			defined = append(defined, name)
		}
	}
	out := ""
	for i, name := range defined {
		switch {
		case i == 0:
		case i == len(defined)-1:
			out += " or "
		default:
			out += ", "
		}
		out += name
	}
	return out
}
