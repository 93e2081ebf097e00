package problem

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// Draft is a new problem as logged. Its texts are kept as given, within
// the limits of MaxTitle, MaxName and MaxText.
type Draft struct {
	// ID, when set, is the new problem's ID (a UUIDv7 is drawn otherwise):
	// a host that retries an Open after a lost answer gets
	// lifecycle.ErrExists instead of a second problem.
	ID uuid.UUID
	// Title is required, at most MaxTitle characters.
	Title string
	// Description is at most MaxText characters.
	Description string
	// Category is at most MaxName characters.
	Category string
	// Impact and Urgency are required; Priority follows from them.
	Impact  itil.Impact
	Urgency itil.Urgency
	// CIs are distinct names of at most MaxName characters.
	CIs []string
	// Group and Assignee name the problem management group and owner, in
	// at most MaxName characters each.
	Group    string
	Assignee string
	// Incidents are linked to the new problem, both sides journaled, in
	// the commit that stores it. Each must exist and be neither closed nor
	// cancelled.
	Incidents []uuid.UUID
	// By is who logs the problem; required.
	By itil.Actor
	// Note is journaled with the problem's creation, in at most MaxText
	// characters.
	Note string
	// Fields sets custom fields of the new problem, as the lifecycle
	// declares them; a value the declaration refuses is a
	// *itil.ValidationError naming "fields.NAME".
	Fields map[string]string
}

func (dr *Draft) validate() error {
	switch {
	case strings.TrimSpace(dr.Title) == "":
		return &itil.ValidationError{Field: "title", Reason: "required"}
	case !dr.Impact.Valid():
		return &itil.ValidationError{Field: "impact", Reason: "required: high, medium or low"}
	case !dr.Urgency.Valid():
		return &itil.ValidationError{Field: "urgency", Reason: "required: high, medium or low"}
	case dr.Assignee != "" && dr.Group == "":
		return &itil.ValidationError{Field: "group", Reason: "an assignee needs a group"}
	}
	for _, t := range []struct {
		field, text string
		max         int
	}{
		{"title", dr.Title, MaxTitle},
		{"description", dr.Description, MaxText},
		{"category", dr.Category, MaxName},
		{"group", dr.Group, MaxName},
		{"assignee", dr.Assignee, MaxName},
		{"note", dr.Note, MaxText},
	} {
		if err := itil.CheckText(t.field, t.text, t.max); err != nil {
			return err
		}
	}
	if err := checkActor(dr.By); err != nil {
		return err
	}
	if err := checkNames("cis", dr.CIs); err != nil {
		return err
	}
	for i, id := range dr.Incidents {
		field := fmt.Sprintf("incidents[%d]", i)
		if id == uuid.Nil {
			return &itil.ValidationError{Field: field, Reason: "required"}
		}
		if slices.Contains(dr.Incidents[:i], id) {
			return &itil.ValidationError{Field: field, Reason: "listed twice"}
		}
	}
	return nil
}

// Open logs a new problem in the initial state, with its priority from the
// manager's matrix, and links the draft's incidents to it: the problem and
// every link, on both sides, are saved in one commit, or nothing is. An
// incident that cannot be linked (unknown, closed, cancelled, or refused by
// the desk) fails the whole with an error naming it as "incidents[i]".
func (m *Manager) Open(ctx context.Context, dr Draft) (*Problem, error) {
	if err := dr.validate(); err != nil {
		return nil, err
	}
	prio, err := m.cfg.Matrix.Priority(dr.Impact, dr.Urgency)
	if err != nil {
		return nil, err
	}
	if dr.ID != uuid.Nil {
		// A taken ID fails at once, not once per retry of the commit.
		switch _, err := m.proc.Store().Get(ctx, dr.ID, newProblem); {
		case err == nil:
			return nil, fmt.Errorf("problem %s: %w", dr.ID, lifecycle.ErrExists)
		case !errors.Is(err, lifecycle.ErrNotFound):
			return nil, err
		}
	}
	// Check the incidents before a number is drawn for the problem.
	for i, id := range dr.Incidents {
		inc, err := m.desk.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("incidents[%d]: %w", i, err)
		}
		if err := linkable(fmt.Sprintf("incidents[%d]", i), inc); err != nil {
			return nil, err
		}
	}
	var out *Problem
	err = m.atomic(ctx, func(tx *lifecycle.Tx) error {
		group, assignee, note := dr.Group, dr.Assignee, dr.Note
		if m.cfg.Assignment != nil && group == "" {
			f := assign.Facts{Category: dr.Category, Priority: prio}
			if err := assign.Describe(ctx, m.cfg.Classifier, &f, dr.CIs); err != nil {
				return err
			}
			dec, ok, err := m.cfg.Assignment.Decide(ctx, tx, f, m.openLoad)
			if err != nil {
				return err
			}
			if ok {
				group, assignee, note = dec.Group, dec.Assignee, joinNote(note, dec.Note())
			}
		}
		p, err := m.proc.CreateIn(ctx, tx, &Problem{
			Record: lifecycle.Record{ID: dr.ID, Fields: maps.Clone(dr.Fields)},

			Title: dr.Title, Description: dr.Description, Category: dr.Category,
			Impact: dr.Impact, Urgency: dr.Urgency, Priority: prio,
			Group: group, Assignee: assignee, CIs: slices.Clone(dr.CIs),
		}, dr.By, note)
		if err != nil {
			return err
		}
		for i, id := range dr.Incidents {
			if p, err = m.linkIn(ctx, tx, LinkIncidentParams{ID: p.ID, By: dr.By, Incident: id}, fmt.Sprintf("incidents[%d]", i)); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
