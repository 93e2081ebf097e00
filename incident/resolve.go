package incident

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Resolve resolves an incident: p.Code, one of the desk's resolution
// codes, and p.Note, which says what was done and becomes the resolution's
// notes, are required. An incident resolved straight from the initial or an
// assigned state, never reassigned nor escalated, within
// Config.FirstContactWindow of its opening, counts as resolved at first
// contact. An incident resolved before anyone was assigned becomes the
// resolver's: their first group and them. Resolving a parent then resolves
// its open children with the parent's resolution, at once as far as it
// can (whatever becomes of ctx once the parent is saved), and durably
// through the desk's Reactions, which retry what failed here from the log.
func (d *Desk) Resolve(ctx context.Context, p ResolveParams) (*Incident, error) {
	res := Resolution{Code: p.Code, Notes: p.Note, By: p.By.ID}
	if err := checkResolution(res); err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	inc, err := d.resolve(ctx, p.ID, a, res, true)
	if err != nil {
		return nil, err
	}
	// The fast path: the children are resolved in this request, and the
	// ReactionCascade subscription finds them done. What fails here is
	// left to the reaction (and to Sweep for a lasting refusal).
	d.resolveChildren(context.WithoutCancel(ctx), inc, false)
	return inc, nil
}

// resolve resolves one incident, a's; contact says whether this resolution
// is someone's own work on it (which may count as first contact), not a
// parent's resolution passed down.
func (d *Desk) resolve(ctx context.Context, id uuid.UUID, a lifecycle.Action[*Incident], res Resolution, contact bool) (*Incident, error) {
	by := a.Actor
	a.EventFor = d.resolveEvent
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "resolution.code", &inc.Resolution.Code, res.Code)
		lifecycle.Set(ed, "resolution.notes", &inc.Resolution.Notes, res.Notes)
		lifecycle.Set(ed, "resolution.by", &inc.Resolution.By, res.By)
		first := contact && (inc.State == d.initial.Name || inc.State == StateAssigned) &&
			inc.Reassignments == 0 && inc.Escalations == 0 && inc.EscalationLevel == 0 && inc.Reopens == 0 &&
			d.now().Sub(inc.CreatedAt) <= d.cfg.FirstContactWindow
		lifecycle.Set(ed, "first_contact", &inc.FirstContact, first)
		if contact && inc.Group == "" && len(by.Groups) > 0 {
			// Resolved before anyone was assigned: the resolver's
			// group owns it, so that a reopen has a group to go to.
			lifecycle.Set(ed, "group", &inc.Group, by.Groups[0])
			lifecycle.Set(ed, "assignee", &inc.Assignee, by.ID)
		}
		return nil
	}
	return d.proc.Fire(ctx, id, a)
}

// resolveEvent picks the event that leads from the incident's state to a
// resolved state.
func (d *Desk) resolveEvent(inc *Incident) string {
	if ev, ok := d.def.EventToward(inc.State, lifecycle.Resolved, EventResolve); ok {
		return ev
	}
	return EventResolve
}

// resolveChildren resolves the open children of a resolved parent with its
// resolution. Failures are logged; Sweep tries again, with retry set: then
// a child resolved since the parent was (with it, or on its own) and open
// again has been reopened on purpose, and is left alone.
func (d *Desk) resolveChildren(ctx context.Context, parent *Incident, retry bool) int {
	var ids []uuid.UUID
	for child, err := range d.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{
		lifecycle.Eq("parent", parent.ID.String()),
		lifecycle.Active(),
	}}) {
		if err != nil {
			d.cfg.Logger.WarnContext(ctx, "finding children of a resolved incident", slog.String("incident", parent.Number), slog.Any("error", err))
			return 0
		}
		if retry && !child.ResolvedAt.Before(parent.ResolvedAt) {
			continue
		}
		ids = append(ids, child.ID)
	}
	n := 0
	by := itil.System("incident-desk")
	for _, cid := range ids {
		_, err := d.resolve(ctx, cid, lifecycle.Action[*Incident]{Actor: by, Note: "resolved with parent " + parent.Number}, parent.Resolution, false)
		if err != nil {
			d.cfg.Logger.WarnContext(ctx, "resolving a child with its parent", slog.String("incident", parent.Number),
				slog.String("child", cid.String()), slog.Any("error", err))
			continue
		}
		n++
	}
	return n
}

// Reopen takes a resolved incident back into work, within the reopen
// window; after it the error is a *WindowError. p.Note, the reason, is
// required. Its resolution is cleared and the SLA resolution clock runs on
// from the time it had accrued. An incident that was resolved with no
// assignment group goes to the first group of the actor who reopens it;
// when there is none either, the error is a *itil.ValidationError naming
// "group". (Resolve gives an unassigned incident the resolver's group, so
// this is rare.)
func (d *Desk) Reopen(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "say why the incident is reopened")
	if err != nil {
		return nil, err
	}
	by := p.By
	a.Public = true
	a.EventFor = func(inc *Incident) string {
		if inc.StateCategory != lifecycle.Resolved {
			return EventReopen
		}
		ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventReopen)
		return ev
	}
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if inc.Group == "" {
			// Resolved by someone in no group before anyone was
			// assigned: the reopener's group takes it back into work.
			if len(by.Groups) == 0 {
				return &itil.ValidationError{Field: "group", Reason: "the incident has no assignment group and " + by.ID + " belongs to none; assign it a group"}
			}
			lifecycle.Set(ed, "group", &inc.Group, by.Groups[0])
		}
		lifecycle.Set(ed, "reopens", &inc.Reopens, inc.Reopens+1)
		lifecycle.Set(ed, "resolution.code", &inc.Resolution.Code, "")
		lifecycle.Set(ed, "resolution.notes", &inc.Resolution.Notes, "")
		lifecycle.Set(ed, "resolution.by", &inc.Resolution.By, "")
		lifecycle.Set(ed, "first_contact", &inc.FirstContact, false)
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Close closes a resolved incident.
func (d *Desk) Close(ctx context.Context, p Params) (*Incident, error) {
	return d.toCategory(ctx, p, "", lifecycle.Closed, EventClose)
}

// Cancel cancels an incident that was logged in error; p.Note, the
// reason, is required.
func (d *Desk) Cancel(ctx context.Context, p Params) (*Incident, error) {
	return d.toCategory(ctx, p, "say why the incident is cancelled", lifecycle.Cancelled, EventCancel)
}

// toCategory fires whichever event leads from the incident's state to a
// state of category cat, preferring the named one; need is as for action.
func (d *Desk) toCategory(ctx context.Context, p Params, need string, cat lifecycle.Category, preferred string) (*Incident, error) {
	a, err := common(p, need)
	if err != nil {
		return nil, err
	}
	a.EventFor = func(inc *Incident) string {
		if ev, ok := d.def.EventToward(inc.State, cat, preferred); ok {
			return ev
		}
		return preferred
	}
	return d.proc.Fire(ctx, p.ID, a)
}
