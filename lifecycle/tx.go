package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// isNil reports whether e is nil or a typed nil pointer.
func isNil(e any) bool {
	v := reflect.ValueOf(e)
	return !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil()
}

// Tx stages the actions of one or more processes so that they are saved in
// one Store.Commit: all of them, or none. It reads through its staged
// writes, so a second action on a record sees the first. Records it only
// read are pinned with Read, and the commit fails with ErrConflict if any of
// them changed in the meantime. A Tx is used by one goroutine; Atomic builds
// one and retries it.
//
//	err := lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
//		if _, err := problems.FireIn(ctx, tx, p.ID, linkIncident); err != nil {
//			return err
//		}
//		_, err := incidents.FireIn(ctx, tx, inc.ID, linkProblem)
//		return err
//	})
//
// Ownership: an entity and a change handed to Put belong to the Tx until
// the commit, which saves them as they are, without a copy. The records
// that Lock, Process.FireIn and Process.CreateIn return are the ones the Tx
// will write: the caller reads them (and sets a Lock's Holder) but changes
// them otherwise only through another action of the Tx. Get returns a
// copy, the caller's to change. Stores keep copies of what they commit, so
// after the commit every record is the caller's.
type Tx struct {
	store  Store
	recs   []txRecord        // every record read or written, in the order first touched
	index  map[uuid.UUID]int // recs by ID, only once there are more than txScan
	writes []Write
	after  []func() // run once the commit succeeded
	now    func() time.Time
	bad    error // a misuse found while staging, returned by Commit
	done   bool

	// Room for the records, writes and reads of a Tx of few records, so
	// that such a Tx is one allocation.
	recsBuf   [txInline]txRecord
	writesBuf [txInline]Write
	readsBuf  [txInline]Read
}

// txInline is how many records, writes and reads a Tx holds without
// allocating more; txScan is how many records it finds by a scan of its
// list before it indexes them in a map. A cross-record rule touches two to
// four records.
const (
	txInline = 4
	txScan   = 16
)

// txRecord is what a Tx knows of one record.
type txRecord struct {
	id     uuid.UUID
	first  Entity // as first read from the store, until the Tx writes it
	last   int    // index in writes of its last staged write, or -1
	pin    int64  // the version pinned by a read, if pinned
	pinned bool
}

// NewTx returns an empty Tx over st.
func NewTx(st Store) *Tx {
	tx := &Tx{store: st, now: time.Now}
	tx.recs, tx.writes = tx.recsBuf[:0], tx.writesBuf[:0]
	return tx
}

// SetClock sets the clock that stamps the locks the Tx takes. Default
// time.Now.
func (tx *Tx) SetClock(now func() time.Time) { tx.now = now }

// Store returns the store the Tx commits to.
func (tx *Tx) Store() Store { return tx.store }

// record returns the index in tx.recs of what tx knows of id, or -1.
func (tx *Tx) record(id uuid.UUID) int {
	if tx.index != nil {
		if i, ok := tx.index[id]; ok {
			return i
		}
		return -1
	}
	for i := range tx.recs {
		if tx.recs[i].id == id {
			return i
		}
	}
	return -1
}

// add starts what tx knows of id, which it did not know, and returns its
// index in tx.recs.
func (tx *Tx) add(id uuid.UUID) int {
	i := len(tx.recs)
	tx.recs = append(tx.recs, txRecord{id: id, last: -1})
	switch {
	case tx.index != nil:
		tx.index[id] = i
	case len(tx.recs) > txScan:
		tx.index = make(map[uuid.UUID]int, 2*len(tx.recs))
		for j, r := range tx.recs {
			tx.index[r.id] = j
		}
	}
	return i
}

// Get returns the record as the Tx will leave it: its last staged write, or
// else the stored record, which the Tx pins as read. zero makes an entity
// for stores that decode (see Store.Get). The entity returned is a copy,
// the caller's to change.
//
// A record is read from the store once: later Gets return a copy of what
// the first read, so every decision of the Tx rests on one version of it,
// the version the commit checks.
func (tx *Tx) Get(ctx context.Context, id uuid.UUID, zero func() Entity) (Entity, error) {
	if tx.store == nil {
		return nil, &itil.ValidationError{Field: "tx", Reason: "has no store (use NewTx)"}
	}
	if i := tx.record(id); i >= 0 {
		r := &tx.recs[i]
		if r.last >= 0 {
			return tx.writes[r.last].Entity.Clone(), nil
		}
		if r.first != nil {
			return r.first.Clone(), nil
		}
	}
	e, err := tx.store.Get(ctx, id, zero)
	if err != nil {
		return nil, err
	}
	tx.Read(e)
	tx.keep(id, e.Clone())
	return e, nil
}

