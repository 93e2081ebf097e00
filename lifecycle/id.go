package lifecycle

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// newChangeID returns a UUIDv7 for a Change: the time in milliseconds; the
// fraction of the millisecond in the 12 bits after the version, as RFC 9562
// (section 6.2, method 3) allows, so that IDs of one millisecond still sort
// by time; then 62 random bits from the runtime's per-thread generator.
// Change IDs need to be unique and time-ordered, not unguessable, and this
// costs a tenth of a generator that reads the operating system's
// randomness; records keep google/uuid's NewV7.
func newChangeID(at time.Time) uuid.UUID {
	var u uuid.UUID
	frac := uint64(at.Nanosecond() % 1e6) // within the millisecond, which UnixMilli floors to
	binary.BigEndian.PutUint64(u[0:8], uint64(at.UnixMilli())<<16|0x7000|frac*4096/1e6)
	binary.BigEndian.PutUint64(u[8:16], rand.Uint64()&(1<<62-1)|1<<63)
	return u
}
