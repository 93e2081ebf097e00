package change

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Edit sets custom fields of a change (an empty value unsets one) and
// journals the note, in any state and without moving it; an edit that
// changes nothing and has no note writes nothing.
//
// Errors: *itil.ValidationError on "id", "by", "note" or "fields.NAME" (a
// field the lifecycle does not declare, or a value its kind refuses; a
// field the state requires may not be unset); lifecycle.ErrNotFound,
// lifecycle.ErrConflict for a stale Version.
func (m *Manager) Edit(ctx context.Context, p Params) (*Change, error) {
	if err := checkParams(p); err != nil {
		return nil, err
	}
	return m.fire(ctx, p.ID, func(*lifecycle.Definition) lifecycle.Action[*Change] { return action(p) })
}

// Fire fires an event of the change's lifecycle by name: the events a host
// added to a type's lifecycle (see ParseLifecycle), such as "hold" and
// "resume" around an "on_hold" state. The events the Manager fires through
// its own commands (assess, request_approval, decide, reject, revert,
// schedule, implement, complete, close, cancel) are refused as a
// *itil.ValidationError on "event": they come with the approval round, the
// window and the outcome that only those commands keep in step. An event
// that puts a change with a window back on the calendar takes the
// calendar locks of its CIs and implementer, as Update does.
//
// Errors besides: *lifecycle.TransitionError when the event may not fire
// in the change's state; *itil.ValidationError on "id", "by", "note",
// "event" or "fields.NAME"; lifecycle.ErrNotFound, lifecycle.ErrConflict
// for a stale Version.
func (m *Manager) Fire(ctx context.Context, p lifecycle.FireParams) (*Change, error) {
	params := Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
	if err := checkParams(params); err != nil {
		return nil, err
	}
	if err := checkName("event", p.Event); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(p.Event) == "":
		return nil, &itil.ValidationError{Field: "event", Reason: "required"}
	case slices.Contains(ownEvents, p.Event):
		return nil, &itil.ValidationError{Field: "event", Reason: fmt.Sprintf("%q is fired by the Manager's own commands", p.Event)}
	}
	return m.fireAtomic(ctx, p.ID, func(def *lifecycle.Definition, tx *lifecycle.Tx) lifecycle.Action[*Change] {
		act := action(params)
		act.Event = p.Event
		act.Apply = func(c *Change, _ *lifecycle.Edit) error {
			// The kernel has checked the transition before Apply runs.
			to, _ := def.Target(p.Event, c.State)
			if !c.Planned.IsZero() && def.Category(to).Active() && !placementOf(c).on {
				return m.lockOwn(ctx, tx, c)
			}
			return nil
		}
		return act
	})
}

// ownEvents are the events the Manager's commands fire, which Fire
// refuses.
var ownEvents = []string{
	EventAssess, EventRequestApproval, EventDecide, EventReject, EventRevert,
	EventSchedule, EventImplement, EventComplete, EventClose, EventCancel,
}
