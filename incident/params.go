package incident

import (
	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Params is what a command with no inputs of its own takes (Start, Close,
// Reopen, Comment…): the incident acted on, the version read, who acts, a
// note and custom fields. It is the kernel's lifecycle.Params, so a host
// passes one value to every service. Every other params struct of the
// package begins with the same five fields under the same names:
//
//	ID      the incident the command acts on; required
//	Version the version the caller read: when the incident has changed
//	        since, the command fails with lifecycle.ErrConflict and writes
//	        nothing; zero acts on the latest version, retrying after a
//	        concurrent change
//	By      who acts; required
//	Note    journaled with the change (a reason, a comment's text)
//	Fields  custom fields set with the command, as the lifecycle declares
//	        them; an empty value unsets a field
type Params = lifecycle.Params

// AssignParams are the inputs of Desk.Assign.
type AssignParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Group is the assignment group; required.
	Group string
	// Assignee is a member of Group, or empty.
	Assignee string
}

// HoldParams are the inputs of Desk.Hold.
type HoldParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Reason is what the incident waits for; required.
	Reason HoldReason
}

// ReprioritizeParams are the inputs of Desk.Reprioritize; Note says why.
type ReprioritizeParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Impact and Urgency are required; the priority follows from them.
	Impact  itil.Impact
	Urgency itil.Urgency
}

// ResolveParams are the inputs of Desk.Resolve; Note says what was done
// and becomes the resolution's notes.
type ResolveParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Code is one of the desk's resolution codes; required.
	Code string
}

// ParentParams are the inputs of Desk.LinkParent: ID is the child.
type ParentParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Parent is the incident ID becomes a child of; required.
	Parent uuid.UUID
}

// LinkParams are the inputs of Desk.Link and Desk.LinkIn.
type LinkParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Ref is the problem or change record linked.
	Ref itil.Ref
	// Remove removes the link instead.
	Remove bool
}

// FunctionalParams are the inputs of Desk.EscalateFunctional, a
// functional escalation: the incident moves to a group with more
// specialist skills, usually the next support tier. Note says why;
// required.
type FunctionalParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// ToGroup is the group that takes the incident over; required.
	ToGroup string
	// Tier is the tier of that group; zero means one above the current.
	Tier int
}

// HierarchicalParams are the inputs of Desk.EscalateHierarchical, a
// hierarchical escalation: management is told and takes charge of the
// incident's handling. Note says why; required.
type HierarchicalParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Level is the level escalated to, 1 to Config.EscalationLevels; zero
	// means one above the current.
	Level int
	// Notify names who is told (a manager, a group); required.
	Notify string
}

// action checks the inputs every command carries and returns the action
// that carries them into the kernel. need, when not empty, makes the note
// required and says what it should hold.
func action(id uuid.UUID, version int64, by itil.Actor, note, need string, fields map[string]string) (lifecycle.Action[*Incident], error) {
	var a lifecycle.Action[*Incident]
	if id == uuid.Nil {
		return a, &itil.ValidationError{Field: "id", Reason: "required"}
	}
	if version < 0 {
		return a, &itil.ValidationError{Field: "version", Reason: "must not be negative"}
	}
	if err := requireActor(by); err != nil {
		return a, err
	}
	if need != "" && note == "" {
		return a, &itil.ValidationError{Field: "note", Reason: need}
	}
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return a, err
	}
	a.Version, a.Actor, a.Note, a.Fields = version, by, note, fields
	return a, nil
}

// common returns p's action, as action does.
func common(p Params, need string) (lifecycle.Action[*Incident], error) {
	return action(p.ID, p.Version, p.By, p.Note, need, p.Fields)
}
