package request

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// guard checks the desk's rules before every request transition: a
// revocation may not be cancelled.
func (d *Desk) guard(_ context.Context, f *lifecycle.Firing) error {
	r := f.Entity.(*Request)
	if f.ToCategory == lifecycle.Cancelled && f.To != StateRejected && r.Revocation() {
		return fmt.Errorf("%s revokes a grant: %w", r.Number, ErrNotCancellable)
	}
	return nil
}

// enter keeps a request's timestamps, task plan and SLA clocks in step with
// its state whenever it enters a new one.
func (d *Desk) enter(_ context.Context, f *lifecycle.Firing) error {
	r := f.Entity.(*Request)
	switch {
	case f.To == StateApproved:
		lifecycle.Set(f.Edit, "approved_at", &r.ApprovedAt, f.At)
		if len(r.Tasks) == 0 {
			if err := plan(r); err != nil {
				return err
			}
			f.Edit.Field("tasks", 0, len(r.Tasks))
		}
	case f.ToCategory == lifecycle.Resolved:
		lifecycle.Set(f.Edit, "fulfilled_at", &r.FulfilledAt, f.At)
	case f.ToCategory == lifecycle.Closed || f.To == StateCancelled:
		lifecycle.Set(f.Edit, "closed_at", &r.ClosedAt, f.At)
	}
	_, err := d.applySLA(r, f.Edit, f.ToCategory, f.To != d.def.Initial().Name, f.At)
	return err
}

// plan fixes the request's fulfilment tasks: one per task template of each
// line (the revocation tasks for a revocation), with their IDs, so that
// each is created exactly once however often creation is retried.
func plan(r *Request) error {
	for i, l := range r.Lines {
		for j := range lineTemplates(r, l) {
			id, err := uuid.NewV7()
			if err != nil {
				return err
			}
			r.Tasks = append(r.Tasks, TaskRef{ID: id, Line: i, Step: j})
		}
	}
	return nil
}

// lineTemplates returns the task templates that fulfil line l of r.
func lineTemplates(r *Request, l Line) []TaskTemplate {
	if r.Revocation() {
		if l.Item.Access == nil {
			return nil
		}
		return l.Item.Access.RevokeTasks
	}
	return l.Item.Tasks
}

// lineOrdered reports whether line l's tasks run one after another.
func lineOrdered(r *Request, l Line) bool { return r.Revocation() || l.Item.TaskOrder != Parallel }

// slaPriority is the priority under which a request's clocks run: requests
// have none of their own, and their item's targets apply to every priority.
const slaPriority = itil.P4

// applySLA brings the request's clocks up to date for category cat at now,
// journaling each warning or breach once, as field "sla.<clock>", and
// returns them.
func (d *Desk) applySLA(r *Request, ed *lifecycle.Edit, cat lifecycle.Category, responded bool, now time.Time) ([]sla.Crossing, error) {
	crossings, err := r.SLA.Apply(d.slaPolicy(r), sla.Facts{Priority: slaPriority, Category: cat, Responded: responded}, now)
	if err != nil {
		return nil, prefixed("sla.", err)
	}
	for _, c := range crossings {
		ed.Field("sla."+c.Clock, "", c.Kind.String())
	}
	return crossings, nil
}

// sweepSLA is the SLA sweep of the desk's requests: what the enter hook
// does on a transition, for the requests nobody touches.
func (d *Desk) sweepSLA() sla.Sweeper[*Request] {
	return sla.Sweeper[*Request]{
		Process: d.proc,
		Clocks:  func(r *Request) *sla.Set { return &r.SLA },
		Apply: func(r *Request, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
			return d.applySLA(r, ed, r.StateCategory, r.State != d.def.Initial().Name, now)
		},
		Actor: d.sweeper,
	}
}

// slaPolicy is the policy of r's clocks: its items' targets, at every
// priority, on the desk's calendars.
func (d *Desk) slaPolicy(r *Request) *sla.Policy {
	p := &sla.Policy{Calendars: d.cfg.Calendars, WarnPercent: d.cfg.WarnPercent, Targets: map[itil.Priority]sla.Targets{}}
	for pr := itil.P1; pr <= itil.P5; pr++ {
		p.Targets[pr] = r.SLATargets
	}
	return p
}

// enterTask keeps a task's timestamps in step with its state.
func enterTask(_ context.Context, f *lifecycle.Firing) error {
	t := f.Entity.(*Task)
	switch f.To {
	case TaskInProgress:
		if t.StartedAt.IsZero() {
			lifecycle.Set(f.Edit, "started_at", &t.StartedAt, f.At)
		}
	case TaskDone:
		lifecycle.Set(f.Edit, "done_at", &t.DoneAt, f.At)
	}
	return nil
}

// enterGrant records when a grant was revoked.
func enterGrant(_ context.Context, f *lifecycle.Firing) error {
	g := f.Entity.(*Grant)
	if f.To == GrantRevoked {
		lifecycle.Set(f.Edit, "revoked_at", &g.RevokedAt, f.At)
	}
	return nil
}
