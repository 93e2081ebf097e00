package cmdb

import (
	"context"
	"slices"
)

// The questions the other processes ask about CIs they name by key, which
// the graph may not hold (a CI an alert names that nobody registered): a
// CI the graph does not hold has no services, no class and no owner, and
// is no error.

// Services returns the business services that are down or degraded while
// the CIs cis are down, ordered by key: the services an incident on those
// CIs affects, or a change on them puts at risk. CIs the graph does not
// hold are left out; with none it holds, there are none.
func (g *Graph) Services(ctx context.Context, cis ...string) ([]string, error) {
	if err := g.catchUp(ctx); err != nil {
		return nil, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.services(cis), nil
}

// services is Services for a caller that holds mu and has caught up.
func (g *Graph) services(cis []string) []string {
	down := make([]int32, 0, len(cis))
	for _, key := range cis {
		if i := g.lookup(key); i >= 0 {
			down = append(down, i)
		}
	}
	if len(down) == 0 {
		return nil
	}
	w := g.getWalk()
	defer g.putWalk(w)
	g.eval(w, down)
	var out []string
	for _, i := range w.reached {
		if n := &g.nodes[i]; n.class == ClassBusinessService && n.known() && Status(w.get(i)&3) > Up {
			out = append(out, n.key)
		}
	}
	slices.Sort(out)
	return out
}

// Classify returns the name of ci's class ("database") and the business
// services its outage affects (see Services): what assignment rules match
// on (assign.Classifier). A CI the graph does not hold has neither.
func (g *Graph) Classify(ctx context.Context, ci string) (class string, services []string, err error) {
	if err := g.catchUp(ctx); err != nil {
		return "", nil, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(ci)
	if i < 0 {
		return "", nil, nil
	}
	return g.nodes[i].class.String(), g.services([]string{ci}), nil
}

// Owner returns the group that supports ci: its owner group, which a
// registry sets from its class's function unless told otherwise (a CI of
// a snapshot without one has its function's default group). A CI the
// graph does not hold has none: "".
func (g *Graph) Owner(ctx context.Context, ci string) (string, error) {
	if err := g.catchUp(ctx); err != nil {
		return "", err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(ci)
	if i < 0 {
		return "", nil
	}
	if n := &g.nodes[i]; n.group != "" {
		return n.group, nil
	}
	return g.nodes[i].class.Function().DefaultGroup(), nil
}
