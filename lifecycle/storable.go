package lifecycle

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// The SQL stores keep records as JSON, which cannot carry bytes that are
// not UTF-8 (encoding/json replaces them with U+FFFD) and, on PostgreSQL,
// no NUL. Every store refuses such text through CheckStorable, so that a
// record is refused the same way on every store and never altered: every string of an entity, as
// encoding/json would see it (exported fields by their JSON names,
// embedded structs flattened, "-" fields skipped), of its attributes, and
// of its change. The walk follows a checker built once per type, which
// visits only the fields that can hold a string.

// badText is text a check refused: the path to it, innermost first, and
// why.
type badText struct {
	path   []string
	reason string
}

// at adds the name of the field or element that holds the bad text.
func (b *badText) at(seg string) *badText {
	if seg != "" {
		b.path = append(b.path, seg)
	}
	return b
}

// error returns a *itil.ValidationError naming the field under prefix
// ("writes[1]." in a batch).
func (b *badText) error(prefix string) error {
	var sb strings.Builder
	sb.WriteString(prefix)
	for i := len(b.path) - 1; i >= 0; i-- {
		seg := b.path[i]
		if i < len(b.path)-1 && seg[0] != '[' {
			sb.WriteByte('.')
		}
		sb.WriteString(seg)
	}
	field := sb.String()
	if len(b.path) == 0 {
		field += "record"
	}
	return &itil.ValidationError{Field: field, Reason: b.reason}
}

// textReason returns why s cannot be stored, or "" when it can.
func textReason(s string) string {
	if plainASCII(s) {
		return ""
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "holds a NUL character"
	}
	return ""
}

// plainASCII reports whether s is ASCII without a NUL, the usual text. It
// reads eight bytes at a time, a short string in at most two overlapping
// loads, and branches once per string.
func plainASCII(s string) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	var or, zero uint64
	for len(s) >= 8 {
		w := word64(s)
		or |= w
		zero |= (w - ones) &^ w
		s = s[8:]
	}
	switch n := len(s); {
	case n >= 4:
		w := uint64(word32(s)) | uint64(word32(s[n-4:]))<<32
		or |= w
		zero |= (w - ones) &^ w
	case n > 0:
		// The first, middle and last byte: every byte of s; the other five
		// bytes of the word are 1, neither NUL nor above ASCII.
		w := uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16 | 0x0101010101<<24
		or |= w
		zero |= (w - ones) &^ w
	}
	return (or|zero)&high == 0
}

// word64 loads the first eight bytes of s, which the compiler makes one
// load.
func word64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// word32 loads the first four bytes of s, which the compiler makes one load.
func word32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// checkString is the check of one string.
func checkString(s string) *badText {
	if r := textReason(s); r != "" {
		return &badText{reason: r}
	}
	return nil
}

// checker checks the text a value holds; a nil checker stands for a type
// that holds none.
type checker func(v reflect.Value) *badText

// checkers caches the checker of every type met; a type that holds no
// text maps to a nil checker. Checkers are built under buildMu, and
// published complete.
var (
	checkers sync.Map // reflect.Type → checker
	buildMu  sync.Mutex
)

