package problem

import (
	"cmp"
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

// LinkIncident links the incident p.Incident to the problem p.ID,
// journaled on both: on the incident as "link_problem" (through the desk,
// with its Authorizer) and on the problem as "link_incident". Both sides
// are saved in one commit, or neither: a refusal or a failure on either
// side writes nothing. p.Version, when set, is the problem's; p.Note is
// journaled on the problem (default: the incident's number) and on the
// incident, p.Fields set on the problem.
//
// Linking an incident that is closed or cancelled, or one already linked to
// the problem, is a *itil.ValidationError naming "incident"; a closed
// problem takes no new incidents (*lifecycle.TransitionError).
func (m *Manager) LinkIncident(ctx context.Context, p LinkIncidentParams) (*Problem, error) {
	if err := checkLink(p); err != nil {
		return nil, err
	}
	var out *Problem
	err := m.atomic(ctx, func(tx *lifecycle.Tx) error {
		pr, err := m.linkIn(ctx, tx, p, "incident")
		out = pr
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkLink checks the params of LinkIncident and UnlinkIncident.
func checkLink(p LinkIncidentParams) error {
	if err := checkParams(p.params()); err != nil {
		return err
	}
	if p.Incident == uuid.Nil {
		return &itil.ValidationError{Field: "incident", Reason: "required"}
	}
	return nil
}

// linkIn stages in tx the link between the problem p.ID and the incident
// p.Incident, on both sides; field names the incident in errors.
func (m *Manager) linkIn(ctx context.Context, tx *lifecycle.Tx, p LinkIncidentParams, field string) (*Problem, error) {
	inc, err := incidentIn(ctx, tx, p.Incident)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	iref := itil.Ref{Kind: incident.Kind, ID: inc.ID, Number: inc.Number}
	pr, err := m.proc.FireIn(ctx, tx, p.ID, lifecycle.Action[*Problem]{Name: eventLinkIncident,
		Version: p.Version, Actor: p.By, Note: cmp.Or(p.Note, iref.String()), Fields: p.Fields,
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			if pr.StateCategory.Terminal() {
				return m.def.TransitionError(eventLinkIncident, pr.State)
			}
			if err := linkable(field, inc); err != nil {
				return err
			}
			if pr.HasIncident(iref.ID) {
				return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is already linked to %s", iref.Number, pr.Number)}
			}
			pr.Incidents = append(slices.Clone(pr.Incidents), iref)
			ed.Field("incidents", "", iref.String())
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if holds(inc, pr.ID) {
		// Only the incident's side is there, as an earlier release could
		// leave it: complete the problem's. The Tx pins the incident read.
		return pr, nil
	}
	if _, err := m.desk.LinkIn(ctx, tx, incident.LinkParams{ID: inc.ID, By: p.By, Note: p.Note, Ref: ref(pr)}); err != nil {
		return nil, fmt.Errorf("incident %s: %w", inc.Number, err)
	}
	return pr, nil
}

// UnlinkIncident removes the link between the incident p.Incident and the
// problem p.ID, on both sides in one commit, or on neither. Removing a link
// that is not there is a *itil.ValidationError naming "incident". An
// incident that no longer holds its side of the link, or no longer exists,
// leaves only the problem's side to remove.
func (m *Manager) UnlinkIncident(ctx context.Context, p LinkIncidentParams) (*Problem, error) {
	if err := checkLink(p); err != nil {
		return nil, err
	}
	var out *Problem
	err := m.atomic(ctx, func(tx *lifecycle.Tx) error {
		e, err := tx.Get(ctx, p.ID, newProblem)
		if err != nil {
			return err
		}
		cur, ok := e.(*Problem)
		if !ok || cur.Kind != Kind {
			return fmt.Errorf("problem %s: %w", p.ID, lifecycle.ErrNotFound)
		}
		i := slices.IndexFunc(cur.Incidents, func(r itil.Ref) bool { return r.ID == p.Incident })
		if i < 0 {
			return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("incident %s is not linked to %s", p.Incident, cur.Number)}
		}
		iref := cur.Incidents[i]
		pr, err := m.proc.FireIn(ctx, tx, p.ID, lifecycle.Action[*Problem]{Name: eventUnlinkIncident,
			Version: p.Version, Actor: p.By, Note: cmp.Or(p.Note, iref.String()), Fields: p.Fields,
			Apply: func(pr *Problem, ed *lifecycle.Edit) error {
				i := slices.IndexFunc(pr.Incidents, func(r itil.Ref) bool { return r.ID == p.Incident })
				if i < 0 {
					return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("%s is not linked to %s", iref.Number, pr.Number)}
				}
				pr.Incidents = slices.Delete(slices.Clone(pr.Incidents), i, i+1)
				ed.Field("incidents", iref.String(), "")
				return nil
			}})
		if err != nil {
			return err
		}
		out = pr
		inc, err := incidentIn(ctx, tx, p.Incident)
		switch {
		case errors.Is(err, lifecycle.ErrNotFound):
			return nil // the incident is gone: only the problem's side was left
		case err != nil:
			return fmt.Errorf("incident %s: %w", iref.Number, err)
		case !holds(inc, pr.ID):
			return nil // pinned by the Tx: only the problem's side was left
		}
		if _, err := m.desk.LinkIn(ctx, tx, incident.LinkParams{ID: p.Incident, By: p.By, Note: p.Note, Ref: ref(pr), Remove: true}); err != nil {
			return fmt.Errorf("incident %s: %w", iref.Number, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinkChange records a link from the problem to the change p.Change, such
// as the one that delivers its fix, or removes it with p.Remove set.
// Linking twice, or removing a link that is not there, is a
// *itil.ValidationError naming "change".
func (m *Manager) LinkChange(ctx context.Context, p LinkChangeParams) (*Problem, error) {
	change := p.Change
	if err := validChange("change", change); err != nil {
		return nil, err
	}
	name := eventLinkChange
	if p.Remove {
		name = eventUnlinkChange
	}
	return m.run(ctx, p.params(), lifecycle.Action[*Problem]{Name: name, Note: cmp.Or(p.Note, change.String()),
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			i := slices.IndexFunc(pr.Changes, func(r itil.Ref) bool { return r.ID == change.ID })
			switch {
			case !p.Remove && i >= 0:
				return &itil.ValidationError{Field: "change", Reason: fmt.Sprintf("%s is already linked", change)}
			case p.Remove && i < 0:
				return &itil.ValidationError{Field: "change", Reason: fmt.Sprintf("%s is not linked", change)}
			case p.Remove:
				pr.Changes = slices.Delete(slices.Clone(pr.Changes), i, i+1)
				ed.Field("changes", change.String(), "")
			default:
				addChange(pr, ed, change)
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
