package request

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ReviseParams is a requester's revision of a rejected request's values.
type ReviseParams struct {
	// Request is the rejected request.
	Request uuid.UUID
	// Line is the index of the line to revise.
	Line int
	// Values replace the line's values, as text by variable name; they are
	// checked against the item as it was ordered.
	Values map[string]string
	// By is the requester.
	By itil.Actor
	// Note is journaled with the revision.
	Note string
}

// Revise replaces the values of one line of a rejected request, so that
// the requester can answer the rejection before resubmitting. Only the
// requester may revise (else a *lifecycle.ForbiddenError). Errors besides:
// *lifecycle.TransitionError when the request is not rejected;
// *itil.ValidationError on "request", "by", "note", "line" or on a
// variable, in a *LineError.
func (d *Desk) Revise(ctx context.Context, p ReviseParams) (*Request, error) {
	if err := checkRequestAction(p.Request, p.By, "note", p.Note); err != nil {
		return nil, err
	}
	at := d.now()
	return d.proc.Fire(ctx, p.Request, lifecycle.Action[*Request]{Name: "revise", Actor: p.By, Note: p.Note, Public: true, Always: true,
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
			if err != nil {
				return &LineError{Line: p.Line, Item: l.Item.ID, Err: err}
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

// ResubmitParams resubmits a rejected request.
type ResubmitParams struct {
	// Request is the rejected request.
	Request uuid.UUID
	// By is the requester.
	By itil.Actor
	// Note says what changed; it is journaled.
	Note string
}

// Resubmit sends a rejected request back for approval, with a new round
// built from its items as they were ordered. Only the requester may
// resubmit (else a *lifecycle.ForbiddenError); a request that is not
// rejected gives a *lifecycle.TransitionError; a zero request, a missing
// actor or a note that is not fit text (see Order) a *itil.ValidationError
// on "request", "by" or "note".
func (d *Desk) Resubmit(ctx context.Context, p ResubmitParams) (*Request, error) {
	if err := checkRequestAction(p.Request, p.By, "note", p.Note); err != nil {
		return nil, err
	}
	at := d.now()
	return d.proc.Fire(ctx, p.Request, lifecycle.Action[*Request]{Event: EventResubmit, Actor: p.By, Note: p.Note, Public: true,
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

// CancelParams cancels a request.
type CancelParams struct {
	// Request is the request to cancel.
	Request uuid.UUID
	// By is the requester.
	By itil.Actor
	// Reason is journaled; optional.
	Reason string
}

// Cancel cancels a request before its fulfilment starts, calling off a
// pending approval round. Only the requester may cancel (else a
// *lifecycle.ForbiddenError); a request in fulfilment or later gives a
// *lifecycle.TransitionError, and a revocation ErrNotCancellable; a zero
// request, a missing actor or a reason that is not fit text (see Order) a
// *itil.ValidationError on "request", "by" or "reason".
func (d *Desk) Cancel(ctx context.Context, p CancelParams) (*Request, error) {
	if err := checkRequestAction(p.Request, p.By, "reason", p.Reason); err != nil {
		return nil, err
	}
	at := d.now()
	reason := strings.TrimSpace(p.Reason)
	if reason == "" {
		reason = "cancelled by the requester"
	}
	return d.proc.Fire(ctx, p.Request, lifecycle.Action[*Request]{Event: EventCancel, Actor: p.By, Note: p.Reason, Public: true,
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
// itself after Config.AutoCloseAfter. A zero id or a missing actor is a
// *itil.ValidationError on "request" or "by".
func (d *Desk) Close(ctx context.Context, id uuid.UUID, by itil.Actor) (*Request, error) {
	if err := checkRequestAction(id, by, "", ""); err != nil {
		return nil, err
	}
	return d.proc.Fire(ctx, id, lifecycle.Action[*Request]{Event: EventClose, Actor: by})
}

// checkRequestAction checks what every action on a request takes: the
// request's ID ("request"), an actor ("by"), and the text of field, which
// must be UTF-8 without NUL characters and at most MaxTextLength
// characters.
func checkRequestAction(id uuid.UUID, by itil.Actor, field, s string) error {
	if err := requireID("request", id); err != nil {
		return err
	}
	if err := checkActor("by", by); err != nil {
		return err
	}
	if field == "" {
		return nil
	}
	return itil.CheckText(field, s, MaxTextLength)
}

// onlyRequester refuses anyone but r's requester.
func onlyRequester(r *Request, by itil.Actor, event string) error {
	if by.ID != r.Requester.ID {
		return &lifecycle.ForbiddenError{Actor: by.ID, Event: event, Reason: "only the requester " + r.Requester.ID + " may"}
	}
	return nil
}
