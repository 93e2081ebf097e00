package problem

import (
	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Params is what every command carries, and all that a command with no
// inputs of its own takes (Assess, Analyze, AcceptRisk, Cancel, Reanalyze,
// Edit): the problem (ID), the version the caller read (Version: a problem
// changed since fails with lifecycle.ErrConflict and nothing is written;
// zero acts on the latest version), who acts (By, required), the note
// journaled with the change (Note, at most MaxText characters: the reason
// of AcceptRisk, Cancel and Reanalyze) and the custom fields set with it
// (Fields, as the lifecycle declares them). The params of the commands
// with inputs of their own start with the same fields.
//
//	p, err = mgr.Assess(ctx, problem.Params{ID: p.ID, Version: p.Version, By: carol})
type Params = lifecycle.Params

// AssignParams assigns a problem (Manager.Assign).
type AssignParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Group is the problem management group; required, at most MaxName
	// characters.
	Group string
	// Assignee is the problem owner, a member of Group; optional, at most
	// MaxName characters.
	Assignee string
}

// RecordCauseParams records a problem's root cause (Manager.RecordCause).
type RecordCauseParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Cause is what root cause analysis found.
	Cause Cause
}

// WorkaroundParams publishes a workaround (Manager.PublishWorkaround).
type WorkaroundParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Workaround is how to restore service until the fix comes; required,
	// at most MaxText characters.
	Workaround string
}

// StartFixParams starts work on a problem's fix (Manager.StartFix).
type StartFixParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Fix is the fix; its Description is required.
	Fix Fix
}

// ResolveParams records that a problem's fix is delivered
// (Manager.Resolve).
type ResolveParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Fix is the fix delivered; an empty Description keeps the one StartFix
	// recorded.
	Fix Fix
}

// CloseParams closes a resolved problem (Manager.Close).
type CloseParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	// Note is journaled with the change; when empty, the resolution's notes
	// are.
	Note   string
	Fields map[string]string
	// Resolution says how the problem is closed: Code is required and one
	// of the manager's codes, Notes take at most MaxText characters. By is
	// set to the actor's ID, whatever it holds here.
	Resolution Resolution
}

// DuplicateParams closes a problem as a duplicate of another
// (Manager.MarkDuplicate).
type DuplicateParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Of is the problem that ID duplicates; required, not ID itself.
	Of uuid.UUID
}

// LinkIncidentParams links an incident to a problem, or removes the link
// (Manager.LinkIncident, Manager.UnlinkIncident). ID and Version are the
// problem's.
type LinkIncidentParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Incident is the incident linked or unlinked; required.
	Incident uuid.UUID
}

// LinkChangeParams links a change to a problem, or removes the link
// (Manager.LinkChange).
type LinkChangeParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Change is the change record; Kind must be "change".
	Change itil.Ref
	// Remove removes the link instead.
	Remove bool
}

// ProposalParams opens the problem a proposal suggests
// (Manager.OpenProposal). Like a Draft, it names who opens the problem,
// the note journaled with its creation (default: how many recurring
// incidents it was proposed for) and its custom fields; ID, when set, is
// the new problem's.
type ProposalParams struct {
	ID     uuid.UUID
	By     itil.Actor
	Note   string
	Fields map[string]string
	// Proposal is what Recurring proposed.
	Proposal Proposal
}

// ProposeAllParams opens a problem for every group of recurring incidents
// (Manager.ProposeAll). By, Note and Fields are those of every problem it
// opens.
type ProposeAllParams struct {
	By     itil.Actor
	Note   string
	Fields map[string]string
	// Query says what recurs; its zero value means the defaults.
	Query RecurringQuery
}

// params returns the fields every command carries.
func (p AssignParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p RecordCauseParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p WorkaroundParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p StartFixParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p ResolveParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p CloseParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p DuplicateParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p LinkIncidentParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}

func (p LinkChangeParams) params() Params {
	return Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields}
}
