package request

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// TaskParams is Params, for the commands on a fulfilment task: ID is the
// task's, By who acts (a member of the task's group, usually), Note is
// journaled (FailTask requires it, as the failure's reason), and Fields
// sets the task's custom fields.
type TaskParams = Params

// GetTask returns the task with the given ID.
func (d *Desk) GetTask(ctx context.Context, id uuid.UUID) (*Task, error) { return d.tasks.Get(ctx, id) }

// checkTask checks the parameters every task command takes: a task ("id"),
// an actor ("by") and a note that is UTF-8 without NUL characters, at most
// MaxTextLength characters.
func checkTask(p TaskParams) error {
	if err := requireID("id", p.ID); err != nil {
		return err
	}
	if err := checkActor("by", p.By); err != nil {
		return err
	}
	return itil.CheckText("note", p.Note, MaxTextLength)
}

// StartTask takes an open task in progress, assigned to by.
//
// Errors: a *itil.ValidationError on "id", "by", "note" or "fields.NAME"
// (see TaskParams); a *lifecycle.TransitionError when the task is not
// open; lifecycle.ErrConflict for a stale Version.
func (d *Desk) StartTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := checkTask(p); err != nil {
		return nil, err
	}
	return d.tasks.Fire(ctx, p.ID, lifecycle.Action[*Task]{Event: TaskEventStart, Actor: p.By, Note: p.Note, Version: p.Version, Fields: p.Fields,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "assignee", &t.Assignee, p.By.ID)
			return nil
		}})
}

// CompleteTask marks an open or in-progress task done, and moves its
// request on in the same commit: the next ordered task opens, and when
// every task is done the request is fulfilled (issuing its grants, for
// access). If any of it fails, the task is left as it was.
func (d *Desk) CompleteTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := checkTask(p); err != nil {
		return nil, err
	}
	return d.taskAction(ctx, p.ID, lifecycle.Action[*Task]{Event: TaskEventComplete, Actor: p.By, Note: p.Note, Version: p.Version, Fields: p.Fields,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			if t.Assignee == "" {
				lifecycle.Set(ed, "assignee", &t.Assignee, p.By.ID)
			}
			return nil
		}}, nil)
}

// FailTask marks an open or in-progress task failed, with p.Note as the
// reason (required: a *itil.ValidationError on "note"). Under
// HoldOnFailure the request stays in fulfilment and its journal notes the
// failure, in the same commit, until the task is retried; under
// ContinueOnFailure the request moves on as if the task were done.
func (d *Desk) FailTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := checkTask(p); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(p.Note)
	if reason == "" {
		return nil, &itil.ValidationError{Field: "note", Reason: "required: why the task failed"}
	}
	return d.taskAction(ctx, p.ID, lifecycle.Action[*Task]{Event: TaskEventFail, Actor: p.By, Note: reason, Version: p.Version, Fields: p.Fields,
		Apply: func(t *Task, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "failure", &t.Failure, reason)
			return nil
		}},
		func(ctx context.Context, x *txn, t *Task) error {
			if d.cfg.OnTaskFailure != HoldOnFailure {
				return nil
			}
			_, err := fire(ctx, x, d.proc, t.Request, lifecycle.Action[*Request]{Name: "task_failed", Actor: p.By,
				Note: t.Number + " (" + t.Title + ") failed: " + reason})
			return err
		})
}

// taskAction fires a on task id and, in the same commit, runs then (when
// set) and moves the task's request on.
func (d *Desk) taskAction(ctx context.Context, id uuid.UUID, a lifecycle.Action[*Task], then func(context.Context, *txn, *Task) error) (*Task, error) {
	var out *Task
	err := d.atomic(ctx, func(x *txn) error {
		t, err := fire(ctx, x, d.tasks, id, a)
		if err != nil {
			return err
		}
		if then != nil {
			if err := then(ctx, x, t); err != nil {
				return err
			}
		}
		if _, err := d.advanceIn(ctx, x, t.Request); err != nil {
			return err
		}
		out, err = d.taskIn(ctx, x, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RetryTask opens a failed task again. Its request must still be in
// fulfilment (else an error wrapping ErrNotInFulfilment): the failed task
// of a request fulfilled under ContinueOnFailure stays failed.
func (d *Desk) RetryTask(ctx context.Context, p TaskParams) (*Task, error) {
	if err := checkTask(p); err != nil {
		return nil, err
	}
	var out *Task
	err := d.atomic(ctx, func(x *txn) error {
		t, err := d.taskIn(ctx, x, p.ID)
		if err != nil {
			return err
		}
		r, err := d.requestIn(ctx, x, t.Request)
		if err != nil {
			return err
		}
		if r.State != StateInFulfilment {
			return fmt.Errorf("%s belongs to %s, which is %s: %w", t.Number, r.Number, r.State, ErrNotInFulfilment)
		}
		out, err = fire(ctx, x, d.tasks, p.ID, lifecycle.Action[*Task]{Event: TaskEventRetry, Actor: p.By, Note: p.Note,
			Version: p.Version, Fields: p.Fields})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TaskQuery selects tasks. Zero fields do not filter; the set ones must all
// hold (fields AND), and a task matches a field of several values when it
// has one of them (values OR): Open with States {"failed"} matches
// nothing.
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

// Tasks yields the tasks that match q, oldest first. A group or assignee
// that is not fit text (see Order) or a state the task lifecycle does not
// have yields a *itil.ValidationError on "group", "assignee" or
// "states[N]".
func (d *Desk) Tasks(ctx context.Context, q TaskQuery) iter.Seq2[*Task, error] {
	if err := checkTexts(text{"group", q.Group, MaxNameLength}, text{"assignee", q.Assignee, MaxNameLength}); err != nil {
		return refused[*Task](err)
	}
	if err := checkStates(d.tasks.Definition(), q.States); err != nil {
		return refused[*Task](err)
	}
	var w lifecycle.Conds
	w.ID("request", q.Request)
	w.Eq("group", q.Group)
	w.Eq("assignee", q.Assignee)
	if q.Open {
		w.Eq("state", TaskOpen, TaskInProgress)
	}
	w.Eq("state", q.States...)
	return d.tasks.Find(ctx, lifecycle.Query{Where: w, After: q.After, Limit: q.Limit})
}
