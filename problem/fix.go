package problem

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// Fix is the permanent solution of a problem and the change that delivers
// it.
type Fix struct {
	// Description says what removes the root cause. StartFix requires it;
	// Resolve keeps the one already recorded when it is empty.
	Description string
	// Change, when set, is the change that delivers the fix; it is added to
	// the problem's changes.
	Change itil.Ref
	// Note is journaled with the change.
	Note string
}

func (f *Fix) validate(required bool) error {
	if required && f.Description == "" {
		return &itil.ValidationError{Field: "fix", Reason: "say what fixes the root cause"}
	}
	if f.Change != (itil.Ref{}) {
		return validChange("fix.change", f.Change)
	}
	return nil
}

// apply records the fix on p.
func (f *Fix) apply(p *Problem, ed *lifecycle.Edit) {
	if f.Description != "" {
		lifecycle.Set(ed, "fix", &p.Fix, f.Description)
	}
	if !f.Change.IsZero() {
		addChange(p, ed, f.Change)
	}
}

// StartFix starts work on the fix of an analyzed problem: what the fix is,
// and the change that will deliver it if there is one yet.
func (m *Manager) StartFix(ctx context.Context, id uuid.UUID, fix Fix, by itil.Actor) (*Problem, error) {
	if err := fix.validate(true); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Event: EventStartFix, Actor: by, Note: fix.Note,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			fix.apply(p, ed)
			return nil
		}})
}

// Resolve records that the fix is delivered, by fix.Change when set, and
// moves the problem to whichever resolved state its state leads to. The root
// cause must be known and the fix described (here or by StartFix), else the
// error is a *itil.ValidationError naming "root_cause" or "fix".
//
// Then the open linked incidents are handled by Config.OnResolve: resolved
// with the fix as notes, or given a work note and a comment; what fails is
// logged.
func (m *Manager) Resolve(ctx context.Context, id uuid.UUID, fix Fix, by itil.Actor) (*Problem, error) {
	if err := fix.validate(false); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	p, err := m.fire(ctx, id, lifecycle.Action[*Problem]{
		EventFor: func(p *Problem) string {
			if ev, ok := m.def.EventToward(p.State, lifecycle.Resolved, EventResolve); ok {
				return ev
			}
			return EventResolve
		},
		Actor: by, Note: fix.Note,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			fix.apply(p, ed)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	m.settleIncidents(ctx, p, fix.Change, by)
	return p, nil
}

// settleIncidents applies the resolve policy to the open incidents of a
// resolved problem.
func (m *Manager) settleIncidents(ctx context.Context, p *Problem, change itil.Ref, by itil.Actor) {
	delivered := p.Fix
	if !change.IsZero() {
		delivered += " (delivered by " + change.String() + ")"
	}
	notes := fmt.Sprintf("Fixed by problem %s: %s", p.Number, delivered)
	notify := func(inc *incident.Incident) error {
		if _, err := m.desk.WorkNote(ctx, inc.ID, fmt.Sprintf("Problem %s resolved: %s", p.Number, delivered), by); err != nil {
			return err
		}
		_, err := m.desk.Comment(ctx, inc.ID, "A permanent fix for the cause of this incident has been delivered: "+delivered, by)
		return err
	}
	m.eachOpenIncident(ctx, p, "resolving a problem's incidents", func(inc *incident.Incident) error {
		if m.cfg.OnResolve != ResolveIncidents {
			return notify(inc)
		}
		_, err := m.desk.Resolve(ctx, inc.ID, incident.Resolution{Code: m.cfg.IncidentResolutionCode, Notes: notes}, by)
		if err == nil {
			return nil
		}
		if nerr := notify(inc); nerr != nil {
			return fmt.Errorf("resolving: %w; notifying: %w", err, nerr)
		}
		return fmt.Errorf("resolving (notified instead): %w", err)
	})
}
