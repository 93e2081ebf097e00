package lifecycle

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"
)

// Store keeps records, their journal and the outbox. Implementations must be
// safe for concurrent use, must never hand out memory they keep (callers may
// change what they get), and must pass the storetest conformance suite.
//
// Every write carries the Change it makes; the store appends it to its log in
// the same atomic write as the record, assigning Change.Seq, so that a record
// is never saved without its journal entry and notification, nor the reverse.
// A store must not keep the entity or the *Change it is given beyond the call:
// it copies what it keeps. On success it writes the assigned Seq back into
// the *Change, which must not be nil. Callers may read and write the store
// while they iterate a Find or Journal: a store must not hold a lock or a
// connection across a yield that such a call would need.
type Store interface {
	// NextNumber returns the next number in prefix's sequence, starting at 1.
	// Numbers are never handed out twice, even when the write that asked for
	// one fails.
	NextNumber(ctx context.Context, prefix string) (int64, error)

	// Create stores a new record and appends ch to the log. It returns
	// ErrExists when the ID is taken.
	Create(ctx context.Context, e Entity, ch *Change) error

	// Get returns the record with the given ID, or ErrNotFound. Stores that
	// keep records serialized decode into zero(); others may ignore it.
	Get(ctx context.Context, id uuid.UUID, zero func() Entity) (Entity, error)

	// Update replaces the stored record with e if the stored version equals
	// expect, and appends ch to the log, atomically. The record's ID and
	// Kind never change. A different stored
	// version yields ErrConflict, a missing record ErrNotFound; either way
	// nothing is written.
	Update(ctx context.Context, e Entity, expect int64, ch *Change) error

	// Find yields the records of q.Kind that match q, in ID order (creation
	// order), starting after q.After, at most q.Limit of them when it is
	// positive. A store uses indexes so that a page does not read every record.
	// A query without a Kind yields one *itil.ValidationError naming "kind".
	Find(ctx context.Context, q Query) iter.Seq2[Entity, error]

	// Journal yields the record's changes in the order they were made.
	Journal(ctx context.Context, id uuid.UUID) iter.Seq2[Change, error]

	// Commit writes several records at once, all or nothing: see Batch.
	// On success it sets the Seq of every change it appended; a commit's
	// changes get consecutive Seqs, in the order of the batch's writes.
	Commit(ctx context.Context, b Batch) error

	Outbox
}

// Query selects records for Store.Find.
type Query struct {
	// Kind is required: the lifecycle name.
	Kind string
	// Where holds conditions that must all hold. Besides the entity's own
	// attributes, every record has "state", "state_category" and "number".
	Where []Cond
	// After is the cursor: only records with a greater ID are returned. Pass
	// the last ID of one page to get the next.
	After uuid.UUID
	// Limit caps the number of records; zero or less means no cap.
	Limit int
	// New returns an empty entity for stores that decode records.
	New func() Entity
}

// Cond holds when the record has attribute Key with any of Values. A Cond
// with no values matches nothing.
type Cond struct {
	Key    string
	Values []string
}

// Eq is the condition "attribute key equals one of values".
func Eq(key string, values ...string) Cond { return Cond{Key: key, Values: values} }

// InCategories is the condition "the record's state is in one of cats".
func InCategories(cats ...Category) Cond {
	names := make([]string, len(cats))
	for i, c := range cats {
		names[i] = c.String()
	}
	return Eq("state_category", names...)
}

// Active is the condition "the record still needs work": its state is open
// or paused.
func Active() Cond { return InCategories(Open, Paused) }

// Outbox is the store's log read as a queue of notifications. Each consumer
// (a notifier subscription) has a cursor into the log; one holder at a time
// leases a consumer, so that several host processes sharing a store deliver
// each change in order, and a holder that dies leaves the rest to the next.
type Outbox interface {
	// Claim leases consumer to holder for lease and returns up to limit
	// changes after the consumer's cursor, in log order (a limit of zero or
	// less means a store-chosen batch, 100 in memstore). A consumer seen for
	// the first time starts at the beginning of the log. If another holder's
	// lease is live, Claim returns ErrLeased. Claiming again before the lease
	// ends renews it and returns the same changes again.
	Claim(ctx context.Context, consumer, holder string, limit int, lease time.Duration) ([]Change, error)
	// Ack moves the consumer's cursor to seq (the last change delivered) and
	// keeps the lease; a seq at or before the cursor leaves it where it is.
	// It returns ErrLeased if holder's lease has ended, even when no one else
	// has claimed since.
	Ack(ctx context.Context, consumer, holder string, seq int64) error
	// Release ends holder's lease on consumer, so that another holder may
	// claim it at once. Releasing a lease one does not hold does nothing.
	Release(ctx context.Context, consumer, holder string) error
	// ReadLog returns up to limit changes after seq, in log order, leasing
	// nothing (a limit of zero or less means a store-chosen batch, 100 in
	// memstore): what a Projection follows. Every change it returns was
	// committed, and a change it has not yet returned has a greater Seq than
	// every change it has: a reader that resumes after the last Seq it saw
	// misses nothing.
	ReadLog(ctx context.Context, after int64, limit int) ([]Change, error)
}

// Waker is an optional interface of a Store: Changed returns a channel that
// is closed at the next write, so that a dispatcher need not poll.
type Waker interface {
	Changed() <-chan struct{}
}
