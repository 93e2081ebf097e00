package incident

import (
	"context"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// EscalateFunctional hands the incident to a more specialist group,
// p.ToGroup, at p.Tier. The assignee is cleared, the escalation and
// reassignment counts grow, and the journal keeps who escalated it and
// why, p.Note, which is required (event "escalate").
func (d *Desk) EscalateFunctional(ctx context.Context, p FunctionalParams) (*Incident, error) {
	if err := requireText("to_group", p.ToGroup, "required", MaxName); err != nil {
		return nil, err
	}
	if p.Tier < 0 || p.Tier > d.cfg.MaxTier {
		return nil, &itil.ValidationError{Field: "tier", Reason: fmt.Sprintf("must be between 1 and %d", d.cfg.MaxTier)}
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "say why the incident is escalated", p.Fields)
	if err != nil {
		return nil, err
	}
	toGroup, toTier := p.ToGroup, p.Tier
	a.Name = "escalate"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError("escalate", inc.State)
		}
		tier := toTier
		if tier == 0 {
			tier = inc.Tier + 1
		}
		if tier > d.cfg.MaxTier {
			return &itil.ValidationError{Field: "tier", Reason: fmt.Sprintf("the incident is already at tier %d, the highest", inc.Tier)}
		}
		if toGroup == inc.Group {
			return &itil.ValidationError{Field: "to_group", Reason: fmt.Sprintf("the incident is already with %s", inc.Group)}
		}
		lifecycle.Set(ed, "tier", &inc.Tier, tier)
		lifecycle.Set(ed, "escalations", &inc.Escalations, inc.Escalations+1)
		if inc.Group != "" {
			lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
		}
		lifecycle.Set(ed, "group", &inc.Group, toGroup)
		lifecycle.Set(ed, "assignee", &inc.Assignee, "")
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// EscalateHierarchical raises the incident's management escalation level
// to p.Level. The journal keeps the level, who is told (p.Notify), who
// escalated and why, p.Note, which is required (event
// "escalate_hierarchical"); a notifier subscribed to that event informs
// management.
func (d *Desk) EscalateHierarchical(ctx context.Context, p HierarchicalParams) (*Incident, error) {
	if err := requireText("notify", p.Notify, "say who is told", MaxName); err != nil {
		return nil, err
	}
	if p.Level < 0 || p.Level > d.cfg.EscalationLevels {
		return nil, &itil.ValidationError{Field: "level", Reason: fmt.Sprintf("must be between 1 and %d", d.cfg.EscalationLevels)}
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "say why the incident is escalated", p.Fields)
	if err != nil {
		return nil, err
	}
	toLevel := p.Level
	a.Name = "escalate_hierarchical"
	a.Note = p.Note + " (told: " + p.Notify + ")"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError("escalate_hierarchical", inc.State)
		}
		level := toLevel
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
	}
	return d.proc.Fire(ctx, p.ID, a)
}
