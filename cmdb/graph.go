package cmdb

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Graph is an in-memory map of CIs and their relationships, for impact
// analysis and for the questions the other processes ask about CIs,
// through interfaces they own (see the package documentation for how a
// host wires it):
//
//   - change.Dependencies (Parents, Children, Ancestors, Descendants):
//     conflicts and maintenance windows along the dependency graph;
//     change.ServiceImpact and change.Criticality (Services,
//     Criticality): the services a change puts at risk and its risk;
//   - incident.ServiceImpact (Services) and incident.Owners (Owner): the
//     services an incident affects and the group that supports its CI;
//   - event.Topology (Parents), event.ServiceHealth (Health),
//     event.Criticality (Criticality) and event.Owners (Owner);
//   - assign.Classifier (Classify): a CI's class and services, for the
//     assignment rules of incidents and problems.
//
// A registry's graph (Registry.Graph) follows the store's log through a
// lifecycle.Projection and catches up before every answer; NewGraph
// builds one from a snapshot of CIs. Retired CIs are kept out of it. It
// is safe for concurrent use.
//
// Nodes are numbered, and each keeps the relationships it is the From of
// and those it is the To of as packed numbers (node<<3 | type), so that a
// question walks slices, not maps, and a large map stays small.
type Graph struct {
	follow *lifecycle.Projection // nil for a graph of a snapshot
	store  lifecycle.Store

	mu     sync.RWMutex
	byKey  map[string]int32
	byID   map[uuid.UUID]int32
	nodes  []node
	groups map[string]string // one copy of each owner group's name
	walks  sync.Pool         // *walk
}

// node is one CI of the graph.
type node struct {
	key     string
	group   string
	out     []uint32 // relationships from the node: to<<3 | type
	in      []uint32 // relationships to the node: from<<3 | type
	version int64    // the record's version the node holds
	quorum  int32
	class   Class
	crit    itil.Impact
	state   nodeState
}

// nodeState is what a node knows of its CI's state.
type nodeState uint8

const (
	nodeUnknown nodeState = iota // named by a relationship, not seen yet
	nodePlanned
	nodeLive
	nodeMaintenance
	nodeRetired
)

func stateOf(s string) nodeState {
	switch s {
	case StatePlanned:
		return nodePlanned
	case StateLive:
		return nodeLive
	case StateMaintenance:
		return nodeMaintenance
	case StateRetired:
		return nodeRetired
	}
	return nodeUnknown
}

// known reports whether the node is a CI the graph answers about.
func (n *node) known() bool { return n.state != nodeUnknown && n.state != nodeRetired }

func edge(to int32, t RelType) uint32 { return uint32(to)<<3 | uint32(t) }
func edgeNode(e uint32) int32         { return int32(e >> 3) }
func edgeType(e uint32) RelType       { return RelType(e & 7) }

func newGraph(n int) *Graph {
	return &Graph{byKey: make(map[string]int32, n), byID: make(map[uuid.UUID]int32, n),
		nodes: make([]node, 0, n), groups: map[string]string{}}
}

// followGraph returns an empty graph that follows st's log.
func followGraph(st lifecycle.Store) *Graph {
	g := newGraph(0)
	g.store = st
	g.follow = lifecycle.NewProjection(st, g.applyChange)
	return g
}

// NewGraph returns a graph of the given CIs, which follows no store: the
// map of a snapshot, a test's or a benchmark's. Every CI needs a unique
// key and a class; every relationship a type and a To among the CIs, and
// no CI relates to itself or twice alike. Errors are *itil.ValidationError
// naming the CI ("cis[3].relations[1].to"). The rules a Registry keeps
// (no cycle of contains, quorums) are not checked; retired CIs are left
// out, and relationships to them.
func NewGraph(cis []*CI) (*Graph, error) {
	g := newGraph(len(cis))
	for i, c := range cis {
		f := fmt.Sprintf("cis[%d]", i)
		if c == nil {
			return nil, invalid(f, "nil CI")
		}
		if err := checkName(f+".key", c.Key); err != nil {
			return nil, err
		}
		if !c.Class.Valid() {
			return nil, invalidf(f+".class", "unknown class %d", c.Class)
		}
		if _, dup := g.byKey[c.Key]; dup {
			return nil, invalidf(f+".key", "%q is listed twice", c.Key)
		}
		g.byKey[c.Key] = int32(len(g.nodes))
		g.nodes = append(g.nodes, node{key: c.Key})
	}
	for i, c := range cis {
		for j, r := range c.Relations {
			f := fmt.Sprintf("cis[%d].relations[%d]", i, j)
			if err := checkRelation(f, c.Key, r); err != nil {
				return nil, err
			}
			if _, ok := g.byKey[r.To]; !ok {
				return nil, invalidf(f+".to", "no CI %q in the graph", r.To)
			}
			if c.Related(r.Type, r.To) && indexOf(c.Relations, r) != j {
				return nil, invalidf(f+".to", "%s %s %s is listed twice", c.Key, r.Type, r.To)
			}
		}
	}
	for _, c := range cis {
		g.put(c)
	}
	return g, nil
}

