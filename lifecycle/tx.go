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
type Tx struct {
	store  Store
	seen   map[uuid.UUID]Entity // records read from the store, as first read
	writes []Write
	reads  []Read
	latest map[uuid.UUID]int // record → index of its last staged write
	read   map[uuid.UUID]int // record → index in reads
	after  []func()          // run once the commit succeeded
	now    func() time.Time
	bad    error // a misuse found while staging, returned by Commit
	done   bool
}

// NewTx returns an empty Tx over st.
func NewTx(st Store) *Tx {
	return &Tx{store: st, seen: map[uuid.UUID]Entity{}, latest: map[uuid.UUID]int{}, read: map[uuid.UUID]int{}, now: time.Now}
}

// SetClock sets the clock that stamps the locks the Tx takes. Default
// time.Now.
func (tx *Tx) SetClock(now func() time.Time) { tx.now = now }

// Store returns the store the Tx commits to.
func (tx *Tx) Store() Store { return tx.store }

// Get returns the record as the Tx will leave it: its last staged write, or
// else the stored record, which the Tx pins as read. zero makes an entity
// for stores that decode (see Store.Get).
//
// A record is read from the store once: later Gets return a copy of what
// the first read, so every decision of the Tx rests on one version of it,
// the version the commit checks.
func (tx *Tx) Get(ctx context.Context, id uuid.UUID, zero func() Entity) (Entity, error) {
	if tx.store == nil {
		return nil, &itil.ValidationError{Field: "tx", Reason: "has no store (use NewTx)"}
	}
	if i, ok := tx.latest[id]; ok {
		return tx.writes[i].Entity.Clone(), nil
	}
	if e, ok := tx.seen[id]; ok {
		return e.Clone(), nil
	}
	e, err := tx.store.Get(ctx, id, zero)
	if err != nil {
		return nil, err
	}
	tx.seen[id] = e.Clone()
	tx.Read(e)
	return e, nil
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
	r := e.Base()
	if _, ok := tx.latest[r.ID]; ok {
		return
	}
	if _, ok := tx.read[r.ID]; ok {
		return
	}
	tx.read[r.ID] = len(tx.reads)
	tx.reads = append(tx.reads, Read{ID: r.ID, Version: r.Version})
}

// Put stages a write of e, which replaces the version expect (zero: e is
// new), with its journal entry ch (nil for records that keep none, such as
// a Lock). The Tx keeps e and ch until the commit: callers hand over
// copies. A record staged before must be put with the version its last
// staged write set.
func (tx *Tx) Put(e Entity, expect int64, ch *Change) {
	if isNil(e) {
		tx.bad = &itil.ValidationError{Field: "tx.put", Reason: "nil record"}
		return
	}
	id := e.Base().ID
	if i, ok := tx.read[id]; ok { // the write's Expect pins it now
		tx.reads = append(tx.reads[:i], tx.reads[i+1:]...)
		delete(tx.read, id)
		for k, j := range tx.read {
			if j > i {
				tx.read[k] = j - 1
			}
		}
	}
	tx.latest[id] = len(tx.writes)
	tx.writes = append(tx.writes, Write{Entity: e, Expect: expect, Change: ch})
}

// Staged reports whether the Tx writes the record.
func (tx *Tx) Staged(id uuid.UUID) bool {
	_, ok := tx.latest[id]
	return ok
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
	if err := tx.store.Commit(ctx, Batch{Writes: tx.writes, Reads: tx.reads}); err != nil {
		return err
	}
	for _, f := range tx.after {
		f()
	}
	return nil
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
