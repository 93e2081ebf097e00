package incident

import (
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The states of the default lifecycle.
const (
	StateNew        = "new"
	StateAssigned   = "assigned"
	StateInProgress = "in_progress"
	StateOnHold     = "on_hold"
	StateResolved   = "resolved"
	StateClosed     = "closed"
	StateCancelled  = "cancelled"
)

// The events of the default lifecycle. A host that extends the lifecycle
// keeps these names for these meanings; the desk finds other ways between
// categories through the definition itself.
const (
	EventAssign  = "assign"
	EventStart   = "start"
	EventHold    = "hold"
	EventResume  = "resume"
	EventResolve = "resolve"
	EventReopen  = "reopen"
	EventClose   = "close"
	EventCancel  = "cancel"
)

// DefaultLifecycle returns the default incident lifecycle:
//
//	new → assigned → in_progress ⇄ on_hold → resolved → closed
//	resolved → in_progress (reopen)
//	new, assigned → cancelled
//	new, assigned, in_progress, on_hold → resolved (first-contact fix from new or assigned)
//
// The states require fields of the incident on entry, by these names (the
// names a host's lifecycle may require too, beside its custom fields as
// "fields.NAME"):
//
//	new          title
//	assigned     group
//	in_progress  group
//	on_hold      hold_reason
//	resolved     resolution.code, resolution.notes
//
// The other fields a state may require are description, category,
// subcategory, assignee and cis. Hosts extend the lifecycle with
// Definition.Extend or a JSON document read by ParseLifecycle (an
// "awaiting_vendor" state, say) and pass the result in Config.Lifecycle.
func DefaultLifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, []lifecycle.State{
		{Name: StateNew, Category: lifecycle.Open, Initial: true, Requires: []string{"title"}},
		{Name: StateAssigned, Category: lifecycle.Open, Requires: []string{"group"}},
		{Name: StateInProgress, Category: lifecycle.Open, Requires: []string{"group"}},
		{Name: StateOnHold, Category: lifecycle.Paused, Requires: []string{"hold_reason"}},
		{Name: StateResolved, Category: lifecycle.Resolved, Requires: []string{"resolution.code", "resolution.notes"}},
		{Name: StateClosed, Category: lifecycle.Closed},
		{Name: StateCancelled, Category: lifecycle.Cancelled},
	}, []lifecycle.Event{
		{Name: EventAssign, From: []string{StateNew}, To: StateAssigned},
		{Name: EventStart, From: []string{StateNew, StateAssigned}, To: StateInProgress},
		{Name: EventHold, From: []string{StateInProgress}, To: StateOnHold},
		{Name: EventResume, From: []string{StateOnHold}, To: StateInProgress},
		{Name: EventResolve, From: []string{StateNew, StateAssigned, StateInProgress, StateOnHold}, To: StateResolved},
		{Name: EventReopen, From: []string{StateResolved}, To: StateInProgress},
		{Name: EventClose, From: []string{StateResolved}, To: StateClosed},
		{Name: EventCancel, From: []string{StateNew, StateAssigned}, To: StateCancelled},
	})
	if err != nil { // the definition above is fixed and valid; tests build it
		panic(err)
	}
	return d
}

// ParseLifecycle reads an incident lifecycle from JSON, as
// lifecycle.ParseDefinition does, with DefaultLifecycle as the base a
// document may extend by name, so that a host writes only what it adds:
//
//	{"extends": "incident",
//	 "states": [{"name": "awaiting_vendor", "category": "paused"}],
//	 "events": [{"name": "wait_vendor", "from": ["in_progress"], "to": "awaiting_vendor"},
//	            {"name": "vendor_replied", "from": ["awaiting_vendor"], "to": "in_progress"}],
//	 "fields": [{"name": "vendor_ticket", "required_in": ["awaiting_vendor"]}]}
//
// A document without "extends" is a whole lifecycle, which must be named
// "incident" to run on a Desk. Every error is a *itil.ValidationError
// naming the part of the document that is wrong.
func ParseLifecycle(data []byte) (*lifecycle.Definition, error) {
	return lifecycle.ParseDefinition(data, lifecycle.WithBase(DefaultLifecycle()))
}

// checkLifecycle makes sure that def has the events the desk's commands
// fire, so that a lifecycle that lacks one is refused by NewDesk rather
// than a command doing nothing: assign and cancel from the initial state,
// start into an open state and hold into a paused one, a way back to work
// from every paused state, a way to a resolved state from an open one, and
// from every resolved state a way back to work and a way to a closed state.
func checkLifecycle(def *lifecycle.Definition) error {
	refuse := func(format string, args ...any) error {
		return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf(format, args...)}
	}
	initial := def.Initial().Name
	leads := func(event, from string, cat lifecycle.Category) bool {
		to, ok := def.Target(event, from)
		return ok && def.Category(to) == cat
	}
	if !leads(EventAssign, initial, lifecycle.Open) {
		return refuse("no event %q leads from the initial state %q to an open state (Assign fires it)", EventAssign, initial)
	}
	if len(def.EventsTo(initial, lifecycle.Cancelled)) == 0 {
		return refuse("no event leads from the initial state %q to a cancelled state (Cancel fires it)", initial)
	}
	var start, hold, resolve bool
	for _, s := range def.States() {
		switch s.Category {
		case lifecycle.Open:
			start = start || leads(EventStart, s.Name, lifecycle.Open)
			hold = hold || leads(EventHold, s.Name, lifecycle.Paused)
			resolve = resolve || len(def.EventsTo(s.Name, lifecycle.Resolved)) > 0
		case lifecycle.Paused:
			if len(def.EventsTo(s.Name, lifecycle.Open)) == 0 {
				return refuse("no event leads from the paused state %q back to an open state (Resume fires it)", s.Name)
			}
		case lifecycle.Resolved:
			if len(def.EventsTo(s.Name, lifecycle.Open)) == 0 {
				return refuse("no event leads from the resolved state %q back to an open state (Reopen fires it)", s.Name)
			}
			if len(def.EventsTo(s.Name, lifecycle.Closed)) == 0 {
				return refuse("no event leads from the resolved state %q to a closed state (Close fires it)", s.Name)
			}
		}
	}
	switch {
	case !start:
		return refuse("no event %q leads from an open state to an open state (Start fires it)", EventStart)
	case !hold:
		return refuse("no event %q leads from an open state to a paused state (Hold fires it)", EventHold)
	case !resolve:
		return refuse("no event leads from an open state to a resolved state (Resolve fires it)")
	}
	return nil
}
