package memstore

import (
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

type familyKey struct{ kind, key string }

// family is the index of one attribute key of one kind: a set of IDs per
// value. An entry remembers the family of each of its attributes, so moving
// a record to another value hashes only the value.
type family struct {
	sets map[string]*idSet
}

// set returns the set of value, creating it; the shard's write lock must be
// held.
func (f *family) set(value string) *idSet {
	set := f.sets[value]
	if set == nil {
		set = &idSet{}
		f.sets[value] = set
	}
	return set
}

// family returns the family of (kind, key), creating it; x.mu must be held
// for writing.
func (x *shard) family(kind, key string) *family {
	k := familyKey{kind, key}
	f := x.fams[k]
	if f == nil {
		f = &family{sets: make(map[string]*idSet)}
		x.fams[k] = f
	}
	return f
}

// kindSet returns the set of kind's IDs, creating it; x.mu must be held for
// writing.
func (x *shard) kindSet(kind string) *idSet {
	set := x.kinds[kind]
	if set == nil {
		set = &idSet{}
		x.kinds[kind] = set
	}
	return set
}

// lookup returns the set of (kind, key, value), or nil; x.mu must be held.
func (x *shard) lookup(kind, key, value string) *idSet {
	if f := x.fams[familyKey{kind, key}]; f != nil {
		return f.sets[value]
	}
	return nil
}

// index adds the record en to the sets of attrs, which it keeps; x.mu must
// be held for writing.
func (x *shard) index(en *entry, id uuid.UUID, kind string, attrs []lifecycle.Attr) {
	en.attrs = attrs
	en.fams = make([]*family, len(attrs))
	en.sets = make([]*idSet, len(attrs))
	for i, a := range attrs {
		en.fams[i] = x.family(kind, a.Key)
		en.sets[i] = en.fams[i].set(a.Value)
		en.sets[i].add(id)
	}
}

// reindex moves en from the index sets of its attributes to those of attrs,
// which differ; x.mu must be held for writing. Entities list their attributes
// in a stable order, so an attribute that keeps its place and value keeps
// its set and only changed values are looked up; a list that changes length
// is rebuilt.
func (x *shard) reindex(en *entry, id uuid.UUID, kind string, attrs []lifecycle.Attr) {
	if len(attrs) == len(en.attrs) {
		moved := false
		for i, a := range attrs {
			old := en.attrs[i]
			if a == old {
				continue
			}
			en.sets[i].remove(id) // an emptied set is kept: its value will likely return
			moved = moved || slices.Contains(attrs, old)
			if a.Key != old.Key {
				en.fams[i] = x.family(kind, a.Key)
			}
			en.sets[i] = en.fams[i].set(a.Value)
			en.sets[i].add(id)
			en.attrs[i] = a
		}
		if moved {
			// A value that only changed place (two CIs swapped) was removed
			// from a set that must still hold the record.
			for _, set := range en.sets {
				set.add(id)
			}
		}
		return
	}
	for j, a := range en.attrs {
		if !slices.Contains(attrs, a) {
			en.sets[j].remove(id)
		}
	}
	x.index(en, id, kind, slices.Clone(attrs))
}
