package problem_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/problem"
)

// TestErrorClasses makes each kind of failure the package reports, from
// every source (its own checks, the kernel, the incident desk), and checks
// that its error is in exactly one class, the one the failure means. The
// package declares no sentinel or error type of its own: what it returns
// are *itil.ValidationError, *lifecycle.TransitionError,
// *lifecycle.ForbiddenError and the kernel's sentinels, wrapped.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	auth := &refuse{events: []string{problem.EventCancel}}
	auth.on.Store(true)
	deskAuth := &refuse{events: []string{"link_problem"}}
	deskAuth.on.Store(true)
	f := newFixture(t, problem.Config{Authorizer: auth})
	guarded := newFixtureWithDesk(t, problem.Config{}, incident.Config{Authorizer: deskAuth})

	tests := []struct {
		name  string
		do    func(ctx context.Context) error
		class string
	}{
		{"bad draft", func(ctx context.Context) error {
			dr := draft()
			dr.Title = ""
			_, err := f.mgr.Open(ctx, dr)
			return err
		}, "invalid"},
		{"no actor", func(ctx context.Context) error {
			_, err := f.mgr.Assess(ctx, problem.Params{ID: f.open(t).ID})
			return err
		}, "invalid"},
		{"unknown event", func(ctx context.Context) error {
			_, err := f.mgr.Fire(ctx, lifecycle.FireParams{ID: f.open(t).ID, By: carol, Event: "nope"})
			return err
		}, "invalid"},
		{"resolve without cause", func(ctx context.Context) error {
			p := f.open(t)
			_, err := f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol})
			require.NoError(t, err)
			_, err = f.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol})
			require.NoError(t, err)
			_, err = f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix})
			require.NoError(t, err)
			_, err = f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
			return err
		}, "invalid"},
		{"bad config", func(context.Context) error {
			_, err := problem.NewManager(f.store, f.desk, problem.Config{MatchWords: -1})
			return err
		}, "invalid"},
		{"bad lifecycle", func(context.Context) error {
			_, err := problem.ParseLifecycle([]byte(`{"extends": "change"}`))
			return err
		}, "invalid"},
		{"bad policy", func(context.Context) error {
			var p problem.ResolvePolicy
			return p.UnmarshalText([]byte("ignore"))
		}, "invalid"},
		{"authorizer", func(ctx context.Context) error {
			_, err := f.mgr.Cancel(ctx, problem.Params{ID: f.open(t).ID, By: carol, Note: "logged twice"})
			return err
		}, "forbidden"},
		{"desk's authorizer", func(ctx context.Context) error {
			inc, err := guarded.desk.Open(ctx, incidentDraft())
			require.NoError(t, err)
			_, err = guarded.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: guarded.open(t).ID, By: carol, Incident: inc.ID})
			return err
		}, "forbidden"},
		{"unknown problem", func(ctx context.Context) error {
			_, err := f.mgr.Assess(ctx, problem.Params{ID: uuid.Must(uuid.NewV7()), By: carol})
			return err
		}, "not_found"},
		{"unknown incident", func(ctx context.Context) error {
			_, err := f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: f.open(t).ID, By: carol, Incident: uuid.Must(uuid.NewV7())})
			return err
		}, "not_found"},
		{"unknown original", func(ctx context.Context) error {
			p := f.toState(t, problem.StateAssess)
			_, err := f.mgr.MarkDuplicate(ctx, problem.DuplicateParams{ID: p.ID, By: carol, Of: uuid.Must(uuid.NewV7())})
			return err
		}, "not_found"},
		{"stale version", func(ctx context.Context) error {
			p := f.open(t)
			_, err := f.mgr.Assess(ctx, problem.Params{ID: p.ID, Version: p.Version + 1, By: carol})
			return err
		}, "conflict"},
		{"ID taken", func(ctx context.Context) error {
			dr := draft()
			dr.ID = f.open(t).ID
			_, err := f.mgr.Open(ctx, dr)
			return err
		}, "conflict"},
		{"state", func(ctx context.Context) error {
			_, err := f.mgr.Analyze(ctx, problem.Params{ID: f.open(t).ID, By: carol})
			return err
		}, "refused"},
		{"closed problem", func(ctx context.Context) error {
			p := f.toState(t, problem.StateClosed)
			_, err := f.mgr.Assign(ctx, problem.AssignParams{ID: p.ID, By: carol, Group: "network"})
			return err
		}, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(t.Context())
			require.Error(t, err)
			lifecycletest.AssertClass(t, err, tt.class)
		})
	}
}
