package problem_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

var allStates = []string{
	problem.StateNew, problem.StateAssess, problem.StateRootCauseAnalysis,
	problem.StateFixInProgress, problem.StateResolved, problem.StateClosed,
}

// managerActions fire each event of the default lifecycle through the
// manager's own method for it.
var managerActions = []struct {
	event string
	do    func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error)
}{
	{problem.EventAssess, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Assess(ctx, problem.Params{ID: id, By: carol, Note: "real and recurring"})
	}},
	{problem.EventAnalyze, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Analyze(ctx, problem.Params{ID: id, By: carol})
	}},
	{problem.EventStartFix, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.StartFix(ctx, problem.StartFixParams{ID: id, By: carol, Fix: fix})
	}},
	{problem.EventResolve, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Resolve(ctx, problem.ResolveParams{ID: id, By: carol, Fix: fix})
	}},
	{problem.EventClose, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Close(ctx, problem.CloseParams{ID: id, By: carol, Resolution: problem.Resolution{Code: problem.CodeFixApplied, Notes: "no recurrence for a month"}})
	}},
	{problem.EventMarkDuplicate, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		orig, err := f.mgr.Open(ctx, draft())
		if err != nil {
			return nil, err
		}
		return f.mgr.MarkDuplicate(ctx, problem.DuplicateParams{ID: id, By: carol, Of: orig.ID})
	}},
	{problem.EventAcceptRisk, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.AcceptRisk(ctx, problem.Params{ID: id, By: carol, Note: "the gateway is replaced next quarter"})
	}},
	{problem.EventCancel, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Cancel(ctx, problem.Params{ID: id, By: carol, Note: "logged in error"})
	}},
	{problem.EventReanalyze, func(ctx context.Context, f *fixture, id uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Reanalyze(ctx, problem.Params{ID: id, By: carol, Note: "the drops came back"})
	}},
}

// defaultAllowed is the default lifecycle: the events allowed in each state
// and where each event leads.
var (
	defaultAllowed = map[string][]string{
		problem.StateNew:               {problem.EventAssess, problem.EventCancel},
		problem.StateAssess:            {problem.EventAnalyze, problem.EventMarkDuplicate, problem.EventCancel},
		problem.StateRootCauseAnalysis: {problem.EventStartFix, problem.EventAcceptRisk, problem.EventCancel},
		problem.StateFixInProgress:     {problem.EventResolve},
		problem.StateResolved:          {problem.EventClose, problem.EventReanalyze},
		problem.StateClosed:            {problem.EventReanalyze},
	}
	defaultTargets = map[string]string{
		problem.EventAssess:        problem.StateAssess,
		problem.EventAnalyze:       problem.StateRootCauseAnalysis,
		problem.EventStartFix:      problem.StateFixInProgress,
		problem.EventResolve:       problem.StateResolved,
		problem.EventClose:         problem.StateClosed,
		problem.EventMarkDuplicate: problem.StateClosed,
		problem.EventAcceptRisk:    problem.StateClosed,
		problem.EventCancel:        problem.StateClosed,
		problem.EventReanalyze:     problem.StateRootCauseAnalysis,
	}
	// closeCodes are the codes each closing event records.
	closeCodes = map[string]string{
		problem.EventClose:         problem.CodeFixApplied,
		problem.EventMarkDuplicate: problem.CodeDuplicate,
		problem.EventAcceptRisk:    problem.CodeRiskAccepted,
		problem.EventCancel:        problem.CodeCanceled,
	}
)

func TestDefaultLifecycleDefinition(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	for _, def := range []*lifecycle.Definition{problem.DefaultLifecycle(), f.mgr.Lifecycle()} {
		assert.Equal(t, problem.Kind, def.Name())
		assert.Equal(t, problem.StateNew, def.Initial().Name)
		var names []string
		for _, s := range def.States() {
			names = append(names, s.Name)
		}
		assert.Equal(t, allStates, names)
		assert.Equal(t, lifecycle.Resolved, def.Category(problem.StateResolved))
		assert.Equal(t, lifecycle.Closed, def.Category(problem.StateClosed))
		assert.True(t, def.State(problem.StateClosed).AllowExit, "closed problems may be analyzed again")
		for _, st := range allStates {
			assert.ElementsMatch(t, defaultAllowed[st], def.Allowed(st), st)
			for _, a := range managerActions {
				to, ok := def.Target(a.event, st)
				want := slices.Contains(defaultAllowed[st], a.event)
				assert.Equal(t, want, ok, "%s from %s", a.event, st)
				if want {
					assert.Equal(t, defaultTargets[a.event], to, "%s from %s", a.event, st)
				}
			}
		}
	}
}

