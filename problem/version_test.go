package problem_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// versionCommands are the manager's commands, each with the state its
// problem must be in and a call with the given version. linked is an
// incident linked to the problem, free one that is not.
var versionCommands = []struct {
	name  string
	state string
	do    func(t *testing.T, f *fixture, p *problem.Problem, v int64, linked, free uuid.UUID) (*problem.Problem, error)
}{
	{"assess", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Assess(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol})
	}},
	{"analyze", problem.StateAssess, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Analyze(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol})
	}},
	{"assign", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Assign(t.Context(), problem.AssignParams{ID: p.ID, Version: v, By: carol, Group: "network-problems"})
	}},
	{"record cause", problem.StateRootCauseAnalysis, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.RecordCause(t.Context(), problem.RecordCauseParams{ID: p.ID, Version: v, By: carol, Cause: problem.Cause{RootCause: "a revised cause"}})
	}},
	{"publish workaround", problem.StateRootCauseAnalysis, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.PublishWorkaround(t.Context(), problem.WorkaroundParams{ID: p.ID, Version: v, By: carol, Workaround: "use the web VPN"})
	}},
	{"start fix", problem.StateRootCauseAnalysis, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.StartFix(t.Context(), problem.StartFixParams{ID: p.ID, Version: v, By: carol, Fix: fix})
	}},
	{"resolve", problem.StateFixInProgress, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Resolve(t.Context(), problem.ResolveParams{ID: p.ID, Version: v, By: carol})
	}},
	{"close", problem.StateResolved, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Close(t.Context(), problem.CloseParams{ID: p.ID, Version: v, By: carol, Resolution: problem.Resolution{Code: problem.CodeFixApplied}})
	}},
	{"mark duplicate", problem.StateAssess, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		orig := f.open(t)
		return f.mgr.MarkDuplicate(t.Context(), problem.DuplicateParams{ID: p.ID, Version: v, By: carol, Of: orig.ID})
	}},
	{"accept risk", problem.StateRootCauseAnalysis, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.AcceptRisk(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol, Note: "too costly"})
	}},
	{"cancel", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Cancel(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol, Note: "logged in error"})
	}},
	{"reanalyze", problem.StateResolved, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Reanalyze(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol, Note: "it came back"})
	}},
	{"link incident", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, free uuid.UUID) (*problem.Problem, error) {
		return f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, Version: v, By: carol, Incident: free})
	}},
	{"unlink incident", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, linked, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.UnlinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, Version: v, By: carol, Incident: linked})
	}},
	{"link change", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000009"}
		return f.mgr.LinkChange(t.Context(), problem.LinkChangeParams{ID: p.ID, Version: v, By: carol, Change: chg})
	}},
	{"fire", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Fire(t.Context(), lifecycle.FireParams{ID: p.ID, Version: v, By: carol, Event: problem.EventAssess})
	}},
	{"edit", problem.StateNew, func(t *testing.T, f *fixture, p *problem.Problem, v int64, _, _ uuid.UUID) (*problem.Problem, error) {
		return f.mgr.Edit(t.Context(), problem.Params{ID: p.ID, Version: v, By: carol, Note: "checked"})
	}},
}

// versionSubject opens a problem in state with a linked incident, and an
// incident that is linked to nothing.
func versionSubject(t *testing.T, f *fixture, state string) (p *problem.Problem, linked, free uuid.UUID) {
	t.Helper()
	inc := f.openIncident(t)
	p = f.toState(t, state)
	if state == problem.StateNew {
		var err error
		p, err = f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
		require.NoError(t, err)
	}
	return p, inc.ID, f.openIncident(t).ID
}

// TestStaleVersion runs every command with the version of a problem that
// has changed since: each fails with lifecycle.ErrConflict, and neither the
// problem nor its incidents nor any journal changed.
func TestStaleVersion(t *testing.T) {
	t.Parallel()
	for _, tt := range versionCommands {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, problem.Config{})
			p, linked, free := versionSubject(t, f, tt.state)
			read := p.Version
			p, err := f.mgr.Edit(t.Context(), problem.Params{ID: p.ID, By: bob, Note: "someone else came first"})
			require.NoError(t, err)
			require.Equal(t, read+1, p.Version)
			n := len(problemJournal(t, f.mgr, p.ID))
			incs := map[uuid.UUID]int{linked: len(incidentJournal(t, f.desk, linked)), free: len(incidentJournal(t, f.desk, free))}

			_, err = tt.do(t, f, p, read, linked, free)
			require.ErrorIs(t, err, lifecycle.ErrConflict)
			assert.Equal(t, lifecycle.ErrConflict, lifecycle.Class(err))
			assert.Equal(t, p, f.getProblem(t, p.ID))
			assert.Len(t, problemJournal(t, f.mgr, p.ID), n)
			for id, n := range incs {
				assert.Len(t, incidentJournal(t, f.desk, id), n)
			}
		})
	}
}

// TestCurrentVersion runs every command with the version just read: each
// acts and moves the version on by one.
func TestCurrentVersion(t *testing.T) {
	t.Parallel()
	for _, tt := range versionCommands {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, problem.Config{})
			p, linked, free := versionSubject(t, f, tt.state)
			got, err := tt.do(t, f, p, p.Version, linked, free)
			require.NoError(t, err)
			assert.Equal(t, p.Version+1, got.Version)
		})
	}
}
