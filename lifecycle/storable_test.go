package lifecycle_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// storable returns what CheckStorable must say of s: whether a store can
// keep it as it is.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// TestCheckStorableEveryPosition puts each kind of byte at every position
// of strings of every length up to 40, in a field of the entity, of its
// change, and of a nested part, and compares CheckStorable with the
// definition of storable text.
func TestCheckStorableEveryPosition(t *testing.T) {
	bads := []string{"\x00", "\x80", "\xff", "\xc3", "é", "\x7f", "€", "\xe2\x82"}
	for n := 0; n <= 40; n++ {
		for pos := 0; pos < n; pos++ {
			for _, b := range bads {
				s := strings.Repeat("a", pos) + b + strings.Repeat("z", max(0, n-pos-1))
				want := storable(s)
				for name, place := range map[string]func(string) (lifecycle.Entity, *lifecycle.Change){
					"title":         func(s string) (lifecycle.Entity, *lifecycle.Change) { return &ticket{Title: s}, nil },
					"tags[0]":       func(s string) (lifecycle.Entity, *lifecycle.Change) { return &ticket{Tags: []string{"x", s}}, nil },
					"fields":        func(s string) (lifecycle.Entity, *lifecycle.Change) { return fieldTicket("k", s), nil },
					"fields key":    func(s string) (lifecycle.Entity, *lifecycle.Change) { return fieldTicket(s, "v"), nil },
					"change.note":   func(s string) (lifecycle.Entity, *lifecycle.Change) { return nil, &lifecycle.Change{Note: s} },
					"nested.detail": func(s string) (lifecycle.Entity, *lifecycle.Change) { return &layered{Nested: nested{Detail: s}}, nil },
					"extra.note":    func(s string) (lifecycle.Entity, *lifecycle.Change) { return &layered{Extra: &nested{Detail: s}}, nil },
					"parts[0]": func(s string) (lifecycle.Entity, *lifecycle.Change) {
						return &layered{Parts: []nested{{Detail: s}}}, nil
					},
				} {
					e, ch := place(s)
					err := lifecycle.CheckStorable(e, ch, "")
					if want {
						assert.NoError(t, err, "%s %q", name, s)
					} else {
						var ve *itil.ValidationError
						assert.ErrorAs(t, err, &ve, "%s %q", name, s)
					}
				}
			}
		}
	}
}

// TestCheckStorableNamesNestedFields checks that a refusal names the field
// wherever the text sits: in a struct by value, behind a pointer, in a
// slice of structs, in an embedded struct, and that a "-" field and an
// unexported one are not looked at.
func TestCheckStorableNamesNestedFields(t *testing.T) {
	tests := []struct {
		name  string
		e     lifecycle.Entity
		field string // "" when the entity is storable
	}{
		{"plain", &layered{Nested: nested{Detail: "ok"}, Extra: &nested{Detail: "ok"}, Parts: []nested{{Detail: "ok"}}}, ""},
		{"by value", &layered{Nested: nested{Detail: "a\x00"}}, "nested.detail"},
		{"behind a pointer", &layered{Extra: &nested{Detail: "\xff"}}, "extra.detail"},
		{"in a slice", &layered{Parts: []nested{{Detail: "ok"}, {Detail: "\x00"}}}, "parts[1].detail"},
		{"embedded record", &layered{Record: lifecycle.Record{State: "\x00"}}, "state"},
		{"skipped field", &layered{Skipped: "\x00", hidden: "\x00"}, ""},
		{"named string type", &layered{Level: "\x80"}, "level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lifecycle.CheckStorable(tt.e, nil, "")
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

func fieldTicket(k, v string) *ticket {
	tk := &ticket{}
	tk.Fields = map[string]string{k: v}
	return tk
}

type level string

type nested struct {
	Detail string `json:"detail"`
}

// layered is an entity whose text sits in every kind of place.
type layered struct {
	lifecycle.Record
	Level   level    `json:"level"`
	Nested  nested   `json:"nested"`
	Extra   *nested  `json:"extra,omitempty"`
	Parts   []nested `json:"parts,omitempty"`
	Skipped string   `json:"-"`
	hidden  string
}

func (l *layered) Clone() lifecycle.Entity {
	c := *l
	c.Record = l.CloneRecord()
	return &c
}

func (l *layered) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }
