package incident

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects incidents. Zero fields do not filter; the set ones must all
// hold (fields AND), and the values given to one field are alternatives
// (values OR): States {"new", "assigned"} matches either, and Open with
// Categories {lifecycle.Resolved} matches nothing.
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
	// Service keeps incidents that affect this business service.
	Service  string
	Category string
	Major    Major
	Parent   uuid.UUID
	Problem  uuid.UUID
	// After and Limit page through the results: pass the last ID of one
	// page as After for the next.
	After uuid.UUID
	Limit int
}

// where returns q's conditions, built with lifecycle.Conds: the set
// fields all hold, and the values given to one field are alternatives. Open
// and Categories are conditions of their own, so Open with Categories
// {Resolved} matches nothing. A store may check the conditions in order on
// each candidate record, so the narrow, single-valued ones come first and
// the state conditions, which usually hold for a large share of records,
// last.
func (q Query) where() lifecycle.Conds {
	var w lifecycle.Conds
	if q.Priority != 0 {
		w.Eq("priority", q.Priority.String())
	}
	w.Eq("group", q.Group)
	w.Eq("assignee", q.Assignee)
	w.Eq("caller", q.Caller)
	w.Eq("ci", q.CI)
	w.Eq("service", q.Service)
	w.Eq("category", q.Category)
	w.Eq("major", string(q.Major))
	w.ID("parent", q.Parent)
	w.ID("problem", q.Problem)
	w.States(q.Open, q.Categories, q.States)
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
