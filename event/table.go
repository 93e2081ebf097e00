package event

// alertTable holds a shard's open alerts by dedup key, in open addressing
// with linear probing over the hash that chose the shard: a lookup hashes
// the key once, and reads one slot where a map would read a group's control
// word and then its slot. Its shard's lock guards it.
type alertTable struct {
	slots []tableSlot // a power of two, at most half full
	n     int
}

type tableSlot struct {
	h uint64
	a *alert // nil for a free slot
}

// home is the first slot to probe for h. The low bits of h chose the
// shard; the high ones spread the keys over the table.
func (t *alertTable) home(h uint64) uint64 { return (h >> 32) & uint64(len(t.slots)-1) }

// get returns the alert with key and its hash h, or nil.
func get[K string | []byte](t *alertTable, h uint64, key K) *alert {
	if t.n == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.a == nil {
			return nil
		}
		if s.h == h && s.a.key == string(key) {
			return s.a
		}
	}
}

// put adds a, whose key is not in the table, under its hash.
func (t *alertTable) put(a *alert) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.place(tableSlot{a.hash, a})
	t.n++
}

func (t *alertTable) place(s tableSlot) {
	mask := uint64(len(t.slots) - 1)
	i := t.home(s.h)
	for t.slots[i].a != nil {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *alertTable) grow() {
	old := t.slots
	t.slots = make([]tableSlot, max(16, 2*len(old)))
	for _, s := range old {
		if s.a != nil {
			t.place(s)
		}
	}
}

// delete removes a if it is in the table, moving back the entries probed
// past its slot so that no lookup stops short of them.
func (t *alertTable) delete(a *alert) {
	if t.n == 0 {
		return
	}
	mask := uint64(len(t.slots) - 1)
	i := t.home(a.hash)
	for t.slots[i].a != a {
		if t.slots[i].a == nil {
			return
		}
		i = (i + 1) & mask
	}
	t.n--
	for j := i; ; {
		t.slots[i] = tableSlot{}
		for {
			j = (j + 1) & mask
			if t.slots[j].a == nil {
				return
			}
			// The entry at j stays unless its home is cyclically outside
			// (i, j], where a lookup from it would meet the hole at i.
			k := t.home(t.slots[j].h)
			if (i < j && (k <= i || k > j)) || (i > j && k <= i && k > j) {
				break
			}
		}
		t.slots[i] = t.slots[j]
		i = j
	}
}

// all appends the table's alerts to dst.
func (t *alertTable) all(dst []*alert) []*alert {
	for _, s := range t.slots {
		if s.a != nil {
			dst = append(dst, s.a)
		}
	}
	return dst
}