// take returns record id for an action of the Tx to change: a copy of its
// last staged write or of its first read, or else the stored record, which
// the Tx pins as read without keeping a copy (fresh is then true). The
// action hands a fresh record back: to Put when it succeeds, to keep when
// it does not, so that the Tx has the first read after all.
func (tx *Tx) take(ctx context.Context, id uuid.UUID, zero func() Entity) (e Entity, fresh bool, err error) {
	if tx.store == nil {
		return nil, false, &itil.ValidationError{Field: "tx", Reason: "has no store (use NewTx)"}
	}
	if i := tx.record(id); i >= 0 {
		r := &tx.recs[i]
		if r.last >= 0 {
			return tx.writes[r.last].Entity.Clone(), false, nil
		}
		if r.first != nil {
			return r.first.Clone(), false, nil
		}
	}
	if e, err = tx.store.Get(ctx, id, zero); err != nil {
		return nil, false, err
	}
	tx.Read(e)
	return e, true, nil
}

// keep makes e, as read from the store, the first read of record id,
// unless the Tx writes the record or keeps a first read of it already.
func (tx *Tx) keep(id uuid.UUID, e Entity) {
	i := tx.record(id)
	if i < 0 {
		i = tx.add(id)
	}
	if r := &tx.recs[i]; r.last < 0 && r.first == nil {
		r.first = e
	}
}

// Read pins e at the version it has: the commit fails with ErrConflict if
// the stored record has another by then. A record the Tx writes needs no
// pin, and a record pinned before keeps its first pin (if e is another
// version, the commit fails, as it must: the Tx saw two versions). A nil
// entity pins nothing.
func (tx *Tx) Read(e Entity) {
	if isNil(e) {
		return
	}
	rec := e.Base()
	i := tx.record(rec.ID)
	if i < 0 {
		i = tx.add(rec.ID)
	}
	if r := &tx.recs[i]; r.last < 0 && !r.pinned {
		r.pin, r.pinned = rec.Version, true
	}
}

// Put stages a write of e, which replaces the version expect (zero: e is
// new), with its journal entry ch (nil for records that keep none, such as
// a Lock). The Tx keeps e and ch as they are until the commit: callers hand
// over copies, and do not change them after. A record staged before must be
// put with the version its last staged write set.
func (tx *Tx) Put(e Entity, expect int64, ch *Change) {
	if isNil(e) {
		tx.bad = &itil.ValidationError{Field: "tx.put", Reason: "nil record"}
		return
	}
	id := e.Base().ID
	i := tx.record(id)
	if i < 0 {
		i = tx.add(id)
	}
	// The write's Expect pins the record now, and Get reads the write.
	r := &tx.recs[i]
	r.last, r.first, r.pinned = len(tx.writes), nil, false
	tx.writes = append(tx.writes, Write{Entity: e, Expect: expect, Change: ch})
}

// Staged reports whether the Tx writes the record.
func (tx *Tx) Staged(id uuid.UUID) bool {
	i := tx.record(id)
	return i >= 0 && tx.recs[i].last >= 0
}

// Len returns the number of writes staged.
func (tx *Tx) Len() int { return len(tx.writes) }

// AfterCommit registers f to run once the commit has succeeded, for what a
// caller keeps in memory about what it wrote.
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

// Commit saves every staged write in one Store.Commit. A Tx commits once;
// with nothing staged, Commit does nothing.
func (tx *Tx) Commit(ctx context.Context) error {
	if tx.done {
		return errors.New("lifecycle: Tx committed twice")
	}
	tx.done = true
	if tx.bad != nil {
		return tx.bad
	}
	if tx.store == nil {
		return &itil.ValidationError{Field: "tx", Reason: "has no store (use NewTx)"}
	}
	if len(tx.writes) == 0 {
		return nil
	}
	if err := tx.store.Commit(ctx, Batch{Writes: tx.writes, Reads: tx.reads()}); err != nil {
		return err
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// reads returns the pins of the records tx read and does not write, in
// the order it first read them.
func (tx *Tx) reads() []Read {
	var out []Read
	for _, r := range tx.recs {
		if r.pinned && r.last < 0 {
			if out == nil {
				out = tx.readsBuf[:0]
			}
			out = append(out, Read{ID: r.id, Version: r.pin})
		}
	}
	return out
}

// Changes returns the journal entries the Tx staged, in order: after a
// successful commit, with their Seq set.
func (tx *Tx) Changes() []*Change {
	var out []*Change
	for _, w := range tx.writes {
		if w.Change != nil {
			out = append(out, w.Change)
		}
	}
	return out
}

// DefaultRetries is how many times Atomic runs a function again after a
// conflict when it is given no positive number.
const DefaultRetries = 8

// Atomic runs fn with a new Tx over st and commits what it staged. When the
// commit fails with ErrConflict or ErrExists (another writer came first)
// and retries remain, fn runs again from the start on a new Tx, so that it
// reads the records afresh; retries ≤ 0 means DefaultRetries. An error of
// fn is returned as it is, and nothing is written.
func Atomic(ctx context.Context, st Store, retries int, fn func(tx *Tx) error) error {
	if retries <= 0 {
		retries = DefaultRetries
	}
	for attempt := 0; ; attempt++ {
		tx := NewTx(st)
		if err := fn(tx); err != nil {
			return err
		}
		err := tx.Commit(ctx)
		if err == nil || attempt >= retries || !(errors.Is(err, ErrConflict) || errors.Is(err, ErrExists)) {
			if err != nil && attempt >= retries && errors.Is(err, ErrConflict) {
				return fmt.Errorf("after %d attempts: %w", attempt+1, err)
			}
			return err
		}
	}
}
