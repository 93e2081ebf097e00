package problem

import (
	"context"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Fire fires an event of the manager's lifecycle by name on the problem
// p.ID: the events a host added to it ("wait_change") as much as the
// built-in ones, under the manager's rules (a resolved state needs the
// root cause and the fix, a closed one a resolution code), with p.Fields
// set first, so that a state that requires a custom field is entered with
// it. An event the lifecycle does not know is a *itil.ValidationError
// naming "event"; one the problem's state does not allow a
// *lifecycle.TransitionError.
func (m *Manager) Fire(ctx context.Context, p lifecycle.FireParams) (*Problem, error) {
	if p.Event == "" {
		return nil, &itil.ValidationError{Field: "event", Reason: "required"}
	}
	if err := itil.CheckText("event", p.Event, MaxName); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(m.def.Events(), func(e lifecycle.Event) bool { return e.Name == p.Event }) {
		return nil, &itil.ValidationError{Field: "event", Reason: fmt.Sprintf("the %s lifecycle has no event %q", Kind, p.Event)}
	}
	return m.run(ctx, Params{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields},
		lifecycle.Action[*Problem]{Event: p.Event})
}

// Edit sets the custom fields p.Fields and journals p.Note without an
// event, in any state: the problem keeps its state. An edit that changes
// nothing and has no note writes nothing.
func (m *Manager) Edit(ctx context.Context, p Params) (*Problem, error) {
	return m.run(ctx, p, lifecycle.Action[*Problem]{Name: lifecycle.EventUpdate})
}
