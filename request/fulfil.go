package request

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// startFulfilment takes an approved request into fulfilment: it creates the
// planned tasks that do not exist yet, fires fulfil and opens the tasks
// whose turn it is. Each step is idempotent, so Sweep repeats it for a
// request left approved.
func (d *Desk) startFulfilment(ctx context.Context, id uuid.UUID) (*Request, error) {
	r, err := d.proc.Get(ctx, id)
	if err != nil || r.State != StateApproved {
		return r, err
	}
	for _, ref := range r.Tasks {
		if _, err := d.ensureTask(ctx, r, ref); err != nil {
			return r, err
		}
	}
	_, err = d.proc.Fire(ctx, id, lifecycle.Action[*Request]{Event: EventFulfil, Actor: d.sys,
		Note: fmt.Sprintf("%d fulfilment tasks", len(r.Tasks))})
	if err != nil && !isTransition(err) {
		return d.stuck(ctx, id, err)
	}
	return d.advance(ctx, id)
}

// ensureTask returns the planned task ref of r, creating it when it does
// not exist yet.
func (d *Desk) ensureTask(ctx context.Context, r *Request, ref TaskRef) (*Task, error) {
	t, err := d.tasks.Get(ctx, ref.ID)
	if !errors.Is(err, lifecycle.ErrNotFound) {
		return t, err
	}
	l := r.Lines[ref.Line]
	tpl := lineTemplates(r, l)[ref.Step]
	t = &Task{
		Request: r.ID, RequestNumber: r.Number, Line: ref.Line, Step: ref.Step,
		Ordered: lineOrdered(r, l), Title: tpl.Title, Description: tpl.Description, Group: tpl.Group,
	}
	t.ID = ref.ID
	t, err = d.tasks.Create(ctx, t, d.sys, "for "+r.Number+": "+l.Item.Name)
	if errors.Is(err, lifecycle.ErrExists) {
		return d.tasks.Get(ctx, ref.ID)
	}
	return t, err
}

// advance moves a request in fulfilment on: it opens the tasks whose turn
// has come (every pending task of a parallel line; the next task of an
// ordered line once those before it are finished) and completes the
// request when every task is finished. A task is finished when done, or
// failed under ContinueOnFailure. Every step is idempotent.
func (d *Desk) advance(ctx context.Context, id uuid.UUID) (*Request, error) {
	r, err := d.proc.Get(ctx, id)
	if err != nil || r.State != StateInFulfilment {
		return r, err
	}
	finished := true
	var failed []string
	for _, ref := range r.Tasks {
		t, err := d.ensureTask(ctx, r, ref)
		if err != nil {
			return r, err
		}
		l := r.Lines[ref.Line]
		switch t.State {
		case TaskDone:
			continue
		case TaskFailed:
			if d.cfg.OnTaskFailure == ContinueOnFailure {
				failed = append(failed, t.Number)
				continue
			}
		case TaskPending:
			if !lineOrdered(r, l) || d.turn(ctx, r, ref) {
				_, err := d.tasks.Fire(ctx, t.ID, lifecycle.Action[*Task]{Event: TaskEventOpen, Actor: d.sys, Version: t.Version})
				if err != nil && !isTransition(err) {
					return r, err
				}
			}
		}
		finished = false
	}
	if !finished {
		return d.proc.Get(ctx, id)
	}
	return d.complete(ctx, r, failed)
}

// turn reports whether every task before ref on its line is finished.
func (d *Desk) turn(ctx context.Context, r *Request, ref TaskRef) bool {
	for _, o := range r.Tasks {
		if o.Line != ref.Line || o.Step >= ref.Step {
			continue
		}
		t, err := d.tasks.Get(ctx, o.ID)
		if err != nil {
			return false
		}
		if t.State != TaskDone && (t.State != TaskFailed || d.cfg.OnTaskFailure != ContinueOnFailure) {
			return false
		}
	}
	return true
}

// complete finishes a request whose tasks are all finished: it revokes the
// grant a revocation revokes, or fixes and creates the grants of access
// lines, then fires complete.
func (d *Desk) complete(ctx context.Context, r *Request, failed []string) (*Request, error) {
	if r.Revocation() {
		if err := d.revokeGrant(ctx, r); err != nil {
			return r, err
		}
	} else if slices.ContainsFunc(r.Lines, func(l Line) bool { return l.Item.Access != nil && l.Grant == uuid.Nil }) {
		var err error
		r, err = d.proc.Fire(ctx, r.ID, lifecycle.Action[*Request]{Name: "grant", Actor: d.sys,
			Apply: func(r *Request, ed *lifecycle.Edit) error {
				for i := range r.Lines {
					if r.Lines[i].Item.Access == nil || r.Lines[i].Grant != uuid.Nil {
						continue
					}
					id, err := uuid.NewV7()
					if err != nil {
						return err
					}
					lifecycle.Set(ed, lineIndex(i)+".grant", &r.Lines[i].Grant, id)
				}
				return nil
			}})
		if err != nil {
			return d.stuck(ctx, r.ID, err)
		}
	}
	for i, l := range r.Lines {
		if l.Grant != uuid.Nil {
			if err := d.ensureGrant(ctx, r, i); err != nil {
				return r, err
			}
		}
	}
	note := "all fulfilment tasks done"
	if len(failed) > 0 {
		note = "fulfilled with failed tasks: " + strings.Join(failed, ", ")
	}
	id := r.ID
	r, err := d.proc.Fire(ctx, id, lifecycle.Action[*Request]{Event: EventComplete, Actor: d.sys, Note: note, Public: true})
	if err != nil {
		if isTransition(err) {
			return d.proc.Get(ctx, id)
		}
		return d.stuck(ctx, id, err)
	}
	return r, nil
}

// ensureGrant creates the grant that line i of r issues, unless it exists.
func (d *Desk) ensureGrant(ctx context.Context, r *Request, i int) error {
	l := r.Lines[i]
	if _, err := d.grants.Get(ctx, l.Grant); !errors.Is(err, lifecycle.ErrNotFound) {
		return err
	}
	now := d.now()
	g := &Grant{
		User: r.For, Service: l.Item.Access.Service, Role: l.Item.Access.Role, Item: l.Item.ID,
		Request: r.ID, RequestNumber: r.Number, Line: i, GrantedAt: now,
	}
	if days := l.Item.Access.Days; days > 0 {
		g.ExpiresAt = now.AddDate(0, 0, days)
	}
	g.ID = l.Grant
	_, err := d.grants.Create(ctx, g, d.sys, "granted by "+r.Number)
	if errors.Is(err, lifecycle.ErrExists) {
		return nil
	}
	return err
}

// revokeGrant marks the grant that revocation r revokes as revoked.
func (d *Desk) revokeGrant(ctx context.Context, r *Request) error {
	g, err := d.grants.Get(ctx, r.Revokes)
	if err != nil {
		return err
	}
	if g.State != GrantRevoking {
		return nil
	}
	_, err = d.grants.Fire(ctx, g.ID, lifecycle.Action[*Grant]{Event: GrantEventRevoke, Actor: d.sys, Note: "revoked by " + r.Number})
	if err != nil && !isTransition(err) {
		return err
	}
	return nil
}
