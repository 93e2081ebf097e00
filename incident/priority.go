package incident

import (
	"context"

	"github.com/itil-go/itil/lifecycle"
)

// Reprioritize changes impact and urgency to p.Impact and p.Urgency; the
// priority is recomputed from the desk's matrix and journaled, and the SLA
// clocks are retargeted to the new priority's targets, keeping the time
// already accrued and paused. p.Note says why. A priority raised to one
// that a rule of Config.Paging matches starts the incident's paging, unless
// it is paging already or was acknowledged, and pages the first level at
// once.
func (d *Desk) Reprioritize(ctx context.Context, p ReprioritizeParams) (*Incident, error) {
	prio, err := d.cfg.Matrix.Priority(p.Impact, p.Urgency)
	if err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	impact, urgency := p.Impact, p.Urgency
	a.Name = "reprioritize"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError("reprioritize", inc.State)
		}
		lifecycle.Set(ed, "impact", &inc.Impact, impact)
		lifecycle.Set(ed, "urgency", &inc.Urgency, urgency)
		from := inc.Priority
		lifecycle.Set(ed, "priority", &inc.Priority, prio)
		d.reprioritized(inc, ed, from, d.now())
		_, err := d.applySLA(inc, ed, inc.StateCategory, d.now())
		return err
	}
	inc, err := d.proc.Fire(ctx, p.ID, a)
	if err != nil {
		return nil, err
	}
	return d.pageNow(ctx, inc), nil
}
