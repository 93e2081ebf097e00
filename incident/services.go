package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil"
)

// ServiceImpact tells which business services an outage of some CIs
// affects: those down or degraded while the CIs are down. A CMDB
// implements it (cmdb.Graph); CIs it does not know affect nothing.
// Implementations must be safe for concurrent use.
type ServiceImpact interface {
	Services(ctx context.Context, cis ...string) ([]string, error)
}

// Owners tells which group supports a CI: in a CMDB, the owner group of
// the CI, by default that of its class's function (facilities, technical
// or application management). "" for a CI it does not know.
// Implementations must be safe for concurrent use.
type Owners interface {
	Owner(ctx context.Context, ci string) (string, error)
}

// servicesOf returns the business services an outage of cis affects, as
// the desk's ServiceImpact tells them: none without one, or without CIs.
func (d *Desk) servicesOf(ctx context.Context, cis []string) ([]string, error) {
	if d.cfg.Services == nil || len(cis) == 0 {
		return nil, nil
	}
	services, err := d.cfg.Services.Services(ctx, cis...)
	if err != nil {
		return nil, fmt.Errorf("incident: the services of %s: %w", strings.Join(cis, ", "), err)
	}
	for i, s := range services {
		if err := itil.CheckText(fmt.Sprintf("services[%d]", i), s, MaxName); err != nil || s == "" {
			return nil, fmt.Errorf("incident: the services of %s: %q is no service name", strings.Join(cis, ", "), s)
		}
	}
	return slices.Clone(services), nil
}

// owner returns the group that supports the first of cis that has one,
// and that CI, as the desk's Owners tell them: "" without Owners or when
// none has an owner.
func (d *Desk) owner(ctx context.Context, cis []string) (group, ci string, err error) {
	if d.cfg.Owners == nil {
		return "", "", nil
	}
	for _, ci := range cis {
		g, err := d.cfg.Owners.Owner(ctx, ci)
		if err != nil {
			return "", "", fmt.Errorf("incident: the owner of %s: %w", ci, err)
		}
		if g != "" {
			return g, ci, nil
		}
	}
	return "", "", nil
}

// describe sets what the desk's CMDB says of a new incident: the services
// its CIs' outage affects and, unless its group is chosen (by the draft or
// an assignment rule), the group that owns the first of its CIs that has
// an owner, said in the note it returns. It reads the draft's choice, not
// inc.Group, which an earlier try of a Tx may have set.
func (d *Desk) describe(ctx context.Context, inc *Incident, chosen bool, note string) (string, error) {
	services, err := d.servicesOf(ctx, inc.CIs)
	if err != nil {
		return "", err
	}
	inc.Services = services
	if chosen {
		return note, nil
	}
	group, ci, err := d.owner(ctx, inc.CIs)
	if err != nil || group == "" {
		return note, err
	}
	if err := itil.CheckText("group", group, MaxName); err != nil {
		return "", fmt.Errorf("incident: the owner of %s: %w", ci, err)
	}
	inc.Group, inc.Assignee = group, ""
	return joinNote(note, "assigned to "+group+", owner of "+ci), nil
}
