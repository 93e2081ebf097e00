package request

import (
	"context"
	"iter"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// DecideParams is an approver's decision on a request.
type DecideParams struct {
	// ID is the request decided on.
	ID uuid.UUID
	// Version, when non-zero, is the version of the request the approver
	// read: a request changed since fails with lifecycle.ErrConflict.
	Version int64
	// By is the approver, with the groups they belong to.
	By itil.Actor
	// Note is the approver's comment, journaled as the decision's note
	// and shown to the requester; required to reject.
	Note string
	// Fields sets the request's custom fields with the decision.
	Fields map[string]string
	// Verdict is approval.Approve or approval.Reject.
	Verdict approval.Verdict
}

// Decide records an approver's decision in the request's round. When the
// round is approved the request is approved and goes into fulfilment,
// whose tasks are created in the same commit; when it is rejected the
// request is rejected and the requester may revise and resubmit it.
// Otherwise the request keeps waiting. The decision is journaled with the
// note and the round's summary before and after as field "approval".
//
// Errors: a *itil.ValidationError on "id" (zero), "by", "verdict",
// "fields.NAME" or "note" (a rejection without one, or a note that is not
// UTF-8, holds a NUL character or is longer than MaxTextLength
// characters); lifecycle.ErrConflict for a stale Version; a
// *lifecycle.TransitionError when the request is not awaiting approval;
// from package approval, a *approval.SegregationError (matching
// lifecycle.ErrForbidden) when By is the requester or the user the request
// is for, approval.ErrNotApprover (matching lifecycle.ErrForbidden) and
// approval.ErrAlreadyDecided.
func (d *Desk) Decide(ctx context.Context, p DecideParams) (*Request, error) {
	if err := requireID("id", p.ID); err != nil {
		return nil, err
	}
	if err := checkActor("by", p.By); err != nil {
		return nil, err
	}
	if !p.Verdict.Valid() {
		return nil, &itil.ValidationError{Field: "verdict", Reason: "must be approve or reject"}
	}
	if err := itil.CheckText("note", p.Note, MaxTextLength); err != nil {
		return nil, err
	}
	if p.Verdict == approval.Reject && strings.TrimSpace(p.Note) == "" {
		return nil, &itil.ValidationError{Field: "note", Reason: "required to reject: say why"}
	}
	at := d.now()
	a := lifecycle.Action[*Request]{
		EventFor: func(r *Request) string {
			probe := r.Approval.Clone()
			if r.State != StateAwaitingApproval {
				return ""
			}
			if _, err := probe.Decide(p.By, p.Verdict, p.Note, at); err != nil {
				return ""
			}
			switch probe.Outcome() {
			case approval.Approved:
				return EventApprove
			case approval.Rejected:
				return EventReject
			}
			return ""
		},
		Name: "decide", Actor: p.By, Note: p.Note, Public: true, Version: p.Version, Fields: p.Fields,
		Apply: func(r *Request, ed *lifecycle.Edit) error {
			if r.State != StateAwaitingApproval {
				return &lifecycle.TransitionError{Kind: Kind, Event: "decide", State: r.State, Allowed: d.def.Allowed(r.State)}
			}
			before := r.Approval.Summary()
			if _, err := r.Approval.Decide(p.By, p.Verdict, p.Note, at); err != nil {
				return err
			}
			ed.Field("approval", before, r.Approval.Summary())
			return nil
		},
	}
	var out *Request
	err := d.atomic(ctx, func(x *txn) error {
		r, err := fire(ctx, x, d.proc, p.ID, a)
		if err == nil && r.State == StateApproved {
			r, err = d.startFulfilmentIn(ctx, x, r.ID)
		}
		out = r
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MyApprovals yields the requests awaiting a decision that actor may make
// now: those with a pending slot for actor in person or for one of actor's
// groups, less those actor may not decide (segregation of duties, or
// already decided). The slots are indexed, so only candidates are read.
// An actor whose ID, name or groups are not fit text (see Order) yields a
// *itil.ValidationError on "actor.id", "actor.name" or "actor.groups[N]".
func (d *Desk) MyApprovals(ctx context.Context, actor itil.Actor) iter.Seq2[*Request, error] {
	slots := []string{approval.Person(actor.ID).String()}
	for _, g := range actor.Groups {
		slots = append(slots, approval.Group(g).String())
	}
	return func(yield func(*Request, error) bool) {
		if err := checkActorText("actor", actor); err != nil {
			yield(nil, err)
			return
		}
		if actor.ID == "" {
			return
		}
		var w lifecycle.Conds
		w.Eq("state", StateAwaitingApproval)
		w.Eq("approver", slots...)
		for r, err := range d.proc.Find(ctx, lifecycle.Query{Where: w}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if r.Approval.Eligible(actor) && !yield(r, nil) {
				return
			}
		}
	}
}
