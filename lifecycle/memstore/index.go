package memstore

import (
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// kindIndex is the index of one kind of record in a shard: the IDs of its
// records, and a family per attribute key. A write looks it up once, by
// kind, and then each attribute's family by key alone.
type kindIndex struct {
	ids  idSet
	fams map[string]*family // attribute key → its values' sets
}

// family returns the family of key, creating it; the shard's write lock
// must be held.
func (ki *kindIndex) family(key string) *family {
	f := ki.fams[key]
	if f == nil {
		f = &family{}
		ki.fams[key] = f
	}
	return f
}

// lookup returns the set of (key, value), or nil.
func (ki *kindIndex) lookup(key, value string) *idSet {
	if f := ki.fams[key]; f != nil {
		return f.get(value)
	}
	return nil
}

// family is the index of one attribute key of one kind: a set of IDs per
// value. An entry remembers the family of each of its attributes, so moving
// a record to another value looks up only the value. Most keys have few
// values (states, categories, priorities), and those are found by a scan
// of a short list, which costs less than hashing the value; a family with
// more values keeps a map.
type family struct {
	few  []valueSet        // up to fewValues, while many is nil
	many map[string]*idSet // every value, once there are more
}

type valueSet struct {
	value string
	set   *idSet
}

// fewValues is how many values a family keeps in its list.
const fewValues = 8

// get returns the set of value, or nil.
func (f *family) get(value string) *idSet {
	if f.many != nil {
		return f.many[value]
	}
	for i := range f.few {
		if f.few[i].value == value {
			return f.few[i].set
		}
	}
	return nil
}

// set returns the set of value, creating it; the shard's write lock must be
// held.
func (f *family) set(value string) *idSet {
	if set := f.get(value); set != nil {
		return set
	}
	set := &idSet{}
	switch {
	case f.many != nil:
		f.many[value] = set
	case len(f.few) < fewValues:
		f.few = append(f.few, valueSet{value, set})
	default:
		f.many = make(map[string]*idSet, 2*fewValues)
		for _, vs := range f.few {
			f.many[vs.value] = vs.set
		}
		f.many[value] = set
		f.few = nil
	}
	return set
}

// kindIndex returns the index of kind, creating it; x.mu must be held for
// writing.
func (x *shard) kindIndex(kind string) *kindIndex {
	ki := x.kinds[kind]
	if ki == nil {
		ki = &kindIndex{fams: make(map[string]*family)}
		x.kinds[kind] = ki
	}
	return ki
}

// index adds the new record id of kind to the kind's IDs and to the sets
// of attrs; x.mu must be held for writing.
func (x *shard) index(id uuid.UUID, kind string, attrs []lifecycle.Attr) {
	ki := x.kindIndex(kind)
	ki.ids.add(id)
	for _, a := range attrs {
		ki.family(a.Key).set(a.Value).add(id)
	}
}

// replace stores c, whose attributes are attrs, in place of en's entity,
// and moves the record between index sets where their attributes differ;
// x.mu must be held for writing.
func (x *shard) replace(en *entry, c lifecycle.Entity, attrs []lifecycle.Attr) {
	old := attrsOf(en.e, x.prev[:0])
	x.prev = old[:0]
	if !slices.Equal(old, attrs) {
		r := c.Base()
		x.kindIndex(r.Kind).reindex(r.ID, old, attrs)
	}
	en.e = c
}

// reindex moves the record id from the index sets of its attributes old
// to those of attrs, which differ; the shard's write lock must be held.
// Entities list their attributes in a stable order, so an attribute that
// keeps its place and value keeps its set and only changed ones are looked
// up. The entry keeps no pointers to its sets, which would cost two more
// lists per record: a changed attribute is looked up, by key and value.
func (ki *kindIndex) reindex(id uuid.UUID, old, attrs []lifecycle.Attr) {
	if len(attrs) == len(old) {
		moved := false
		for i, a := range attrs {
			o := old[i]
			if a == o {
				continue
			}
			if set := ki.lookup(o.Key, o.Value); set != nil {
				set.remove(id) // an emptied set is kept: its value will likely return
			}
			moved = moved || slices.Contains(attrs, o)
			ki.family(a.Key).set(a.Value).add(id)
		}
		if moved {
			// A value that only changed place (two CIs swapped) was removed
			// from a set that must still hold the record.
			for _, a := range attrs {
				ki.lookup(a.Key, a.Value).add(id)
			}
		}
		return
	}
	inNew, inOld := contains(attrs), contains(old)
	for _, a := range old {
		if !inNew(a) {
			if set := ki.lookup(a.Key, a.Value); set != nil {
				set.remove(id)
			}
		}
	}
	for _, a := range attrs {
		if !inOld(a) {
			ki.family(a.Key).set(a.Value).add(id)
		}
	}
}

// contains returns a membership test of attrs: a scan for a short list, a
// set for a long one (an incident with thousands of CIs), so that moving
// a record between lists costs what the lists hold, not its square.
func contains(attrs []lifecycle.Attr) func(lifecycle.Attr) bool {
	if len(attrs) <= 32 {
		return func(a lifecycle.Attr) bool { return slices.Contains(attrs, a) }
	}
	set := make(map[lifecycle.Attr]struct{}, len(attrs))
	for _, a := range attrs {
		set[a] = struct{}{}
	}
	return func(a lifecycle.Attr) bool {
		_, ok := set[a]
		return ok
	}
}
