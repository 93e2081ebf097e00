// Package memstore is the in-memory lifecycle.Store: the default for
// single-process hosts and what tests use. It is a full Store, not a mock: it
// passes the storetest conformance suite, compares and sets on version, keeps
// the journal as an append-only log that doubles as the outbox, and indexes
// every attribute so that a filtered page reads only what it returns.
//
// Records are kept as clones and handed out as clones: a caller that changes
// what it got cannot change what is stored.
//
// It refuses what a SQL store could not keep as it is, so that a host that
// moves to one finds nothing new refused: a record, attribute or change
// whose text holds a NUL or bytes that are not UTF-8 fails Create, Update
// and Commit with a *itil.ValidationError naming the field
// (lifecycle.CheckStorable), and a Find without a Kind with one naming
// "kind". Commit publishes a batch's changes together: they have
// consecutive Seqs, and a reader of the log sees all of them or none.
//
// Every error it returns is in one class of the kernel (see
// lifecycle.Class): bad input, such as a record without an ID, a claim
// without a consumer or holder, or an ack past the end of the log, is a
// *itil.ValidationError naming the field (invalid); a missing record
// matches lifecycle.ErrNotFound; a stale version, a taken ID
// (lifecycle.ErrExists) and a held lease (lifecycle.ErrLeased) match
// lifecycle.ErrConflict. The package declares no errors of its own.
//
// For tests, Snapshot, Restore and Reset save and put back the whole
// store, and Config.SequentialIDs gives the same IDs for the same work;
// package lifecycletest builds on them.
//
//	st := memstore.New(memstore.Config{})
//	p, _ := lifecycle.NewProcess[Ticket](st, def, lifecycle.ProcessConfig{})
//	snap := st.Snapshot()
//	… work …
//	_ = st.Restore(snap) // as it was
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

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Config configures a Store. The zero value means the defaults.
type Config struct {
	// Now is the clock for outbox leases. Default time.Now.
	Now func() time.Time
	// SequentialIDs makes the store's IDs deterministic: the records a
	// lifecycle.Process creates in the store (see lifecycle.IDSource) and
	// the changes the store appends get IDs from one counter of the store,
	// 00000000-0000-7000-8000-000000000001 and on, so that equal work on
	// two fresh stores gives equal IDs. They are UUIDv7 with a zero time:
	// unique in the store and ordered as they were drawn, but they sort
	// before every ID drawn from the real clock. A change keeps the ID it
	// came with when this is off (the default).
	SequentialIDs bool
}

// Store is an in-memory lifecycle.Store, safe for concurrent use.
type Store struct {
	now        func() time.Time
	sequential bool
	ids        atomic.Uint64 // the last sequential ID drawn

	// Records are sharded by ID, and each shard holds its records and
	// their index sets. A write holds its shard's lock throughout, so that
	// writes of one record happen in version order, and takes logMu last
	// to append its change: writes of records in different shards share
	// nothing but that append. Get takes its shard's read lock. Find takes
	// every shard's read lock, in order, to gather a batch of records, and
	// clones them after letting the locks go.
	shards [shards]shard

	logMu   sync.Mutex // the log, cursors and changed
	log     changeLog
	cursors map[string]*cursor
	changed chan struct{} // closed on the next write; nil when nobody waits

	numMu   sync.Mutex
	numbers map[string]int64
}

// shards is the number of shards. More would spread concurrent writes
// wider; fewer make a Find cheaper, since it joins every shard's sets.
const shards = 8

// shard holds the records whose IDs fall in it and their index sets, under
// its lock.
type shard struct {
	mu      sync.RWMutex
	m       map[uuid.UUID]*entry
	kinds   map[string]*kindIndex // kind → its records and their index sets
	scratch []lifecycle.Attr      // reused by writes to list attributes
	prev    []lifecycle.Attr      // reused by writes to list the replaced entity's
	chunk   []byte                // the log chunk the shard's changes go to
	chunkID int                   // its number in the log
	_       [64]byte              // keeps neighbouring shards' locks off one cache line
}

// shard returns the shard of the record with the given ID.
func (s *Store) shard(id uuid.UUID) *shard { return &s.shards[shardOf(id)] }

// shardOf returns the index of the shard of the record with the given ID.
func shardOf(id uuid.UUID) int { return int(id[15] % shards) }

type entry struct {
	// e is the stored entity, read and replaced under its shard's lock. A
	// stored entity is never changed, only replaced, so a reader that got
	// it may clone it after letting the lock go; and its attributes are
	// those the index holds for the record, listed again (attrsOf) when it
	// is replaced rather than kept beside it.
	e    lifecycle.Entity
	seqs []int64 // the record's journal: positions in log
}