// TestManagerTransitions fires every event of the default lifecycle in
// every state through the manager: the allowed ones move the problem and
// journal one change, the others fail with a *lifecycle.TransitionError and
// change nothing.
func TestManagerTransitions(t *testing.T) {
	t.Parallel()
	for _, st := range allStates {
		for _, a := range managerActions {
			t.Run(st+"/"+a.event, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, problem.Config{})
				ctx := t.Context()
				before := f.toState(t, st)
				n := len(problemJournal(t, f.mgr, before.ID))
				f.clock.Advance(time.Minute)

				got, err := a.do(ctx, f, before.ID)

				if slices.Contains(defaultAllowed[st], a.event) {
					require.NoError(t, err)
					assert.Equal(t, defaultTargets[a.event], got.State)
					assert.Equal(t, before.Version+1, got.Version)
					j := problemJournal(t, f.mgr, before.ID)
					require.Len(t, j, n+1)
					assert.Equal(t, a.event, j[n].Event)
					assert.Equal(t, st, j[n].From)
					assert.Equal(t, got.State, j[n].To)
					assert.Equal(t, carol.ID, j[n].Actor.ID)
					if code, ok := closeCodes[a.event]; ok {
						assert.Equal(t, code, got.Resolution.Code)
						assert.Equal(t, carol.ID, got.Resolution.By)
						assert.Equal(t, f.clock.Now(), got.ClosedAt)
					}
					return
				}
				te := requireTransition(t, err)
				assert.Equal(t, a.event, te.Event)
				assert.Equal(t, st, te.State)
				assert.ElementsMatch(t, defaultAllowed[st], te.Allowed)
				assert.Equal(t, before, f.getProblem(t, before.ID), "nothing changed")
				assert.Len(t, problemJournal(t, f.mgr, before.ID), n, "nothing journaled")
			})
		}
	}
}

func TestResolveWithoutRootCause(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p := f.open(t)
	_, err := f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol})
	require.NoError(t, err)
	_, err = f.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol})
	require.NoError(t, err)
	p, err = f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix})
	require.NoError(t, err, "a fix may be tried before the cause is confirmed")
	n := len(problemJournal(t, f.mgr, p.ID))

	_, err = f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
	requireValidation(t, err, "root_cause")
	assert.Equal(t, p, f.getProblem(t, p.ID))
	assert.Len(t, problemJournal(t, f.mgr, p.ID), n)

	_, err = f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
	require.NoError(t, err)
	p, err = f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
	require.NoError(t, err)
	assert.Equal(t, problem.StateResolved, p.State)
	assert.Equal(t, fix.Description, p.Fix, "the fix from StartFix is kept")
	assert.Equal(t, f.clock.Now(), p.ResolvedAt)
}

func TestCloseNeedsAKnownResolutionCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  problem.Config
		res  problem.Resolution
	}{
		{"no code", problem.Config{}, problem.Resolution{Notes: "done"}},
		{"unknown code", problem.Config{}, problem.Resolution{Code: "magic"}},
		{"code not in the manager's set", problem.Config{ResolutionCodes: []string{"fixed"}}, problem.Resolution{Code: problem.CodeFixApplied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.cfg)
			p := f.toState(t, problem.StateResolved)
			n := len(problemJournal(t, f.mgr, p.ID))
			_, err := f.mgr.Close(t.Context(), problem.CloseParams{ID: p.ID, By: carol, Resolution: tt.res})
			requireValidation(t, err, "resolution.code")
			assert.Equal(t, p, f.getProblem(t, p.ID))
			assert.Len(t, problemJournal(t, f.mgr, p.ID), n)
		})
	}
}

func TestConfiguredCodesTurnOperationsOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{ResolutionCodes: []string{"fixed", problem.CodeCanceled}})
	ctx := t.Context()
	p := f.toState(t, problem.StateRootCauseAnalysis)
	_, err := f.mgr.AcceptRisk(ctx, problem.Params{ID: p.ID, By: carol, Note: "too costly"})
	requireValidation(t, err, "resolution.code")
	p, err = f.mgr.Cancel(ctx, problem.Params{ID: p.ID, By: carol, Note: "logged in error"})
	require.NoError(t, err)
	assert.Equal(t, problem.CodeCanceled, p.Resolution.Code)

	p = f.toState(t, problem.StateResolved)
	p, err = f.mgr.Close(ctx, problem.CloseParams{ID: p.ID, By: carol, Resolution: problem.Resolution{Code: "fixed"}})
	require.NoError(t, err)
	assert.Equal(t, problem.StateClosed, p.State)
}

