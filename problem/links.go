package problem

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// The names under which links are journaled on the problem.
const (
	eventLinkIncident   = "link_incident"
	eventUnlinkIncident = "unlink_incident"
	eventLinkChange     = "link_change"
	eventUnlinkChange   = "unlink_change"
)

// eventPublishWorkaround is the name under which a workaround is journaled.
const eventPublishWorkaround = "publish_workaround"

// linkable reports a *itil.ValidationError naming field when inc may not be
// linked to a problem: it is closed or cancelled.
func linkable(field string, inc *incident.Incident) error {
	if inc.StateCategory.Terminal() {
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is %s; link open or resolved incidents", inc.Number, inc.State)}
	}
	return nil
}

// holds reports whether inc links to the problem.
func holds(inc *incident.Incident, problemID uuid.UUID) bool {
	return slices.ContainsFunc(inc.Problems, func(r itil.Ref) bool { return r.ID == problemID })
}

// LinkIncident links an incident to the problem, journaled on both: on the
// incident as "link_problem" (through the desk, with its Authorizer) and on
// the problem as "link_incident". Both sides are saved in one commit, or
// neither: a refusal or a failure on either side writes nothing.
//
// Linking an incident that is closed or cancelled, or one already linked to
// the problem, is a *itil.ValidationError naming "incident"; a closed
// problem takes no new incidents (*lifecycle.TransitionError).
func (m *Manager) LinkIncident(ctx context.Context, problemID, incidentID uuid.UUID, by itil.Actor) (*Problem, error) {
	if err := checkActor(by); err != nil {
		return nil, err
	}
	var out *Problem
	err := m.atomic(ctx, func(tx *lifecycle.Tx) error {
		p, err := m.linkIn(ctx, tx, problemID, incidentID, "incident", by)
		out = p
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// linkIn stages in tx the link between a problem and an incident, on both
// sides; field names the incident in errors.
func (m *Manager) linkIn(ctx context.Context, tx *lifecycle.Tx, problemID, incidentID uuid.UUID, field string, by itil.Actor) (*Problem, error) {
	inc, err := incidentIn(ctx, tx, incidentID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	iref := itil.Ref{Kind: incident.Kind, ID: inc.ID, Number: inc.Number}
	p, err := m.proc.FireIn(ctx, tx, problemID, lifecycle.Action[*Problem]{Name: eventLinkIncident, Actor: by, Note: iref.String(),
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if p.StateCategory.Terminal() {
				return m.def.TransitionError(eventLinkIncident, p.State)
			}
			if err := linkable(field, inc); err != nil {
				return err
			}
			if p.HasIncident(iref.ID) {
				return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is already linked to %s", iref.Number, p.Number)}
			}
			p.Incidents = append(slices.Clone(p.Incidents), iref)
			ed.Field("incidents", "", iref.String())
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if holds(inc, p.ID) {
		// Only the incident's side is there, as an earlier release could
		// leave it: complete the problem's. The Tx pins the incident read.
		return p, nil
	}
	if _, err := m.desk.LinkIn(ctx, tx, inc.ID, ref(p), false, by); err != nil {
		return nil, fmt.Errorf("incident %s: %w", inc.Number, err)
	}
	return p, nil
}

// UnlinkIncident removes the link between an incident and the problem, on
// both sides in one commit, or on neither. Removing a link that is not
// there is a *itil.ValidationError naming "incident". An incident that no
// longer holds its side of the link, or no longer exists, leaves only the
// problem's side to remove.
func (m *Manager) UnlinkIncident(ctx context.Context, problemID, incidentID uuid.UUID, by itil.Actor) (*Problem, error) {
	if err := checkActor(by); err != nil {
		return nil, err
	}
	var out *Problem
	err := m.atomic(ctx, func(tx *lifecycle.Tx) error {
		e, err := tx.Get(ctx, problemID, newProblem)
		if err != nil {
			return err
		}
		cur, ok := e.(*Problem)
		if !ok || cur.Kind != Kind {
			return fmt.Errorf("problem %s: %w", problemID, lifecycle.ErrNotFound)
		}
		i := slices.IndexFunc(cur.Incidents, func(r itil.Ref) bool { return r.ID == incidentID })
		if i < 0 {
			return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("incident %s is not linked to %s", incidentID, cur.Number)}
		}
		iref := cur.Incidents[i]
		p, err := m.proc.FireIn(ctx, tx, problemID, lifecycle.Action[*Problem]{Name: eventUnlinkIncident, Actor: by, Note: iref.String(),
			Apply: func(p *Problem, ed *lifecycle.Edit) error {
				i := slices.IndexFunc(p.Incidents, func(r itil.Ref) bool { return r.ID == incidentID })
				if i < 0 {
					return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("%s is not linked to %s", iref.Number, p.Number)}
				}
				p.Incidents = slices.Delete(slices.Clone(p.Incidents), i, i+1)
				ed.Field("incidents", iref.String(), "")
				return nil
			}})
		if err != nil {
			return err
		}
		out = p
		inc, err := incidentIn(ctx, tx, incidentID)
		switch {
		case errors.Is(err, lifecycle.ErrNotFound):
			return nil // the incident is gone: only the problem's side was left
		case err != nil:
			return fmt.Errorf("incident %s: %w", iref.Number, err)
		case !holds(inc, p.ID):
			return nil // pinned by the Tx: only the problem's side was left
		}
		if _, err := m.desk.LinkIn(ctx, tx, incidentID, ref(p), true, by); err != nil {
			return fmt.Errorf("incident %s: %w", iref.Number, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinkChange records a link from the problem to a change, such as the one
// that delivers its fix, or removes it with remove set. Linking twice, or
// removing a link that is not there, is a *itil.ValidationError naming
// "change".
func (m *Manager) LinkChange(ctx context.Context, id uuid.UUID, change itil.Ref, remove bool, by itil.Actor) (*Problem, error) {
	if err := validChange("change", change); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	name := eventLinkChange
	if remove {
		name = eventUnlinkChange
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Name: name, Actor: by, Note: change.String(),
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			i := slices.IndexFunc(p.Changes, func(r itil.Ref) bool { return r.ID == change.ID })
			switch {
			case !remove && i >= 0:
				return &itil.ValidationError{Field: "change", Reason: fmt.Sprintf("%s is already linked", change)}
			case remove && i < 0:
				return &itil.ValidationError{Field: "change", Reason: fmt.Sprintf("%s is not linked", change)}
			case remove:
				p.Changes = slices.Delete(slices.Clone(p.Changes), i, i+1)
				ed.Field("changes", change.String(), "")
			default:
				addChange(p, ed, change)
			}
			return nil
		}})
}

// validChange checks a link to a change record.
func validChange(field string, r itil.Ref) error {
	if err := r.Validate(field); err != nil {
		return err
	}
	if r.Kind != "change" {
		return &itil.ValidationError{Field: field + ".kind", Reason: fmt.Sprintf("want a change, not %q", r.Kind)}
	}
	return itil.CheckText(field+".number", r.Number, MaxName)
}

// addChange links change to p unless it is linked already.
func addChange(p *Problem, ed *lifecycle.Edit, change itil.Ref) {
	if slices.ContainsFunc(p.Changes, func(r itil.Ref) bool { return r.ID == change.ID }) {
		return
	}
	p.Changes = append(slices.Clone(p.Changes), change)
	ed.Field("changes", "", change.String())
}
