package problem_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	p := f.open(t, func(dr *problem.Draft) {
		dr.Impact, dr.Urgency = itil.ImpactHigh, itil.UrgencyMedium
		dr.Group, dr.Assignee = "network-problems", "dan"
		dr.Note = "from the weekly review"
	})
	assert.Equal(t, "PRB0000001", p.Number)
	assert.Equal(t, problem.Kind, p.Kind)
	assert.Equal(t, problem.StateNew, p.State)
	assert.Equal(t, lifecycle.Open, p.StateCategory)
	assert.Equal(t, itil.P2, p.Priority)
	assert.Equal(t, []string{"vpn-gw-1"}, p.CIs)
	assert.Equal(t, f.clock.Now(), p.CreatedAt)
	assert.True(t, p.Open())
	j := problemJournal(t, f.mgr, p.ID)
	require.Len(t, j, 1)
	assert.Equal(t, lifecycle.EventCreate, j[0].Event)
	assert.Equal(t, "from the weekly review", j[0].Note)

	got, err := f.mgr.GetByNumber(t.Context(), "PRB0000001")
	require.NoError(t, err)
	assert.Equal(t, p, got)
}

func TestOpenWithIncidents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	a, b := f.openIncident(t), f.incidentIn(t, incident.StateResolved)
	p := f.open(t, func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{a.ID, b.ID} })
	assert.Equal(t, []uuid.UUID{a.ID, b.ID}, refIDs(p.Incidents))
	for _, id := range []uuid.UUID{a.ID, b.ID} {
		assert.Equal(t, []uuid.UUID{p.ID}, refIDs(f.getIncident(t, id).Problems))
	}
}

func TestOpenBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	closed := f.incidentIn(t, incident.StateClosed)
	open := f.openIncident(t)
	tests := []struct {
		name  string
		mod   func(*problem.Draft)
		field string
	}{
		{"no title", func(dr *problem.Draft) { dr.Title = "  " }, "title"},
		{"long title", func(dr *problem.Draft) { dr.Title = strings.Repeat("x", 201) }, "title"},
		{"no impact", func(dr *problem.Draft) { dr.Impact = 0 }, "impact"},
		{"bad urgency", func(dr *problem.Draft) { dr.Urgency = 7 }, "urgency"},
		{"no actor", func(dr *problem.Draft) { dr.By = itil.Actor{} }, "by"},
		{"assignee without group", func(dr *problem.Draft) { dr.Assignee = "dan" }, "group"},
		{"empty CI", func(dr *problem.Draft) { dr.CIs = []string{"a", ""} }, "cis[1]"},
		{"CI twice", func(dr *problem.Draft) { dr.CIs = []string{"a", "a"} }, "cis[1]"},
		{"nil incident", func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{uuid.Nil} }, "incidents[0]"},
		{"incident twice", func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{open.ID, open.ID} }, "incidents[1]"},
		{"closed incident", func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{open.ID, closed.ID} }, "incidents[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dr := draft()
			tt.mod(&dr)
			_, err := f.mgr.Open(t.Context(), dr)
			requireValidation(t, err, tt.field)
		})
	}
	dr := draft()
	dr.Incidents = []uuid.UUID{uuid.Must(uuid.NewV7())}
	_, err := f.mgr.Open(t.Context(), dr)
	require.ErrorIs(t, err, lifecycle.ErrNotFound)

	var n int
	for _, err := range f.mgr.Find(t.Context(), problem.Query{}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n, "nothing was stored")
	assert.Empty(t, f.getIncident(t, open.ID).Problems, "nothing was linked")
}

func TestFind(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	a := f.toState(t, problem.StateRootCauseAnalysis) // a known error
	b := f.toState(t, problem.StateClosed)
	c := f.open(t, func(dr *problem.Draft) { dr.CIs = []string{"mail-1"}; dr.Category = "email" })
	find := func(q problem.Query) []uuid.UUID {
		var out []*problem.Problem
		for p, err := range f.mgr.Find(ctx, q) {
			require.NoError(t, err)
			out = append(out, p)
		}
		return problemIDs(out)
	}
	assert.Equal(t, []uuid.UUID{a.ID, c.ID}, find(problem.Query{Open: true}))
	assert.Equal(t, []uuid.UUID{a.ID, b.ID}, find(problem.Query{KnownError: true}))
	assert.Equal(t, []uuid.UUID{c.ID}, find(problem.Query{CI: "mail-1"}))
	assert.Equal(t, []uuid.UUID{c.ID}, find(problem.Query{Category: "email"}))
	assert.Equal(t, []uuid.UUID{b.ID}, find(problem.Query{Categories: []lifecycle.Category{lifecycle.Closed}}))
	assert.Equal(t, []uuid.UUID{a.ID, b.ID}, find(problem.Query{CauseCode: "software"}))
	assert.Equal(t, []uuid.UUID{a.ID}, find(problem.Query{States: []string{problem.StateRootCauseAnalysis}}))
	assert.Equal(t, []uuid.UUID{a.ID}, find(problem.Query{Limit: 1}))
	assert.Equal(t, []uuid.UUID{b.ID}, find(problem.Query{After: a.ID, Limit: 1}))
}

func TestNewManagerRejectsBadConfig(t *testing.T) {
	t.Parallel()
	other, err := lifecycle.NewDefinition("ticket", []lifecycle.State{{Name: "open", Category: lifecycle.Open, Initial: true}}, nil)
	require.NoError(t, err)
	f := newFixture(t, problem.Config{})
	tests := []struct {
		name  string
		cfg   problem.Config
		field string
	}{
		{"empty codes", problem.Config{ResolutionCodes: []string{}}, "ResolutionCodes"},
		{"empty code", problem.Config{ResolutionCodes: []string{"fixed", ""}}, "ResolutionCodes[1]"},
		{"other lifecycle", problem.Config{Lifecycle: other}, "Lifecycle"},
		{"unknown policy", problem.Config{OnResolve: 9}, "OnResolve"},
		{"negative match words", problem.Config{MatchWords: -1}, "MatchWords"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := problem.NewManager(f.store, f.desk, tt.cfg)
			requireValidation(t, err, tt.field)
		})
	}
	_, err = problem.NewManager(f.store, nil, problem.Config{})
	requireValidation(t, err, "desk")
	_, err = problem.NewManager(nil, f.desk, problem.Config{})
	require.ErrorIs(t, err, itil.ErrInvalid)
}

func TestResolvePolicyString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "notify", problem.NotifyIncidents.String())
	assert.Equal(t, "resolve", problem.ResolveIncidents.String())
	assert.Equal(t, "policy(0)", problem.ResolvePolicy(0).String())
}
