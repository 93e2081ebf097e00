package lifecycle

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// LockKind is the kind of Lock records, and LockState their one state
// (of category Open).
const (
	LockKind  = "lifecycle.lock"
	LockState = "held"
)

// lockSpace is the UUID namespace of lock IDs.
var lockSpace = uuid.MustParse("6d1c3a9e-4f0b-5e57-9a66-1b9c0d2f7e41")

// Lock is a record that exists to be conflicted on, for rules of the kind
// "no other record like this": one open alert per deduplication key, no
// two changes scheduled over each other on one CI. Its ID follows from its
// key, so every host finds the same record without looking it up. A Tx that
// takes a lock (Tx.Lock) writes it, and two Txs that take one lock cannot
// both commit: the second fails with ErrConflict and, run again, sees what
// the first wrote. Holder optionally names the record that holds the key.
// Locks keep no journal and reach no notifier.
type Lock struct {
	Record
	// Key is what the lock stands for ("event.alert/<dedup key>").
	Key string `json:"key"`
	// Holder is the record that holds the key, if the rule has one.
	Holder uuid.UUID `json:"holder,omitzero"`
}

// Clone implements Entity.
func (l *Lock) Clone() Entity {
	c := *l
	c.Record = l.CloneRecord()
	return &c
}

// Attrs implements Entity: a lock is found by its ID, not by attributes.
func (l *Lock) Attrs(dst []Attr) []Attr { return dst }

// LockID returns the ID of the lock record of key.
func LockID(key string) uuid.UUID { return uuid.NewSHA1(lockSpace, []byte(key)) }

// Lock takes the lock of key in tx: it stages a write of the lock record
// (created at its first use) and returns the record as tx will write it,
// whose Holder the caller may set. Two Txs that take the same lock conflict.
// Taking a lock the Tx holds already returns it again.
func (tx *Tx) Lock(ctx context.Context, key string) (*Lock, error) {
	if tx.store == nil {
		return nil, &itil.ValidationError{Field: "tx", Reason: "has no store (use NewTx)"}
	}
	id := LockID(key)
	if i := tx.record(id); i >= 0 && tx.recs[i].last >= 0 {
		l, isLock := tx.writes[tx.recs[i].last].Entity.(*Lock)
		if !isLock {
			return nil, errors.New("lifecycle: lock " + key + ": its ID is staged for another record")
		}
		return l, nil
	}
	e, err := tx.store.Get(ctx, id, func() Entity { return new(Lock) })
	var l *Lock
	switch {
	case errors.Is(err, ErrNotFound):
		l = &Lock{Record: Record{ID: id, Kind: LockKind, State: LockState, StateCategory: Open}, Key: key}
	case err != nil:
		return nil, err
	default:
		var ok bool
		if l, ok = e.(*Lock); !ok {
			return nil, errors.New("lifecycle: lock " + key + ": its ID holds another record")
		}
	}
	expect := l.Version
	l.Version++
	l.UpdatedAt = tx.now()
	if l.CreatedAt.IsZero() {
		l.CreatedAt = l.UpdatedAt
	}
	tx.Put(l, expect, nil)
	return l, nil
}
