package request

import (
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// TaskKind is the lifecycle name, and so the record kind, of fulfilment
// tasks.
const TaskKind = "task"

// Task is one piece of fulfilment work for a fulfilment group, created from
// an item's task template when its request is approved. Its notes live in
// its journal.
type Task struct {
	lifecycle.Record

	// Request and RequestNumber link to the request the task fulfils.
	Request       uuid.UUID `json:"request"`
	RequestNumber string    `json:"request_number"`
	// Line and Step place the task: the request line it fulfils and its
	// place among that line's tasks, from 0.
	Line int `json:"line"`
	Step int `json:"step"`
	// Ordered tasks wait in pending until the task before them is done.
	Ordered bool `json:"ordered,omitempty"`
	// Title and Description come from the template.
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Group is the fulfilment group: the template's, or the one the
	// desk's assignment rules chose (see Config.Assignment).
	Group string `json:"group"`
	// Assignee is the member of Group working the task: the template's,
	// the one the group's rule chose, or whoever started it.
	Assignee string `json:"assignee,omitempty"`
	// Failure says why the task last failed.
	Failure string `json:"failure,omitempty"`
	// StartedAt and DoneAt are when work started and when it was done.
	StartedAt time.Time `json:"started_at,omitzero"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// Clone implements lifecycle.Entity.
func (t *Task) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	return &c
}

// Attrs implements lifecycle.Entity: the indexed attributes are request,
// group and assignee.
func (t *Task) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	dst = append(dst,
		lifecycle.Attr{Key: "request", Value: t.Request.String()},
		lifecycle.Attr{Key: "group", Value: t.Group})
	if t.Assignee != "" {
		dst = append(dst, lifecycle.Attr{Key: "assignee", Value: t.Assignee})
	}
	return dst
}

// FieldSet implements lifecycle.FieldChecker: title, group, assignee and
// failure.
func (t *Task) FieldSet(name string) (set, known bool) {
	switch name {
	case "title":
		return t.Title != "", true
	case "group":
		return t.Group != "", true
	case "assignee":
		return t.Assignee != "", true
	case "failure":
		return t.Failure != "", true
	}
	return false, false
}
