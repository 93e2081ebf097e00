package memstore

import (
	"context"
	"iter"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// findBatch is how many records Find gathers under the shards' read locks
// before it lets them go and yields them.
const findBatch = 256

// Find implements lifecycle.Store. Each shard walks the smallest index set
// that a condition of q names, in ID order, jumping to the next candidate of
// the other conditions, and the shards' matches are merged in ID order. A
// batch of records is gathered under every shard's read lock, one
// consistent view, and cloned and yielded outside the locks (a stored
// entity is replaced, never changed), so the caller may use the store while
// it iterates.
func (s *Store) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	return func(yield func(lifecycle.Entity, error) bool) {
		if q.Kind == "" {
			yield(nil, &itil.ValidationError{Field: "kind", Reason: "required"})
			return
		}
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
			if left > 0 {
				want = min(want, left)
			}
			batch := s.findBatch(q, after, want)
			for _, e := range batch {
				if !yield(e.Clone(), nil) {
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

// findBatch returns the stored entities of up to want records matching q
// after the cursor. Each shard joins its own sets (see matcher), under the
// read locks of all shards, and the shards' matches are merged in ID order.
func (s *Store) findBatch(q lifecycle.Query, after uuid.UUID, want int) []lifecycle.Entity {
	for i := range s.shards {
		s.shards[i].mu.RLock()
	}
	defer func() {
		for i := range s.shards {
			s.shards[i].mu.RUnlock()
		}
	}()
	// The shards' matchers share two allocations.
	values := 1
	for _, c := range q.Where {
		values += len(c.Values)
	}
	mem := &matcherMem{
		conds: make([]union, 0, shards*(len(q.Where)+1)),
		its:   make([]iterator, 0, shards*values),
	}
	ms := make([]matcher, 0, shards)
	heads := make([]uuid.UUID, 0, shards)
	for i := range s.shards {
		m, ok := s.shards[i].matcher(q, after, mem)
		if !ok {
			continue
		}
		if id, ok := m.next(); ok {
			ms = append(ms, m)
			heads = append(heads, id)
		}
	}
	out := make([]lifecycle.Entity, 0, min(want, 64))
	for len(out) < want && len(ms) > 0 {
		k := 0
		for i := 1; i < len(heads); i++ {
			if cmpID(heads[i], heads[k]) < 0 {
				k = i
			}
		}
		out = append(out, s.shard(heads[k]).m[heads[k]].e)
		if id, ok := ms[k].next(); ok {
			heads[k] = id
		} else {
			ms = slices.Delete(ms, k, k+1)
			heads = slices.Delete(heads, k, k+1)
		}
	}
	return out
}

// matcherMem is memory the matchers of one batch carve their conditions
// and iterators from.
type matcherMem struct {
	conds []union
	its   []iterator
}

// matcher yields, in ID order, the IDs of one shard that meet every
// condition of a query. Every condition is a union of index sets; the sets
// are walked together, each jumping ahead to the others' next candidate (a
// leapfrog join), so only matching records are read.
type matcher struct {
	conds []union // the smallest condition first
	done  bool
}

// matcher returns the shard's matcher for q after the cursor, and false
// when no record of the shard can match; x.mu must be held.
func (x *shard) matcher(q lifecycle.Query, after uuid.UUID, mem *matcherMem) (matcher, bool) {
	ki := x.kinds[q.Kind]
	if ki == nil || ki.ids.n == 0 {
		return matcher{}, false
	}
	kindSet := &ki.ids
	conds := mem.conds[len(mem.conds):len(mem.conds)]
	var sizesBuf [8]int
	sizes := sizesBuf[:0]
	for _, c := range q.Where {
		u := union(mem.its[len(mem.its):len(mem.its)])
		n := 0
		for _, v := range c.Values {
			set := ki.lookup(c.Key, v)
			if set == nil || set.n == 0 || slices.ContainsFunc(u, func(it iterator) bool { return it.s == set }) {
				continue
			}
			u = append(u, set.seek(after))
			n += set.n
		}
		if n == 0 {
			return matcher{}, false // no record has any of the values
		}
		mem.its = mem.its[:len(mem.its)+len(u)]
		conds = append(conds, u)
		sizes = append(sizes, n)
	}
	if len(conds) == 0 {
		conds = append(conds, union{kindSet.seek(after)})
		sizes = append(sizes, kindSet.n)
	}
	// The smallest condition leads.
	lead := 0
	for i := range sizes {
		if sizes[i] < sizes[lead] {
			lead = i
		}
	}
	conds[0], conds[lead] = conds[lead], conds[0]
	mem.conds = mem.conds[:len(mem.conds)+len(conds)]
	return matcher{conds: conds}, true
}

// next returns the next matching ID, and false when there is none.
func (m *matcher) next() (uuid.UUID, bool) {
	for !m.done {
		cand, ok := m.conds[0].head()
		if !ok {
			break
		}
		match := true
		for _, c := range m.conds[1:] {
			c.seekGE(cand)
			h, ok := c.head()
			if !ok {
				m.done = true
				return uuid.Nil, false
			}
			if h != cand {
				m.conds[0].seekGE(h)
				match = false
				break
			}
		}
		if !match {
			continue
		}
		for _, c := range m.conds {
			for i := range c {
				if it := &c[i]; it.exists && it.cur == cand {
					it.next()
				}
			}
		}
		return cand, true
	}
	m.done = true
	return uuid.Nil, false
}
