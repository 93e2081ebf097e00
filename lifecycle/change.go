package lifecycle

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// Change is one entry of a record's journal and, at the same time, one
// notification: every create, transition and edit yields exactly one. The
// store appends it in the same write as the record, to a log that is both the
// journal (read per record) and the outbox (read in order by the dispatcher).
type Change struct {
	// ID is stable across redeliveries: receivers deduplicate on it.
	ID uuid.UUID `json:"id"`
	// Seq is the change's position in the store's log, assigned by the store.
	Seq int64 `json:"seq"`
	// Kind, RecordID and Number identify the record.
	Kind     string    `json:"kind"`
	RecordID uuid.UUID `json:"record_id"`
	Number   string    `json:"number"`
	// Version is the record's version after the change.
	Version int64 `json:"version"`
	// Event is the lifecycle event, EventCreate, EventUpdate, or a process's
	// own name for an edit ("comment", "escalate", "sla_warning").
	Event string `json:"event"`
	// From and To are the states before and after; equal when only fields
	// changed. From is empty on create.
	From string `json:"from,omitempty"`
	To   string `json:"to"`
	// Actor is who made the change.
	Actor itil.Actor `json:"actor"`
	// At is when, from the runner's clock.
	At time.Time `json:"at"`
	// Note is free text: a work note, a reason, a comment.
	Note string `json:"note,omitempty"`
	// Public marks the note as visible to the record's caller or requester
	// (a comment); otherwise it is for the people working the record.
	Public bool `json:"public,omitempty"`
	// Fields lists the fields that changed.
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one changed field: its name and its values before and after,
// as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// Clone returns a copy of c that shares no memory with it.
func (c Change) Clone() Change {
	c.Fields = slices.Clone(c.Fields)
	c.Actor.Groups = slices.Clone(c.Actor.Groups)
	return c
}

// Edit collects the field changes an action makes, for the journal.
type Edit struct {
	fields []FieldChange
}

// Field notes that field changed from old to new. Values are formatted as
// FormatValue does; nothing is recorded when both format the same.
func (e *Edit) Field(field string, old, new any) {
	o, n := FormatValue(old), FormatValue(new)
	if o == n {
		return
	}
	for i := range e.fields {
		if e.fields[i].Field == field { // keep the first old value
			e.fields[i].New = n
			if e.fields[i].Old == n {
				e.fields = slices.Delete(e.fields, i, i+1)
			}
			return
		}
	}
	e.fields = append(e.fields, FieldChange{Field: field, Old: o, New: n})
}

// Changed reports whether any field change was recorded.
func (e *Edit) Changed() bool { return len(e.fields) > 0 }

// Fields returns the recorded changes.
func (e *Edit) Fields() []FieldChange { return slices.Clone(e.fields) }

// Set assigns v to *dst and records the change under field when the value
// differs.
func Set[V comparable](e *Edit, field string, dst *V, v V) {
	if *dst == v {
		return
	}
	e.Field(field, *dst, v)
	*dst = v
}
