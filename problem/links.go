package problem

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// linkable reports a *itil.ValidationError naming field when inc may not be
// linked to a problem: it is closed or cancelled.
func linkable(field string, inc *incident.Incident) error {
	if inc.StateCategory.Terminal() {
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is %s; link open or resolved incidents", inc.Number, inc.State)}
	}
	return nil
}

// LinkIncident links an incident to the problem, journaled on both: on the
// incident as "link_problem" (through the desk) and on the problem as
// "link_incident". The incident side is written first and undone if the
// problem side then fails, so that no link is left one-sided; if even the
// undo fails, the error is a *LinkError matching ErrOneSided, and linking
// again completes the link.
//
// Linking an incident that is closed or cancelled, or one already linked to
// the problem, is a *itil.ValidationError naming "incident"; a closed
// problem takes no new incidents (*lifecycle.TransitionError).
func (m *Manager) LinkIncident(ctx context.Context, problemID, incidentID uuid.UUID, by itil.Actor) (*Problem, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	m.links.Lock()
	defer m.links.Unlock()
	p, err := m.proc.Get(ctx, problemID)
	if err != nil {
		return nil, err
	}
	if p.StateCategory.Terminal() {
		return nil, m.def.TransitionError(eventLinkIncident, p.State)
	}
	inc, err := m.desk.Get(ctx, incidentID)
	if err != nil {
		return nil, fmt.Errorf("incident: %w", err)
	}
	if err := linkable("incident", inc); err != nil {
		return nil, err
	}
	if p.HasIncident(inc.ID) {
		return nil, &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("%s is already linked to %s", inc.Number, p.Number)}
	}
	pref := ref(p)
	iref := itil.Ref{Kind: incident.Kind, ID: inc.ID, Number: inc.Number}
	// An incident that holds the link already, while the problem does not,
	// is what a failed undo left: complete the link, and undo nothing.
	held := slices.ContainsFunc(inc.Problems, func(r itil.Ref) bool { return r.ID == p.ID })
	if !held {
		if _, err := m.desk.Link(ctx, inc.ID, pref, false, by); err != nil {
			return nil, fmt.Errorf("incident %s: %w", inc.Number, err)
		}
	}
	p, err = m.fire(ctx, problemID, lifecycle.Action[*Problem]{Name: eventLinkIncident, Actor: by, Note: iref.String(),
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if p.StateCategory.Terminal() {
				return m.def.TransitionError(eventLinkIncident, p.State)
			}
			if p.HasIncident(iref.ID) {
				return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("%s is already linked to %s", iref.Number, p.Number)}
			}
			p.Incidents = append(slices.Clone(p.Incidents), iref)
			ed.Field("incidents", "", iref.String())
			return nil
		}})
	if err != nil && !held {
		if _, undo := m.desk.Link(ctx, inc.ID, pref, true, by); undo != nil {
			m.cfg.Logger.ErrorContext(ctx, "undoing an incident's link to a problem", slog.String("problem", pref.Number),
				slog.String("incident", iref.Number), slog.Any("error", undo))
			return nil, &LinkError{Op: "link", Problem: pref, Incident: iref, Err: err, Undo: undo}
		}
	}
	return p, err
}

// UnlinkIncident removes the link between an incident and the problem, on
// both sides: the incident's first, restored if the problem's then fails
// (or a *LinkError when even that fails; unlinking again completes it).
// Removing a link that is not there is a *itil.ValidationError naming
// "incident".
func (m *Manager) UnlinkIncident(ctx context.Context, problemID, incidentID uuid.UUID, by itil.Actor) (*Problem, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	m.links.Lock()
	defer m.links.Unlock()
	p, err := m.proc.Get(ctx, problemID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(p.Incidents, func(r itil.Ref) bool { return r.ID == incidentID })
	if i < 0 {
		return nil, &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("incident %s is not linked to %s", incidentID, p.Number)}
	}
	iref := p.Incidents[i]
	pref := ref(p)
	_, err = m.desk.Link(ctx, incidentID, pref, true, by)
	incidentSide := err == nil
	var ve *itil.ValidationError
	switch {
	case errors.Is(err, lifecycle.ErrNotFound), errors.As(err, &ve) && ve.Field == "ref":
		// The incident is gone or does not hold the link: only the
		// problem's side is left to remove.
	case err != nil:
		return nil, fmt.Errorf("incident %s: %w", iref.Number, err)
	}
	p, err = m.fire(ctx, problemID, lifecycle.Action[*Problem]{Name: eventUnlinkIncident, Actor: by, Note: iref.String(),
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
		if incidentSide {
			if _, undo := m.desk.Link(ctx, incidentID, pref, false, by); undo != nil {
				m.cfg.Logger.ErrorContext(ctx, "restoring an incident's link to a problem", slog.String("problem", pref.Number),
					slog.String("incident", iref.Number), slog.Any("error", undo))
				return nil, &LinkError{Op: "unlink", Problem: pref, Incident: iref, Err: err, Undo: undo}
			}
		}
		return nil, err
	}
	return p, nil
}

// LinkChange records a link from the problem to a change, such as the one
// that delivers its fix, or removes it with remove set. Linking twice, or
// removing a link that is not there, is a *itil.ValidationError naming
// "change".
func (m *Manager) LinkChange(ctx context.Context, id uuid.UUID, change itil.Ref, remove bool, by itil.Actor) (*Problem, error) {
	if err := validChange("change", change); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
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
	return nil
}

// addChange links change to p unless it is linked already.
func addChange(p *Problem, ed *lifecycle.Edit, change itil.Ref) {
	if slices.ContainsFunc(p.Changes, func(r itil.Ref) bool { return r.ID == change.ID }) {
		return
	}
	p.Changes = append(slices.Clone(p.Changes), change)
	ed.Field("changes", "", change.String())
}