func TestMarkDuplicate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	orig := f.open(t)
	p := f.toState(t, problem.StateAssess)

	_, err := f.mgr.MarkDuplicate(ctx, problem.DuplicateParams{ID: p.ID, By: carol, Of: p.ID})
	requireValidation(t, err, "of")
	_, err = f.mgr.MarkDuplicate(ctx, problem.DuplicateParams{ID: p.ID, By: carol, Of: uuid.Must(uuid.NewV7())})
	require.ErrorIs(t, err, lifecycle.ErrNotFound)

	p, err = f.mgr.MarkDuplicate(ctx, problem.DuplicateParams{ID: p.ID, By: carol, Of: orig.ID})
	require.NoError(t, err)
	assert.Equal(t, problem.StateClosed, p.State)
	assert.Equal(t, orig.ID, p.DuplicateOf.ID)
	assert.Equal(t, orig.Number, p.DuplicateOf.Number)
	assert.Equal(t, "duplicate of "+orig.Number, p.Resolution.Notes)
}

func TestReanalyzeClearsTheResolution(t *testing.T) {
	t.Parallel()
	for _, st := range []string{problem.StateResolved, problem.StateClosed} {
		t.Run(st, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, problem.Config{})
			p := f.toState(t, st)
			p, err := f.mgr.Reanalyze(t.Context(), problem.Params{ID: p.ID, By: carol, Note: "the drops came back"})
			require.NoError(t, err)
			assert.Equal(t, problem.StateRootCauseAnalysis, p.State)
			assert.Equal(t, 1, p.Reanalyses)
			assert.Empty(t, p.Resolution)
			assert.True(t, p.ClosedAt.IsZero())
			assert.Equal(t, cause.RootCause, p.RootCause, "the analysis revises the cause")
			assert.True(t, p.KnownError, "it stays a known error")

			_, err = f.mgr.Reanalyze(t.Context(), problem.Params{ID: p.ID, By: carol})
			requireValidation(t, err, "note")
		})
	}
}

// TestOperationsByState checks the operations that are not lifecycle
// events: they keep the state, and refuse states they make no sense in.
func TestOperationsByState(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name    string
		allowed func(st string) bool
		do      func(t *testing.T, f *fixture, id uuid.UUID) (*problem.Problem, error)
	}{
		{"record_cause", func(st string) bool { return st != problem.StateResolved && st != problem.StateClosed },
			func(t *testing.T, f *fixture, id uuid.UUID) (*problem.Problem, error) {
				return f.mgr.RecordCause(t.Context(), problem.RecordCauseParams{ID: id, By: carol, Cause: problem.Cause{RootCause: "a revised cause"}})
			}},
		{"publish_workaround", func(st string) bool { return st != problem.StateResolved && st != problem.StateClosed },
			func(t *testing.T, f *fixture, id uuid.UUID) (*problem.Problem, error) {
				return f.mgr.PublishWorkaround(t.Context(), problem.WorkaroundParams{ID: id, By: carol, Workaround: "use the web VPN"})
			}},
		{"assign", func(st string) bool { return st != problem.StateClosed },
			func(t *testing.T, f *fixture, id uuid.UUID) (*problem.Problem, error) {
				return f.mgr.Assign(t.Context(), problem.AssignParams{ID: id, By: carol, Group: "network-problems", Assignee: "dan"})
			}},
		{"link_incident", func(st string) bool { return st != problem.StateClosed },
			func(t *testing.T, f *fixture, id uuid.UUID) (*problem.Problem, error) {
				return f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: id, By: carol, Incident: f.openIncident(t).ID})
			}},
	}
	for _, st := range allStates {
		for _, op := range ops {
			t.Run(st+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, problem.Config{})
				before := f.toState(t, st)
				n := len(problemJournal(t, f.mgr, before.ID))
				got, err := op.do(t, f, before.ID)
				if op.allowed(st) {
					require.NoError(t, err)
					assert.Equal(t, st, got.State)
					assert.Len(t, problemJournal(t, f.mgr, before.ID), n+1)
					return
				}
				te := requireTransition(t, err)
				assert.Equal(t, op.name, te.Event)
				assert.Equal(t, before, f.getProblem(t, before.ID))
				assert.Len(t, problemJournal(t, f.mgr, before.ID), n)
			})
		}
	}
}

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestLifecycleDiagram keeps testdata/lifecycle.mmd equal to the Mermaid
// diagram the default lifecycle draws. Run with -update to rewrite it.
func TestLifecycleDiagram(t *testing.T) {
	t.Parallel()
	got := problem.DefaultLifecycle().Mermaid()
	path := filepath.Join("testdata", "lifecycle.mmd")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}
