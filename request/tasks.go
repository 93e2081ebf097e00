package request

import (
	"context"
	"iter"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// TaskParams is an action on a fulfilment task.
type TaskParams struct {
	// Task is the task acted on.
	Task uuid.UUID
	// By is who acts: a member of the task's group, usually.
	By itil.Actor
	// Note is journaled; FailTask requires it as the failure's reason.
	Note string
}

// GetTask returns the task with the given ID.
func (d *Desk) GetTask(ctx context.Context, id uuid.UUID) (*Task, error) { return d.tasks.Get(ctx, id) }

// StartTask takes an open task in progress, assigned to by.
func (d *Desk) StartTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := requireActor("by", p.By); err != nil {
		return nil, err
	}
	return d.tasks.Fire(ctx, p.Task, lifecycle.Action[*Task]{Event: TaskEventStart, Actor: p.By, Note: p.Note,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "assignee", &t.Assignee, p.By.ID)
			return nil
		}})
}

// CompleteTask marks an open or in-progress task done. The request moves
// on: the next ordered task opens, and when every task is done the request
// is fulfilled (issuing its grants, for access). The task is returned once
// it is saved; a request that could not be moved on is logged, and Sweep
// moves it on later.
func (d *Desk) CompleteTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := requireActor("by", p.By); err != nil {
		return nil, err
	}
	t, err := d.tasks.Fire(ctx, p.Task, lifecycle.Action[*Task]{Event: TaskEventComplete, Actor: p.By, Note: p.Note,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			if t.Assignee == "" {
				lifecycle.Set(ed, "assignee", &t.Assignee, p.By.ID)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	d.moveOn(ctx, t)
	return t, nil
}

// FailTask marks an open or in-progress task failed, with p.Note as the
// reason (required: a *itil.ValidationError on "note"). Under
// HoldOnFailure the request stays in fulfilment and its journal notes the
// failure until the task is retried; under ContinueOnFailure the request
// moves on as if the task were done.
func (d *Desk) FailTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := requireActor("by", p.By); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(p.Note)
	if reason == "" {
		return nil, &itil.ValidationError{Field: "note", Reason: "required: why the task failed"}
	}
	t, err := d.tasks.Fire(ctx, p.Task, lifecycle.Action[*Task]{Event: TaskEventFail, Actor: p.By, Note: reason,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "failure", &t.Failure, reason)
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if d.cfg.OnTaskFailure == HoldOnFailure {
		_, err := d.proc.Fire(ctx, t.Request, lifecycle.Action[*Request]{Name: "task_failed", Actor: p.By,
			Note: t.Number + " (" + t.Title + ") failed: " + reason})
		if err != nil {
			d.cfg.Logger.WarnContext(ctx, "request: could not note a failed task", "request", t.RequestNumber, "task", t.Number, "err", err)
		}
	}
	d.moveOn(ctx, t)
	return t, nil
}

// RetryTask opens a failed task again.
func (d *Desk) RetryTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := requireActor("by", p.By); err != nil {
		return nil, err
	}
	return d.tasks.Fire(ctx, p.Task, lifecycle.Action[*Task]{Event: TaskEventRetry, Actor: p.By, Note: p.Note})
}

// moveOn advances t's request, logging what fails.
func (d *Desk) moveOn(ctx context.Context, t *Task) {
	if _, err := d.advance(ctx, t.Request); err != nil {
		d.cfg.Logger.WarnContext(ctx, "request: could not move on after a task", "request", t.RequestNumber, "task", t.Number, "err", err)
	}
}

// TaskQuery selects tasks. Zero fields do not filter; the set ones must all
// hold.
type TaskQuery struct {
	// Request keeps the tasks of one request.
	Request uuid.UUID
	// Group and Assignee keep a fulfilment group's or person's tasks.
	Group    string
	Assignee string
	// Open keeps tasks to work on: open or in progress.
	Open bool
	// States keeps tasks in one of these states.
	States []string
	// After and Limit page through the results.
	After uuid.UUID
	Limit int
}

// Tasks yields the tasks that match q, oldest first.
func (d *Desk) Tasks(ctx context.Context, q TaskQuery) iter.Seq2[*Task, error] {
	var w []lifecycle.Cond
	if q.Request != uuid.Nil {
		w = append(w, lifecycle.Eq("request", q.Request.String()))
	}
	if q.Group != "" {
		w = append(w, lifecycle.Eq("group", q.Group))
	}
	if q.Assignee != "" {
		w = append(w, lifecycle.Eq("assignee", q.Assignee))
	}
	if q.Open {
		w = append(w, lifecycle.Eq("state", TaskOpen, TaskInProgress))
	}
	if len(q.States) > 0 {
		w = append(w, lifecycle.Eq("state", q.States...))
	}
	return d.tasks.Find(ctx, lifecycle.Query{Where: w, After: q.After, Limit: q.Limit})
}
