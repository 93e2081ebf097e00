package change

import (
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The states of the default lifecycles. Not every type has every state:
// standard changes have no assess or authorize, emergency changes no assess.
const (
	StateNew       = "new"
	StateAssess    = "assess"
	StateAuthorize = "authorize"
	StateScheduled = "scheduled"
	StateImplement = "implement"
	StateReview    = "review"
	StateClosed    = "closed"
	StateCancelled = "cancelled"
)

// The events of the default lifecycles. The Manager fires them by name; a
// host's own definition keeps these names for these meanings (NewManager
// checks that each type's definition has the events the type needs).
const (
	// EventAssess moves a new normal change to assessment with its risk.
	EventAssess = "assess"
	// EventRequestApproval starts an approval round.
	EventRequestApproval = "request_approval"
	// EventDecide records an approver's decision that does not reject the
	// round.
	EventDecide = "decide"
	// EventReject records the decision that rejects the round; the change
	// goes back to new for rework.
	EventReject = "reject"
	// EventRevert takes a change back to new and cancels a pending round.
	EventRevert = "revert"
	// EventSchedule sets (or moves) the implementation window.
	EventSchedule = "schedule"
	// EventImplement starts the implementation.
	EventImplement = "implement"
	// EventComplete ends the implementation with its outcome.
	EventComplete = "complete"
	// EventClose closes a completed change.
	EventClose = "close"
	// EventCancel abandons a change before implementation.
	EventCancel = "cancel"
)

// requiredEvents are the events the Manager fires for each type, which a
// custom definition must keep.
var requiredEvents = map[Type][]string{
	Normal:    {EventAssess, EventRequestApproval, EventDecide, EventReject, EventRevert, EventSchedule, EventImplement, EventComplete, EventClose, EventCancel},
	Standard:  {EventSchedule, EventImplement, EventComplete, EventClose, EventCancel},
	Emergency: {EventRequestApproval, EventDecide, EventReject, EventRevert, EventSchedule, EventImplement, EventComplete, EventClose, EventCancel},
}

// the tail every type shares: from scheduled to closed.
var (
	scheduledStates = []lifecycle.State{
		{Name: StateScheduled, Category: lifecycle.Open, Requires: []string{"planned", "implementer", "cis"}},
		{Name: StateImplement, Category: lifecycle.Open},
		{Name: StateReview, Category: lifecycle.Resolved, Requires: []string{"outcome"}},
		{Name: StateClosed, Category: lifecycle.Closed},
		{Name: StateCancelled, Category: lifecycle.Cancelled},
	}
	scheduledEvents = []lifecycle.Event{
		{Name: EventImplement, From: []string{StateScheduled}, To: StateImplement},
		{Name: EventComplete, From: []string{StateImplement}, To: StateReview},
		{Name: EventClose, From: []string{StateReview}, To: StateClosed},
	}
	authorizeEvents = []lifecycle.Event{
		{Name: EventDecide, From: []string{StateAuthorize}, To: StateAuthorize},
		{Name: EventReject, From: []string{StateAuthorize}, To: StateNew},
		{Name: EventSchedule, From: []string{StateAuthorize, StateScheduled}, To: StateScheduled},
	}
)

func mustDefinition(states []lifecycle.State, events []lifecycle.Event) *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, states, events)
	if err != nil {
		panic(fmt.Sprintf("change: default lifecycle: %v", err)) // a bug in this file, caught by the tests
	}
	return d
}

// NormalLifecycle returns the lifecycle of normal changes:
//
//	new → assess → authorize → scheduled → implement → review → closed
//	authorize → authorize (decide), authorize → new (reject)
//	assess, authorize → new (revert: a pending round is cancelled)
//	scheduled → scheduled (schedule again: move the window)
//	new, assess, authorize, scheduled → cancelled
//
// Assess requires a risk; authorize the risk and the implementation and
// backout plans; scheduled a window, an implementer and CIs; review an
// outcome.
func NormalLifecycle() *lifecycle.Definition {
	states := append([]lifecycle.State{
		{Name: StateNew, Category: lifecycle.Open, Initial: true, Requires: []string{"title", "requester"}},
		{Name: StateAssess, Category: lifecycle.Open, Requires: []string{"risk"}},
		{Name: StateAuthorize, Category: lifecycle.Open, Requires: []string{"risk", "implementation_plan", "backout_plan"}},
	}, scheduledStates...)
	events := append([]lifecycle.Event{
		{Name: EventAssess, From: []string{StateNew}, To: StateAssess},
		{Name: EventRequestApproval, From: []string{StateAssess}, To: StateAuthorize},
		{Name: EventRevert, From: []string{StateAssess, StateAuthorize}, To: StateNew},
	}, authorizeEvents...)
	events = append(events, scheduledEvents...)
	events = append(events, lifecycle.Event{Name: EventCancel, From: []string{StateNew, StateAssess, StateAuthorize, StateScheduled}, To: StateCancelled})
	return mustDefinition(states, events)
}

