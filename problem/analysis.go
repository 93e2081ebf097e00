package problem

import (
	"context"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Assess takes a new problem into assessment: is it real, how bad is it,
// does it duplicate another?
func (m *Manager) Assess(ctx context.Context, id uuid.UUID, note string, by itil.Actor) (*Problem, error) {
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Event: EventAssess, Actor: by, Note: note})
}

// Analyze starts root cause analysis of an assessed problem.
func (m *Manager) Analyze(ctx context.Context, id uuid.UUID, note string, by itil.Actor) (*Problem, error) {
	if err := itil.CheckText("note", note, MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Event: EventAnalyze, Actor: by, Note: note})
}

// Assign gives the problem to group and, optionally, one of its members as
// the problem owner (each at most MaxName characters). The problem keeps
// its state; closed problems cannot be assigned.
func (m *Manager) Assign(ctx context.Context, id uuid.UUID, group, assignee string, by itil.Actor) (*Problem, error) {
	if err := requireText("group", group, "required", MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("assignee", assignee, MaxName); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
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
	// RootCause says what causes the incidents; required, at most MaxText
	// characters.
	RootCause string
	// Code classifies the cause ("software", "capacity"); optional, at most
	// MaxName characters.
	Code string
	// Note is journaled with the change, in at most MaxText characters.
	Note string
}

// RecordCause records the problem's root cause, in any state that is still
// being worked. The problem becomes a known error if it is not one yet.
func (m *Manager) RecordCause(ctx context.Context, id uuid.UUID, c Cause, by itil.Actor) (*Problem, error) {
	if err := requireText("root_cause", c.RootCause, "required", MaxText); err != nil {
		return nil, err
	}
	if err := itil.CheckText("cause_code", c.Code, MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("note", c.Note, MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
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

// PublishWorkaround records how to restore service until the fix comes (at
// most MaxText characters) and makes the problem a known error if it is
// not one yet. A problem that is resolved or closed takes no workaround
// (*lifecycle.TransitionError).
//
// Every open incident linked to the problem then gets the workaround as a
// comment its caller sees, from the manager's Reactions: after the commit,
// retried until the desk takes it, whatever becomes of the caller's
// request.
func (m *Manager) PublishWorkaround(ctx context.Context, id uuid.UUID, workaround string, by itil.Actor) (*Problem, error) {
	if err := requireText("workaround", workaround, "required", MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{Name: eventPublishWorkaround, Actor: by, Always: true,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			if !p.Open() {
				return m.def.TransitionError(eventPublishWorkaround, p.State)
			}
			lifecycle.Set(ed, "workaround", &p.Workaround, workaround)
			markKnown(p, ed, m.cfg.Now())
			return nil
		}})
}
