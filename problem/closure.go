package problem

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Close closes a resolved problem with a resolution code from the
// manager's set (CodeFixApplied by default) and optional notes. A code is
// required: without one the error is a *itil.ValidationError naming
// "resolution.code". The notes take at most MaxText characters.
func (m *Manager) Close(ctx context.Context, p CloseParams) (*Problem, error) {
	res := p.Resolution
	if err := itil.CheckText("resolution.code", res.Code, MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("resolution.notes", res.Notes, MaxText); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, p.params(), closing{event: EventClose, from: lifecycle.Resolved, res: Resolution{Code: res.Code, Notes: res.Notes}})
}

// MarkDuplicate closes a problem under assessment as a duplicate of
// another problem (p.Of), with CodeDuplicate.
func (m *Manager) MarkDuplicate(ctx context.Context, p DuplicateParams) (*Problem, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	if p.Of == uuid.Nil {
		return nil, &itil.ValidationError{Field: "of", Reason: "required"}
	}
	if p.Of == p.ID {
		return nil, &itil.ValidationError{Field: "of", Reason: "a problem cannot duplicate itself"}
	}
	orig, err := m.proc.Get(ctx, p.Of)
	if err != nil {
		return nil, fmt.Errorf("of: %w", err)
	}
	return m.closeBy(ctx, p.params(), closing{event: EventMarkDuplicate, dup: ref(orig),
		res: Resolution{Code: CodeDuplicate, Notes: "duplicate of " + orig.Number}})
}

// AcceptRisk closes a problem under root cause analysis whose fix is not
// worth its cost or risk, with CodeRiskAccepted; the reason, p.Note, is
// required. The problem stays in the known error database's history, with
// its workaround.
func (m *Manager) AcceptRisk(ctx context.Context, p Params) (*Problem, error) {
	if err := requireText("note", p.Note, "say why the risk is accepted", MaxText); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, p, closing{event: EventAcceptRisk, res: Resolution{Code: CodeRiskAccepted, Notes: p.Note}})
}

// Cancel closes a problem logged in error, before a fix is under way, with
// CodeCanceled; the reason, p.Note, is required.
func (m *Manager) Cancel(ctx context.Context, p Params) (*Problem, error) {
	if err := requireText("note", p.Note, "say why the problem is canceled", MaxText); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, p, closing{event: EventCancel, res: Resolution{Code: CodeCanceled, Notes: p.Note}})
}

// closing is one way to close a problem: the event, the category the
// problem must be in when the event is found by category (0: fire the event
// by name), and what is recorded.
type closing struct {
	event string
	from  lifecycle.Category
	res   Resolution
	dup   itil.Ref
}

// closeBy closes the problem p.ID as c says. The journal's note is p.Note,
// or the resolution's notes without one.
func (m *Manager) closeBy(ctx context.Context, p Params, c closing) (*Problem, error) {
	c.res.By = p.By.ID
	note := p.Note
	if note == "" {
		note = c.res.Notes
	}
	a := lifecycle.Action[*Problem]{Event: c.event, Note: note,
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "resolution.code", &pr.Resolution.Code, c.res.Code)
			lifecycle.Set(ed, "resolution.notes", &pr.Resolution.Notes, c.res.Notes)
			lifecycle.Set(ed, "resolution.by", &pr.Resolution.By, c.res.By)
			if !c.dup.IsZero() && pr.DuplicateOf.ID != c.dup.ID {
				ed.Field("duplicate_of", "", c.dup.String())
				pr.DuplicateOf = c.dup
			}
			return nil
		}}
	if c.from != 0 {
		a.EventFor = func(pr *Problem) string {
			if pr.StateCategory == c.from {
				if ev, ok := m.def.EventToward(pr.State, lifecycle.Closed, c.event); ok {
					return ev
				}
			}
			return c.event
		}
	}
	return m.run(ctx, p, a)
}

// Reanalyze takes a resolved or closed problem back to root cause analysis,
// as when its incidents come back; the reason, p.Note, is required. Its
// resolution is cleared; root cause, workaround and fix are kept for the
// analysis to revise.
func (m *Manager) Reanalyze(ctx context.Context, p Params) (*Problem, error) {
	if err := requireText("note", p.Note, "say why the problem is analyzed again", MaxText); err != nil {
		return nil, err
	}
	return m.run(ctx, p, lifecycle.Action[*Problem]{
		EventFor: func(pr *Problem) string {
			if pr.StateCategory == lifecycle.Resolved || pr.StateCategory.Terminal() {
				if to, ok := m.def.Target(EventReanalyze, pr.State); ok && m.def.Category(to).Active() {
					return EventReanalyze
				}
				if ev, ok := m.def.EventToward(pr.State, lifecycle.Open, EventReanalyze); ok {
					return ev
				}
			}
			return EventReanalyze
		},
	})
}
