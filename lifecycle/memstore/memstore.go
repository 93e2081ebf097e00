// Package memstore is the in-memory lifecycle.Store: the default for
// single-process hosts and what tests use. It is a full Store, not a mock: it
// passes the storetest conformance suite, compares and sets on version, keeps
// the journal as an append-only log that doubles as the outbox, and indexes
// every attribute so that a filtered page reads only what it returns.
//
// Records are kept as clones and handed out as clones: a caller that changes
// what it got cannot change what is stored.
//
//	st := memstore.New(memstore.Config{})
//	p, _ := lifecycle.NewProcess[Ticket](st, def, lifecycle.ProcessConfig{})
package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// Config configures a Store. The zero value means the defaults.
type Config struct {
	// Now is the clock for outbox leases. Default time.Now.
	Now func() time.Time
}

// Store is an in-memory lifecycle.Store, safe for concurrent use.
type Store struct {
	now func() time.Time

	// A write holds its record's shard lock throughout, so that writes of
	// one record happen in version order; it takes mu to move the record
	// in the indexes and publish its entity, then logMu to append its
	// change. Writes of different records overlap but for those two short
	// sections. Get takes only the shard lock, to find the entry, and loads
	// the entity atomically; Find takes mu. Lock order: shard, mu, logMu.
	shards [recordShards]recordShard

	mu    sync.RWMutex        // the indexes, entries' attrs and sets, the shard maps' writes
	index map[indexKey]*idSet // (kind, key, value) → IDs
	kinds map[string]*idSet   // kind → IDs

	logMu   sync.Mutex // the log, entries' seqs, cursors and changed
	log     changeLog
	cursors map[string]*cursor
	changed chan struct{} // closed on the next write; nil when nobody waits

	numMu   sync.Mutex
	numbers map[string]int64
}

// recordShards is the number of shards of the record map.
const recordShards = 64

// recordShard holds some of the records. Its map changes only under both
// its lock and Store.mu.
type recordShard struct {
	mu      sync.RWMutex
	m       map[uuid.UUID]*entry
	scratch []lifecycle.Attr // reused by writes under mu
}

// shard returns the shard of the record with the given ID.
func (s *Store) shard(id uuid.UUID) *recordShard { return &s.shards[id[15]%recordShards] }

// entry returns the record with the given ID; s.mu or the record's shard
// lock must be held.
func (s *Store) entry(id uuid.UUID) (*entry, bool) {
	en, ok := s.shard(id).m[id]
	return en, ok
}

// entity returns the stored entity. Callers clone it before handing it out.
func (en *entry) entity() lifecycle.Entity { return en.v.Load().(lifecycle.Entity) }

type entry struct {
	// v holds the stored lifecycle.Entity. A stored entity is never changed,
	// only replaced, so a reader that loads it may clone it without a lock.
	v     atomic.Value
	attrs []lifecycle.Attr // indexed attributes, record-level ones included
	sets  []*idSet         // sets[i] is the index set of attrs[i]
	seqs  []int64          // the record's journal: positions in log
}

type indexKey struct{ kind, key, value string }

type cursor struct {
	seq    int64
	holder string
	until  time.Time
}

var (
	_ lifecycle.Store = (*Store)(nil)
	_ lifecycle.Waker = (*Store)(nil)
)

// New returns an empty Store.
func New(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st := &Store{
		now:     cfg.Now,
		index:   make(map[indexKey]*idSet),
		kinds:   make(map[string]*idSet),
		numbers: make(map[string]int64),
		cursors: make(map[string]*cursor),
	}
	for i := range st.shards {
		st.shards[i].m = make(map[uuid.UUID]*entry)
	}
	return st
}

// NextNumber implements lifecycle.Store.
func (s *Store) NextNumber(ctx context.Context, prefix string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.numMu.Lock()
	defer s.numMu.Unlock()
	s.numbers[prefix]++
	return s.numbers[prefix], nil
}

func attrsOf(e lifecycle.Entity, dst []lifecycle.Attr) []lifecycle.Attr {
	r := e.Base()
	dst = append(dst,
		lifecycle.Attr{Key: "state", Value: r.State},
		lifecycle.Attr{Key: "state_category", Value: r.StateCategory.String()},
		lifecycle.Attr{Key: "number", Value: r.Number},
	)
	return e.Attrs(dst)
}

