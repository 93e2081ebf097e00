package memstore

import (
	"maps"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Snapshot is the whole content of a Store at one instant: its records and
// their journals, the log, the outbox cursors and leases, the number
// sequences and the sequential ID counter. Take one with Store.Snapshot and
// put it back with Store.Restore, as often as wanted, into the same store
// or another; a Snapshot is never changed once taken and may be used from
// several goroutines.
type Snapshot struct {
	shards  [shards][]snapEntry
	chunks  [][]byte
	pages   []*[posPage]uint64
	n       int64
	cursors map[string]cursor
	numbers map[string]int64
	ids     uint64
}

// snapEntry is a record as a Snapshot keeps it. The entity is shared with
// the store: a stored entity is never changed, only replaced.
type snapEntry struct {
	id   uuid.UUID
	e    lifecycle.Entity
	seqs []int64
}

// Seq returns the Seq of the last change of the snapshot's log, zero for an
// empty log: pass it as the after of a ReadLog to read what came since.
func (sn *Snapshot) Seq() int64 { return sn.n }

// Len returns the number of records in the snapshot.
func (sn *Snapshot) Len() int {
	n := 0
	for _, es := range sn.shards {
		n += len(es)
	}
	return n
}

// Snapshot returns the content of the store at one instant, consistent
// under concurrent writers: it holds every shard's read lock, in shard
// order, then the log's and the sequences' locks, so that no write is half
// in it, and a commit of several records is in it whole or not at all.
//
// What it costs: writers wait while it copies, for each record, a pointer
// to the stored entity (entities are never changed in place, so they are
// shared, not cloned), its attribute list and its journal's positions, and
// for the log the list of its chunks and position pages and one page of
// positions (64 KiB). The log's bytes are shared: changes are written once
// and never moved, so a snapshot of a long log costs little more than one of
// a short one. The memory a snapshot holds stays alive as long as the
// snapshot does, including records and changes the store has since
// replaced.
func (s *Store) Snapshot() *Snapshot {
	for i := range s.shards {
		s.shards[i].mu.RLock()
	}
	defer func() {
		for i := range s.shards {
			s.shards[i].mu.RUnlock()
		}
	}()
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.numMu.Lock()
	defer s.numMu.Unlock()

	sn := &Snapshot{
		chunks:  slices.Clone(s.log.chunks),
		pages:   clonePages(s.log.pages),
		n:       s.log.n,
		cursors: make(map[string]cursor, len(s.cursors)),
		numbers: maps.Clone(s.numbers),
		ids:     s.ids.Load(),
	}
	for k, c := range s.cursors {
		sn.cursors[k] = *c
	}
	for i := range s.shards {
		sh := &s.shards[i]
		es := make([]snapEntry, 0, len(sh.m))
		for id, en := range sh.m {
			es = append(es, snapEntry{id: id, e: en.e, seqs: slices.Clone(en.seqs)})
		}
		sn.shards[i] = es
	}
	return sn
}

// clonePages copies the list of position pages and its last page, the only
// one that a store writes to after: full pages are never written again.
func clonePages(pages []*[posPage]uint64) []*[posPage]uint64 {
	out := slices.Clone(pages)
	if n := len(out); n > 0 {
		last := *out[n-1]
		out[n-1] = &last
	}
	return out
}

// Restore puts the content of snap back into the store, replacing all of
// it: after it, every read, Find, Journal, ReadLog, Claim, NextNumber and
// NewID answers as it did when snap was taken. It holds every shard's write
// lock, in shard order, then the log's and the sequences' locks, so that
// concurrent readers see the store before or after, never between; it
// wakes whoever waits on Changed. It costs what rebuilding the indexes of
// snap's records costs. A nil snap fails with a *itil.ValidationError
// naming "snapshot" and changes nothing.
func (s *Store) Restore(snap *Snapshot) error {
	if snap == nil {
		return &itil.ValidationError{Field: "snapshot", Reason: "required"}
	}
	s.restore(snap)
	return nil
}

// Reset empties the store, as if it were new: no records, an empty log,
// no cursors, every number sequence and the ID counter back at the start.
// It locks as Restore does.
func (s *Store) Reset() { s.restore(&Snapshot{}) }

func (s *Store) restore(snap *Snapshot) {
	for i := range s.shards {
		s.shards[i].mu.Lock()
	}
	defer func() {
		for i := range s.shards {
			s.shards[i].mu.Unlock()
		}
	}()
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.numMu.Lock()
	defer s.numMu.Unlock()

	for i := range s.shards {
		sh := &s.shards[i]
		sh.m = make(map[uuid.UUID]*entry, len(snap.shards[i]))
		sh.kinds = make(map[string]*kindIndex)
		sh.scratch, sh.prev = nil, nil
		// A new chunk for the next write: the chunks of the log put back
		// may be the ones that the store or a snapshot still reads past
		// snap's end.
		sh.chunk, sh.chunkID = nil, 0
		for _, se := range snap.shards[i] {
			en := &entry{e: se.e, seqs: slices.Clone(se.seqs)}
			kind := se.e.Base().Kind
			sh.m[se.id] = en
			attrs := attrsOf(se.e, sh.scratch[:0])
			sh.scratch = attrs[:0]
			sh.index(se.id, kind, attrs)
		}
	}
	s.log = changeLog{chunks: slices.Clone(snap.chunks), pages: clonePages(snap.pages), n: snap.n}
	s.cursors = make(map[string]*cursor, len(snap.cursors))
	for k, c := range snap.cursors {
		s.cursors[k] = &c
	}
	s.numbers = maps.Clone(snap.numbers)
	if s.numbers == nil {
		s.numbers = make(map[string]int64)
	}
	s.ids.Store(snap.ids)
	s.wake()
}
