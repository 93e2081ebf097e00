package request

import (
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The states of the default request lifecycle.
const (
	StateSubmitted        = "submitted"
	StateAwaitingApproval = "awaiting_approval"
	StateApproved         = "approved"
	StateInFulfilment     = "in_fulfilment"
	StateFulfilled        = "fulfilled"
	StateClosed           = "closed"
	StateRejected         = "rejected"
	StateCancelled        = "cancelled"
)

// The events of the default request lifecycle. A host that extends the
// lifecycle keeps these names for these meanings: the desk fires them.
const (
	EventSubmit   = "submit"
	EventApprove  = "approve"
	EventReject   = "reject"
	EventResubmit = "resubmit"
	EventFulfil   = "fulfil"
	EventComplete = "complete"
	EventClose    = "close"
	EventCancel   = "cancel"
)

// DefaultLifecycle returns the default request lifecycle:
//
//	submitted → awaiting_approval → approved → in_fulfilment → fulfilled → closed
//	submitted → approved (no approval needed)
//	awaiting_approval → rejected → awaiting_approval (revised and resubmitted)
//	submitted, awaiting_approval, approved, rejected → cancelled
//
// Awaiting approval is a paused state: the SLA clocks wait with it.
// Rejected is in the cancelled category but allows exit, since the
// requester may revise and resubmit; fulfilled is resolved. Hosts extend it
// with Definition.Extend and pass the result in Config.Lifecycle.
func DefaultLifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, []lifecycle.State{
		{Name: StateSubmitted, Category: lifecycle.Open, Initial: true, Requires: []string{"requester", "lines"}},
		{Name: StateAwaitingApproval, Category: lifecycle.Paused},
		{Name: StateApproved, Category: lifecycle.Open},
		{Name: StateInFulfilment, Category: lifecycle.Open},
		{Name: StateFulfilled, Category: lifecycle.Resolved},
		{Name: StateClosed, Category: lifecycle.Closed},
		{Name: StateRejected, Category: lifecycle.Cancelled, AllowExit: true},
		{Name: StateCancelled, Category: lifecycle.Cancelled},
	}, []lifecycle.Event{
		{Name: EventSubmit, From: []string{StateSubmitted}, To: StateAwaitingApproval},
		{Name: EventApprove, From: []string{StateSubmitted, StateAwaitingApproval}, To: StateApproved},
		{Name: EventReject, From: []string{StateAwaitingApproval}, To: StateRejected},
		{Name: EventResubmit, From: []string{StateRejected}, To: StateAwaitingApproval},
		{Name: EventFulfil, From: []string{StateApproved}, To: StateInFulfilment},
		{Name: EventComplete, From: []string{StateInFulfilment}, To: StateFulfilled},
		{Name: EventClose, From: []string{StateFulfilled}, To: StateClosed},
		{Name: EventCancel, From: []string{StateSubmitted, StateAwaitingApproval, StateApproved, StateRejected}, To: StateCancelled},
	})
	if err != nil { // the definition above is fixed and valid; tests build it
		panic(err)
	}
	return d
}

// ParseLifecycle reads a request lifecycle from JSON, for
// Config.Lifecycle. The document may extend the default lifecycle by name
// instead of copying it, adding states, events and custom fields:
//
//	{"extends": "request",
//	 "states": [{"name": "awaiting_budget", "category": "paused"}],
//	 "events": [{"name": "wait_budget", "from": ["in_fulfilment"], "to": "awaiting_budget"},
//	            {"name": "budget_granted", "from": ["awaiting_budget"], "to": "in_fulfilment"}],
//	 "fields": [{"name": "cost_centre", "required_in": ["awaiting_budget"]}]}
//
// Bad input is a *itil.ValidationError naming the field. NewDesk then
// checks that the lifecycle keeps the states and events the desk uses.
func ParseLifecycle(data []byte) (*lifecycle.Definition, error) {
	return lifecycle.ParseDefinition(data, lifecycle.WithBase(DefaultLifecycle()))
}

// fired lists the transitions the desk fires on requests by itself or on
// a command: a lifecycle given to NewDesk must allow each of them.
var fired = [...]transition{
	{EventSubmit, StateSubmitted, StateAwaitingApproval},
	{EventApprove, StateSubmitted, StateApproved},
	{EventApprove, StateAwaitingApproval, StateApproved},
	{EventReject, StateAwaitingApproval, StateRejected},
	{EventResubmit, StateRejected, StateAwaitingApproval},
	{EventFulfil, StateApproved, StateInFulfilment},
	{EventComplete, StateInFulfilment, StateFulfilled},
	{EventClose, StateFulfilled, StateClosed},
	{EventCancel, StateAwaitingApproval, StateCancelled},
}

