package incident

import (
	"context"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Reprioritize changes impact and urgency; the priority is recomputed from
// the desk's matrix and journaled, and the SLA clocks are retargeted to the
// new priority's targets, keeping the time already accrued and paused.
func (d *Desk) Reprioritize(ctx context.Context, id uuid.UUID, impact itil.Impact, urgency itil.Urgency, reason string, by itil.Actor) (*Incident, error) {
	prio, err := d.cfg.Matrix.Priority(impact, urgency)
	if err != nil {
		return nil, err
	}
	if err := itil.CheckText("reason", reason, MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Name: "reprioritize", Actor: by, Note: reason,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if !inc.Open() {
				return d.def.TransitionError("reprioritize", inc.State)
			}
			lifecycle.Set(ed, "impact", &inc.Impact, impact)
			lifecycle.Set(ed, "urgency", &inc.Urgency, urgency)
			lifecycle.Set(ed, "priority", &inc.Priority, prio)
			return d.applySLA(inc, ed, inc.StateCategory, d.now())
		}})
}
