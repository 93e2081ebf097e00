package memstore

import (
	"context"
	"iter"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// findBatch is how many records Find gathers under the read lock before it
// releases it and yields them.
const findBatch = 256

// Find implements lifecycle.Store. It walks the smallest index that a
// condition of q names, in ID order, and checks the other conditions on each
// candidate; records are cloned in batches under the read lock and yielded
// outside it, so the caller may use the store while it iterates.
func (s *Store) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	return func(yield func(lifecycle.Entity, error) bool) {
		after := q.After
		left := q.Limit
		if left <= 0 {
			left = -1
		}
		for left != 0 {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			want := findBatch
			if left > 0 && left < want {
				want = left
			}
			batch := s.findBatch(q, after, want)
			for _, e := range batch {
				if !yield(e, nil) {
					return
				}
			}
			if len(batch) < want {
				return
			}
			after = batch[len(batch)-1].Base().ID
			if left > 0 {
				left -= len(batch)
			}
		}
	}
}

// findBatch returns clones of up to want records matching q after the cursor.
func (s *Store) findBatch(q lifecycle.Query, after uuid.UUID, want int) []lifecycle.Entity {
	s.mu.RLock()
	defer s.mu.RUnlock()
	kindSet := s.kinds[q.Kind]
	if kindSet == nil {
		return nil
	}
	// Pick the condition whose index sets are smallest as the driver.
	driver := -1
	var driverSets []*idSet
	best := kindSet.n + 1
	for i, c := range q.Where {
		var sets []*idSet
		n := 0
		for _, v := range c.Values {
			if set := s.index[indexKey{q.Kind, c.Key, v}]; set != nil && !slices.Contains(sets, set) {
				sets = append(sets, set)
				n += set.n
			}
		}
		if n < best {
			best, driver, driverSets = n, i, sets
		}
	}
	if driver < 0 {
		driverSets = []*idSet{kindSet}
	}
	its := make([]*iterator, 0, len(driverSets))
	for _, set := range driverSets {
		if it := set.seek(after); it.exists {
			its = append(its, it)
		}
	}
	var out []lifecycle.Entity
	for len(out) < want && len(its) > 0 {
		// The smallest current ID among the driver's iterators.
		min := 0
		for i := 1; i < len(its); i++ {
			if cmpID(its[i].cur, its[min].cur) < 0 {
				min = i
			}
		}
		id := its[min].cur
		for i := 0; i < len(its); {
			if its[i].cur == id {
				its[i].next()
				if !its[i].exists {
					its = slices.Delete(its, i, i+1)
					continue
				}
			}
			i++
		}
		en := s.records[id]
		if matches(en.attrs, q.Where, driver) {
			out = append(out, en.e.Clone())
		}
	}
	return out
}

// matches reports whether attrs satisfy every condition but the one at skip.
func matches(attrs []lifecycle.Attr, where []lifecycle.Cond, skip int) bool {
	for i, c := range where {
		if i == skip {
			continue
		}
		ok := false
		for _, a := range attrs {
			if a.Key == c.Key && slices.Contains(c.Values, a.Value) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
