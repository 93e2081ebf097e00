package request

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ReviseParams is a requester's revision of a rejected request's values.
type ReviseParams struct {
	// ID is the rejected request.
	ID uuid.UUID
	// Version, when non-zero, is the version of the request the requester
	// read: a request changed since fails with lifecycle.ErrConflict.
	Version int64
	// By is the requester.
	By itil.Actor
	// Note is journaled with the revision.
	Note string
	// Fields sets the request's custom fields with the revision.
	Fields map[string]string
	// Line is the index of the line to revise.
	Line int
	// Values replace the line's values, as text by variable name; they are
	// checked against the item as it was ordered.
	Values map[string]string
}

// Revise replaces the values of one line of a rejected request, so that
// the requester can answer the rejection before resubmitting. Only the
// requester may revise (else a *lifecycle.ForbiddenError). Errors besides:
// *lifecycle.TransitionError when the request is not rejected;
// lifecycle.ErrConflict for a stale Version; *itil.ValidationError on
// "id", "by", "note", "fields.NAME", "line" or on a variable, in a
// *LineError.
func (d *Desk) Revise(ctx context.Context, p ReviseParams) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	at := d.now()
	return d.proc.Fire(ctx, p.ID, lifecycle.Action[*Request]{Name: "revise", Actor: p.By, Note: p.Note, Public: true, Always: true,
		Version: p.Version, Fields: p.Fields,
		Apply: func(r *Request, ed *lifecycle.Edit) error {
			if err := onlyRequester(r, p.By, "revise"); err != nil {
				return err
			}
			if r.State != StateRejected {
				return &lifecycle.TransitionError{Kind: Kind, Event: "revise", State: r.State, Allowed: d.def.Allowed(r.State)}
			}
			if p.Line < 0 || p.Line >= len(r.Lines) {
				return &itil.ValidationError{Field: "line", Reason: fmt.Sprintf("the request has lines 0 to %d", len(r.Lines)-1)}
			}
			l := &r.Lines[p.Line]
			values, err := d.values(ctx, &l.Item, p.Values, at)
			switch {
			case errors.Is(err, itil.ErrInvalid):
				return &LineError{Line: p.Line, Item: l.Item.ID, Err: err}
			case err != nil:
				return fmt.Errorf("%s: %w", lineIndex(p.Line), err)
			}
			if !maps.Equal(values, l.Values) {
				ed.Field(lineIndex(p.Line)+".values", formatValues(l.Values), formatValues(values))
				l.Values = values
			}
			return nil
		}})
}

// formatValues writes values as fmt prints a map, keys sorted, for journals.
func formatValues(v map[string]string) string { return fmt.Sprint(v) }

// ResubmitParams is Params: Note says what changed, and is journaled.
type ResubmitParams = Params

// Resubmit sends a rejected request back for approval, with a new round
// built from its items as they were ordered. Only the requester may
// resubmit (else a *lifecycle.ForbiddenError); a request that is not
// rejected gives a *lifecycle.TransitionError; a stale Version
// lifecycle.ErrConflict; a zero ID, a missing actor, a note that is not
// fit text (see Order) or a field the lifecycle does not declare a
// *itil.ValidationError on "id", "by", "note" or "fields.NAME".
func (d *Desk) Resubmit(ctx context.Context, p ResubmitParams) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	at := d.now()
	return d.proc.Fire(ctx, p.ID, lifecycle.Action[*Request]{Event: EventResubmit, Actor: p.By, Note: p.Note, Public: true,
		Version: p.Version, Fields: p.Fields,
		Apply: func(r *Request, ed *lifecycle.Edit) error {
			if err := onlyRequester(r, p.By, EventResubmit); err != nil {
				return err
			}
			round, err := d.round(r, at)
			if err != nil {
				return err
			}
			if round.IsZero() {
				return &itil.ValidationError{Field: "approval", Reason: "the request's items need no approval"}
			}
			ed.Field("approval", r.Approval.Summary(), round.Summary())
			r.Approval = round
			lifecycle.Set(ed, "rounds", &r.Rounds, r.Rounds+1)
			return nil
		}})
}

// CancelParams is Params: Note is the reason, journaled and shown to the
// requester; optional.
type CancelParams = Params

