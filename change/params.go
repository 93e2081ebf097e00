package change

import (
	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Params is what every command carries, and all that a command with no
// inputs of its own takes (Implement, Close, Cancel, RevertToNew, Edit):
// the change (ID, required), the version the caller read (Version: a
// change changed since fails with lifecycle.ErrConflict and nothing is
// written; zero acts on the latest version), who acts (By, required), the
// note journaled with the step (Note, at most MaxNoteLength characters;
// Cancel's reason) and the custom fields set with it (Fields, as the
// lifecycle declares them, each checked as "fields.NAME"). The params of
// the commands with inputs of their own start with the same five fields.
//
//	c, err = m.Implement(ctx, change.Params{ID: c.ID, Version: c.Version, By: bob})
type Params = lifecycle.Params

// UpdateParams edits a change's description while it is being drafted (in
// new, or in a state from which approval may be requested), for Update.
// Nil fields are left as they are.
type UpdateParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string

	// The new values of the Change's fields of the same names.
	Title              *string
	Description        *string
	Justification      *string
	Category           *string
	Impact             *itil.Impact
	CIs                *[]string
	Planned            *Window
	ImplementationPlan *string
	BackoutPlan        *string
	TestPlan           *string
	Implementer        *string
}

// LinkParams links a change to a problem or an incident, for Link.
type LinkParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// To is the problem or incident.
	To itil.Ref
}

// AssessParams assess a change's risk, for Assess: either by the
// questionnaire (Answers) or by impact × likelihood (Likelihood, with
// Impact or the change's own impact).
type AssessParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Answers maps question IDs of Config.Questionnaire to answer IDs.
	Answers map[string]string
	// Likelihood, with Impact, reads the risk off Config.RiskMatrix.
	Likelihood Likelihood
	// Impact, when set, also becomes the change's impact.
	Impact itil.Impact
}

// RequestApprovalParams start a change's approval round, for
// RequestApproval.
type RequestApprovalParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Approvers are added to the rule's slots: the owner of an affected
	// service, say, as approval.Person("olivia").
	Approvers []approval.Slot
}

// DecideParams carry an approver's decision on a change's current round,
// for Approve and Reject. By is the approver, and Note the decision's
// comment: the approver's reason, kept with the decision and journaled; a
// rejection needs one.
type DecideParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
}

// ScheduleParams set a change's implementation window, for Schedule.
type ScheduleParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Window is when the change will be implemented.
	Window Window
	// Implementer, when set, becomes the change's implementer.
	Implementer string
}

// OutcomeParams end a change's implementation, for RecordOutcome.
type OutcomeParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Outcome is how the implementation ended; required.
	Outcome Outcome
}

// ReviewParams record a post-implementation review, for Review.
type ReviewParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Summary is what the review found; required. It is the change's
	// Review.Summary, journaled as the field "review".
	Summary string
}

// params returns the fields every command carries.
func (p UpdateParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p LinkParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p AssessParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p RequestApprovalParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p DecideParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p ScheduleParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p OutcomeParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p ReviewParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

// action returns the action of a command with p's version, actor, note
// and custom fields.
func action(p Params) lifecycle.Action[*Change] {
	return lifecycle.Action[*Change]{Version: p.Version, Actor: p.By, Note: p.Note, Fields: p.Fields}
}

// checkParams checks what every command takes: the change's ID ("id"),
// who acts ("by", "by.name", "by.groups[i]") and the note ("note").
// Custom fields are checked against the lifecycle when the command runs.
func checkParams(p Params) error {
	if p.ID == uuid.Nil {
		return &itil.ValidationError{Field: "id", Reason: "required"}
	}
	return checkStep(p.By, p.Note)
}
