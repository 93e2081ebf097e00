package lifecycle

import (
	"reflect"
	"sync"
	"unsafe"
)

// A textPlan answers, for one struct type, whether all the text a value
// holds is plain ASCII, without reflection for the fields where it is
// usual: strings, string slices and string maps, read at their offsets in
// the struct, those of embedded and nested structs included. What else can
// hold text (pointers, interfaces, slices of structs, …) is left to the
// type's checker, field by field. The plan only says yes or no: when it
// says no, the checker walks the whole value again, to name the field.
type textPlan struct {
	strs   []uintptr // offsets of string fields
	slices []uintptr // offsets of []string fields
	maps   []uintptr // offsets of map[string]string fields
	rest   []planField
}

// planField is a field the plan leaves to its checker: reached from the
// struct by index, as reflect.Value.FieldByIndex does.
type planField struct {
	index []int
	check checker
}

// plans caches the plan of every pointer-to-struct type met; nil marks a
// type that has none.
var plans sync.Map // reflect.Type → *textPlan

// planOf returns the plan of t, a pointer to a struct, or nil.
func planOf(t reflect.Type) *textPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*textPlan)
	}
	var p *textPlan
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		p = &textPlan{}
		p.add(t.Elem(), 0, nil)
	}
	plans.Store(t, p)
	return p
}

var (
	stringSlice = reflect.TypeFor[[]string]()
	stringMap   = reflect.TypeFor[map[string]string]()
)

// add puts the fields of the struct type t, found at offset off and by
// index path under its outer struct, into the plan, with the fields that
// encoding/json encodes, as structChecker visits them.
func (p *textPlan) add(t reflect.Type, off uintptr, path []int) {
	for i := range t.NumField() {
		sf := t.Field(i)
		embedded := sf.Anonymous && isStruct(sf.Type)
		if sf.Tag.Get("json") == "-" || !sf.IsExported() && !embedded {
			continue
		}
		at := off + sf.Offset
		idx := append(path[:len(path):len(path)], i)
		switch {
		case sf.Type.Kind() == reflect.String:
			p.strs = append(p.strs, at)
		case sf.Type == stringSlice:
			p.slices = append(p.slices, at)
		case sf.Type == stringMap:
			p.maps = append(p.maps, at)
		case sf.Type.Kind() == reflect.Struct:
			p.add(sf.Type, at, idx)
		default:
			if c := checkerOf(sf.Type); c != nil {
				p.rest = append(p.rest, planField{index: idx, check: c})
			}
		}
	}
}

// plain reports whether the struct that v points to holds only plain
// ASCII text.
func (p *textPlan) plain(v reflect.Value) bool {
	base := v.UnsafePointer()
	for _, off := range p.strs {
		if !plainASCII(*(*string)(unsafe.Add(base, off))) {
			return false
		}
	}
	for _, off := range p.slices {
		for _, s := range *(*[]string)(unsafe.Add(base, off)) {
			if !plainASCII(s) {
				return false
			}
		}
	}
	for _, off := range p.maps {
		for k, s := range *(*map[string]string)(unsafe.Add(base, off)) {
			if !plainASCII(k) || !plainASCII(s) {
				return false
			}
		}
	}
	if len(p.rest) > 0 {
		s := v.Elem()
		for _, f := range p.rest {
			if f.check(s.FieldByIndex(f.index)) != nil {
				return false
			}
		}
	}
	return true
}
