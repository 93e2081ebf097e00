package incident

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Assign gives the incident to group and, optionally, one of its members.
// A new incident moves to assigned; an incident already being worked keeps
// its state, and a change of group counts as a reassignment.
func (d *Desk) Assign(ctx context.Context, id uuid.UUID, group, assignee string, by itil.Actor) (*Incident, error) {
	if err := requireText("group", group, "required", MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("assignee", assignee, MaxName); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if _, ok := d.def.Target(EventAssign, inc.State); ok {
				return EventAssign
			}
			return ""
		},
		Name:  "reassign",
		Actor: by,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if !inc.Open() {
				return d.def.TransitionError(EventAssign, inc.State)
			}
			if inc.Group != "" && inc.Group != group {
				lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
			}
			lifecycle.Set(ed, "group", &inc.Group, group)
			lifecycle.Set(ed, "assignee", &inc.Assignee, assignee)
			return nil
		},
	})
}

// Start takes the incident in progress, optionally naming who works it.
func (d *Desk) Start(ctx context.Context, id uuid.UUID, by itil.Actor) (*Incident, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Event: EventStart, Actor: by,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if inc.Assignee == "" {
				lifecycle.Set(ed, "assignee", &inc.Assignee, by.ID)
			}
			return nil
		}})
}

// Hold puts the incident on hold waiting for reason; its resolution clock
// pauses.
func (d *Desk) Hold(ctx context.Context, id uuid.UUID, reason HoldReason, note string, by itil.Actor) (*Incident, error) {
	if !slices.Contains(holdReasons, reason) {
		return nil, &itil.ValidationError{Field: "hold_reason", Reason: fmt.Sprintf("unknown hold reason %q (want awaiting_caller, awaiting_vendor or awaiting_change)", reason)}
	}
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Event: EventHold, Actor: by, Note: note,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "hold_reason", &inc.HoldReason, reason)
			return nil
		}})
}

// Resume takes a paused incident back into work, whatever paused state it
// is in.
func (d *Desk) Resume(ctx context.Context, id uuid.UUID, note string, by itil.Actor) (*Incident, error) {
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if inc.StateCategory != lifecycle.Paused {
				return EventResume // not allowed: reported as a transition error
			}
			ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventResume)
			return ev
		},
		Actor: by, Note: note,
	})
}

// Comment adds a comment the caller sees. When the caller comments on an
// incident on hold awaiting the caller, it returns to work.
func (d *Desk) Comment(ctx context.Context, id uuid.UUID, text string, by itil.Actor) (*Incident, error) {
	if err := requireText("text", text, "required", MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{
		EventFor: func(inc *Incident) string {
			if by.ID == inc.Caller.ID && inc.StateCategory == lifecycle.Paused && inc.HoldReason == AwaitingCaller {
				ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventResume)
				return ev
			}
			return ""
		},
		Name: "comment", Actor: by, Note: text, Public: true,
	})
}

// WorkNote adds a note for the people working the incident.
func (d *Desk) WorkNote(ctx context.Context, id uuid.UUID, text string, by itil.Actor) (*Incident, error) {
	if err := requireText("text", text, "required", MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Name: "work_note", Actor: by, Note: text})
}

// Fire fires a lifecycle event by name, with the desk's guards, hooks and
// SLA clocks and its Authorizer: the way to the events a host added to the
// lifecycle, such as "wait_vendor" into an "awaiting_vendor" state. The
// desk's own methods remain the way to the events they name.
func (d *Desk) Fire(ctx context.Context, id uuid.UUID, event, note string, by itil.Actor) (*Incident, error) {
	if err := requireText("event", event, "required", MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Event: event, Actor: by, Note: note})
}
