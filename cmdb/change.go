package cmdb

import (
	"context"
	"slices"
)

// What package change asks of the graph besides Parents and Children and
// Services: the whole of what a CI depends on and what depends on it
// (change.Dependencies), so that a change to a rack's power conflicts with
// a change to an application on a VM on a server in that rack. Like
// Parents and Children, and unlike DependsOn and ImpactAll, they answer
// about CIs the graph may not hold: such a CI has none.

// Ancestors returns every CI whose outage reaches ci, directly or through
// other CIs: its Parents, their parents and so on, ordered by key, without
// ci itself (a cycle of depends_on may lead back to it). It is DependsOn
// for a CI the graph may not hold, which has none. With Descendants it is
// change.Dependencies.
func (g *Graph) Ancestors(ctx context.Context, ci string) ([]string, error) {
	return g.closure(ctx, ci, g.upstream)
}

// Descendants returns every CI that an outage of ci reaches, directly or
// through other CIs: its Children, theirs and so on, ordered by key,
// without ci itself. They are the CIs besides ci that ImpactAll(ci) names,
// whether they go down or are only degraded (a cluster that keeps its
// quorum): a change that takes ci down puts each of them at risk. A CI the
// graph does not hold has none.
func (g *Graph) Descendants(ctx context.Context, ci string) ([]string, error) {
	return g.closure(ctx, ci, g.downstream)
}

// closure answers Ancestors or Descendants through walk, which is
// upstream or downstream.
func (g *Graph) closure(ctx context.Context, ci string, walk func(int32) []int32) ([]string, error) {
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
	for _, j := range walk(i) {
		if n := &g.nodes[j]; n.known() {
			out = append(out, n.key)
		}
	}
	slices.Sort(out)
	return out, nil
}

// downstream returns the nodes an outage of node i reaches, transitively,
// without i: the reverse of upstream. The caller holds mu.
func (g *Graph) downstream(i int32) []int32 {
	seen := map[int32]bool{i: true}
	stack := []int32{i}
	var out []int32
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		g.eachOutput(k, func(j int32, _ RelType) {
			if !seen[j] {
				seen[j] = true
				out = append(out, j)
				stack = append(stack, j)
			}
		})
	}
	return out
}
