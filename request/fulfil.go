package request

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// The steps of fulfilment below are staged in a txn: a command (an order,
// a decision, a task's completion, a revocation) takes its request as far
// as it goes in the same commit as its own change, so that no request is
// ever stored half way between two steps. Each step reads the records it
// depends on through the txn, which pins them: if another host changes one
// before the commit, the whole command runs again on what that host wrote.

// submitIn takes request id out of submitted: into awaiting approval with
// round, or, when round is zero, approved and on into fulfilment.
func (d *Desk) submitIn(ctx context.Context, x *txn, id uuid.UUID, round approval.Approval) (*Request, error) {
	ev, note := EventSubmit, "approval requested: "+round.Summary()
	if round.IsZero() {
		ev, note = EventApprove, "no approval required"
	}
	r, err := fire(ctx, x, d.proc, id, lifecycle.Action[*Request]{Event: ev, Actor: d.sys, Note: note,
		Apply: func(r *Request, ed *lifecycle.Edit) error {
			if !round.IsZero() {
				ed.Field("approval", r.Approval.Summary(), round.Summary())
				r.Approval = round.Clone()
				lifecycle.Set(ed, "rounds", &r.Rounds, r.Rounds+1)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if r.State == StateApproved {
		return d.startFulfilmentIn(ctx, x, id)
	}
	return r, nil
}

// startFulfilmentIn takes an approved request into fulfilment: it creates
// the planned tasks, fires fulfil and opens the tasks whose turn it is.
func (d *Desk) startFulfilmentIn(ctx context.Context, x *txn, id uuid.UUID) (*Request, error) {
	r, err := d.requestIn(ctx, x, id)
	if err != nil || r.State != StateApproved {
		return r, err
	}
	for _, ref := range r.Tasks {
		if _, err := d.ensureTaskIn(ctx, x, r, ref); err != nil {
			return nil, err
		}
	}
	_, err = fire(ctx, x, d.proc, id, lifecycle.Action[*Request]{Event: EventFulfil, Actor: d.sys,
		Note: fmt.Sprintf("%d fulfilment tasks", len(r.Tasks))})
	if err != nil {
		return nil, err
	}
	return d.advanceIn(ctx, x, id)
}

// ensureTaskIn returns the planned task ref of r, creating it when it does
// not exist yet, assigned by the desk's rules.
func (d *Desk) ensureTaskIn(ctx context.Context, x *txn, r *Request, ref TaskRef) (*Task, error) {
	t, err := d.taskIn(ctx, x, ref.ID)
	if !errors.Is(err, lifecycle.ErrNotFound) {
		return t, err
	}
	l := r.Lines[ref.Line]
	tpl := lineTemplates(r, l)[ref.Step]
	t = &Task{
		Request: r.ID, RequestNumber: r.Number, Line: ref.Line, Step: ref.Step,
		Ordered: lineOrdered(r, l), Title: tpl.Title, Description: tpl.Description,
		Group: tpl.Group, Assignee: tpl.Assignee,
	}
	t.ID = ref.ID
	note, err := d.assignIn(ctx, x, t, l, "for "+r.Number+": "+l.Item.Name)
	if err != nil {
		return nil, err
	}
	if t.Group == "" {
		// The order was checked against the rules; a desk built since
		// with other rules may lack one for the item.
		field := "tasks"
		if r.Revocation() {
			field = "access.revoke_tasks"
		}
		return nil, &itil.ValidationError{Field: fmt.Sprintf("%s.item.%s[%d].group", lineIndex(ref.Line), field, ref.Step),
			Reason: "required: no assignment rule of the desk matches the item"}
	}
	return d.tasks.CreateIn(ctx, x.Tx, t, d.sys, note)
}

// advanceIn moves a request in fulfilment on: it opens the tasks whose
// turn has come (every pending task of a parallel line; the next task of
// an ordered line once those before it are finished) and completes the
// request when every task is finished. A task is finished when done, or
// failed under ContinueOnFailure. It returns the request as x leaves it;
// a request in another state is left as it is.
func (d *Desk) advanceIn(ctx context.Context, x *txn, id uuid.UUID) (*Request, error) {
	r, err := d.requestIn(ctx, x, id)
	if err != nil || r.State != StateInFulfilment {
		return r, err
	}
	tasks := make([]*Task, len(r.Tasks))
	for i, ref := range r.Tasks {
		if tasks[i], err = d.ensureTaskIn(ctx, x, r, ref); err != nil {
			return nil, err
		}
	}
	finished := true
	var failed []string
	for i, ref := range r.Tasks {
		t := tasks[i]
		switch t.State {
		case TaskDone:
			continue
		case TaskFailed:
			if d.cfg.OnTaskFailure == ContinueOnFailure {
				failed = append(failed, t.Number)
				continue
			}
		case TaskPending:
			if !lineOrdered(r, r.Lines[ref.Line]) || d.turn(r, tasks, ref) {
				if _, err := fire(ctx, x, d.tasks, t.ID, lifecycle.Action[*Task]{Event: TaskEventOpen, Actor: d.sys}); err != nil {
					return nil, err
				}
			}
		}
		finished = false
	}
	if !finished {
		return d.requestIn(ctx, x, id)
	}
	return d.completeIn(ctx, x, r, failed)
}

// turn reports whether every task before ref on its line is finished;
// tasks are r's tasks, in the order of r.Tasks.
func (d *Desk) turn(r *Request, tasks []*Task, ref TaskRef) bool {
	for i, o := range r.Tasks {
		if o.Line != ref.Line || o.Step >= ref.Step {
			continue
		}
		if s := tasks[i].State; s != TaskDone && (s != TaskFailed || d.cfg.OnTaskFailure != ContinueOnFailure) {
			return false
		}
	}
	return true
}

// completeIn finishes a request whose tasks are all finished: it revokes
// the grant a revocation revokes, or fixes and creates the grants of
// access lines, then fires complete.
func (d *Desk) completeIn(ctx context.Context, x *txn, r *Request, failed []string) (*Request, error) {
	if r.Revocation() {
		if err := d.revokeGrantIn(ctx, x, r); err != nil {
			return nil, err
		}
	} else if slices.ContainsFunc(r.Lines, func(l Line) bool { return l.Item.Access != nil && l.Grant == uuid.Nil }) {
		var err error
		r, err = fire(ctx, x, d.proc, r.ID, lifecycle.Action[*Request]{Name: "grant", Actor: d.sys,
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
			return nil, err
		}
	}
	for i, l := range r.Lines {
		if l.Grant != uuid.Nil {
			if err := d.ensureGrantIn(ctx, x, r, i); err != nil {
				return nil, err
			}
		}
	}
	note := "all fulfilment tasks done"
	if len(failed) > 0 {
		note = "fulfilled with failed tasks: " + strings.Join(failed, ", ")
	}
	return fire(ctx, x, d.proc, r.ID, lifecycle.Action[*Request]{Event: EventComplete, Actor: d.sys, Note: note, Public: true})
}

// ensureGrantIn creates the grant that line i of r issues, unless it
// exists.
func (d *Desk) ensureGrantIn(ctx context.Context, x *txn, r *Request, i int) error {
	l := r.Lines[i]
	if _, err := d.grantIn(ctx, x, l.Grant); !errors.Is(err, lifecycle.ErrNotFound) {
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
	_, err := d.grants.CreateIn(ctx, x.Tx, g, d.sys, "granted by "+r.Number)
	return err
}

// revokeGrantIn marks the grant that revocation r revokes as revoked.
func (d *Desk) revokeGrantIn(ctx context.Context, x *txn, r *Request) error {
	g, err := d.grantIn(ctx, x, r.Revokes)
	if err != nil {
		return err
	}
	if g.State != GrantRevoking {
		return nil
	}
	_, err = fire(ctx, x, d.grants, g.ID, lifecycle.Action[*Grant]{Event: GrantEventRevoke, Actor: d.sys, Note: "revoked by " + r.Number})
	return err
}
