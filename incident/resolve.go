package incident

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Resolve resolves an incident: a resolution code from the desk's set and
// notes are required. An incident resolved straight from the initial or an
// assigned state, never reassigned nor escalated, within
// Config.FirstContactWindow of its opening, counts as resolved at first
// contact. An incident resolved before anyone was assigned becomes the
// resolver's: their first group and them. Resolving a parent then resolves
// its open children with the parent's resolution, at once as far as it
// can (whatever becomes of ctx once the parent is saved), and durably
// through the desk's Reactions, which retry what failed here from the log.
func (d *Desk) Resolve(ctx context.Context, id uuid.UUID, res Resolution, by itil.Actor) (*Incident, error) {
	if err := checkResolution(res); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	res.By = by.ID
	inc, err := d.resolve(ctx, id, res, by, "", true)
	if err != nil {
		return nil, err
	}
	// The fast path: the children are resolved in this request, and the
	// ReactionCascade subscription finds them done. What fails here is
	// left to the reaction (and to Sweep for a lasting refusal).
	d.resolveChildren(context.WithoutCancel(ctx), inc, false)
	return inc, nil
}

// resolve resolves one incident; contact says whether this resolution is
// someone's own work on it (which may count as first contact), not a
// parent's resolution passed down.
func (d *Desk) resolve(ctx context.Context, id uuid.UUID, res Resolution, by itil.Actor, note string, contact bool) (*Incident, error) {
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if ev, ok := d.def.EventToward(inc.State, lifecycle.Resolved, EventResolve); ok {
				return ev
			}
			return EventResolve
		},
		Actor: by, Note: note,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "resolution.code", &inc.Resolution.Code, res.Code)
			lifecycle.Set(ed, "resolution.notes", &inc.Resolution.Notes, res.Notes)
			lifecycle.Set(ed, "resolution.by", &inc.Resolution.By, res.By)
			first := contact && (inc.State == d.def.Initial().Name || inc.State == StateAssigned) &&
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
		},
	})
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
		_, err := d.resolve(ctx, cid, parent.Resolution, by, "resolved with parent "+parent.Number, false)
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
// window; after it the error is a *WindowError. Its resolution is cleared
// and the SLA resolution clock runs on from the time it had accrued. An
// incident that was resolved with no assignment group goes to the first
// group of the actor who reopens it; when there is none either, the error
// is a *itil.ValidationError naming "group". (Resolve gives an unassigned
// incident the resolver's group, so this is rare.)
func (d *Desk) Reopen(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	if err := requireText("reason", reason, "say why the incident is reopened", MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if inc.StateCategory != lifecycle.Resolved {
				return EventReopen
			}
			ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventReopen)
			return ev
		},
		Actor: by, Note: reason, Public: true,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
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
		},
	})
}

// Close closes a resolved incident.
func (d *Desk) Close(ctx context.Context, id uuid.UUID, by itil.Actor) (*Incident, error) {
	return d.toCategory(ctx, id, lifecycle.Closed, EventClose, "", by)
}

// Cancel cancels an incident that was logged in error; reason is required.
func (d *Desk) Cancel(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	if err := requireText("reason", reason, "say why the incident is cancelled", MaxText); err != nil {
		return nil, err
	}
	return d.toCategory(ctx, id, lifecycle.Cancelled, EventCancel, reason, by)
}

// toCategory fires whichever event leads from the incident's state to a
// state of category cat, preferring the named one.
func (d *Desk) toCategory(ctx context.Context, id uuid.UUID, cat lifecycle.Category, preferred, note string, by itil.Actor) (*Incident, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if ev, ok := d.def.EventToward(inc.State, cat, preferred); ok {
				return ev
			}
			return preferred
		},
		Actor: by, Note: note,
	})
}