// StandardLifecycle returns the lifecycle of standard changes, which a
// template pre-approves:
//
//	new → scheduled → implement → review → closed
//	scheduled → scheduled (schedule again)
//	new, scheduled → cancelled
func StandardLifecycle() *lifecycle.Definition {
	states := append([]lifecycle.State{
		{Name: StateNew, Category: lifecycle.Open, Initial: true, Requires: []string{"title", "requester", "template"}},
	}, scheduledStates...)
	events := append([]lifecycle.Event{
		{Name: EventSchedule, From: []string{StateNew, StateScheduled}, To: StateScheduled},
	}, scheduledEvents...)
	events = append(events, lifecycle.Event{Name: EventCancel, From: []string{StateNew, StateScheduled}, To: StateCancelled})
	return mustDefinition(states, events)
}

// EmergencyLifecycle returns the lifecycle of emergency changes, authorized
// by the emergency CAB without an assessment stage and always reviewed:
//
//	new → authorize → scheduled → implement → review → closed
//	authorize → authorize (decide), authorize → new (reject, revert)
//	scheduled → scheduled (schedule again)
//	new, authorize, scheduled → cancelled
func EmergencyLifecycle() *lifecycle.Definition {
	states := append([]lifecycle.State{
		{Name: StateNew, Category: lifecycle.Open, Initial: true, Requires: []string{"title", "requester"}},
		{Name: StateAuthorize, Category: lifecycle.Open, Requires: []string{"implementation_plan", "backout_plan"}},
	}, scheduledStates...)
	events := append([]lifecycle.Event{
		{Name: EventRequestApproval, From: []string{StateNew}, To: StateAuthorize},
		{Name: EventRevert, From: []string{StateAuthorize}, To: StateNew},
	}, authorizeEvents...)
	events = append(events, scheduledEvents...)
	events = append(events, lifecycle.Event{Name: EventCancel, From: []string{StateNew, StateAuthorize, StateScheduled}, To: StateCancelled})
	return mustDefinition(states, events)
}

// checkDefinition reports a *itil.ValidationError on field when def is not
// a change lifecycle or lacks an event the Manager fires for t.
func checkDefinition(field string, t Type, def *lifecycle.Definition) error {
	if def.Name() != Kind {
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("lifecycle is named %q, want %q", def.Name(), Kind)}
	}
	have := map[string]bool{}
	for _, e := range def.Events() {
		have[e.Name] = true
	}
	for _, e := range requiredEvents[t] {
		if !have[e] {
			return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s changes need event %q", t, e)}
		}
	}
	return nil
}

// The names by which a JSON lifecycle extends one of the default
// lifecycles ({"extends": "normal", …}): the types' names. Every change
// lifecycle itself is named Kind, "change", the record kind, so the three
// defaults are offered to lifecycle.WithBase under their types' names.
var bases = [...]struct {
	t   Type
	def func() *lifecycle.Definition
}{{Normal, NormalLifecycle}, {Standard, StandardLifecycle}, {Emergency, EmergencyLifecycle}}

// ParseLifecycle reads a change lifecycle from JSON, for Config.Normal,
// Config.Standard or Config.Emergency. The document may extend one of the
// default lifecycles, named by its type ("normal", "standard" or
// "emergency"), instead of copying it, adding states, events and custom
// fields:
//
//	{"extends": "normal",
//	 "states": [{"name": "on_hold", "category": "paused"}],
//	 "events": [{"name": "hold", "from": ["scheduled"], "to": "on_hold"},
//	            {"name": "resume", "from": ["on_hold"], "to": "scheduled"}],
//	 "fields": [{"name": "vendor_ticket", "required_in": ["on_hold"]}]}
//
// The result is named Kind, as every change lifecycle is: an extending
// document leaves "name" out or gives that, and a document that extends
// nothing must be named so itself. Bad input is a
// *itil.ValidationError naming the field ("extends", "states[0].category",
// "fields[0].kind"); NewManager then checks that the lifecycle keeps the
// events the Manager fires for its type. Fire fires the added events.
func ParseLifecycle(data []byte) (*lifecycle.Definition, error) {
	opts := make([]lifecycle.Option, len(bases))
	for i, b := range bases {
		opts[i] = lifecycle.WithNamedBase(b.t.String(), b.def())
	}
	def, err := lifecycle.ParseDefinition(data, opts...)
	if err != nil {
		return nil, err
	}
	if def.Name() != Kind {
		return nil, &itil.ValidationError{Field: "name", Reason: fmt.Sprintf("lifecycle is named %q, want %q", def.Name(), Kind)}
	}
	return def, nil
}
