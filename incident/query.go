package incident

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects incidents. Zero fields do not filter; the set ones must all
// hold.
type Query struct {
	// Open keeps incidents that still need work (open or paused states).
	Open bool
	// Categories keeps incidents whose state is in one of these categories.
	Categories []lifecycle.Category
	// States keeps incidents in one of these states.
	States   []string
	Priority itil.Priority
	Group    string
	Assignee string
	Caller   string
	CI       string
	Category string
	Major    Major
	Parent   uuid.UUID
	Problem  uuid.UUID
	// After and Limit page through the results: pass the last ID of one
	// page as After for the next.
	After uuid.UUID
	Limit int
}

// where returns q's conditions. A store may check them in order on each
// candidate record, so the narrow, single-valued ones come first and the
// state conditions, which usually hold for a large share of records, last.
func (q Query) where() []lifecycle.Cond {
	var w []lifecycle.Cond
	if q.Priority != 0 {
		w = append(w, lifecycle.Eq("priority", q.Priority.String()))
	}
	for _, kv := range [...][2]string{
		{"group", q.Group}, {"assignee", q.Assignee}, {"caller", q.Caller},
		{"ci", q.CI}, {"category", q.Category}, {"major", string(q.Major)},
	} {
		if kv[1] != "" {
			w = append(w, lifecycle.Eq(kv[0], kv[1]))
		}
	}
	if q.Parent != uuid.Nil {
		w = append(w, lifecycle.Eq("parent", q.Parent.String()))
	}
	if q.Problem != uuid.Nil {
		w = append(w, lifecycle.Eq("problem", q.Problem.String()))
	}
	if len(q.States) > 0 {
		w = append(w, lifecycle.Eq("state", q.States...))
	}
	if len(q.Categories) > 0 {
		w = append(w, lifecycle.InCategories(q.Categories...))
	}
	if q.Open { // a condition of its own: with Categories, both must hold
		w = append(w, lifecycle.Active())
	}
	return w
}

// check refuses the texts of q that no record could hold, as a
// *itil.ValidationError naming the field, so that every store answers a
// bad query the same way.
func (q Query) check() error {
	if err := itil.CheckTexts("states", q.States, MaxName); err != nil {
		return err
	}
	for _, t := range [...][2]string{
		{"group", q.Group}, {"assignee", q.Assignee}, {"caller", q.Caller},
		{"ci", q.CI}, {"category", q.Category}, {"major", string(q.Major)},
	} {
		if err := itil.CheckText(t[0], t[1], MaxName); err != nil {
			return err
		}
	}
	return nil
}

// Find yields the incidents that match q, oldest first. A query with a
// text that is not valid UTF-8, holds a NUL or is longer than MaxName
// yields a *itil.ValidationError naming the field.
func (d *Desk) Find(ctx context.Context, q Query) iter.Seq2[*Incident, error] {
	if err := q.check(); err != nil {
		return func(yield func(*Incident, error) bool) { yield(nil, err) }
	}
	return d.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}
