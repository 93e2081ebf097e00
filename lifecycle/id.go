package lifecycle

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// IDSource is an optional interface of a Store, discovered by type
// assertion in the style of database/sql's optional interfaces: a store
// that implements it picks the IDs of the records a Process creates, in
// place of google/uuid's NewV7, and, when it appends a change, may set the
// change's ID from it as it sets Seq. memstore does so when
// Config.SequentialIDs is set, so that tests get the same IDs for the same
// work (see package lifecycletest).
//
// NewID must be safe for concurrent use and must return IDs that are
// unique within the store and ordered by the time they were asked for, as
// UUIDv7 are: stores and Find order records by ID.
type IDSource interface {
	NewID() uuid.UUID
}

// newRecordID returns the ID of a new record of st: from st's IDSource when
// it has one, otherwise a UUIDv7 from google/uuid.
func newRecordID(st Store) (uuid.UUID, error) {
	if src, ok := st.(IDSource); ok {
		return src.NewID(), nil
	}
	return uuid.NewV7()
}

// newChangeID returns a UUIDv7 for a Change: the time in milliseconds; the
// fraction of the millisecond in the 12 bits after the version, as RFC 9562
// (section 6.2, method 3) allows, so that IDs of one millisecond still sort
// by time; then 62 random bits from the runtime's per-thread generator.
// Change IDs need to be unique and time-ordered, not unguessable, and this
// costs a tenth of a generator that reads the operating system's
// randomness; records keep google/uuid's NewV7. A store that is an
// IDSource may replace it with one of its own when it appends the change.
func newChangeID(at time.Time) uuid.UUID {
	var u uuid.UUID
	frac := uint64(at.Nanosecond() % 1e6) // within the millisecond, which UnixMilli floors to
	binary.BigEndian.PutUint64(u[0:8], uint64(at.UnixMilli())<<16|0x7000|frac*4096/1e6)
	binary.BigEndian.PutUint64(u[8:16], rand.Uint64()&(1<<62-1)|1<<63)
	return u
}

// recordNumber returns a record's human number: prefix, then n padded
// with zeros to digits (INC0000042), as fmt's "%s%0*d" writes it.
func recordNumber(prefix string, digits int, n int64) string {
	var buf [20]byte
	num := strconv.AppendInt(buf[:0], n, 10)
	var b strings.Builder
	b.Grow(len(prefix) + max(digits, len(num)))
	b.WriteString(prefix)
	if n < 0 {
		b.WriteByte('-')
		num = num[1:]
		digits--
	}
	for range digits - len(num) {
		b.WriteByte('0')
	}
	b.Write(num)
	return b.String()
}
