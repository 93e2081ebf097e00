package cmdb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Status is how a CI fares while others are down.
type Status int8

// The statuses, from best to worst.
const (
	// Up: nothing it needs is down or degraded.
	Up Status = iota
	// Degraded: something it needs is degraded (a cluster that lost members
	// but keeps its quorum, or a CI that needs one), but nothing it needs
	// is down.
	Degraded
	// Down: it is down itself, or something it needs is down.
	Down
)

var statusNames = itil.Names[Status]{Field: "status", List: []string{"up", "degraded", "down"}}

// String returns "up", "degraded" or "down".
func (s Status) String() string { return statusNames.String(s) }

// MarshalText returns "up", "degraded" or "down".
func (s Status) MarshalText() ([]byte, error) { return statusNames.Marshal(s) }

// UnmarshalText decodes "up", "degraded" or "down".
func (s *Status) UnmarshalText(b []byte) error { return statusNames.Unmarshal(s, b) }

// Affected is a CI that an outage reaches, and how badly.
type Affected struct {
	Key    string
	Class  Class
	Status Status
}

// walk is the working memory of one question, sized to the graph: the
// status of every node reached (low two bits) and the status it has passed
// on (the next two), valid where stamp holds the walk's epoch, so that a
// walk is reused without clearing; the nodes reached, in order; and per
// cluster how many of its members are down and how many degraded.
type walk struct {
	epoch   uint32
	stamp   []uint32
	st      []uint8
	reached []int32
	down    map[int32]int32
	weak    map[int32]int32
	stack   []int32
}

func (g *Graph) getWalk() *walk {
	w, _ := g.walks.Get().(*walk)
	if w == nil {
		w = &walk{down: map[int32]int32{}, weak: map[int32]int32{}}
	}
	if n := len(g.nodes); len(w.stamp) < n {
		w.stamp, w.st, w.epoch = make([]uint32, n+n/8), make([]uint8, n+n/8), 0
	}
	w.epoch++
	if w.epoch == 0 { // wrapped: forget every stamp
		clear(w.stamp)
		w.epoch = 1
	}
	return w
}

func (g *Graph) putWalk(w *walk) {
	clear(w.down)
	clear(w.weak)
	w.stack, w.reached = w.stack[:0], w.reached[:0]
	g.walks.Put(w)
}

// get returns the walk's bits of node i.
func (w *walk) get(i int32) uint8 {
	if w.stamp[i] != w.epoch {
		return 0
	}
	return w.st[i]
}

// raise makes node i's status at least s.
func (w *walk) raise(i int32, s Status) {
	if w.stamp[i] != w.epoch {
		w.stamp[i], w.st[i] = w.epoch, 0
		w.reached = append(w.reached, i)
	}
	if v := w.st[i]; Status(v&3) < s {
		w.st[i] = v&^3 | uint8(s)
		w.stack = append(w.stack, i)
	}
}

// eval computes the status of every node that an outage of the nodes down
// reaches: the least fixpoint of the rules of RelType, found by passing
// each rise of a node's status on to the nodes it reaches. A status only
// rises, and at most twice, so each node is passed on at most twice. The
// caller holds mu.
func (g *Graph) eval(w *walk, down []int32) {
	for _, d := range down {
		w.raise(d, Down)
	}
	for len(w.stack) > 0 {
		i := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		v := w.get(i)
		cur, prev := Status(v&3), Status(v>>2)
		if cur == prev {
			continue
		}
		w.st[i] = uint8(cur) | uint8(cur)<<2
		n := &g.nodes[i]
		for _, e := range n.out {
			switch t := edgeType(e); t {
			case Contains, Provides:
				w.raise(edgeNode(e), cur)
			case MemberOf:
				c := edgeNode(e)
				if prev == Degraded {
					w.weak[c]--
				}
				if cur == Degraded {
					w.weak[c]++
				} else {
					w.down[c]++
				}
				w.raise(c, g.clusterStatus(w, c))
			}
		}
		for _, e := range n.in {
			if !edgeType(e).downstream() {
				w.raise(edgeNode(e), cur)
			}
		}
	}
}

// clusterStatus is what cluster c's members make of it: down when fewer
// are up (not down) than its quorum, degraded when some are down or
// degraded. A quorum above the members (a planned cluster being built)
// counts as all of them.
func (g *Graph) clusterStatus(w *walk, c int32) Status {
	members := int32(0)
	for _, e := range g.nodes[c].in {
		if edgeType(e) == MemberOf {
			members++
		}
	}
	q := min(max(g.nodes[c].quorum, 1), members)
	down, weak := w.down[c], w.weak[c]
	switch {
	case members-down < q:
		return Down
	case down+weak > 0:
		return Degraded
	}
	return Up
}

// nodes returns the nodes of keys, or an error naming the first the graph
// does not hold. The caller holds mu.
func (g *Graph) nodesOf(keys []string) ([]int32, error) {
	if len(keys) == 0 {
		return nil, invalid("down", "name at least one CI")
	}
	ids := make([]int32, len(keys))
	for k, key := range keys {
		i := g.lookup(key)
		if i < 0 {
			return nil, fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
		}
		ids[k] = i
	}
	return ids, nil
}

