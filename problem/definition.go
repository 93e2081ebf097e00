package problem

import "github.com/itil-go/itil/lifecycle"

// The states of the default lifecycle.
const (
	StateNew               = "new"
	StateAssess            = "assess"
	StateRootCauseAnalysis = "root_cause_analysis"
	StateFixInProgress     = "fix_in_progress"
	StateResolved          = "resolved"
	StateClosed            = "closed"
)

// The events of the default lifecycle. A host that extends the lifecycle
// keeps these names for these meanings; the manager finds other ways between
// categories through the definition itself.
const (
	EventAssess        = "assess"
	EventAnalyze       = "analyze"
	EventStartFix      = "start_fix"
	EventResolve       = "resolve"
	EventClose         = "close"
	EventMarkDuplicate = "mark_duplicate"
	EventAcceptRisk    = "accept_risk"
	EventCancel        = "cancel"
	EventReanalyze     = "reanalyze"
)

// The resolution codes of DefaultResolutionCodes. The manager closes with
// CodeDuplicate, CodeRiskAccepted and CodeCanceled in MarkDuplicate,
// AcceptRisk and Cancel; a host that leaves one out of
// Config.ResolutionCodes turns that operation off.
const (
	CodeFixApplied   = "fix_applied"
	CodeRiskAccepted = "risk_accepted"
	CodeDuplicate    = "duplicate"
	CodeCanceled     = "canceled"
)

// DefaultResolutionCodes are the codes a manager closes problems with when
// its Config names none.
var DefaultResolutionCodes = []string{CodeFixApplied, CodeRiskAccepted, CodeDuplicate, CodeCanceled}

// DefaultLifecycle returns the default problem lifecycle:
//
//	new → assess → root_cause_analysis → fix_in_progress → resolved → closed
//	assess → closed (mark_duplicate)
//	root_cause_analysis → closed (accept_risk)
//	new, assess, root_cause_analysis → closed (cancel)
//	resolved, closed → root_cause_analysis (reanalyze)
//
// New requires "title", fix_in_progress "fix", resolved "root_cause" and
// "fix", closed "resolution.code" (the names of Problem.FieldSet, which a
// host's states may require too, beside its custom fields as
// "fields.NAME"). Closed allows exit, so that a problem whose incidents
// come back is analyzed again. Hosts extend it with Definition.Extend or
// ParseLifecycle (an "awaiting_change" state, say) and pass the result in
// Config.Lifecycle; the manager needs every event above, each leading to a
// state of the same category as here.
func DefaultLifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, []lifecycle.State{
		{Name: StateNew, Category: lifecycle.Open, Initial: true, Requires: []string{"title"}},
		{Name: StateAssess, Category: lifecycle.Open},
		{Name: StateRootCauseAnalysis, Category: lifecycle.Open},
		{Name: StateFixInProgress, Category: lifecycle.Open, Requires: []string{"fix"}},
		{Name: StateResolved, Category: lifecycle.Resolved, Requires: []string{"root_cause", "fix"}},
		{Name: StateClosed, Category: lifecycle.Closed, AllowExit: true, Requires: []string{"resolution.code"}},
	}, []lifecycle.Event{
		{Name: EventAssess, From: []string{StateNew}, To: StateAssess},
		{Name: EventAnalyze, From: []string{StateAssess}, To: StateRootCauseAnalysis},
		{Name: EventStartFix, From: []string{StateRootCauseAnalysis}, To: StateFixInProgress},
		{Name: EventResolve, From: []string{StateFixInProgress}, To: StateResolved},
		{Name: EventClose, From: []string{StateResolved}, To: StateClosed},
		{Name: EventMarkDuplicate, From: []string{StateAssess}, To: StateClosed},
		{Name: EventAcceptRisk, From: []string{StateRootCauseAnalysis}, To: StateClosed},
		{Name: EventCancel, From: []string{StateNew, StateAssess, StateRootCauseAnalysis}, To: StateClosed},
		{Name: EventReanalyze, From: []string{StateResolved, StateClosed}, To: StateRootCauseAnalysis},
	})
	if err != nil { // the definition above is fixed and valid; tests build it
		panic(err)
	}
	return d
}

// ParseLifecycle reads a problem lifecycle from JSON (the form of
// lifecycle.ParseDefinition), for Config.Lifecycle. A document with
// "extends": "problem" holds only what it adds to DefaultLifecycle: its
// states, events (an event that exists gains source states) and custom
// fields.
//
//	{"extends": "problem",
//	 "states": [{"name": "awaiting_change", "category": "paused"}],
//	 "events": [{"name": "wait_change", "from": ["fix_in_progress"], "to": "awaiting_change"},
//	            {"name": "change_done", "from": ["awaiting_change"], "to": "fix_in_progress"},
//	            {"name": "resolve", "from": ["awaiting_change"], "to": "resolved"}],
//	 "fields": [{"name": "change_ticket", "required_in": ["awaiting_change"]}]}
//
// Every error is a *itil.ValidationError naming the part of the document
// that is wrong. NewManager then checks that the lifecycle keeps the
// events it fires.
func ParseLifecycle(data []byte) (*lifecycle.Definition, error) {
	return lifecycle.ParseDefinition(data, lifecycle.WithBase(DefaultLifecycle()))
}