func indexOf(rs []Relation, r Relation) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

// catchUp applies what the log holds that the graph has not seen.
func (g *Graph) catchUp(ctx context.Context) error {
	if g.follow == nil {
		return nil
	}
	if err := g.follow.CatchUp(ctx); err != nil {
		return fmt.Errorf("cmdb: catching the graph up: %w", err)
	}
	return nil
}

// applyChange brings the graph up to a change of the log: it reads the CI
// as stored now, which is the change's version or a later one, so that
// replaying many changes of one CI reads it once.
func (g *Graph) applyChange(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind {
		return nil
	}
	g.mu.RLock()
	i, ok := g.byID[ch.RecordID]
	seen := ok && g.nodes[i].version >= ch.Version
	g.mu.RUnlock()
	if seen {
		return nil
	}
	e, err := g.store.Get(ctx, ch.RecordID, newCI)
	if err != nil {
		return err
	}
	c, isCI := e.(*CI)
	if !isCI {
		return errors.New("cmdb: the store holds a " + ch.Kind + " that is no CI")
	}
	g.mu.Lock()
	g.put(c)
	g.mu.Unlock()
	return nil
}

// id returns the node of key, adding an unknown one if there is none.
func (g *Graph) id(key string) int32 {
	if i, ok := g.byKey[key]; ok {
		return i
	}
	i := int32(len(g.nodes))
	g.byKey[key] = i
	g.nodes = append(g.nodes, node{key: key})
	return i
}

// put makes the graph hold c as it is. The caller holds mu.
func (g *Graph) put(c *CI) {
	i := g.id(c.Key)
	if c.ID != uuid.Nil {
		g.byID[c.ID] = i
	}
	n := &g.nodes[i]
	// Drop the relationships the node had, from both ends.
	for _, e := range n.out {
		to := &g.nodes[edgeNode(e)]
		back := edge(i, edgeType(e))
		for k, x := range to.in {
			if x == back {
				to.in[k] = to.in[len(to.in)-1]
				to.in = to.in[:len(to.in)-1]
				break
			}
		}
	}
	n.out = n.out[:0]
	grp, ok := g.groups[c.OwnerGroup]
	if !ok {
		grp = c.OwnerGroup
		g.groups[grp] = grp
	}
	n.group, n.version, n.class, n.crit = grp, c.Version, c.Class, c.Criticality
	n.quorum = int32(c.Quorum)
	n.state = stateOf(c.State)
	if c.State == "" { // a CI of a snapshot that names no state
		n.state = nodeLive
	}
	if n.state == nodeRetired {
		n.out = nil
		return
	}
	if cap(n.out) < len(c.Relations) {
		n.out = make([]uint32, 0, len(c.Relations))
	}
	for _, r := range c.Relations {
		to := g.id(r.To)
		n = &g.nodes[i] // id may have grown nodes
		n.out = append(n.out, edge(to, r.Type))
		g.nodes[to].in = append(g.nodes[to].in, edge(i, r.Type))
	}
}

// Len returns the number of CIs the graph holds, not counting retired
// ones.
func (g *Graph) Len(ctx context.Context) (int, error) {
	if err := g.catchUp(ctx); err != nil {
		return 0, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	n := 0
	for i := range g.nodes {
		if g.nodes[i].known() {
			n++
		}
	}
	return n, nil
}

// lookup returns the node of key, or -1 if the graph holds no such CI.
// The caller holds mu.
func (g *Graph) lookup(key string) int32 {
	i, ok := g.byKey[key]
	if !ok || !g.nodes[i].known() {
		return -1
	}
	return i
}

// eachInput calls f with every node whose outage reaches node i directly
// and the type of the relationship: the To of i's runs_on, depends_on and
// connects_to, and the From of contains, provides and member_of that lead
// to i. The caller holds mu.
func (g *Graph) eachInput(i int32, f func(j int32, t RelType)) {
	n := &g.nodes[i]
	for _, e := range n.out {
		if t := edgeType(e); !t.downstream() {
			f(edgeNode(e), t)
		}
	}
	for _, e := range n.in {
		if t := edgeType(e); t.downstream() {
			f(edgeNode(e), t)
		}
	}
}

// eachOutput calls f with every node an outage of node i reaches directly:
// the reverse of eachInput. The caller holds mu.
func (g *Graph) eachOutput(i int32, f func(j int32, t RelType)) {
	n := &g.nodes[i]
	for _, e := range n.out {
		if t := edgeType(e); t.downstream() {
			f(edgeNode(e), t)
		}
	}
	for _, e := range n.in {
		if t := edgeType(e); !t.downstream() {
			f(edgeNode(e), t)
		}
	}
}
