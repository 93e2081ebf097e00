package problem_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

const (
	stateAwaitingChange = "awaiting_change"
	stateFixedByVendor  = "fixed_by_vendor"
)

// changeLifecycle extends the default lifecycle with a host's own paused
// state, waiting for the change that delivers the fix, and its own resolved
// state, which requires nothing of its own.
func changeLifecycle(t *testing.T) *lifecycle.Definition {
	t.Helper()
	def, err := problem.DefaultLifecycle().Extend(
		[]lifecycle.State{
			{Name: stateAwaitingChange, Category: lifecycle.Paused},
			{Name: stateFixedByVendor, Category: lifecycle.Resolved},
		},
		[]lifecycle.Event{
			{Name: "wait_change", From: []string{problem.StateFixInProgress}, To: stateAwaitingChange},
			{Name: "change_done", From: []string{stateAwaitingChange}, To: stateFixedByVendor},
			{Name: "vendor_fixed", From: []string{problem.StateFixInProgress}, To: stateFixedByVendor},
			{Name: problem.EventClose, From: []string{stateFixedByVendor}, To: problem.StateClosed},
			{Name: problem.EventReanalyze, From: []string{stateFixedByVendor}, To: problem.StateRootCauseAnalysis},
		})
	require.NoError(t, err)
	return def
}

// fireHost fires a host's own event through the manager's Fire, which
// runs the manager's lifecycle with its guards and hooks.
func fireHost(t *testing.T, f *fixture, id uuid.UUID, event string) (*problem.Problem, error) {
	t.Helper()
	return f.mgr.Fire(t.Context(), lifecycle.FireParams{ID: id, By: carol, Event: event})
}

func TestHostStates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{Lifecycle: changeLifecycle(t), OnResolve: problem.ResolveIncidents})
	ctx := t.Context()
	inc := f.incidentIn(t, incident.StateInProgress)
	p := f.open(t, func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{inc.ID} })
	p = f.advance(t, p, problem.StateFixInProgress)

	p, err := fireHost(t, f, p.ID, "wait_change")
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Paused, p.StateCategory)

	// A workaround is still published while the problem waits.
	p, err = f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "use the web VPN"})
	require.NoError(t, err)
	f.drain(t)
	assert.Equal(t, stateAwaitingChange, p.State)
	assert.Len(t, named(incidentJournal(t, f.desk, inc.ID), "comment"), 1)

	// Resolve finds the host's way to a resolved state.
	p, err = f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
	require.NoError(t, err)
	f.drain(t)
	assert.Equal(t, stateFixedByVendor, p.State)
	assert.Equal(t, f.clock.Now(), p.ResolvedAt)
	assert.Equal(t, incident.StateResolved, f.getIncident(t, inc.ID).State, "the policy works from the host's state")

	p, err = f.mgr.Close(ctx, problem.CloseParams{ID: p.ID, By: carol, Resolution: problem.Resolution{Code: problem.CodeFixApplied}})
	require.NoError(t, err)
	assert.Equal(t, problem.StateClosed, p.State)
}

func TestHostResolvedStateNeedsARootCause(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{Lifecycle: changeLifecycle(t)})
	ctx := t.Context()
	p := f.toState(t, problem.StateAssess)
	p, err := f.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol})
	require.NoError(t, err)
	p, err = f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix})
	require.NoError(t, err)

	_, err = fireHost(t, f, p.ID, "vendor_fixed")
	requireValidation(t, err, "root_cause")
	assert.Equal(t, p, f.getProblem(t, p.ID))

	_, err = f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
	require.NoError(t, err)
	p, err = fireHost(t, f, p.ID, "vendor_fixed")
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Resolved, p.StateCategory)

	p, err = f.mgr.Reanalyze(ctx, problem.Params{ID: p.ID, By: carol, Note: "it came back"})
	require.NoError(t, err)
	assert.Equal(t, problem.StateRootCauseAnalysis, p.State)
	assert.Equal(t, 1, p.Reanalyses)
}
