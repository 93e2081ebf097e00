package change

import (
	"context"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// step fires event on the change named by p.
func (m *Manager) step(ctx context.Context, p Params, event string, apply func(c *Change, ed *lifecycle.Edit) error) (*Change, error) {
	if err := checkParams(p); err != nil {
		return nil, err
	}
	return m.fire(ctx, p.ID, func(*lifecycle.Definition) lifecycle.Action[*Change] {
		a := action(p)
		a.Event, a.Apply = event, apply
		return a
	})
}

// Implement starts the implementation of a scheduled change and stamps
// Actual.Start.
//
// Errors: *ApprovalError when the change is not approved (which a
// scheduled change normally is; a host's own lifecycle may differ);
// *lifecycle.TransitionError when it is not scheduled; lifecycle.ErrNotFound,
// lifecycle.ErrConflict.
func (m *Manager) Implement(ctx context.Context, p Params) (*Change, error) {
	return m.step(ctx, p, EventImplement, nil)
}

// RecordOutcome ends the implementation with its outcome, stamps
// Actual.End and moves the change to review. A failed or backed-out change,
// and every emergency change, must then pass Review before it closes.
//
// Errors: *itil.ValidationError on "outcome"; *lifecycle.TransitionError
// when the change is not being implemented; lifecycle.ErrNotFound,
// lifecycle.ErrConflict.
func (m *Manager) RecordOutcome(ctx context.Context, p OutcomeParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	if !p.Outcome.Valid() {
		return nil, &itil.ValidationError{Field: "outcome", Reason: "must be successful, failed or backed_out"}
	}
	return m.step(ctx, p.params(), EventComplete,
		func(c *Change, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "outcome", &c.Outcome, p.Outcome)
			return nil
		})
}

// Review records the post-implementation review of a completed change
// (journaled as "review"); a change may be reviewed again until it closes.
//
// Errors: *itil.ValidationError on "summary"; *lifecycle.TransitionError
// (event "review") when the change is not awaiting closure;
// lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) Review(ctx context.Context, p ReviewParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	if err := checkNote("summary", p.Summary); err != nil {
		return nil, err
	}
	summary := strings.TrimSpace(p.Summary)
	if summary == "" {
		return nil, &itil.ValidationError{Field: "summary", Reason: "required"}
	}
	return m.fire(ctx, p.ID, func(def *lifecycle.Definition) lifecycle.Action[*Change] {
		a := action(p.params())
		a.Name, a.Always = "review", true
		a.Apply = func(c *Change, ed *lifecycle.Edit) error {
			if _, ok := def.Target(EventClose, c.State); !ok {
				return &lifecycle.TransitionError{Kind: Kind, Event: "review", State: c.State, Allowed: def.Allowed(c.State)}
			}
			ed.Field("review", c.Review.Summary, summary)
			c.Review = Review{Summary: summary, By: p.By.ID, At: m.cfg.Now()}
			return nil
		}
		return a
	})
}

// Close closes a completed change.
//
// Errors: *itil.ValidationError on "review" when the change must pass
// review first (failed, backed out, or emergency) and has not;
// *lifecycle.TransitionError when it is not completed; lifecycle.ErrNotFound,
// lifecycle.ErrConflict.
func (m *Manager) Close(ctx context.Context, p Params) (*Change, error) {
	return m.step(ctx, p, EventClose, nil)
}

// Cancel abandons a change before its implementation starts; a pending
// approval round is cancelled with it. The note, the reason, is required.
//
// Errors: *itil.ValidationError on "note"; *lifecycle.TransitionError once
// the implementation has started; lifecycle.ErrNotFound,
// lifecycle.ErrConflict.
func (m *Manager) Cancel(ctx context.Context, p Params) (*Change, error) {
	if err := checkParams(p); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Note) == "" {
		return nil, &itil.ValidationError{Field: "note", Reason: "required: why the change is cancelled"}
	}
	return m.step(ctx, p, EventCancel, nil)
}

// RevertToNew takes a change in assessment or authorization back to new for
// rework, and cancels its pending approval round (the note is the reason).
// A later RequestApproval starts a new round.
//
// Errors: *lifecycle.TransitionError from other states;
// lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) RevertToNew(ctx context.Context, p Params) (*Change, error) {
	return m.step(ctx, p, EventRevert, nil)
}