// Cancel cancels a request before its fulfilment starts, calling off a
// pending approval round. Only the requester may cancel (else a
// *lifecycle.ForbiddenError); a request in fulfilment or later gives a
// *lifecycle.TransitionError, and a revocation ErrNotCancellable (both
// lifecycle.ErrRefused); a stale Version lifecycle.ErrConflict; a zero
// ID, a missing actor, a note that is not fit text (see Order) or a field
// the lifecycle does not declare a *itil.ValidationError on "id", "by",
// "note" or "fields.NAME".
func (d *Desk) Cancel(ctx context.Context, p CancelParams) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	at := d.now()
	reason := strings.TrimSpace(p.Note)
	if reason == "" {
		reason = "cancelled by the requester"
	}
	return d.proc.Fire(ctx, p.ID, lifecycle.Action[*Request]{Event: EventCancel, Actor: p.By, Note: p.Note, Public: true,
		Version: p.Version, Fields: p.Fields,
		Apply: func(r *Request, ed *lifecycle.Edit) error {
			if err := onlyRequester(r, p.By, EventCancel); err != nil {
				return err
			}
			if len(r.Approval.Pending()) > 0 {
				before := r.Approval.Summary()
				if err := r.Approval.Cancel(reason, at); err != nil {
					return err
				}
				ed.Field("approval", before, r.Approval.Summary())
			}
			return nil
		}})
}

// Close closes a fulfilled request. Sweep closes fulfilled requests by
// itself after Config.AutoCloseAfter. A request that is not fulfilled
// gives a *lifecycle.TransitionError; a stale Version
// lifecycle.ErrConflict; a zero ID, a missing actor, a note that is not
// fit text or a field the lifecycle does not declare a
// *itil.ValidationError on "id", "by", "note" or "fields.NAME".
func (d *Desk) Close(ctx context.Context, p Params) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	return d.proc.Fire(ctx, p.ID, lifecycle.Action[*Request]{Event: EventClose, Actor: p.By, Note: p.Note,
		Version: p.Version, Fields: p.Fields})
}

// Edit sets custom fields of a request (an empty value unsets one) and
// journals the note, without moving its state; an edit that changes
// nothing and has no note writes nothing. Errors: a *itil.ValidationError
// on "id", "by", "note" or "fields.NAME" (a field the lifecycle does not
// declare, or a value its kind refuses); a field a state requires may not
// be unset in that state; lifecycle.ErrConflict for a stale Version.
func (d *Desk) Edit(ctx context.Context, p Params) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	return d.proc.Fire(ctx, p.ID, lifecycle.Action[*Request]{Actor: p.By, Note: p.Note, Version: p.Version, Fields: p.Fields})
}

// Fire fires an event of the request lifecycle by name: the events a host
// added (see ParseLifecycle), such as "wait_budget". The events the desk
// fires through its own commands (submit, approve, reject, resubmit,
// fulfil, complete, close, cancel) are refused as a *itil.ValidationError
// on "event": they come with the approval round, the tasks and the grants
// that only those commands keep in step. A request that the event takes
// back into fulfilment moves on in the same commit, as a completed task
// moves it: its next tasks open, or it is fulfilled when they are all
// done. Errors besides: a *lifecycle.TransitionError when the event may
// not fire in the request's state; lifecycle.ErrConflict for a stale
// Version; a *itil.ValidationError on "id", "by", "note", "event" or
// "fields.NAME".
func (d *Desk) Fire(ctx context.Context, p lifecycle.FireParams) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	if err := itil.CheckText("event", p.Event, MaxNameLength); err != nil {
		return nil, err
	}
	switch {
	case p.Event == "":
		return nil, &itil.ValidationError{Field: "event", Reason: "required"}
	case slices.ContainsFunc(fired[:], func(f transition) bool { return f.event == p.Event }):
		return nil, &itil.ValidationError{Field: "event", Reason: fmt.Sprintf("%q is fired by the desk's own commands", p.Event)}
	}
	var out *Request
	err := d.atomic(ctx, func(x *txn) error {
		r, err := fire(ctx, x, d.proc, p.ID, lifecycle.Action[*Request]{Event: p.Event, Actor: p.By, Note: p.Note,
			Version: p.Version, Fields: p.Fields})
		if err != nil {
			return err
		}
		switch r.State {
		case StateApproved:
			r, err = d.startFulfilmentIn(ctx, x, r.ID)
		case StateInFulfilment:
			r, err = d.advanceIn(ctx, x, r.ID)
		}
		out = r
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkRequestAction checks what every command on a request takes: the
// request's ID ("id"), an actor ("by"), and a note, which must be UTF-8
// without NUL characters and at most MaxTextLength characters.
func checkRequestAction(id uuid.UUID, by itil.Actor, note string) error {
	if err := requireID("id", id); err != nil {
		return err
	}
	if err := checkActor("by", by); err != nil {
		return err
	}
	return itil.CheckText("note", note, MaxTextLength)
}

// onlyRequester refuses anyone but r's requester.
func onlyRequester(r *Request, by itil.Actor, event string) error {
	if by.ID != r.Requester.ID {
		return &lifecycle.ForbiddenError{Actor: by.ID, Event: event, Reason: "only the requester " + r.Requester.ID + " may"}
	}
	return nil
}
