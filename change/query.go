package change

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Query selects changes for Find. Zero fields do not filter; the set ones
// must all hold (fields AND), and a field of several values holds when the
// change has one of them (values OR): Open with Categories
// {lifecycle.Resolved} matches nothing, since no change is both, while
// States {"assess", "authorize"} matches either. The zero Query selects
// every change.
type Query struct {
	// Type, Risk, Template, Category, Requester and Implementer, when set,
	// must equal the change's.
	Type Type
	// Open selects changes still in progress (open or paused states).
	Open bool
	// Categories selects the changes whose state is in one of the
	// categories.
	Categories []lifecycle.Category
	// States selects the changes in one of the states.
	States []string
	// CI selects the changes that touch the CI.
	CI string
	// Service selects the changes that put the business service at risk
	// (Change.Services).
	Service     string
	Requester   string
	Implementer string
	Risk        Risk
	Template    string
	Category    string
	// Awaiting selects the changes whose current round still waits for one
	// of the slots; SlotsOf(actor) lists an actor's. Each slot names one
	// group or person: an empty slot is refused, not matched.
	Awaiting []approval.Slot
	// Link selects the changes linked to the record; it needs the
	// record's kind and ID.
	Link itil.Ref
	// After is the cursor: only changes created after the one with this ID.
	After uuid.UUID
	// Limit caps the number of changes; zero means no cap.
	Limit int
}

// check reports the first bad field of q.
func (q Query) check() error {
	for _, k := range []struct{ field, v string }{
		{"ci", q.CI}, {"service", q.Service}, {"requester", q.Requester}, {"implementer", q.Implementer},
		{"template", q.Template}, {"category", q.Category},
	} {
		if err := checkKey(k.field, k.v); err != nil {
			return err
		}
	}
	for i, c := range q.Categories {
		if !c.Valid() {
			return &itil.ValidationError{Field: fmt.Sprintf("categories[%d]", i), Reason: fmt.Sprintf("undefined value %d", int8(c))}
		}
	}
	for i, st := range q.States {
		field := fmt.Sprintf("states[%d]", i)
		if st == "" {
			return &itil.ValidationError{Field: field, Reason: "empty state name"}
		}
		if err := checkKey(field, st); err != nil {
			return err
		}
	}
	for i, sl := range q.Awaiting {
		if err := checkSlot(fmt.Sprintf("awaiting[%d]", i), sl); err != nil {
			return err
		}
	}
	if q.Link != (itil.Ref{}) {
		if err := q.Link.Validate("link"); err != nil {
			return err
		}
		if err := checkRef("link", q.Link); err != nil {
			return err
		}
	}
	switch {
	case q.Type != 0 && !q.Type.Valid():
		return &itil.ValidationError{Field: "type", Reason: fmt.Sprintf("undefined value %d", int8(q.Type))}
	case q.Risk != 0 && !q.Risk.Valid():
		return &itil.ValidationError{Field: "risk", Reason: fmt.Sprintf("undefined value %d", int8(q.Risk))}
	case q.Limit < 0:
		return &itil.ValidationError{Field: "limit", Reason: "must not be negative"}
	}
	return nil
}

// conds translates q into store conditions, one per field set.
func (q Query) conds() (lifecycle.Conds, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	var w lifecycle.Conds
	w.States(q.Open, q.Categories, q.States)
	if q.Type != 0 {
		w.Eq("type", q.Type.String())
	}
	if q.Risk != 0 {
		w.Eq("risk", q.Risk.String())
	}
	w.Eq("ci", q.CI)
	w.Eq("service", q.Service)
	w.Eq("requester", q.Requester)
	w.Eq("implementer", q.Implementer)
	w.Eq("template", q.Template)
	w.Eq("category", q.Category)
	awaiting := make([]string, len(q.Awaiting))
	for i, s := range q.Awaiting {
		awaiting[i] = s.String()
	}
	w.Eq("awaiting", awaiting...)
	if q.Link != (itil.Ref{}) {
		w.Eq("link", q.Link.Kind+":"+q.Link.ID.String())
	}
	return w, nil
}

// Find yields the changes that match q, in creation order. A bad query
// yields one *itil.ValidationError naming the field: an undefined "type",
// "risk" or "categories[i]", a blank or unstorable name ("ci", "service",
// "states[1]"), an approval slot that names neither or both of a group and
// a person ("awaiting[0]"), a "link" without its kind or ID, a negative
// "limit".
func (m *Manager) Find(ctx context.Context, q Query) iter.Seq2[*Change, error] {
	where, err := q.conds()
	if err != nil {
		return func(yield func(*Change, error) bool) { yield(nil, err) }
	}
	return m.procs[Normal].Find(ctx, lifecycle.Query{Where: where, After: q.After, Limit: q.Limit})
}