// transition is an event fired from one state, with the state it leads to.
type transition struct{ event, from, to string }

// checkLifecycle reports what def lacks of what the desk relies on: the
// default's states and the transitions in fired, as a
// *itil.ValidationError on "Lifecycle" that names the state or event.
func checkLifecycle(def *lifecycle.Definition) error {
	if def.Name() != Kind {
		return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("lifecycle is named %q, want %q", def.Name(), Kind)}
	}
	for _, s := range DefaultLifecycle().States() {
		if def.Category(s.Name) == 0 {
			return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("state %q is missing", s.Name)}
		}
	}
	if init := def.Initial().Name; init != StateSubmitted {
		return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("the initial state is %q, want %q", init, StateSubmitted)}
	}
	for _, f := range fired {
		if to, ok := def.Target(f.event, f.from); !ok || to != f.to {
			return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("event %q must lead from %q to %q, as the desk fires it", f.event, f.from, f.to)}
		}
	}
	return nil
}

// The states of the task lifecycle.
const (
	TaskPending    = "pending"
	TaskOpen       = "open"
	TaskInProgress = "in_progress"
	TaskDone       = "done"
	TaskFailed     = "failed"
)

// The events of the task lifecycle.
const (
	TaskEventOpen     = "open"
	TaskEventStart    = "start"
	TaskEventComplete = "complete"
	TaskEventFail     = "fail"
	TaskEventRetry    = "retry"
)

// TaskLifecycle returns the lifecycle of fulfilment tasks:
//
//	pending → open → in_progress → done
//	open, in_progress → failed → open (retry)
//	open → done
//
// Every task is created pending and opened when its turn comes: at once
// for parallel tasks and the first of ordered ones, after the task before
// it is done for the others. Failed allows exit, for the retry.
func TaskLifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(TaskKind, []lifecycle.State{
		{Name: TaskPending, Category: lifecycle.Paused, Initial: true, Requires: []string{"title", "group"}},
		{Name: TaskOpen, Category: lifecycle.Open},
		{Name: TaskInProgress, Category: lifecycle.Open, Requires: []string{"assignee"}},
		{Name: TaskDone, Category: lifecycle.Closed},
		{Name: TaskFailed, Category: lifecycle.Cancelled, AllowExit: true, Requires: []string{"failure"}},
	}, []lifecycle.Event{
		{Name: TaskEventOpen, From: []string{TaskPending}, To: TaskOpen},
		{Name: TaskEventStart, From: []string{TaskOpen}, To: TaskInProgress},
		{Name: TaskEventComplete, From: []string{TaskOpen, TaskInProgress}, To: TaskDone},
		{Name: TaskEventFail, From: []string{TaskOpen, TaskInProgress}, To: TaskFailed},
		{Name: TaskEventRetry, From: []string{TaskFailed}, To: TaskOpen},
	})
	if err != nil {
		panic(err)
	}
	return d
}

// The states of the grant lifecycle.
const (
	GrantActive   = "active"
	GrantRevoking = "revoking"
	GrantRevoked  = "revoked"
)

// The events of the grant lifecycle.
const (
	GrantEventRevoking = "request_revocation"
	GrantEventRevoke   = "revoke"
)

// GrantLifecycle returns the lifecycle of grants:
//
//	active → revoking → revoked
//
// A grant is revoking from the moment its revocation request is opened
// until that request is fulfilled; the access is held meanwhile.
func GrantLifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(GrantKind, []lifecycle.State{
		{Name: GrantActive, Category: lifecycle.Open, Initial: true, Requires: []string{"user", "service", "role"}},
		{Name: GrantRevoking, Category: lifecycle.Open, Requires: []string{"reason"}},
		{Name: GrantRevoked, Category: lifecycle.Closed},
	}, []lifecycle.Event{
		{Name: GrantEventRevoking, From: []string{GrantActive}, To: GrantRevoking},
		{Name: GrantEventRevoke, From: []string{GrantRevoking}, To: GrantRevoked},
	})
	if err != nil {
		panic(err)
	}
	return d
}