type cursor struct {
	seq    int64
	holder string
	until  time.Time
}

var (
	_ lifecycle.Store    = (*Store)(nil)
	_ lifecycle.Waker    = (*Store)(nil)
	_ lifecycle.IDSource = (*Store)(nil)
)

// New returns an empty Store.
func New(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st := &Store{
		now:        cfg.Now,
		sequential: cfg.SequentialIDs,
		numbers:    make(map[string]int64),
		cursors:    make(map[string]*cursor),
	}
	for i := range st.shards {
		st.shards[i].m = make(map[uuid.UUID]*entry)
		st.shards[i].kinds = make(map[string]*kindIndex)
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
		return &itil.ValidationError{Field: "id", Reason: "required"}
	}
	if err := lifecycle.CheckStorable(e, nil, ""); err != nil {
		return err
	}
	if err := lifecycle.CheckStorable(nil, ch, ""); err != nil {
		return err
	}
	c := e.Clone()
	sh := s.shard(r.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	attrs := attrsOf(c, sh.scratch[:0])
	sh.scratch = attrs[:0]
	if err := lifecycle.CheckStorableAttrs(attrs, ""); err != nil {
		return err
	}
	if _, ok := sh.m[r.ID]; ok {
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrExists)
	}
	// The entry's journal has room for a second change: most records get
	// one soon after they are created.
	en := &entry{e: c, seqs: make([]int64, 0, 2)}
	sh.m[r.ID] = en
	sh.index(r.ID, r.Kind, attrs)
	s.appendChange(sh, en, ch)
	return nil
}

// appendChange encodes ch into the shard's log chunk, appends it to the log
// and to the entry's journal, and sets its Seq. The shard's lock must be
// held: it guards the shard's chunk and the entry's journal.
func (s *Store) appendChange(sh *shard, en *entry, ch *lifecycle.Change) {
	pos := s.encode(sh, ch)
	s.logMu.Lock()
	ch.Seq = s.log.publish(pos)
	s.wake()
	s.logMu.Unlock()
	en.seqs = append(en.seqs, ch.Seq)
}

// encode encodes ch into the shard's log chunk and returns its position,
// for publish; with Config.SequentialIDs it first gives ch the next ID.
// The shard's lock must be held.
func (s *Store) encode(sh *shard, ch *lifecycle.Change) uint64 {
	if s.sequential {
		ch.ID = sequentialID(s.ids.Add(1))
	}
	if need := encodedSize(ch); len(sh.chunk)+need > cap(sh.chunk) {
		s.logMu.Lock()
		sh.chunkID, sh.chunk = s.log.newChunk(need)
		s.logMu.Unlock()
	}
	pos := uint64(sh.chunkID)<<32 | uint64(len(sh.chunk))
	sh.chunk = encodeChange(sh.chunk, ch) // in place: the chunk has room
	return pos
}

// wake closes the channel of Changed; logMu must be held.
func (s *Store) wake() {
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
	var e lifecycle.Entity
	en, ok := sh.m[id]
	if ok {
		e = en.e
	}
	sh.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound)
	}
	return e.Clone(), nil
}

// Update implements lifecycle.Store.
func (s *Store) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := e.Base()
	if err := lifecycle.CheckStorable(e, nil, ""); err != nil {
		return err
	}
	if err := lifecycle.CheckStorable(nil, ch, ""); err != nil {
		return err
	}
	c := e.Clone()
	sh := s.shard(r.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	attrs := attrsOf(c, sh.scratch[:0])
	sh.scratch = attrs[:0]
	if err := lifecycle.CheckStorableAttrs(attrs, ""); err != nil {
		return err
	}
	en, ok := sh.m[r.ID]
	if !ok {
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrNotFound)
	}
	if v := en.e.Base().Version; v != expect {
		return fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.Kind, r.Number, v, expect, lifecycle.ErrConflict)
	}
	sh.replace(en, c, attrs)
	s.appendChange(sh, en, ch)
	return nil
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
		var seqs []int64
		if ok {
			seqs = slices.Clone(en.seqs)
		}
		sh.mu.RUnlock()
		if !ok {
			yield(lifecycle.Change{}, fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound))
			return
		}
		raws := make([][]byte, len(seqs))
		s.logMu.Lock()
		for i, seq := range seqs {
			raws[i] = s.log.raw(seq)
		}
		s.logMu.Unlock()
		out := make([]lifecycle.Change, len(seqs))
		for i, seq := range seqs {
			var err error
			if out[i], err = decodeAt(raws[i], seq); err != nil {
				yield(lifecycle.Change{}, err)
				return
			}
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
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}
