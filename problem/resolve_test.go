package problem_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// linkedProblem opens a problem with one incident in each of the given
// states linked to it.
func (f *fixture) linkedProblem(t *testing.T, states ...string) (*problem.Problem, []*incident.Incident) {
	t.Helper()
	var incs []*incident.Incident
	var ids []uuid.UUID
	for _, st := range states {
		inc := f.incidentIn(t, st)
		incs = append(incs, inc)
		ids = append(ids, inc.ID)
	}
	p := f.open(t, func(dr *problem.Draft) { dr.Incidents = ids })
	require.Len(t, p.Incidents, len(states))
	return p, incs
}

func TestPublishWorkaround(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p, incs := f.linkedProblem(t, incident.StateNew, incident.StateOnHold, incident.StateResolved)
	assert.False(t, p.KnownError)
	f.clock.Advance(time.Hour)

	p, err := f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "reconnect with the web VPN at vpn.example.com"})
	require.NoError(t, err)
	f.drain(t)
	assert.True(t, p.KnownError, "a workaround makes a known error")
	assert.Equal(t, f.clock.Now(), p.KnownErrorAt)
	assert.Equal(t, "reconnect with the web VPN at vpn.example.com", p.Workaround)
	pj := named(problemJournal(t, f.mgr, p.ID), "publish_workaround")
	require.Len(t, pj, 1)
	assert.Equal(t, []lifecycle.FieldChange{
		{Field: "workaround", New: "reconnect with the web VPN at vpn.example.com"},
		{Field: "known_error", Old: "false", New: "true"},
		{Field: "known_error_at", Old: "", New: f.clock.Now().UTC().Format(time.RFC3339Nano)},
	}, pj[0].Fields)

	for _, inc := range incs[:2] {
		comments := named(incidentJournal(t, f.desk, inc.ID), "comment")
		require.Len(t, comments, 1, "open incident %s gets the workaround", inc.Number)
		assert.True(t, comments[0].Public, "the caller sees it")
		assert.Contains(t, comments[0].Note, "reconnect with the web VPN")
		assert.Contains(t, comments[0].Note, p.Number)
		assert.Equal(t, carol.ID, comments[0].Actor.ID)
	}
	assert.Empty(t, named(incidentJournal(t, f.desk, incs[2].ID), "comment"), "a resolved incident is left alone")

	_, err = f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: ""})
	requireValidation(t, err, "workaround")
}

func TestRecordCauseMakesAKnownError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	p := f.toState(t, problem.StateAssess)
	_, err := f.mgr.RecordCause(t.Context(), problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{}})
	requireValidation(t, err, "root_cause")

	p, err = f.mgr.RecordCause(t.Context(), problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
	require.NoError(t, err)
	assert.True(t, p.KnownError, "a known cause makes a known error, before any fix")
	assert.Equal(t, cause.RootCause, p.RootCause)
	assert.Equal(t, cause.Code, p.CauseCode)
	assert.Equal(t, problem.StateAssess, p.State)
}

func TestResolveNotifiesIncidentsByDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p, incs := f.linkedProblem(t, incident.StateInProgress, incident.StateNew, incident.StateResolved)
	p = f.advance(t, p, problem.StateFixInProgress)
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000042"}

	p, err := f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol, Fix: problem.Fix{Change: chg}})
	require.NoError(t, err)
	f.drain(t)
	assert.Equal(t, []itil.Ref{chg}, p.Changes, "the delivering change is linked")

	for _, inc := range incs[:2] {
		got := f.getIncident(t, inc.ID)
		assert.Equal(t, inc.State, got.State, "notified, not resolved")
		j := incidentJournal(t, f.desk, inc.ID)
		notes := named(j, "work_note")
		require.Len(t, notes, 1)
		assert.False(t, notes[0].Public)
		assert.Contains(t, notes[0].Note, p.Number)
		assert.Contains(t, notes[0].Note, "CHG0000042")
		comments := named(j, "comment")
		require.Len(t, comments, 1)
		assert.True(t, comments[0].Public)
		assert.Contains(t, comments[0].Note, fix.Description)
	}
	assert.Empty(t, named(incidentJournal(t, f.desk, incs[2].ID), "work_note"))
}

func TestResolveResolvesIncidents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{OnResolve: problem.ResolveIncidents})
	ctx := t.Context()
	p, incs := f.linkedProblem(t, incident.StateInProgress, incident.StateOnHold, incident.StateResolved)
	p = f.advance(t, p, problem.StateFixInProgress)
	resolvedBefore := f.getIncident(t, incs[2].ID)

	_, err := f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
	require.NoError(t, err)
	f.drain(t)
	for _, inc := range incs[:2] {
		got := f.getIncident(t, inc.ID)
		assert.Equal(t, incident.StateResolved, got.State)
		assert.Equal(t, "solved_permanently", got.Resolution.Code)
		assert.Contains(t, got.Resolution.Notes, p.Number)
		assert.Contains(t, got.Resolution.Notes, fix.Description)
		assert.Equal(t, carol.ID, got.Resolution.By)
	}
	assert.Equal(t, resolvedBefore, f.getIncident(t, incs[2].ID), "an incident resolved already is left alone")
}

func TestResolveIncidentsFallsBackToNotifying(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	f := newFixture(t, problem.Config{
		OnResolve:              problem.ResolveIncidents,
		IncidentResolutionCode: "no_such_code",
		Logger:                 slog.New(slog.NewTextHandler(&logs, nil)),
	})
	p, incs := f.linkedProblem(t, incident.StateInProgress)
	p = f.advance(t, p, problem.StateFixInProgress)

	p, err := f.mgr.Resolve(t.Context(), problem.ResolveParams{ID: p.ID, By: carol})
	require.NoError(t, err, "the problem is resolved whatever becomes of its incidents")
	assert.Equal(t, problem.StateResolved, p.State)
	f.drain(t)
	got := f.getIncident(t, incs[0].ID)
	assert.Equal(t, incident.StateInProgress, got.State)
	assert.Len(t, named(incidentJournal(t, f.desk, got.ID), "comment"), 1, "notified instead")
	assert.True(t, strings.Contains(logs.String(), incs[0].Number), "the failure is logged: %s", logs.String())
}

// advance takes a problem from new to state through the manager.
func (f *fixture) advance(t *testing.T, p *problem.Problem, state string) *problem.Problem {
	t.Helper()
	ctx := t.Context()
	step := func(next *problem.Problem, err error) {
		t.Helper()
		require.NoError(t, err)
		p = next
	}
	for p.State != state {
		switch p.State {
		case problem.StateNew:
			step(f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}))
		case problem.StateAssess:
			step(f.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol}))
		case problem.StateRootCauseAnalysis:
			step(f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause}))
			step(f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix}))
		default:
			t.Fatalf("advance: no way from %s to %s", p.State, state)
		}
	}
	return p
}
