package problem

import (
	"context"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Fix is the permanent solution of a problem and the change that delivers
// it.
type Fix struct {
	// Description says what removes the root cause, in at most MaxText
	// characters. StartFix requires it; Resolve keeps the one already
	// recorded when it is empty.
	Description string
	// Change, when set, is the change that delivers the fix; it is added to
	// the problem's changes and becomes its FixChange.
	Change itil.Ref
}

func (f *Fix) validate(required bool) error {
	if required && f.Description == "" {
		return &itil.ValidationError{Field: "fix", Reason: "say what fixes the root cause"}
	}
	if err := itil.CheckText("fix", f.Description, MaxText); err != nil {
		return err
	}
	if f.Change != (itil.Ref{}) {
		return validChange("fix.change", f.Change)
	}
	return nil
}

// apply records the fix on p.
func (f *Fix) apply(p *Problem, ed *lifecycle.Edit) {
	if f.Description != "" {
		lifecycle.Set(ed, "fix", &p.Fix, f.Description)
	}
	if !f.Change.IsZero() {
		addChange(p, ed, f.Change)
		if p.FixChange != f.Change {
			old := ""
			if !p.FixChange.IsZero() {
				old = p.FixChange.String()
			}
			ed.Field("fix_change", old, f.Change.String())
			p.FixChange = f.Change
		}
	}
}

// StartFix starts work on the fix of an analyzed problem: what the fix is,
// and the change that will deliver it if there is one yet.
func (m *Manager) StartFix(ctx context.Context, p StartFixParams) (*Problem, error) {
	fix := p.Fix
	if err := fix.validate(true); err != nil {
		return nil, err
	}
	return m.run(ctx, p.params(), lifecycle.Action[*Problem]{Event: EventStartFix,
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			fix.apply(pr, ed)
			return nil
		}})
}

// Resolve records that the fix is delivered, by p.Fix.Change when set, and
// moves the problem to whichever resolved state its state leads to. The
// root cause must be known and the fix described (here or by StartFix),
// else the error is a *itil.ValidationError naming "root_cause" or "fix".
//
// The open linked incidents are then handled by Config.OnResolve — resolved
// with the fix as notes, or given a work note and a comment — by the
// manager's Reactions, from the log: not in the caller's request.
func (m *Manager) Resolve(ctx context.Context, p ResolveParams) (*Problem, error) {
	fix := p.Fix
	if err := fix.validate(false); err != nil {
		return nil, err
	}
	return m.run(ctx, p.params(), lifecycle.Action[*Problem]{
		EventFor: func(pr *Problem) string {
			if ev, ok := m.def.EventToward(pr.State, lifecycle.Resolved, EventResolve); ok {
				return ev
			}
			return EventResolve
		},
		Apply: func(pr *Problem, ed *lifecycle.Edit) error {
			fix.apply(pr, ed)
			return nil
		},
	})
}
