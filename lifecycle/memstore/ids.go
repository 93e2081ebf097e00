package memstore

import (
	"encoding/binary"

	"github.com/google/uuid"
)

// NewID implements lifecycle.IDSource. With Config.SequentialIDs it returns
// the store's next sequential ID (see Config.SequentialIDs); otherwise a
// UUIDv7 from google/uuid, or, should the operating system's randomness
// fail, the next sequential ID, which is unique too.
func (s *Store) NewID() uuid.UUID {
	if !s.sequential {
		if id, err := uuid.NewV7(); err == nil {
			return id
		}
	}
	return sequentialID(s.ids.Add(1))
}

// sequentialID returns the n-th sequential ID: a UUID of version 7 and the
// RFC 9562 variant whose 48-bit time is zero and whose last 62 bits are n,
// so that IDs sort in the order they were drawn.
func sequentialID(n uint64) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], 0x7000)
	binary.BigEndian.PutUint64(u[8:16], n&(1<<62-1)|1<<63)
	return u
}