// Create implements lifecycle.Store.
func (s *Store) Create(ctx context.Context, e lifecycle.Entity, ch *lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := e.Base()
	if r.ID == uuid.Nil {
		return fmt.Errorf("memstore: create: record has no ID")
	}
	c := e.Clone()
	attrs := attrsOf(c, nil)
	rec := encodeChange(nil, ch)
	sh := s.shard(r.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.m[r.ID]; ok {
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrExists)
	}
	en := &entry{attrs: attrs, sets: make([]*idSet, len(attrs))}
	en.v.Store(c)
	s.mu.Lock()
	sh.m[r.ID] = en
	s.kindSet(r.Kind).add(r.ID)
	for i, a := range attrs {
		en.sets[i] = s.indexSet(r.Kind, a)
		en.sets[i].add(r.ID)
	}
	s.mu.Unlock()
	s.appendChange(en, ch, rec)
	return nil
}

func (s *Store) kindSet(kind string) *idSet {
	set := s.kinds[kind]
	if set == nil {
		set = &idSet{}
		s.kinds[kind] = set
	}
	return set
}

func (s *Store) indexSet(kind string, a lifecycle.Attr) *idSet {
	k := indexKey{kind, a.Key, a.Value}
	set := s.index[k]
	if set == nil {
		set = &idSet{}
		s.index[k] = set
	}
	return set
}

// appendChange appends ch, encoded as rec, to the log and to the entry's
// journal, and sets its Seq.
func (s *Store) appendChange(en *entry, ch *lifecycle.Change, rec []byte) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	ch.Seq = s.log.append(rec)
	en.seqs = append(en.seqs, ch.Seq)
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// Get implements lifecycle.Store; zero is not used.
func (s *Store) Get(ctx context.Context, id uuid.UUID, _ func() lifecycle.Entity) (lifecycle.Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh := s.shard(id)
	sh.mu.RLock()
	en, ok := sh.m[id]
	sh.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound)
	}
	return en.entity().Clone(), nil
}

// Update implements lifecycle.Store.
func (s *Store) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := e.Base()
	c := e.Clone()
	var buf [512]byte
	rec := encodeChange(buf[:0], ch)
	sh := s.shard(r.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	en, ok := sh.m[r.ID]
	if !ok {
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrNotFound)
	}
	if v := en.entity().Base().Version; v != expect {
		return fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.Kind, r.Number, v, expect, lifecycle.ErrConflict)
	}
	attrs := attrsOf(c, sh.scratch[:0])
	sh.scratch = attrs[:0]
	s.mu.Lock()
	if !slices.Equal(en.attrs, attrs) {
		s.reindex(en, attrs)
	}
	en.v.Store(c)
	s.mu.Unlock()
	s.appendChange(en, ch, rec)
	return nil
}

// reindex moves en from the index sets of its attributes to those of attrs.
// Entities list their attributes in a stable order, so an attribute that
// keeps its place and value keeps its set, and only changed values are
// looked up; a list that changes length is rebuilt.
func (s *Store) reindex(en *entry, attrs []lifecycle.Attr) {
	if len(attrs) == len(en.attrs) {
		id, kind := en.entity().Base().ID, en.entity().Base().Kind
		moved := false
		for i, a := range attrs {
			if old := en.attrs[i]; a != old {
				en.sets[i].remove(id) // an emptied set is kept: its value will likely return
				moved = moved || slices.Contains(attrs, old)
				en.sets[i] = s.indexSet(kind, a)
				en.sets[i].add(id)
				en.attrs[i] = a
			}
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
	id, kind := en.entity().Base().ID, en.entity().Base().Kind
	for j, a := range en.attrs {
		if !slices.Contains(attrs, a) {
			en.sets[j].remove(id)
		}
	}
	sets := make([]*idSet, len(attrs))
	for i, a := range attrs {
		sets[i] = s.indexSet(kind, a)
		sets[i].add(id)
	}
	en.attrs, en.sets = slices.Clone(attrs), sets
}

// Journal implements lifecycle.Store.
func (s *Store) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error] {
	return func(yield func(lifecycle.Change, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(lifecycle.Change{}, err)
			return
		}
		sh := s.shard(id)
		sh.mu.RLock()
		en, ok := sh.m[id]
		sh.mu.RUnlock()
		var out []lifecycle.Change
		var err error
		if ok {
			s.logMu.Lock()
			out = make([]lifecycle.Change, len(en.seqs))
			for i, seq := range en.seqs {
				if out[i], err = s.log.at(seq); err != nil {
					break
				}
			}
			s.logMu.Unlock()
		}
		if !ok {
			err = fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound)
		}
		if err != nil {
			yield(lifecycle.Change{}, err)
			return
		}
		for _, c := range out {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// Changed implements lifecycle.Waker.
func (s *Store) Changed() <-chan struct{} {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return s.changed
}

// Len returns the number of records stored.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for i := range s.shards {
		n += len(s.shards[i].m)
	}
	return n
}
