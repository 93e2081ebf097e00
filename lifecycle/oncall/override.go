package oncall

import (
	"container/heap"
	"slices"
	"time"
)

// Override puts User on call from From until Until, above every layer.
// Where overrides overlap, the later one in the schedule's list wins.
type Override struct {
	// User is who is on call.
	User string
	// From is when the override begins.
	From time.Time
	// Until is when it ends (exclusive); after From.
	Until time.Time
}

// segment is a stretch of time in which one override wins.
type segment struct {
	from, until time.Time
	override    int
}

// segments flattens valid overrides into sorted, disjoint segments, each
// with the override that wins in it: O(n log n).
func segments(os []Override) []segment {
	if len(os) == 0 {
		return nil
	}
	byFrom := make([]int, len(os))
	points := make([]time.Time, 0, 2*len(os))
	for i, o := range os {
		byFrom[i] = i
		points = append(points, o.From, o.Until)
	}
	slices.SortStableFunc(byFrom, func(a, b int) int { return os[a].From.Compare(os[b].From) })
	slices.SortFunc(points, time.Time.Compare)
	points = slices.CompactFunc(points, time.Time.Equal)

	var out []segment
	var active winners
	next := 0
	for i := 0; i+1 < len(points); i++ {
		p, q := points[i], points[i+1]
		for next < len(byFrom) && !os[byFrom[next]].From.After(p) {
			heap.Push(&active, byFrom[next])
			next++
		}
		for active.Len() > 0 && !os[active[0]].Until.After(p) {
			heap.Pop(&active)
		}
		if active.Len() == 0 {
			continue
		}
		w := active[0]
		if n := len(out); n > 0 && out[n-1].override == w && out[n-1].until.Equal(p) {
			out[n-1].until = q
			continue
		}
		out = append(out, segment{from: p, until: q, override: w})
	}
	return out
}

// winners is a max-heap of override indexes: the latest override first.
type winners []int

func (h winners) Len() int           { return len(h) }
func (h winners) Less(i, j int) bool { return h[i] > h[j] }
func (h winners) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *winners) Push(x any)        { *h = append(*h, x.(int)) }
func (h *winners) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// segmentAt returns the index of the segment that holds t, or of the first
// one after t (len(segs) when none), and whether one holds t.
func segmentAt(segs []segment, t time.Time) (int, bool) {
	i, _ := slices.BinarySearchFunc(segs, t, func(s segment, t time.Time) int {
		if !s.until.After(t) {
			return -1
		}
		return 1
	})
	return i, i < len(segs) && !segs[i].from.After(t)
}
