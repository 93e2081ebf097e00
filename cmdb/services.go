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
	degraded, out := g.outage(cis)
	all := append(degraded, out...)
	slices.Sort(all)
	return all
}

// outage returns the business services degraded and those down while the
// CIs cis are down, each ordered by key, leaving out CIs the graph does
// not hold. The caller holds mu and has caught up.
func (g *Graph) outage(cis []string) (degraded, out []string) {
	ids := make([]int32, 0, len(cis))
	for _, key := range cis {
		if i := g.lookup(key); i >= 0 {
			ids = append(ids, i)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	w := g.getWalk()
	defer g.putWalk(w)
	g.eval(w, ids)
	for _, i := range w.reached {
		n := &g.nodes[i]
		if n.class != ClassBusinessService || !n.known() {
			continue
		}
		switch Status(w.get(i) & 3) {
		case Degraded:
			degraded = append(degraded, n.key)
		case Down:
			out = append(out, n.key)
		}
	}
	slices.Sort(degraded)
	slices.Sort(out)
	return degraded, out
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

// Health returns the business services degraded and those down while the
// CIs down are down (event.ServiceHealth), each with the CIs of down that
// its state comes from, ordered by key: a service is degraded when
// something it needs lost redundancy (a cluster below it lost members but
// keeps its quorum) and down when something it needs is down. CIs the
// graph does not hold are left out.
func (g *Graph) Health(ctx context.Context, down ...string) (degraded, out map[string][]string, err error) {
	if err := g.catchUp(ctx); err != nil {
		return nil, nil, err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	d, o := g.outage(down)
	causes := func(services []string) map[string][]string {
		if len(services) == 0 {
			return nil
		}
		m := make(map[string][]string, len(services))
		for _, svc := range services {
			i := g.lookup(svc)
			above := map[int32]bool{i: true} // the service itself may be down
			for _, j := range g.upstream(i) {
				above[j] = true
			}
			var cs []string
			for _, key := range down {
				if i := g.lookup(key); i >= 0 && above[i] && !slices.Contains(cs, key) {
					cs = append(cs, key)
				}
			}
			slices.Sort(cs)
			m[svc] = cs
		}
		return m
	}
	return causes(d), causes(o), nil
}
