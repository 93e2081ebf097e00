package incident

import (
	"context"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// Assign gives the incident to p.Group and, optionally, one of its members,
// p.Assignee. A new incident moves to assigned; an incident already being
// worked keeps its state, and a change of group counts as a reassignment.
func (d *Desk) Assign(ctx context.Context, p AssignParams) (*Incident, error) {
	if err := requireText("group", p.Group, "required", MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("assignee", p.Assignee, MaxName); err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	group, assignee := p.Group, p.Assignee
	a.EventFor = d.assignEventFn
	a.Name = "reassign"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError(EventAssign, inc.State)
		}
		if inc.Group != "" && inc.Group != group {
			lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
		}
		lifecycle.Set(ed, "group", &inc.Group, group)
		lifecycle.Set(ed, "assignee", &inc.Assignee, assignee)
		return nil
	}
	var rule assign.Rule
	if d.cfg.Assignment != nil && assignee == "" {
		rule, _ = d.cfg.Assignment.ForGroup(group)
	}
	if rule.Strategy == assign.GroupOnly {
		return d.proc.Fire(ctx, p.ID, a)
	}
	// The group's rule chooses the person, in the commit of the assignment
	// (a round-robin turn is taken there).
	var out *Incident
	err = lifecycle.Atomic(ctx, d.proc.Store(), d.cfg.Retries, func(tx *lifecycle.Tx) error {
		who, err := d.cfg.Assignment.Choose(ctx, tx, rule, d.load)
		if err != nil {
			return err
		}
		assignee = who
		b := a
		b.Note = joinNote(p.Note, assign.Decision{Rule: rule.Name, Group: group, Assignee: who}.Note())
		out, err = d.proc.FireIn(ctx, tx, p.ID, b)
		return err
	})
	return out, err
}

// assignEvent fires the assign event where the incident's state allows it,
// and otherwise makes Assign an edit.
func (d *Desk) assignEvent(inc *Incident) string {
	if _, ok := d.def.Target(EventAssign, inc.State); ok {
		return EventAssign
	}
	return ""
}

// Start takes the incident in progress; an incident with no assignee
// becomes the actor's.
func (d *Desk) Start(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "")
	if err != nil {
		return nil, err
	}
	by := p.By.ID
	a.Event = EventStart
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if inc.Assignee == "" {
			lifecycle.Set(ed, "assignee", &inc.Assignee, by)
		}
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Hold puts the incident on hold waiting for p.Reason; its resolution
// clock pauses.
func (d *Desk) Hold(ctx context.Context, p HoldParams) (*Incident, error) {
	if !slices.Contains(holdReasons, p.Reason) {
		return nil, &itil.ValidationError{Field: "hold_reason", Reason: fmt.Sprintf("unknown hold reason %q (want awaiting_caller, awaiting_vendor or awaiting_change)", p.Reason)}
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	reason := p.Reason
	a.Event = EventHold
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "hold_reason", &inc.HoldReason, reason)
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Resume takes a paused incident back into work, whatever paused state it
// is in.
func (d *Desk) Resume(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "")
	if err != nil {
		return nil, err
	}
	a.EventFor = func(inc *Incident) string {
		if inc.StateCategory != lifecycle.Paused {
			return EventResume // not allowed: reported as a transition error
		}
		ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventResume)
		return ev
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Comment adds p.Note as a comment the caller sees. When the caller
// comments on an incident on hold awaiting the caller, it returns to work.
func (d *Desk) Comment(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "the comment's text is required")
	if err != nil {
		return nil, err
	}
	caller := p.By.ID
	a.EventFor = func(inc *Incident) string {
		if caller == inc.Caller.ID && inc.StateCategory == lifecycle.Paused && inc.HoldReason == AwaitingCaller {
			ev, _ := d.def.EventToward(inc.State, lifecycle.Open, EventResume)
			return ev
		}
		return ""
	}
	a.Name, a.Public = "comment", true
	return d.proc.Fire(ctx, p.ID, a)
}

// WorkNote adds p.Note as a note for the people working the incident.
func (d *Desk) WorkNote(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "the note's text is required")
	if err != nil {
		return nil, err
	}
	a.Name = "work_note"
	return d.proc.Fire(ctx, p.ID, a)
}

// Edit sets p.Fields, the incident's custom fields, and journals p.Note
// with them, without a lifecycle event (journal event "update"). An edit
// that changes no field and has no note writes nothing.
func (d *Desk) Edit(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "")
	if err != nil {
		return nil, err
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Fire fires the lifecycle event p.Event by name, with the desk's guards,
// hooks and SLA clocks and its Authorizer: the way to the events a host
// added to the lifecycle, such as "wait_vendor" into an "awaiting_vendor"
// state, with the custom fields that state requires in p.Fields. The
// desk's own methods remain the way to the events they name.
func (d *Desk) Fire(ctx context.Context, p lifecycle.FireParams) (*Incident, error) {
	if err := requireText("event", p.Event, "required", MaxName); err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	a.Event = p.Event
	return d.proc.Fire(ctx, p.ID, a)
}
