package main

import (
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// Authorization lives in this file: the access a route needs, checked by
// the middleware before its handler runs (server.go), and the checks per
// record that handlers call before they read or change one. Every refusal is
// a *lifecycle.ForbiddenError, which the portal answers with 403, and is
// made before anything changes. The library checks again what it knows
// (segregation of duties, approver slots), and its refusals match
// lifecycle.ErrForbidden too.

// access is who may use a route.
type access int8

const (
	// signedIn routes serve every signed-in user: the catalog, their own
	// requests and incidents, the lifecycles.
	signedIn access = iota
	// approvers routes serve line managers, service owners and CAB members.
	approvers
	// agents routes serve the service desk: the queue and fulfilment tasks.
	agents
	// cabMembers routes serve the change advisory board.
	cabMembers
)

// may reports whether u may use a route that needs a.
func (u *User) may(a access) bool {
	switch a {
	case signedIn:
		return true
	case approvers:
		return u.Approver()
	case agents:
		return u.Agent()
	case cabMembers:
		return u.CAB()
	}
	return false
}

// Approver reports whether the user approves anything: requests as a line
// manager or service owner, changes as a CAB member.
func (u *User) Approver() bool { return u.Has(RoleApprover) || u.Has(RoleOwner) || u.Has(RoleCAB) }

// Agent reports whether the user works the service desk.
func (u *User) Agent() bool { return u.Has(RoleAgent) }

// CAB reports whether the user sits on the change advisory board.
func (u *User) CAB() bool { return u.Has(RoleCAB) }

// denied is the refusal of action to u.
func denied(u *User, action, reason string) error {
	return &lifecycle.ForbiddenError{Actor: u.ID, Event: action, Reason: reason}
}

// holdsSlot reports whether actor may decide for one of a's slots, decided
// or not: the round is theirs to see.
func holdsSlot(a approval.Approval, actor itil.Actor) bool {
	return slices.ContainsFunc(a.Slots, func(s approval.Slot) bool { return s.Matches(actor) })
}

// excluded reports whether actor is barred from deciding in a.
func excluded(a approval.Approval, actor itil.Actor) bool {
	return slices.ContainsFunc(a.Excluded, func(e approval.Exclusion) bool { return e.Actor == actor.ID })
}

// canSeeRequest: the requester, the user it is for, its approvers and the
// service desk.
func canSeeRequest(u *User, r *request.Request) error {
	if r.Requester.ID == u.ID || r.For == u.ID || u.Agent() || holdsSlot(r.Approval, u.Actor()) {
		return nil
	}
	return denied(u, "view "+r.Number, "not your request")
}

// canDecideRequest: an approver who holds a slot of the request's round and
// is not excluded from it.
func canDecideRequest(u *User, r *request.Request) error {
	switch {
	case !u.Approver():
		return denied(u, "decide "+r.Number, "not an approver")
	case !holdsSlot(r.Approval, u.Actor()):
		return denied(u, "decide "+r.Number, "not an approver of this request")
	case excluded(r.Approval, u.Actor()):
		return denied(u, "decide "+r.Number, "segregation of duties")
	}
	return nil
}

// canSeeIncident: the caller and the service desk.
func canSeeIncident(u *User, inc *incident.Incident) error {
	if inc.Caller.ID == u.ID || u.Agent() {
		return nil
	}
	return denied(u, "view "+inc.Number, "not your incident")
}

// canWorkTask: an agent in the task's fulfilment group.
func canWorkTask(u *User, t *request.Task) error {
	if u.Agent() && u.InGroup(t.Group) {
		return nil
	}
	return denied(u, "work "+t.Number, "not in group "+t.Group)
}

// canSeeChange: the requester, the implementer and the change's approvers.
func canSeeChange(u *User, c *change.Change) error {
	if c.Requester == u.ID || c.Implementer == u.ID || holdsSlot(c.Approval(), u.Actor()) {
		return nil
	}
	return denied(u, "view "+c.Number, "not your change")
}

// canDecideChange: a CAB member who holds a slot of the change's round and
// is not excluded from it.
func canDecideChange(u *User, c *change.Change) error {
	a := c.Approval()
	switch {
	case !u.CAB():
		return denied(u, "decide "+c.Number, "not a CAB member")
	case !holdsSlot(a, u.Actor()):
		return denied(u, "decide "+c.Number, "not an approver of this change")
	case excluded(a, u.Actor()):
		return denied(u, "decide "+c.Number, "segregation of duties")
	}
	return nil
}