// Impact returns the business services that are down or degraded while
// the CIs down are down, ordered by key. An outage travels along each
// relationship as RelType describes, transitively; a cluster stays up
// while a quorum of its members is up, degraded. A CI the graph does not
// hold (unknown or retired) is an error wrapping lifecycle.ErrNotFound.
func (g *Graph) Impact(ctx context.Context, down ...string) ([]Affected, error) {
	return g.impact(ctx, down, func(c Class) bool { return c == ClassBusinessService })
}

// ImpactAll is Impact for every CI the outage reaches, the CIs down
// among them, not only business services.
func (g *Graph) ImpactAll(ctx context.Context, down ...string) ([]Affected, error) {
	return g.impact(ctx, down, func(Class) bool { return true })
}

func (g *Graph) impact(ctx context.Context, down []string, keep func(Class) bool) ([]Affected, error) {
	if err := g.catchUp(ctx); err != nil {
		return nil, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	ids, err := g.nodesOf(down)
	if err != nil {
		return nil, err
	}
	w := g.getWalk()
	defer g.putWalk(w)
	g.eval(w, ids)
	var out []Affected
	for _, i := range w.reached {
		n := &g.nodes[i]
		if s := Status(w.get(i) & 3); s > Up && n.known() && keep(n.class) {
			out = append(out, Affected{Key: n.key, Class: n.class, Status: s})
		}
	}
	slices.SortFunc(out, func(a, b Affected) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// DependsOn returns what the CI of key depends on: every CI whose outage
// reaches it, transitively (the reverse of ImpactAll), ordered by key. A
// CI the graph does not hold is an error wrapping lifecycle.ErrNotFound.
func (g *Graph) DependsOn(ctx context.Context, key string) ([]string, error) {
	out, ok, err := g.closure(ctx, key, g.upstream)
	if err == nil && !ok {
		return nil, fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
	}
	return out, err
}

// upstream returns the nodes whose outage reaches node i, transitively,
// without i. The caller holds mu.
func (g *Graph) upstream(i int32) []int32 { return g.reach(i, g.eachInput) }

// downstream returns the nodes an outage of node i reaches, transitively,
// without i: the reverse of upstream. The caller holds mu.
func (g *Graph) downstream(i int32) []int32 { return g.reach(i, g.eachOutput) }

// reach returns the nodes that each leads to from node i, transitively,
// without i, in the order a depth-first walk finds them. The caller holds
// mu.
func (g *Graph) reach(i int32, each func(int32, func(int32, RelType))) []int32 {
	seen := map[int32]bool{i: true}
	stack := []int32{i}
	var out []int32
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		each(k, func(j int32, _ RelType) {
			if !seen[j] {
				seen[j] = true
				out = append(out, j)
				stack = append(stack, j)
			}
		})
	}
	return out
}

// closure returns the keys of the CIs the graph holds among the nodes walk
// (upstream or downstream) finds from key, ordered; ok is false when the
// graph does not hold key.
func (g *Graph) closure(ctx context.Context, key string, walk func(int32) []int32) (keys []string, ok bool, err error) {
	if err := g.catchUp(ctx); err != nil {
		return nil, false, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(key)
	if i < 0 {
		return nil, false, nil
	}
	for _, j := range walk(i) {
		if n := &g.nodes[j]; n.known() {
			keys = append(keys, n.key)
		}
	}
	slices.Sort(keys)
	return keys, true, nil
}

// Parents returns the CIs whose outage reaches ci directly (what ci runs
// on, depends on and connects to, what contains it, provides it, and for a
// cluster its members), ordered by key: event.Topology and half of
// change.Topology. A CI the graph does not hold has none.
func (g *Graph) Parents(ctx context.Context, ci string) ([]string, error) {
	return g.direct(ctx, ci, g.eachInput)
}

// Children returns the CIs an outage of ci reaches directly, ordered by
// key: the other half of change.Topology. A CI the graph does not hold has
// none.
func (g *Graph) Children(ctx context.Context, ci string) ([]string, error) {
	return g.direct(ctx, ci, g.eachOutput)
}

func (g *Graph) direct(ctx context.Context, ci string, each func(int32, func(int32, RelType))) ([]string, error) {
	if err := g.catchUp(ctx); err != nil {
		return nil, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(ci)
	if i < 0 {
		return nil, nil
	}
	var out []string
	each(i, func(j int32, _ RelType) {
		if n := &g.nodes[j]; n.known() {
			out = append(out, n.key)
		}
	})
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Criticality returns the impact an outage of ci has: the widest of its
// own criticality and those of the business services its outage takes
// down (event.Criticality). Unset (zero) when neither has one, and for a
// CI the graph does not hold.
func (g *Graph) Criticality(ctx context.Context, ci string) (itil.Impact, error) {
	if err := g.catchUp(ctx); err != nil {
		return 0, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(ci)
	if i < 0 {
		return 0, nil
	}
	best := g.nodes[i].crit
	w := g.getWalk()
	defer g.putWalk(w)
	g.eval(w, []int32{i})
	for _, j := range w.reached {
		n := &g.nodes[j]
		if Status(w.get(j)&3) == Down && n.known() && n.class == ClassBusinessService && n.crit.Valid() && (best == 0 || n.crit < best) {
			best = n.crit
		}
	}
	return best, nil
}
