package request

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// GrantQuery asks who has access to what. Zero fields do not filter; the
// set ones must all hold.
type GrantQuery struct {
	// User, Service and Role keep the grants of a user, to a service, of a
	// role.
	User    string
	Service string
	Role    string
	// At is the instant asked about; default now. Grants that expired by
	// then are left out even before Sweep revokes them.
	At time.Time
}

// Grants yields the access held at q.At: grants active or being revoked
// (the access holds until the revocation is fulfilled) and not expired,
// oldest first. A user, service or role that is not fit text (see Order)
// yields a *itil.ValidationError naming it.
func (d *Desk) Grants(ctx context.Context, q GrantQuery) iter.Seq2[*Grant, error] {
	if err := checkTexts(text{"user", q.User, MaxNameLength}, text{"service", q.Service, MaxNameLength},
		text{"role", q.Role, MaxNameLength}); err != nil {
		return refused[*Grant](err)
	}
	if q.At.IsZero() {
		q.At = d.now()
	}
	var w lifecycle.Conds
	w.Eq("state", GrantActive, GrantRevoking)
	w.Eq("user", q.User)
	w.Eq("service", q.Service)
	w.Eq("role", q.Role)
	return func(yield func(*Grant, error) bool) {
		for g, err := range d.grants.Find(ctx, lifecycle.Query{Where: w}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !g.Expired(q.At) && !g.GrantedAt.After(q.At) && !yield(g, nil) {
				return
			}
		}
	}
}

// GetGrant returns the grant with the given ID.
func (d *Desk) GetGrant(ctx context.Context, id uuid.UUID) (*Grant, error) {
	return d.grants.Get(ctx, id)
}

// RevokeParams is Params, for Revoke: ID is the grant's, Version the
// grant's version read, Note the reason (required), and Fields sets the
// grant's custom fields.
type RevokeParams = Params

// Revoke opens a revocation request for an active grant and returns it.
// Revocations need no approval: the request runs the access item's revoke
// tasks, or is fulfilled at once when it has none, and its fulfilment marks
// the grant revoked. The grant's move to revoking and its revocation
// request are one commit. A grant already being revoked gives a
// *lifecycle.TransitionError; a stale Version lifecycle.ErrConflict; a
// zero ID, a missing actor, a field the grant lifecycle does not declare,
// or a note that is missing, not UTF-8, holds a NUL character or is
// longer than MaxTextLength characters a *itil.ValidationError on "id",
// "by", "fields.NAME" or "note".
func (d *Desk) Revoke(ctx context.Context, p RevokeParams) (*Request, error) {
	if err := checkRequestAction(p.ID, p.By, p.Note); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(p.Note)
	if reason == "" {
		return nil, &itil.ValidationError{Field: "note", Reason: "required: why the access is revoked"}
	}
	return d.revoke(ctx, p.ID, p.Version, reason, p.By, p.Fields)
}

// revoke moves a grant to revoking and opens its revocation request, in
// one commit. version, when non-zero, is the version of the grant the
// caller read: another fails with lifecycle.ErrConflict.
func (d *Desk) revoke(ctx context.Context, id uuid.UUID, version int64, reason string, by itil.Actor, fields map[string]string) (*Request, error) {
	var out *Request
	err := d.atomic(ctx, func(x *txn) error {
		g, err := d.requestRevocationIn(ctx, x, id, version, reason, by, fields)
		if err != nil {
			return err
		}
		out, err = d.openRevocationIn(ctx, x, g, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// requestRevocationIn moves a grant to revoking and fixes the ID of its
// revocation request.
func (d *Desk) requestRevocationIn(ctx context.Context, x *txn, id uuid.UUID, version int64, reason string, by itil.Actor, fields map[string]string) (*Grant, error) {
	return fire(ctx, x, d.grants, id, lifecycle.Action[*Grant]{Event: GrantEventRevoking, Actor: by, Note: reason, Version: version, Fields: fields,
		Apply: func(g *Grant, ed *lifecycle.Edit) error {
			rid, err := uuid.NewV7()
			if err != nil {
				return err
			}
			lifecycle.Set(ed, "revocation", &g.Revocation, rid)
			lifecycle.Set(ed, "reason", &g.Reason, reason)
			return nil
		}})
}

// openRevocationIn creates the revocation request of a revoking grant,
// unless it exists, and takes it through to fulfilment as far as it goes.
func (d *Desk) openRevocationIn(ctx context.Context, x *txn, g *Grant, by itil.Actor) (*Request, error) {
	if r, err := d.requestIn(ctx, x, g.Revocation); !errors.Is(err, lifecycle.ErrNotFound) {
		return r, err
	}
	item, err := d.grantItem(ctx, g)
	if err != nil {
		return nil, err
	}
	r := &Request{
		Requester:   by,
		For:         g.User,
		Description: "revoke " + g.Role + " on " + g.Service + " (" + g.Number + "): " + g.Reason,
		Lines:       []Line{{Item: item, Quantity: 1}},
		Revokes:     g.ID,
	}
	r.ID = g.Revocation
	if _, err := d.applySLA(r, &lifecycle.Edit{}, d.def.Initial().Category, false, d.now()); err != nil {
		return nil, err
	}
	if _, err := d.proc.CreateIn(ctx, x.Tx, r, by, g.Reason); err != nil {
		return nil, err
	}
	return d.submitIn(ctx, x, r.ID, zeroRound)
}

// grantItem returns the item that issued g: as its request ordered it, or
// from the catalog when the request is gone.
func (d *Desk) grantItem(ctx context.Context, g *Grant) (Item, error) {
	if r, err := d.proc.Get(ctx, g.Request); err == nil && g.Line < len(r.Lines) {
		return r.Lines[g.Line].Item, nil
	}
	return d.cfg.Catalog.Get(g.Item)
}
