package memstore

import (
	"bytes"
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

func cmpID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// block returns the index of the block that holds id or should.
func (s *idSet) block(id uuid.UUID) int {
	i, _ := slices.BinarySearchFunc(s.blocks, id, func(b []uuid.UUID, id uuid.UUID) int {
		return cmpID(b[len(b)-1], id)
	})
	if i == len(s.blocks) && i > 0 {
		i--
	}
	return i
}

func (s *idSet) add(id uuid.UUID) {
	if s.n == 0 { // no blocks, or one kept empty for reuse
		if len(s.blocks) == 0 {
			s.blocks = [][]uuid.UUID{make([]uuid.UUID, 0, 16)}
		}
		s.blocks[0] = append(s.blocks[0][:0], id)
		s.n = 1
		return
	}
	bi := s.block(id)
	b := s.blocks[bi]
	j, found := slices.BinarySearchFunc(b, id, cmpID)
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
	j, found := slices.BinarySearchFunc(b, id, cmpID)
	if !found {
		return
	}
	b = slices.Delete(b, j, j+1)
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
func (s *idSet) seek(id uuid.UUID) *iterator {
	it := &iterator{s: s}
	if s.n == 0 {
		return it
	}
	it.bi = s.block(id)
	j, found := slices.BinarySearchFunc(s.blocks[it.bi], id, cmpID)
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
