package memstore

import (
	"encoding/binary"
	"slices"

	"github.com/google/uuid"
)

// blockSize bounds the blocks of an idSet: inserts and deletes move at most
// this many IDs, and a lookup is two binary searches.
const blockSize = 512

// idSet is an ordered set of record IDs kept as a list of sorted blocks, each
// at most blockSize long. Because IDs are UUIDv7, new records append to the
// last block; deletes touch one block. Iteration from any ID costs a binary
// search, not a scan.
type idSet struct {
	blocks [][]uuid.UUID
	n      int
}

// cmpID orders IDs as their bytes do, comparing eight bytes at a time.
func cmpID(a, b uuid.UUID) int {
	if x, y := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8]); x != y {
		if x < y {
			return -1
		}
		return 1
	}
	x, y := binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:])
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// search returns the position of id in the sorted slice b, or where it would
// be inserted, and whether it is there.
func search(b []uuid.UUID, id uuid.UUID) (int, bool) {
	lo, hi := 0, len(b)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmpID(b[m], id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(b) && b[lo] == id
}

// block returns the index of the block that holds id or should: the first
// whose last ID is not below id, or the last block.
func (s *idSet) block(id uuid.UUID) int {
	if len(s.blocks) == 1 {
		return 0
	}
	lo, hi := 0, len(s.blocks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b := s.blocks[m]; len(b) > 0 && cmpID(b[len(b)-1], id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(s.blocks) && lo > 0 {
		lo--
	}
	return lo
}

func (s *idSet) add(id uuid.UUID) {
	if s.n == 0 { // no blocks, or one kept empty for reuse
		if len(s.blocks) == 0 {
			// Many sets hold one ID for good (a record's number): the
			// first block grows from one.
			s.blocks = [][]uuid.UUID{make([]uuid.UUID, 0, 1)}
		}
		s.blocks[0] = append(s.blocks[0][:0], id)
		s.n = 1
		return
	}
	if last := s.blocks[len(s.blocks)-1]; cmpID(last[len(last)-1], id) < 0 {
		// After every ID, as a new UUIDv7 usually is: an append to the
		// last block, with no search, or a new block when it is full, so
		// that a set filled in order keeps its blocks full.
		s.n++
		if len(last) >= blockSize {
			s.blocks = append(s.blocks, append(make([]uuid.UUID, 0, blockSize), id))
			return
		}
		s.blocks[len(s.blocks)-1] = append(last, id)
		return
	}
	bi := s.block(id)
	b := s.blocks[bi]
	j, found := search(b, id)
	if found {
		return
	}
	b = slices.Insert(b, j, id)
	s.n++
	if len(b) > blockSize {
		half := len(b) / 2
		right := append(make([]uuid.UUID, 0, blockSize), b[half:]...)
		s.blocks[bi] = b[:half]
		s.blocks = slices.Insert(s.blocks, bi+1, right)
		return
	}
	s.blocks[bi] = b
}

func (s *idSet) remove(id uuid.UUID) {
	if s.n == 0 {
		return
	}
	bi := s.block(id)
	b := s.blocks[bi]
	j, found := search(b, id)
	if !found {
		return
	}
	b = b[:j+copy(b[j:], b[j+1:])] // IDs hold no pointers: nothing to clear
	s.n--
	if len(b) == 0 && len(s.blocks) > 1 {
		s.blocks = slices.Delete(s.blocks, bi, bi+1)
		return
	}
	s.blocks[bi] = b
}

// iterator walks an idSet in order. The set must not change while it is used.
type iterator struct {
	s      *idSet
	bi, j  int
	cur    uuid.UUID
	exists bool
}

// seek returns an iterator at the first ID greater than id.
func (s *idSet) seek(id uuid.UUID) iterator {
	it := iterator{s: s}
	if s.n == 0 {
		return it
	}
	it.bi = s.block(id)
	j, found := search(s.blocks[it.bi], id)
	if found {
		j++
	}
	it.j = j
	it.load()
	return it
}

func (it *iterator) load() {
	for it.bi < len(it.s.blocks) && it.j >= len(it.s.blocks[it.bi]) {
		it.bi, it.j = it.bi+1, 0
	}
	it.exists = it.bi < len(it.s.blocks)
	if it.exists {
		it.cur = it.s.blocks[it.bi][it.j]
	}
}

func (it *iterator) next() {
	it.j++
	it.load()
}

// seekGE moves the iterator forward to the first ID not below id; it never
// moves back. It costs two binary searches from the current position.
func (it *iterator) seekGE(id uuid.UUID) {
	if !it.exists || cmpID(it.cur, id) >= 0 {
		return
	}
	blocks := it.s.blocks
	// Most hops are short: look a few IDs ahead in the current block, then
	// search the rest of it, before searching the blocks.
	if b := blocks[it.bi]; cmpID(b[len(b)-1], id) >= 0 {
		j := it.j + 1
		for end := min(j+8, len(b)); j < end; j++ {
			if cmpID(b[j], id) >= 0 {
				it.j = j
				it.cur = b[j]
				return
			}
		}
		k, _ := search(b[j:], id)
		it.j = j + k
		it.cur = b[it.j]
		return
	}
	lo, hi := it.bi+1, len(blocks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b := blocks[m]; len(b) == 0 || cmpID(b[len(b)-1], id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(blocks) {
		it.bi, it.exists = lo, false
		return
	}
	start := 0
	if lo == it.bi {
		start = it.j
	}
	j, _ := search(blocks[lo][start:], id)
	it.bi, it.j = lo, start+j
	it.load()
}

// union walks the union of several sets in order: the IDs of a condition
// with several values.
type union []iterator

// head returns the smallest current ID, and false when all are done.
func (u union) head() (uuid.UUID, bool) {
	var min uuid.UUID
	found := false
	for i := range u {
		if it := &u[i]; it.exists && (!found || cmpID(it.cur, min) < 0) {
			min, found = it.cur, true
		}
	}
	return min, found
}

// seekGE moves every iterator to its first ID not below id.
func (u union) seekGE(id uuid.UUID) {
	for i := range u {
		u[i].seekGE(id)
	}
}
