package cmdb

import "context"

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
	out, _, err := g.closure(ctx, ci, g.upstream)
	return out, err
}

// Descendants returns every CI that an outage of ci reaches, directly or
// through other CIs: its Children, theirs and so on, ordered by key,
// without ci itself. They are the CIs besides ci that ImpactAll(ci) names,
// whether they go down or are only degraded (a cluster that keeps its
// quorum): a change that takes ci down puts each of them at risk. A CI the
// graph does not hold has none.
func (g *Graph) Descendants(ctx context.Context, ci string) ([]string, error) {
	out, _, err := g.closure(ctx, ci, g.downstream)
	return out, err
}
