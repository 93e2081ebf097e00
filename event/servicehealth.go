package event

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ServiceSource is the Source of the alerts the engine raises for business
// services that lost redundancy or went down (see ServiceHealth).
const ServiceSource = "service_health"

// ServiceHealth is the host's view of what its CIs' outages do to its
// business services: those degraded (a cluster below them lost members
// but keeps its quorum) and those down while the CIs down are down, each
// with the CIs of down it comes from. A CMDB implements it
// (cmdb.Graph.Health); CIs it does not know change nothing.
// Implementations must be safe for concurrent use.
type ServiceHealth interface {
	Health(ctx context.Context, down ...string) (degraded, out map[string][]string, err error)
}

// serviceCheck is the Check of a service's health alert.
const serviceCheck = "redundancy"

// sweepServices raises, moves and clears the alerts of business services
// to what Config.Services says of the CIs down now: a service that lost
// redundancy has an open alert at SeverityWarning, one that is down at
// SeverityMajor, and one whose CIs are up again has its alert cleared. It
// writes only what changed, reading the service alerts open in the store,
// so that hosts sharing it agree. It returns how many alerts it raised,
// moved or cleared.
func (e *Engine) sweepServices(ctx context.Context, now time.Time) (int, error) {
	if e.cfg.Services == nil || e.cfg.Topology == nil {
		return 0, nil
	}
	e.mu.Lock()
	down := make([]string, 0, len(e.down))
	for ci, alerts := range e.down {
		for a := range alerts {
			if a.rec.Source != ServiceSource { // a service's own alert is no cause
				down = append(down, ci)
				break
			}
		}
	}
	e.mu.Unlock()
	slices.Sort(down)
	want := map[string]Severity{}
	causes := map[string][]string{}
	if len(down) > 0 {
		degraded, out, err := e.cfg.Services.Health(ctx, down...)
		if err != nil {
			return 0, fmt.Errorf("asking for the services' health: %w", err)
		}
		for s, cs := range degraded {
			want[s], causes[s] = SeverityWarning, cs
		}
		for s, cs := range out {
			want[s], causes[s] = SeverityMajor, cs
		}
	}
	have := map[string]Severity{}
	for a, err := range e.Find(ctx, Query{Open: true, Source: []string{ServiceSource}}) {
		if err != nil {
			return 0, err
		}
		have[a.Node] = a.Severity
	}
	services := slices.Collect(maps.Keys(want))
	for svc := range have {
		if _, ok := want[svc]; !ok {
			services = append(services, svc)
		}
	}
	slices.Sort(services)
	n := 0
	for _, svc := range services {
		sev, ok := want[svc]
		if !ok {
			sev = SeverityOK
		}
		if cur, open := have[svc]; open && cur == sev || !open && sev == SeverityOK {
			continue
		}
		ev := Event{Source: ServiceSource, Node: svc, CI: svc, Check: serviceCheck, Severity: sev, ReceivedAt: now,
			Message: serviceMessage(svc, sev, causes[svc])}
		if err := e.ingest(ctx, &ev, now, nil); err != nil {
			return n, fmt.Errorf("service %s: %w", svc, err)
		}
		n++
	}
	return n, nil
}

// serviceMessage says what happened to svc, naming the first of the CIs
// down that it comes from.
func serviceMessage(svc string, sev Severity, down []string) string {
	const named = 5
	cause := strings.Join(down[:min(len(down), named)], ", ")
	if len(down) > named {
		cause += fmt.Sprintf(" and %d more", len(down)-named)
	}
	switch sev {
	case SeverityOK:
		return svc + " is back to full redundancy"
	case SeverityWarning:
		return svc + " lost redundancy: down " + cause
	}
	return svc + " is down: down " + cause
}
