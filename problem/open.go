package problem

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// maxTitle is the longest title a problem may have, in bytes.
const maxTitle = 200

// Draft is a new problem as logged.
type Draft struct {
	Title       string
	Description string
	Category    string
	// Impact and Urgency are required; Priority follows from them.
	Impact  itil.Impact
	Urgency itil.Urgency
	CIs     []string
	// Group and Assignee name the problem management group and owner.
	Group    string
	Assignee string
	// Incidents are linked to the new problem, both sides journaled. Each
	// must exist and be neither closed nor cancelled.
	Incidents []uuid.UUID
	// By is who logs the problem; required.
	By   itil.Actor
	Note string
}

func (dr *Draft) validate() error {
	switch {
	case strings.TrimSpace(dr.Title) == "":
		return &itil.ValidationError{Field: "title", Reason: "required"}
	case len(dr.Title) > maxTitle:
		return &itil.ValidationError{Field: "title", Reason: fmt.Sprintf("longer than %d characters", maxTitle)}
	case !dr.Impact.Valid():
		return &itil.ValidationError{Field: "impact", Reason: "required: high, medium or low"}
	case !dr.Urgency.Valid():
		return &itil.ValidationError{Field: "urgency", Reason: "required: high, medium or low"}
	case dr.Assignee != "" && dr.Group == "":
		return &itil.ValidationError{Field: "group", Reason: "an assignee needs a group"}
	}
	if err := requireActor(dr.By); err != nil {
		return err
	}
	if err := validCIs("cis", dr.CIs); err != nil {
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
// manager's matrix, and links the draft's incidents to it. The incidents are
// checked before the problem is stored; one that is closed or cancelled
// meanwhile is logged and left unlinked.
func (m *Manager) Open(ctx context.Context, dr Draft) (*Problem, error) {
	if err := dr.validate(); err != nil {
		return nil, err
	}
	prio, err := m.cfg.Matrix.Priority(dr.Impact, dr.Urgency)
	if err != nil {
		return nil, err
	}
	for i, id := range dr.Incidents {
		inc, err := m.desk.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("incidents[%d]: %w", i, err)
		}
		if err := linkable(fmt.Sprintf("incidents[%d]", i), inc); err != nil {
			return nil, err
		}
	}
	p, err := m.proc.Create(ctx, &Problem{
		Title: strings.TrimSpace(dr.Title), Description: dr.Description, Category: dr.Category,
		Impact: dr.Impact, Urgency: dr.Urgency, Priority: prio,
		Group: dr.Group, Assignee: dr.Assignee, CIs: slices.Clone(dr.CIs),
	}, dr.By, dr.Note)
	if err != nil {
		return nil, err
	}
	for _, id := range dr.Incidents {
		linked, err := m.LinkIncident(ctx, p.ID, id, dr.By)
		if err != nil {
			m.cfg.Logger.WarnContext(ctx, "linking an incident to a new problem", slog.String("problem", p.Number),
				slog.String("incident", id.String()), slog.Any("error", err))
			continue
		}
		p = linked
	}
	return p, nil
}

// validCIs checks a list of CI names.
func validCIs(field string, cis []string) error {
	for i, ci := range cis {
		if ci == "" {
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: "empty CI name"}
		}
		if slices.Contains(cis[:i], ci) {
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: fmt.Sprintf("CI %q listed twice", ci)}
		}
	}
	return nil
}
