package problem

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects problems. Zero fields do not filter; the set ones must all
// hold (fields AND), and a problem matches a field given several values
// when it has one of them (values OR): Open with Categories {Resolved}
// matches nothing, States {"new", "assess"} either state.
type Query struct {
	// Open keeps problems that still need work (open or paused states),
	// whatever Categories holds.
	Open bool
	// Categories keeps problems whose state is in one of these categories.
	Categories []lifecycle.Category
	// States keeps problems in one of these states.
	States   []string
	Priority itil.Priority
	Group    string
	Assignee string
	CI       string
	Category string
	// CauseCode keeps problems whose root cause has this code.
	CauseCode string
	// KnownError keeps known errors.
	KnownError bool
	// Incident keeps the problems linked to this incident; Change those
	// linked to this change.
	Incident uuid.UUID
	Change   uuid.UUID
	// After and Limit page through the results: pass the last ID of one
	// page as After for the next.
	After uuid.UUID
	Limit int
}

func (q Query) where() lifecycle.Conds {
	var w lifecycle.Conds
	w.States(q.Open, q.Categories, q.States)
	if q.Priority != 0 {
		w.Eq("priority", q.Priority.String())
	}
	if q.KnownError {
		w.Eq("known_error", "true")
	}
	w.Eq("group", q.Group)
	w.Eq("assignee", q.Assignee)
	w.Eq("ci", q.CI)
	w.Eq("category", q.Category)
	w.Eq("cause_code", q.CauseCode)
	w.ID("incident", q.Incident)
	w.ID("change", q.Change)
	return w
}

// Find yields the problems that match q, oldest first.
func (m *Manager) Find(ctx context.Context, q Query) iter.Seq2[*Problem, error] {
	return m.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}
