package incident

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Functional is a functional escalation: the incident moves to a group with
// more specialist skills, usually the next support tier.
type Functional struct {
	// ToGroup is the group that takes the incident over; required.
	ToGroup string
	// Tier is the tier of that group; zero means one above the current.
	Tier int
	// Reason is required.
	Reason string
	By     itil.Actor
}

// EscalateFunctional hands the incident to a more specialist group. The
// assignee is cleared, the escalation and reassignment counts grow, and the
// journal keeps who escalated it and why (event "escalate").
func (d *Desk) EscalateFunctional(ctx context.Context, id uuid.UUID, f Functional) (*Incident, error) {
	if err := requireText("to_group", f.ToGroup, "required", MaxName); err != nil {
		return nil, err
	}
	if err := requireText("reason", f.Reason, "say why the incident is escalated", MaxText); err != nil {
		return nil, err
	}
	switch {
	case f.Tier < 0 || f.Tier > d.cfg.MaxTier:
		return nil, &itil.ValidationError{Field: "tier", Reason: fmt.Sprintf("must be between 1 and %d", d.cfg.MaxTier)}
	}
	if err := requireActor(f.By); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Name: "escalate", Actor: f.By, Note: f.Reason,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if !inc.Open() {
				return d.def.TransitionError("escalate", inc.State)
			}
			tier := f.Tier
			if tier == 0 {
				tier = inc.Tier + 1
			}
			if tier > d.cfg.MaxTier {
				return &itil.ValidationError{Field: "tier", Reason: fmt.Sprintf("the incident is already at tier %d, the highest", inc.Tier)}
			}
			if f.ToGroup == inc.Group {
				return &itil.ValidationError{Field: "to_group", Reason: fmt.Sprintf("the incident is already with %s", inc.Group)}
			}
			lifecycle.Set(ed, "tier", &inc.Tier, tier)
			lifecycle.Set(ed, "escalations", &inc.Escalations, inc.Escalations+1)
			if inc.Group != "" {
				lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
			}
			lifecycle.Set(ed, "group", &inc.Group, f.ToGroup)
			lifecycle.Set(ed, "assignee", &inc.Assignee, "")
			return nil
		}})
}

// Hierarchical is a hierarchical escalation: management is told and takes
// charge of the incident's handling.
type Hierarchical struct {
	// Level is the level escalated to, 1 to Config.EscalationLevels; zero
	// means one above the current.
	Level int
	// Notify names who is told (a manager, a group); required.
	Notify string
	// Reason is required.
	Reason string
	By     itil.Actor
}

// EscalateHierarchical raises the incident's management escalation level.
// The journal keeps the level, who is told, who escalated and why (event
// "escalate_hierarchical"); a notifier subscribed to that event informs
// management.
func (d *Desk) EscalateHierarchical(ctx context.Context, id uuid.UUID, h Hierarchical) (*Incident, error) {
	if err := requireText("notify", h.Notify, "say who is told", MaxName); err != nil {
		return nil, err
	}
	if err := requireText("reason", h.Reason, "say why the incident is escalated", MaxText); err != nil {
		return nil, err
	}
	switch {
	case h.Level < 0 || h.Level > d.cfg.EscalationLevels:
		return nil, &itil.ValidationError{Field: "level", Reason: fmt.Sprintf("must be between 1 and %d", d.cfg.EscalationLevels)}
	}
	if err := requireActor(h.By); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Name: "escalate_hierarchical", Actor: h.By,
		Note: fmt.Sprintf("%s (told: %s)", h.Reason, h.Notify),
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if !inc.Open() {
				return d.def.TransitionError("escalate_hierarchical", inc.State)
			}
			level := h.Level
			if level == 0 {
				level = inc.EscalationLevel + 1
			}
			if level <= inc.EscalationLevel {
				return &itil.ValidationError{Field: "level", Reason: fmt.Sprintf("the incident is already at level %d", inc.EscalationLevel)}
			}
			if level > d.cfg.EscalationLevels {
				return &itil.ValidationError{Field: "level", Reason: fmt.Sprintf("the incident is already at level %d, the highest", inc.EscalationLevel)}
			}
			lifecycle.Set(ed, "escalation_level", &inc.EscalationLevel, level)
			return nil
		}})
}
