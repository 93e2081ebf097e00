package incident

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ReactionCascade is the name of the subscription through which a desk
// resolves the open children of a resolved parent (see Reactions). It is
// the subscription's cursor in the store's outbox: it stays the same from
// release to release.
const ReactionCascade = "incident.cascade"

// Reactions returns the subscriptions that carry out the work a change to
// an incident sets in motion on other incidents, for the host to run on a
// lifecycle.Dispatcher over the desk's store (Run in a server, Drain in a
// command-line tool or a test):
//
//   - ReactionCascade: an incident that enters a resolved state resolves
//     its open children with its resolution.
//
// The work runs from the log, after the parent's commit, whatever becomes
// of the request that resolved it: a store that fails is retried until it
// takes the work, and a host that restarts resumes where the cursor stands.
// Each child is resolved once however often the change is delivered: a
// child resolved, closed or cancelled since the parent's change (by
// Resolve's own cascade, by an earlier delivery, or by hand, and perhaps
// reopened on purpose since) is left alone, as is every child of a parent
// reopened since. What the desk refuses for good (a validation error, a
// transition the child's state does not allow, the Authorizer, a child gone)
// is logged and skipped; Sweep tries such a child again.
func (d *Desk) Reactions() []lifecycle.Subscription {
	return []lifecycle.Subscription{{Name: ReactionCascade, Notifier: lifecycle.NotifierFunc(d.cascade)}}
}

// cascade is the notifier of ReactionCascade.
func (d *Desk) cascade(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind || !d.resolves(ch) {
		return nil
	}
	parent, err := d.proc.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c := parent.StateCategory; c != lifecycle.Resolved && c != lifecycle.Closed {
		return nil // reopened (or cancelled) since: its resolution was withdrawn
	}
	var children []*Incident
	for child, err := range d.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{
		lifecycle.Eq("parent", parent.ID.String()),
		lifecycle.Active(),
	}}) {
		if err != nil {
			return fmt.Errorf("finding the children of %s: %w", parent.Number, err)
		}
		children = append(children, child)
	}
	by := itil.System("incident-desk")
	for _, child := range children {
		done, err := d.settledSince(ctx, child.ID, ch.Seq)
		if err != nil {
			return err
		}
		if done {
			continue
		}
		_, err = d.resolve(ctx, child.ID, lifecycle.Action[*Incident]{Actor: by, Note: "resolved with parent " + parent.Number}, parent.Resolution, false)
		if err == nil {
			continue
		}
		if !refused(err) {
			return fmt.Errorf("resolving %s with its parent %s: %w", child.Number, parent.Number, err)
		}
		d.cfg.Logger.WarnContext(ctx, "resolving a child with its parent", slog.String("incident", parent.Number),
			slog.String("child", child.Number), slog.Any("error", err))
	}
	return nil
}

// resolves reports whether ch takes an incident into a resolved state from
// a state of another category.
func (d *Desk) resolves(ch lifecycle.Change) bool {
	return ch.From != ch.To && d.def.Category(ch.To) == lifecycle.Resolved && d.def.Category(ch.From) != lifecycle.Resolved
}

// settledSince reports whether the incident entered a resolved, closed or
// cancelled state after the change at seq.
func (d *Desk) settledSince(ctx context.Context, id uuid.UUID, seq int64) (bool, error) {
	for c, err := range d.proc.Journal(ctx, id) {
		if err != nil {
			return false, fmt.Errorf("reading the journal of %s: %w", id, err)
		}
		if cat := d.def.Category(c.To); c.Seq > seq && c.From != c.To && cat.Valid() && !cat.Active() {
			return true, nil
		}
	}
	return false, nil
}

// refused reports whether the desk refused for good: a retry would be
// refused again.
func refused(err error) bool {
	return errors.Is(err, itil.ErrInvalid) || errors.Is(err, lifecycle.ErrTransition) ||
		errors.Is(err, lifecycle.ErrForbidden) || errors.Is(err, lifecycle.ErrNotFound)
}
