package incident

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// CIsParams are the parameters of Desk.AddCIs.
type CIsParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// CIs are the configuration items to add; at least one.
	CIs []string
}

// AddCIs adds p.CIs to the configuration items the incident affects, in
// their order after those it lists, leaving out the ones it lists already;
// the change is journaled as "cis", from "" to "+" and the added CIs
// comma separated, so that an incident that gathers thousands of CIs does
// not journal its whole list each time. As when monitoring finds more of an outage, it is refused
// (ErrTransition) on an incident that is not open. With Config.Services,
// the incident's Services become those the outage of all its CIs
// affects, journaled as "services" when they change.
func (d *Desk) AddCIs(ctx context.Context, p CIsParams) (*Incident, error) {
	if len(p.CIs) == 0 {
		return nil, &itil.ValidationError{Field: "cis", Reason: "required"}
	}
	if err := validCIs("cis", p.CIs); err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	add := slices.Clone(p.CIs)
	a.Name = "add_cis"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError("add_cis", inc.State)
		}
		has := make(map[string]bool, len(inc.CIs))
		for _, ci := range inc.CIs {
			has[ci] = true
		}
		var added []string
		for _, ci := range add {
			if !has[ci] {
				added = append(added, ci)
			}
		}
		if len(added) == 0 {
			return nil
		}
		ed.Field("cis", "", "+"+strings.Join(added, ","))
		inc.CIs = append(slices.Clone(inc.CIs), added...)
		if d.cfg.Services == nil {
			return nil
		}
		services, err := d.servicesOf(ctx, inc.CIs)
		if err != nil {
			return err
		}
		if !slices.Equal(services, inc.Services) {
			ed.Field("services", strings.Join(inc.Services, ","), strings.Join(services, ","))
			inc.Services = services
		}
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}
