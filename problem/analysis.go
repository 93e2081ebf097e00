package problem

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// Assess takes a new problem into assessment: is it real, how bad is it,
// does it duplicate another?
func (m *Manager) Assess(ctx context.Context, id uuid.UUID, note string, by itil.Actor) (*Problem, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Event: EventAssess, Actor: by, Note: note})
}

// Analyze starts root cause analysis of an assessed problem.
func (m *Manager) Analyze(ctx context.Context, id uuid.UUID, note string, by itil.Actor) (*Problem, error) {
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Event: EventAnalyze, Actor: by, Note: note})
}

// Assign gives the problem to group and, optionally, one of its members as
// the problem owner. The problem keeps its state; closed problems cannot be
// assigned.
func (m *Manager) Assign(ctx context.Context, id uuid.UUID, group, assignee string, by itil.Actor) (*Problem, error) {
	if group == "" {
		return nil, &itil.ValidationError{Field: "group", Reason: "required"}
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Name: "assign", Actor: by,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if p.StateCategory.Terminal() {
				return m.def.TransitionError("assign", p.State)
			}
			lifecycle.Set(ed, "group", &p.Group, group)
			lifecycle.Set(ed, "assignee", &p.Assignee, assignee)
			return nil
		}})
}

// Cause is what root cause analysis found.
type Cause struct {
	// RootCause says what causes the incidents; required.
	RootCause string
	// Code classifies the cause ("software", "capacity"); optional.
	Code string
	// Note is journaled with the change.
	Note string
}

// RecordCause records the problem's root cause, in any state that is still
// being worked. The problem becomes a known error if it is not one yet.
func (m *Manager) RecordCause(ctx context.Context, id uuid.UUID, c Cause, by itil.Actor) (*Problem, error) {
	if err := requireText("root_cause", c.RootCause, "required"); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Name: "record_cause", Actor: by, Note: c.Note,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if !p.Open() {
				return m.def.TransitionError("record_cause", p.State)
			}
			lifecycle.Set(ed, "root_cause", &p.RootCause, c.RootCause)
			lifecycle.Set(ed, "cause_code", &p.CauseCode, c.Code)
			markKnown(p, ed, m.cfg.Now())
			return nil
		}})
}

// PublishWorkaround records how to restore service until the fix comes and
// makes the problem a known error if it is not one yet. Then every open
// linked incident gets the workaround as a comment its caller sees; an
// incident the comment cannot reach is logged and skipped. A problem that is
// resolved or closed takes no workaround (*lifecycle.TransitionError).
func (m *Manager) PublishWorkaround(ctx context.Context, id uuid.UUID, workaround string, by itil.Actor) (*Problem, error) {
	if err := requireText("workaround", workaround, "required"); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	const name = "publish_workaround"
	p, err := m.fire(ctx, id, lifecycle.Action[*Problem]{Name: name, Actor: by, Always: true,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if !p.Open() {
				return m.def.TransitionError(name, p.State)
			}
			lifecycle.Set(ed, "workaround", &p.Workaround, workaround)
			markKnown(p, ed, m.cfg.Now())
			return nil
		}})
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("Workaround from %s (%s): %s", p.Number, p.Title, workaround)
	m.eachOpenIncident(ctx, p, "publishing a workaround", func(inc *incident.Incident) error {
		_, err := m.desk.Comment(ctx, inc.ID, text, by)
		return err
	})
	return p, nil
}

// eachOpenIncident runs do on every open incident linked to p, logging what
// fails under what.
func (m *Manager) eachOpenIncident(ctx context.Context, p *Problem, what string, do func(inc *incident.Incident) error) {
	var open []*incident.Incident
	for inc, err := range m.desk.Find(ctx, incident.Query{Problem: p.ID, Open: true}) {
		if err != nil {
			m.cfg.Logger.WarnContext(ctx, what+": finding the problem's open incidents",
				slog.String("problem", p.Number), slog.Any("error", err))
			return
		}
		open = append(open, inc)
	}
	for _, inc := range open {
		if err := do(inc); err != nil {
			m.cfg.Logger.WarnContext(ctx, what, slog.String("problem", p.Number),
				slog.String("incident", inc.Number), slog.Any("error", err))
		}
	}
}
