package request

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// AssignTaskParams hands a fulfilment task to a group and, optionally, one
// of its members. Its first five fields are those of Params.
type AssignTaskParams struct {
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Group is the fulfilment group the task goes to; required.
	Group string
	// Assignee is the member of Group who does the task. Empty lets the
	// group's first assignment rule choose (see Config.Assignment), or,
	// without one, leaves the task in the group's queue.
	Assignee string
}

// AssignTask hands a task that is not done to p.Group and p.Assignee; the
// task keeps its state. Without an assignee, the first rule of
// Config.Assignment for the group chooses the person in the same commit
// (a round-robin turn is taken there), and the journal note names the
// rule.
//
// Errors: a *itil.ValidationError on "id", "by", "note", "fields.NAME",
// "group" (required) or "assignee" (not fit text, or no one named nor
// chosen for a task in progress); a *lifecycle.TransitionError when the
// task is done; lifecycle.ErrNotFound; lifecycle.ErrForbidden from the
// Authorizer; lifecycle.ErrConflict for a stale Version.
func (d *Desk) AssignTask(ctx context.Context, p AssignTaskParams) (*Task, error) {
	if err := checkTask(TaskParams{ID: p.ID, By: p.By, Note: p.Note}); err != nil {
		return nil, err
	}
	if err := checkTexts(text{"group", p.Group, MaxNameLength}, text{"assignee", p.Assignee, MaxNameLength}); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(p.Group) == "":
		return nil, &itil.ValidationError{Field: "group", Reason: "required: the fulfilment group"}
	case p.Assignee != "" && strings.TrimSpace(p.Assignee) == "":
		return nil, &itil.ValidationError{Field: "assignee", Reason: "blank"}
	}
	var out *Task
	err := d.atomic(ctx, func(x *txn) error {
		assignee, note := p.Assignee, p.Note
		if rule, ok := d.groupRule(p.Group); ok && assignee == "" {
			who, err := d.chooseIn(ctx, x, rule)
			if err != nil {
				return err
			}
			assignee = who
			note = joinNote(note, assign.Decision{Rule: rule.Name, Group: p.Group, Assignee: who}.Note())
		}
		var err error
		out, err = fire(ctx, x, d.tasks, p.ID, lifecycle.Action[*Task]{Name: "assign", Actor: p.By, Note: note,
			Version: p.Version, Fields: p.Fields,
			Apply: func(t *Task, ed *lifecycle.Edit) error {
				switch {
				case t.StateCategory == lifecycle.Closed:
					return d.tasks.Definition().TransitionError("assign", t.State)
				case t.State == TaskInProgress && assignee == "":
					return &itil.ValidationError{Field: "assignee", Reason: "required: " + t.Number + " is in progress"}
				}
				lifecycle.Set(ed, "group", &t.Group, p.Group)
				lifecycle.Set(ed, "assignee", &t.Assignee, assignee)
				return nil
			}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// groupRule returns the first assignment rule for group whose strategy
// chooses a person.
func (d *Desk) groupRule(group string) (assign.Rule, bool) {
	if d.cfg.Assignment == nil {
		return assign.Rule{}, false
	}
	r, ok := d.cfg.Assignment.ForGroup(group)
	return r, ok && r.Strategy != assign.GroupOnly
}

// assignIn gives task t, about to be created in x for line l, the group
// and person the desk's rules choose, and returns the creation's note
// with the decision added. A template's assignee is kept as it is.
func (d *Desk) assignIn(ctx context.Context, x *txn, t *Task, l Line, note string) (string, error) {
	if d.cfg.Assignment == nil || t.Assignee != "" {
		return note, nil
	}
	var rule assign.Rule
	var ok bool
	if t.Group == "" {
		rule, ok = d.cfg.Assignment.Match(itemFacts(&l.Item))
	} else {
		rule, ok = d.groupRule(t.Group)
	}
	if !ok {
		return note, nil
	}
	who, err := d.chooseIn(ctx, x, rule)
	if err != nil {
		return "", err
	}
	t.Group, t.Assignee = rule.Group, who
	return joinNote(note, assign.Decision{Rule: rule.Name, Group: rule.Group, Assignee: who}.Note()), nil
}

// chooseIn returns the person rule chooses in x: once per rule and
// commit, so that the tasks of one request that a rule assigns together
// go to one person, on one turn of a round robin.
func (d *Desk) chooseIn(ctx context.Context, x *txn, rule assign.Rule) (string, error) {
	if who, ok := x.chosen[rule.Name]; ok {
		return who, nil
	}
	who, err := d.cfg.Assignment.Choose(ctx, x.Tx, rule, d.taskLoad)
	if err != nil {
		return "", err
	}
	x.chosen[rule.Name] = who
	return who, nil
}

// taskLoad is how many unfinished tasks person holds (pending, open or in
// progress), for the assignment strategies that weigh it.
func (d *Desk) taskLoad(ctx context.Context, person string) (int, error) {
	var w lifecycle.Conds
	w.Eq("assignee", person)
	w.Eq("state", TaskPending, TaskOpen, TaskInProgress)
	n := 0
	for _, err := range d.tasks.Find(ctx, lifecycle.Query{Where: w}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// itemFacts are what the assignment rules know of the tasks of an item:
// its category and, for an access item, the service it grants.
func itemFacts(it *Item) assign.Facts {
	f := assign.Facts{Category: it.Category}
	if it.Access != nil {
		f.Services = []string{it.Access.Service}
	}
	return f
}

// checkAssignable reports, as a *itil.ValidationError on
// "tasks[N].group" or "access.revoke_tasks[N].group", a task template of
// it that names no group when rules give it none.
func checkAssignable(rules *assign.Rules, it *Item) error {
	lists := []struct {
		field string
		tasks []TaskTemplate
	}{{"tasks", it.Tasks}}
	if it.Access != nil {
		lists = append(lists, struct {
			field string
			tasks []TaskTemplate
		}{"access.revoke_tasks", it.Access.RevokeTasks})
	}
	for _, l := range lists {
		for i, t := range l.tasks {
			if t.Group != "" {
				continue
			}
			field := fmt.Sprintf("%s[%d].group", l.field, i)
			if rules == nil {
				return &itil.ValidationError{Field: field, Reason: "required: the desk has no assignment rules to choose the fulfilment group"}
			}
			if _, ok := rules.Match(itemFacts(it)); !ok {
				return &itil.ValidationError{Field: field, Reason: "required: no assignment rule of the desk matches the item"}
			}
		}
	}
	return nil
}

// joinNote appends more to a journal note.
func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "\n" + more
}
