package lifecycle

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// newChangeID returns a UUIDv7 for a Change: the time in milliseconds, then
// 74 random bits from the runtime's per-thread generator. Change IDs need to
// be unique and roughly time-ordered, not unguessable, and this costs a tenth
// of a generator that reads the operating system's randomness; records keep
// google/uuid's NewV7.
func newChangeID(at time.Time) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(at.UnixMilli())<<16|rand.Uint64()&0x0fff|0x7000)
	binary.BigEndian.PutUint64(u[8:16], rand.Uint64()&(1<<62-1)|1<<63)
	return u
}
