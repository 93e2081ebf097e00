package incident

import "github.com/itil-go/itil/lifecycle"

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
// Assigned requires a group, on hold a hold reason, resolved a resolution
// code and notes. Hosts extend it with Definition.Extend (an
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
