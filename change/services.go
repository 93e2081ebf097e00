package change

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ServiceImpact tells which business services an outage of some CIs
// affects: those down or degraded while the CIs are down. A CMDB
// implements it (cmdb.Graph). CIs it does not know affect nothing, and a
// business service it knows is among those its own outage affects
// (Services(ctx, "shop") holds "shop"): that is how the Manager checks the
// services a freeze names. Implementations must be safe for concurrent
// use.
type ServiceImpact interface {
	// Services returns the business services that are down or degraded
	// while the CIs cis are down.
	Services(ctx context.Context, cis ...string) ([]string, error)
}

// Criticality is the optional upgrade of a ServiceImpact that weighs an
// outage, found by a type assertion on Config.Services (cmdb.Graph has
// it, as event.Criticality). Assess lets it count: see Assessment.
// Implementations must be safe for concurrent use.
type Criticality interface {
	// Criticality returns the impact an outage of ci has: the widest of
	// ci's own criticality and those of the business services its outage
	// takes down. Zero when neither has one, and for a CI it does not
	// know.
	Criticality(ctx context.Context, ci string) (itil.Impact, error)
}

// servicesOf returns the business services an outage of cis affects, as
// Config.Services tells them, ordered and each once: none without a
// ServiceImpact, or without CIs.
func (m *Manager) servicesOf(ctx context.Context, cis []string) ([]string, error) {
	if m.cfg.Services == nil || len(cis) == 0 {
		return nil, nil
	}
	services, err := m.cfg.Services.Services(ctx, cis...)
	if err != nil {
		return nil, fmt.Errorf("change: the services of %s: %w", strings.Join(cis, ", "), err)
	}
	for _, s := range services {
		if itil.CheckText("services", s, MaxNameLength) != nil || strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("change: the services of %s: %q is no service name", strings.Join(cis, ", "), s)
		}
	}
	if len(services) == 0 {
		return nil, nil
	}
	out := slices.Clone(services)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// criticalityOf returns the widest impact an outage of one of cis has, as
// Config.Services tells it when it is a Criticality; zero otherwise.
func (m *Manager) criticalityOf(ctx context.Context, cis []string) (itil.Impact, error) {
	crit, ok := m.cfg.Services.(Criticality)
	if !ok {
		return 0, nil
	}
	var widest itil.Impact
	for _, ci := range cis {
		i, err := crit.Criticality(ctx, ci)
		if err != nil {
			return 0, fmt.Errorf("change: the criticality of %s: %w", ci, err)
		}
		if i.Valid() {
			widest = wider(widest, i)
		}
	}
	return widest, nil
}

// wider returns the wider of two impacts, either of which may be unset.
// Impacts count from the top: itil.ImpactHigh is the least.
func wider(a, b itil.Impact) itil.Impact {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// setServices records on c the services an outage of its CIs affects,
// journaled as "services" (comma separated) when they change.
func (m *Manager) setServices(ctx context.Context, c *Change, ed *lifecycle.Edit) error {
	services, err := m.servicesOf(ctx, c.CIs)
	if err != nil {
		return err
	}
	if !slices.Equal(services, c.Services) {
		if ed != nil {
			ed.Field("services", strings.Join(c.Services, ","), strings.Join(services, ","))
		}
		c.Services = services
	}
	return nil
}

// unknownService returns the first of names that Config.Services does not
// know as a business service: one that is not among the services its own
// outage affects. "" when it knows them all.
func (m *Manager) unknownService(ctx context.Context, names []string) (string, error) {
	if len(names) == 0 {
		return "", nil
	}
	known, err := m.servicesOf(ctx, names)
	if err != nil {
		return "", err
	}
	for _, s := range names {
		if _, found := slices.BinarySearch(known, s); !found {
			return s, nil
		}
	}
	return "", nil
}
