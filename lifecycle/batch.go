package lifecycle

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// Batch is one atomic write of several records, for Store.Commit: the rules
// that span records (no two conflicting schedules on a CI, no cycle of
// parents, both sides of a link) hold because the store checks every
// record's version in the same commit that saves them. Either every write
// is saved and every read was current, or nothing is written.
//
// Most callers build a Batch through a Tx, which stages the actions of
// several processes and retries the whole on a conflict.
type Batch struct {
	// Writes are saved in order. A record may be written more than once;
	// each later write of it expects the version the one before it set.
	Writes []Write
	// Reads are records the writes depend on without changing them: each
	// must still have the version read when the batch commits. A record
	// may not be both read and written in one batch (its write's Expect
	// already pins it).
	Reads []Read
}

// Write is one record saved by a Batch.
type Write struct {
	// Entity is the record as it is to be stored.
	Entity Entity
	// Expect is the stored version the write replaces; zero creates the
	// record, which must not exist yet.
	Expect int64
	// Change is appended to the log in the same commit, and its Seq set.
	// It is nil only for records that keep no journal, such as a Lock:
	// such a write reaches no notifier.
	Change *Change
}

// Read is a record a Batch depends on: it must still be at Version when the
// batch commits.
type Read struct {
	ID      uuid.UUID
	Version int64
}

// Check reports a *itil.ValidationError naming the first malformed part of
// b: a write without an entity or ID, a change of another record, a read
// without an ID or version, or a record both read and written. Stores call
// it before they write anything.
func (b *Batch) Check() error {
	if len(b.Writes) == 0 && len(b.Reads) == 0 {
		return &itil.ValidationError{Field: "batch", Reason: "empty"}
	}
	// A batch of a few records is checked against itself by scans; a
	// larger one through maps.
	var written map[uuid.UUID]int64 // version after the last write so far
	var read map[uuid.UUID]bool
	if len(b.Writes)+len(b.Reads) > batchScan {
		written = make(map[uuid.UUID]int64, len(b.Writes))
		read = make(map[uuid.UUID]bool, len(b.Reads))
	}
	for i, w := range b.Writes {
		// Named only when refused: this runs on every commit.
		field := func(part string) string { return fmt.Sprintf("writes[%d].%s", i, part) }
		if isNil(w.Entity) {
			return &itil.ValidationError{Field: field("entity"), Reason: "required"}
		}
		r := w.Entity.Base()
		switch {
		case r.ID == uuid.Nil:
			return &itil.ValidationError{Field: field("entity.id"), Reason: "required"}
		case w.Expect < 0:
			return &itil.ValidationError{Field: field("expect"), Reason: "negative"}
		case w.Change != nil && w.Change.RecordID != r.ID:
			return &itil.ValidationError{Field: field("change.record_id"), Reason: "names another record than the write"}
		}
		if v, ok := b.writtenBefore(i, r.ID, written); ok && w.Expect != v {
			return &itil.ValidationError{Field: field("expect"), Reason: fmt.Sprintf("record %s was written at version %d before in the batch", r.ID, v)}
		}
		if written != nil {
			written[r.ID] = r.Version
		}
	}
	for i, rd := range b.Reads {
		field := func(part string) string { return fmt.Sprintf("reads[%d].%s", i, part) }
		switch {
		case rd.ID == uuid.Nil:
			return &itil.ValidationError{Field: field("id"), Reason: "required"}
		case rd.Version < 1:
			return &itil.ValidationError{Field: field("version"), Reason: "must be at least 1"}
		case b.readBefore(i, rd.ID, read):
			return &itil.ValidationError{Field: field("id"), Reason: "read twice"}
		}
		if _, ok := b.writtenBefore(len(b.Writes), rd.ID, written); ok {
			return &itil.ValidationError{Field: field("id"), Reason: "also written in the batch"}
		}
		if read != nil {
			read[rd.ID] = true
		}
	}
	return nil
}

// batchScan is the most records a Batch checks by scanning its writes and
// reads rather than building maps.
const batchScan = 16

// writtenBefore returns the version the last of the first n writes of id
// set, found in written, or by a scan when written is nil.
func (b *Batch) writtenBefore(n int, id uuid.UUID, written map[uuid.UUID]int64) (int64, bool) {
	if written != nil {
		v, ok := written[id]
		return v, ok
	}
	for j := n - 1; j >= 0; j-- {
		if r := b.Writes[j].Entity.Base(); r.ID == id {
			return r.Version, true
		}
	}
	return 0, false
}

// readBefore reports whether one of the first n reads is of id, found in
// read, or by a scan when read is nil.
func (b *Batch) readBefore(n int, id uuid.UUID, read map[uuid.UUID]bool) bool {
	if read != nil {
		return read[id]
	}
	for _, rd := range b.Reads[:n] {
		if rd.ID == id {
			return true
		}
	}
	return false
}

// StaleReadError reports a read of a Batch that was no longer current: the
// record's stored version, or zero when it is gone. It matches ErrConflict.
type StaleReadError struct {
	ID           uuid.UUID
	Read, Stored int64
}

// Error names the record and both versions.
func (e *StaleReadError) Error() string {
	if e.Stored == 0 {
		return fmt.Sprintf("record %s read at version %d is gone: %v", e.ID, e.Read, ErrConflict)
	}
	return fmt.Sprintf("record %s read at version %d is at %d: %v", e.ID, e.Read, e.Stored, ErrConflict)
}

// Is reports whether target is ErrConflict.
func (e *StaleReadError) Is(target error) bool { return target == ErrConflict }
