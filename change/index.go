package change

import (
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
)

// index is the Manager's in-memory calendar: every change that has a
// planned window and is still active (not resolved, closed or cancelled),
// in interval trees by CI, by implementer and overall. The Manager's
// projection of the log feeds it (see projection.go), and the Manager's own
// writes update it at once. It is safe for concurrent use.
type index struct {
	mu       sync.RWMutex
	all      intervalTree
	byCI     map[string]*intervalTree
	byPerson map[string]*intervalTree // by implementer
	spans    map[uuid.UUID]*span
	versions map[uuid.UUID]int64 // the version last applied, kept after removal
}

func newIndex() *index {
	return &index{
		byCI:     make(map[string]*intervalTree),
		byPerson: make(map[string]*intervalTree),
		spans:    make(map[uuid.UUID]*span),
		versions: make(map[uuid.UUID]int64),
	}
}

// put brings the index up to date with c as saved, unless a later version
// of c was applied already (two writes may finish in either order). A
// change that is not on the calendar is removed.
func (x *index) put(c *Change, live bool) {
	onCalendar := !c.Planned.IsZero() && c.StateCategory.Active()
	var s *span
	if onCalendar {
		s = &span{
			id:          c.ID,
			number:      c.Number,
			start:       c.Planned.Start.UnixNano(),
			end:         c.Planned.End.UnixNano(),
			cis:         slices.Clone(c.CIs),
			implementer: c.Implementer,
			state:       c.State,
			typ:         c.Type,
			live:        live,
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if v, seen := x.versions[c.ID]; seen && v >= c.Version {
		return
	}
	x.versions[c.ID] = c.Version
	if old := x.spans[c.ID]; old != nil {
		x.removeLocked(old)
	}
	if s != nil {
		x.insertLocked(s)
	}
}

func (x *index) insertLocked(s *span) {
	x.spans[s.id] = s
	x.all.insert(s)
	for _, ci := range s.cis {
		treeFor(x.byCI, ci).insert(s)
	}
	if s.implementer != "" {
		treeFor(x.byPerson, s.implementer).insert(s)
	}
}

func (x *index) removeLocked(s *span) {
	delete(x.spans, s.id)
	x.all.remove(s)
	for _, ci := range s.cis {
		dropFrom(x.byCI, ci, s)
	}
	if s.implementer != "" {
		dropFrom(x.byPerson, s.implementer, s)
	}
}

func treeFor(m map[string]*intervalTree, key string) *intervalTree {
	t := m[key]
	if t == nil {
		t = &intervalTree{}
		m[key] = t
	}
	return t
}

func dropFrom(m map[string]*intervalTree, key string, s *span) {
	if t := m[key]; t != nil {
		t.remove(s)
		if t.n == 0 {
			delete(m, key)
		}
	}
}

// seen reports whether the index has applied version v of change id, or a
// later one.
func (x *index) seen(id uuid.UUID, v int64) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	have, ok := x.versions[id]
	return ok && have >= v
}

// len returns the number of changes on the calendar.
func (x *index) len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.all.n
}

// hit is a span found by a query, with the caller's tag for the query that
// found it. Spans are never changed once indexed (a change that moves gets
// a new span), so a hit may be read after the lock is released.
type hit struct {
	*span
	tag int
}

// query appends to dst the spans overlapping w in the tree of key in m (or
// in the overall tree when m is nil), in start order, leaving out the
// change skip. The caller holds x.mu for reading.
func (x *index) query(dst []hit, m map[string]*intervalTree, key string, w Window, skip uuid.UUID, tag int) []hit {
	t := &x.all
	if m != nil {
		if t = m[key]; t == nil {
			return dst
		}
	}
	t.overlapping(w.Start.UnixNano(), w.End.UnixNano(), func(s *span) bool {
		if s.id != skip {
			dst = append(dst, hit{span: s, tag: tag})
		}
		return true
	})
	return dst
}

// window returns a span's window.
func (s *span) window() Window {
	return Window{Start: time.Unix(0, s.start).UTC(), End: time.Unix(0, s.end).UTC()}
}
