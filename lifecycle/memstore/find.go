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

// findBatch returns clones of up to want records matching q after the
// cursor. Each index shard joins its own sets (see matcher), under the read
// locks of all shards so that the page is one consistent view, and the
// shards' matches are merged in ID order.
func (s *Store) findBatch(q lifecycle.Query, after uuid.UUID, want int) []lifecycle.Entity {
	for i := range s.ix {
		s.ix[i].mu.RLock()
	}
	defer func() {
		for i := range s.ix {
			s.ix[i].mu.RUnlock()
		}
	}()
	var ms []*matcher
	var heads []uuid.UUID
	for i := range s.ix {
		m := s.ix[i].matcher(q, after)
		if m == nil {
			continue
		}
		if id, ok := m.next(); ok {
			ms = append(ms, m)
			heads = append(heads, id)
		}
	}
	var out []lifecycle.Entity
	for len(out) < want && len(ms) > 0 {
		k := 0
		for i := 1; i < len(heads); i++ {
			if cmpID(heads[i], heads[k]) < 0 {
				k = i
			}
		}
		en, _ := s.entry(heads[k])
		out = append(out, en.entity().Clone())
		if id, ok := ms[k].next(); ok {
			heads[k] = id
		} else {
			ms = slices.Delete(ms, k, k+1)
			heads = slices.Delete(heads, k, k+1)
		}
	}
	return out
}

// matcher yields, in ID order, the IDs of one index shard that meet every
// condition of a query. Every condition is a union of index sets; the sets
// are walked together, each jumping ahead to the others' next candidate (a
// leapfrog join), so only matching records are read.
type matcher struct {
	conds []union // the smallest condition first
	done  bool
}

// matcher returns the shard's matcher for q after the cursor, or nil when
// no record of the shard can match; x.mu must be held.
func (x *indexShard) matcher(q lifecycle.Query, after uuid.UUID) *matcher {
	kindSet := x.kinds[q.Kind]
	if kindSet == nil || kindSet.n == 0 {
		return nil
	}
	conds := make([]union, 0, len(q.Where)+1)
	sizes := make([]int, 0, len(q.Where)+1)
	for _, c := range q.Where {
		var u union
		n := 0
		seen := make([]*idSet, 0, len(c.Values))
		for _, v := range c.Values {
			if set := x.lookup(q.Kind, c.Key, v); set != nil && set.n > 0 && !slices.Contains(seen, set) {
				seen = append(seen, set)
				u = append(u, set.seek(after))
				n += set.n
			}
		}
		if n == 0 {
			return nil // no record has any of the values
		}
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
	return &matcher{conds: conds}
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
			for _, it := range c {
				if it.exists && it.cur == cand {
					it.next()
				}
			}
		}
		return cand, true
	}
	m.done = true
	return uuid.Nil, false
}
