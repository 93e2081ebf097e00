package problem

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Query selects problems. Zero fields do not filter; the set ones must all
// hold.
type Query struct {
	// Open keeps problems that still need work (open or paused states).
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

func (q Query) where() []lifecycle.Cond {
	var w []lifecycle.Cond
	cats := q.Categories
	if q.Open {
		cats = append(cats[:len(cats):len(cats)], lifecycle.Open, lifecycle.Paused)
	}
	if len(cats) > 0 {
		w = append(w, lifecycle.InCategories(cats...))
	}
	if len(q.States) > 0 {
		w = append(w, lifecycle.Eq("state", q.States...))
	}
	if q.Priority != 0 {
		w = append(w, lifecycle.Eq("priority", q.Priority.String()))
	}
	if q.KnownError {
		w = append(w, lifecycle.Eq("known_error", "true"))
	}
	for _, kv := range [...][2]string{
		{"group", q.Group}, {"assignee", q.Assignee}, {"ci", q.CI},
		{"category", q.Category}, {"cause_code", q.CauseCode},
	} {
		if kv[1] != "" {
			w = append(w, lifecycle.Eq(kv[0], kv[1]))
		}
	}
	if q.Incident != uuid.Nil {
		w = append(w, lifecycle.Eq("incident", q.Incident.String()))
	}
	if q.Change != uuid.Nil {
		w = append(w, lifecycle.Eq("change", q.Change.String()))
	}
	return w
}

// Find yields the problems that match q, oldest first.
func (m *Manager) Find(ctx context.Context, q Query) iter.Seq2[*Problem, error] {
	return m.proc.Find(ctx, lifecycle.Query{Where: q.where(), After: q.After, Limit: q.Limit})
}
