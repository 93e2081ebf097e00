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
func (m *Manager) Close(ctx context.Context, id uuid.UUID, res Resolution, by itil.Actor) (*Problem, error) {
	if err := itil.CheckText("resolution.code", res.Code, MaxName); err != nil {
		return nil, err
	}
	if err := itil.CheckText("resolution.notes", res.Notes, MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, id, closing{event: EventClose, from: lifecycle.Resolved, res: res}, by)
}

// MarkDuplicate closes a problem under assessment as a duplicate of
// another problem, with CodeDuplicate.
func (m *Manager) MarkDuplicate(ctx context.Context, id, of uuid.UUID, by itil.Actor) (*Problem, error) {
	if err := checkActor(by); err != nil {
		return nil, err
	}
	if of == id {
		return nil, &itil.ValidationError{Field: "of", Reason: "a problem cannot duplicate itself"}
	}
	orig, err := m.proc.Get(ctx, of)
	if err != nil {
		return nil, fmt.Errorf("of: %w", err)
	}
	return m.closeBy(ctx, id, closing{event: EventMarkDuplicate, dup: ref(orig),
		res: Resolution{Code: CodeDuplicate, Notes: "duplicate of " + orig.Number}}, by)
}

// AcceptRisk closes a problem under root cause analysis whose fix is not
// worth its cost or risk, with CodeRiskAccepted; reason is required (at
// most MaxText characters). The
// problem stays in the known error database's history, with its workaround.
func (m *Manager) AcceptRisk(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Problem, error) {
	if err := requireText("reason", reason, "say why the risk is accepted", MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, id, closing{event: EventAcceptRisk, res: Resolution{Code: CodeRiskAccepted, Notes: reason}}, by)
}

// Cancel closes a problem logged in error, before a fix is under way, with
// CodeCanceled; reason is required (at most MaxText characters).
func (m *Manager) Cancel(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Problem, error) {
	if err := requireText("reason", reason, "say why the problem is canceled", MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.closeBy(ctx, id, closing{event: EventCancel, res: Resolution{Code: CodeCanceled, Notes: reason}}, by)
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

func (m *Manager) closeBy(ctx context.Context, id uuid.UUID, c closing, by itil.Actor) (*Problem, error) {
	c.res.By = by.ID
	a := lifecycle.Action[*Problem]{Event: c.event, Actor: by, Note: c.res.Notes,
		Apply: func(p *Problem, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "resolution.code", &p.Resolution.Code, c.res.Code)
			lifecycle.Set(ed, "resolution.notes", &p.Resolution.Notes, c.res.Notes)
			lifecycle.Set(ed, "resolution.by", &p.Resolution.By, c.res.By)
			if !c.dup.IsZero() && p.DuplicateOf.ID != c.dup.ID {
				ed.Field("duplicate_of", "", c.dup.String())
				p.DuplicateOf = c.dup
			}
			return nil
		}}
	if c.from != 0 {
		a.EventFor = func(p *Problem) string {
			if p.StateCategory == c.from {
				if ev, ok := m.def.EventToward(p.State, lifecycle.Closed, c.event); ok {
					return ev
				}
			}
			return c.event
		}
	}
	return m.fire(ctx, id, a)
}

// Reanalyze takes a resolved or closed problem back to root cause analysis,
// as when its incidents come back; reason is required (at most MaxText
// characters). Its resolution is
// cleared; root cause, workaround and fix are kept for the analysis to
// revise.
func (m *Manager) Reanalyze(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Problem, error) {
	if err := requireText("reason", reason, "say why the problem is analyzed again", MaxText); err != nil {
		return nil, err
	}
	if err := checkActor(by); err != nil {
		return nil, err
	}
	return m.fire(ctx, id, lifecycle.Action[*Problem]{
		EventFor: func(p *Problem) string {
			if p.StateCategory == lifecycle.Resolved || p.StateCategory.Terminal() {
				if to, ok := m.def.Target(EventReanalyze, p.State); ok && m.def.Category(to).Active() {
					return EventReanalyze
				}
				if ev, ok := m.def.EventToward(p.State, lifecycle.Open, EventReanalyze); ok {
					return ev
				}
			}
			return EventReanalyze
		},
		Actor: by, Note: reason,
	})
}
