package problem

import (
	"context"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// Assess takes a new problem into assessment: is it real, how bad is it,
// does it duplicate another?
func (m *Manager) Assess(ctx context.Context, p Params) (*Problem, error) {
	return m.run(ctx, p, lifecycle.Action[*Problem]{Event: EventAssess})
}

// Analyze starts root cause analysis of an assessed problem.
func (m *Manager) Analyze(ctx context.Context, p Params) (*Problem, error) {
	return m.run(ctx, p, lifecycle.Action[*Problem]{Event: EventAnalyze})
}

// Assign gives the problem to p.Group and, optionally, one of its members
// as the problem owner (p.Assignee). The problem keeps its state; closed
// problems cannot be assigned (*lifecycle.TransitionError). Without an
// assignee, the first of Config.Assignment's rules for the group chooses
// the owner, named in the journal note.
func (m *Manager) Assign(ctx context.Context, p AssignParams) (*Problem, error) {
	if err := requireText("group", p.Group, "required", MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("assignee", p.Assignee, MaxName); err != nil {
		return nil, err
	}
	assignee := p.Assignee
	a := lifecycle.Action[*Problem]{Name: "assign",
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			if pr.StateCategory.Terminal() {
				return m.def.TransitionError("assign", pr.State)
			}
			lifecycle.Set(ed, "group", &pr.Group, p.Group)
			lifecycle.Set(ed, "assignee", &pr.Assignee, assignee)
			return nil
		}}
	var rule assign.Rule
	if m.cfg.Assignment != nil && assignee == "" {
		rule, _ = m.cfg.Assignment.ForGroup(p.Group)
	}
	if rule.Strategy == assign.GroupOnly {
		return m.run(ctx, p.params(), a)
	}
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	// The group's rule chooses the person, in the commit of the assignment
	// (a round-robin turn is taken there).
	a.Version, a.Actor, a.Fields = p.Version, p.By, p.Fields
	var out *Problem
	err := m.atomic(ctx, func(tx *lifecycle.Tx) error {
		who, err := m.cfg.Assignment.Choose(ctx, tx, rule, m.openLoad)
		if err != nil {
			return err
		}
		assignee = who
		a.Note = joinNote(p.Note, assign.Decision{Rule: rule.Name, Group: p.Group, Assignee: who}.Note())
		out, err = m.proc.FireIn(ctx, tx, p.ID, a)
		return err
	})
	return out, err
}

// openLoad is how many open problems person holds, for the assignment
// strategies that weigh it.
func (m *Manager) openLoad(ctx context.Context, person string) (int, error) {
	n := 0
	for _, err := range m.Find(ctx, Query{Open: true, Assignee: person}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// joinNote appends more to a journal note.
func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "\n" + more
}

// Cause is what root cause analysis found.
type Cause struct {
	// RootCause says what causes the incidents; required, at most MaxText
	// characters.
	RootCause string
	// Code classifies the cause ("software", "capacity"); optional, at most
	// MaxName characters.
	Code string
}

// RecordCause records the problem's root cause, in any state that is still
// being worked. The problem becomes a known error if it is not one yet.
func (m *Manager) RecordCause(ctx context.Context, p RecordCauseParams) (*Problem, error) {
	c := p.Cause
	if err := requireText("root_cause", c.RootCause, "required", MaxText); err != nil {
		return nil, err
	}
	if err := itil.CheckText("cause_code", c.Code, MaxName); err != nil {
		return nil, err
	}
	return m.run(ctx, p.params(), lifecycle.Action[*Problem]{Name: "record_cause",
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			if !pr.Open() {
				return m.def.TransitionError("record_cause", pr.State)
			}
			lifecycle.Set(ed, "root_cause", &pr.RootCause, c.RootCause)
			lifecycle.Set(ed, "cause_code", &pr.CauseCode, c.Code)
			markKnown(pr, ed, m.cfg.Now())
			return nil
		}})
}

// PublishWorkaround records how to restore service until the fix comes
// (p.Workaround) and makes the problem a known error if it is not one yet.
// A problem that is resolved or closed takes no workaround
// (*lifecycle.TransitionError).
//
// Every open incident linked to the problem then gets the workaround as a
// comment its caller sees, from the manager's Reactions: after the commit,
// retried until the desk takes it, whatever becomes of the caller's
// request.
func (m *Manager) PublishWorkaround(ctx context.Context, p WorkaroundParams) (*Problem, error) {
	if err := requireText("workaround", p.Workaround, "required", MaxText); err != nil {
		return nil, err
	}
	return m.run(ctx, p.params(), lifecycle.Action[*Problem]{Name: eventPublishWorkaround, Always: true,
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			if !pr.Open() {
				return m.def.TransitionError(eventPublishWorkaround, pr.State)
			}
			lifecycle.Set(ed, "workaround", &pr.Workaround, p.Workaround)
			markKnown(pr, ed, m.cfg.Now())
			return nil
		}})
}