// checkerOf returns the checker of t.
func checkerOf(t reflect.Type) checker {
	if c, ok := checkers.Load(t); ok {
		return c.(checker)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	return checkerLocked(t, map[reflect.Type]*checker{})
}

// checkerLocked returns the checker of t, building it and those of the
// types it holds; building holds the types being built, whose checkers a
// recursive type reaches through a cell filled in when they are done.
func checkerLocked(t reflect.Type, building map[reflect.Type]*checker) checker {
	if c, ok := checkers.Load(t); ok {
		return c.(checker)
	}
	if cell, ok := building[t]; ok {
		return func(v reflect.Value) *badText {
			if *cell == nil {
				return nil
			}
			return (*cell)(v)
		}
	}
	cell := new(checker)
	building[t] = cell
	*cell = buildChecker(t, building)
	delete(building, t)
	checkers.Store(t, *cell)
	return *cell
}

func buildChecker(t reflect.Type, building map[reflect.Type]*checker) checker {
	sub := func(t reflect.Type) checker { return checkerLocked(t, building) }
	switch t.Kind() {
	case reflect.String:
		return func(v reflect.Value) *badText { return checkString(v.String()) }
	case reflect.Pointer:
		elem := sub(t.Elem())
		if elem == nil {
			return nil
		}
		return func(v reflect.Value) *badText {
			if v.IsNil() {
				return nil
			}
			return elem(v.Elem())
		}
	case reflect.Interface:
		return func(v reflect.Value) *badText {
			if v.IsNil() {
				return nil
			}
			e := v.Elem()
			if c := checkerOf(e.Type()); c != nil {
				return c(e)
			}
			return nil
		}
	case reflect.Slice, reflect.Array:
		elem := sub(t.Elem())
		if elem == nil {
			return nil
		}
		if t.Elem().Kind() == reflect.String {
			return func(v reflect.Value) *badText {
				for i := range v.Len() {
					if s := v.Index(i).String(); !plainASCII(s) {
						if b := checkString(s); b != nil {
							return b.at("[" + strconv.Itoa(i) + "]")
						}
					}
				}
				return nil
			}
		}
		return func(v reflect.Value) *badText {
			for i := range v.Len() {
				if b := elem(v.Index(i)); b != nil {
					return b.at("[" + strconv.Itoa(i) + "]")
				}
			}
			return nil
		}
	case reflect.Map:
		return mapChecker(t, sub(t.Elem()))
	case reflect.Struct:
		return structChecker(t, sub)
	}
	return nil
}

// mapChecker checks a map's string keys, naming the map, and its values,
// naming them by key.
func mapChecker(t reflect.Type, elem checker) checker {
	keys := t.Key().Kind() == reflect.String
	if !keys && elem == nil {
		return nil
	}
	plain := t == reflect.TypeFor[map[string]string]()
	return func(v reflect.Value) *badText {
		if plain && v.CanInterface() {
			return checkStringMap(v.Interface().(map[string]string))
		}
		it := v.MapRange()
		for it.Next() {
			k := it.Key()
			name := ""
			if keys {
				name = k.String()
				if b := checkString(name); b != nil {
					b.reason = keyReason(b.reason)
					return b
				}
			}
			if elem != nil {
				if b := elem(it.Value()); b != nil {
					return b.at(name)
				}
			}
		}
		return nil
	}
}

// keyReason is the reason for a map key that textReason refused.
func keyReason(r string) string {
	if strings.HasPrefix(r, "not ") {
		return "a key is " + r
	}
	return "a key " + r
}

// checkStringMap is the map checker of the usual map[string]string,
// without reflection.
func checkStringMap(m map[string]string) *badText {
	for k, v := range m {
		if b := checkString(k); b != nil {
			b.reason = keyReason(b.reason)
			return b
		}
		if b := checkString(v); b != nil {
			return b.at(k)
		}
	}
	return nil
}

// structChecker checks the exported fields that encoding/json encodes.
func structChecker(t reflect.Type, sub func(reflect.Type) checker) checker {
	type field struct {
		index int
		name  string // "" for an embedded struct, whose fields are flattened
		check checker
		str   bool // a string, checked without a call of check
	}
	var fields []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" || !sf.IsExported() && !(sf.Anonymous && isStruct(sf.Type)) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" && !(sf.Anonymous && isStruct(sf.Type)) {
			name = sf.Name
		}
		if c := sub(sf.Type); c != nil {
			fields = append(fields, field{index: i, name: name, check: c, str: sf.Type.Kind() == reflect.String})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return func(v reflect.Value) *badText {
		for _, f := range fields {
			fv := v.Field(f.index)
			if f.str {
				if s := fv.String(); plainASCII(s) {
					continue
				}
			}
			if b := f.check(fv); b != nil {
				return b.at(f.name)
			}
		}
		return nil
	}
}

// isStruct reports whether t is a struct or a pointer to one.
func isStruct(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// CheckStorable reports a *itil.ValidationError naming the first text of e
// or ch (which may be nil) that a store cannot keep as it is: bytes that
// are not UTF-8, or a NUL. Fields are named under prefix ("writes[1]." in
// a batch). Stores call it before they write.
func CheckStorable(e Entity, ch *Change, prefix string) error {
	if !isNil(e) {
		if err := checkEntity(e, prefix); err != nil {
			return err
		}
	}
	if ch != nil {
		return checkChange(ch, prefix)
	}
	return nil
}

// checkEntity checks the text of e, naming a bad field under prefix.
func checkEntity(e Entity, prefix string) error {
	v := reflect.ValueOf(e)
	if p := planOf(v.Type()); p != nil && p.plain(v) {
		return nil
	}
	if c := checkerOf(v.Type()); c != nil {
		if b := c(v); b != nil {
			return b.error(prefix)
		}
	}
	return nil
}

// CheckStorableAttrs is CheckStorable for a record's indexed attributes,
// naming a bad one under prefix as attrs.KEY.
func CheckStorableAttrs(attrs []Attr, prefix string) error {
	for _, a := range attrs {
		if r := textReason(a.Key); r != "" {
			return &itil.ValidationError{Field: prefix + "attrs", Reason: keyReason(r)}
		}
		if r := textReason(a.Value); r != "" {
			return &itil.ValidationError{Field: prefix + "attrs." + a.Key, Reason: r}
		}
	}
	return nil
}

// plainChange reports whether every text of ch is plainASCII: the usual
// change, which needs no naming of fields.
func plainChange(ch *Change) bool {
	if !(plainASCII(ch.Kind) && plainASCII(ch.Number) && plainASCII(ch.Event) && plainASCII(ch.From) &&
		plainASCII(ch.To) && plainASCII(ch.Actor.ID) && plainASCII(ch.Actor.Name) && plainASCII(ch.Note)) {
		return false
	}
	for _, g := range ch.Actor.Groups {
		if !plainASCII(g) {
			return false
		}
	}
	for _, f := range ch.Fields {
		if !(plainASCII(f.Field) && plainASCII(f.Old) && plainASCII(f.New)) {
			return false
		}
	}
	return true
}

// checkChange checks the text of ch, naming its fields under
// prefix+"change.".
func checkChange(ch *Change, prefix string) error {
	if plainChange(ch) {
		return nil
	}
	bad := func(field, s string) error {
		if r := textReason(s); r != "" {
			return &itil.ValidationError{Field: prefix + "change." + field, Reason: r}
		}
		return nil
	}
	for _, f := range [...]struct{ name, s string }{
		{"kind", ch.Kind}, {"number", ch.Number}, {"event", ch.Event}, {"from", ch.From}, {"to", ch.To},
		{"actor.id", ch.Actor.ID}, {"actor.name", ch.Actor.Name}, {"note", ch.Note},
	} {
		if err := bad(f.name, f.s); err != nil {
			return err
		}
	}
	for i, g := range ch.Actor.Groups {
		if err := bad("actor.groups["+strconv.Itoa(i)+"]", g); err != nil {
			return err
		}
	}
	for i, f := range ch.Fields {
		p := "fields[" + strconv.Itoa(i) + "]."
		for _, s := range [...]struct{ name, s string }{{"field", f.Field}, {"old", f.Old}, {"new", f.New}} {
			if err := bad(p+s.name, s.s); err != nil {
				return err
			}
		}
	}
	return nil
}
