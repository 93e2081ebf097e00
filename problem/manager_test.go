package problem_test

import (
	"encoding/json"
	"slices"
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
		{"lifecycle without an event", problem.Config{Lifecycle: withoutEvent(t, problem.EventMarkDuplicate)}, "Lifecycle"},
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
	requireValidation(t, err, "store")
	var none *incident.Desk
	_, err = problem.NewManager(f.store, none, problem.Config{})
	requireValidation(t, err, "desk")
}

// edited returns the default lifecycle as edit changes its states and
// events.
func edited(t *testing.T, edit func(states []lifecycle.State, events []lifecycle.Event) []lifecycle.Event) *lifecycle.Definition {
	t.Helper()
	def := problem.DefaultLifecycle()
	states := def.States()
	events := edit(states, def.Events())
	d, err := lifecycle.NewDefinition(problem.Kind, states, events)
	require.NoError(t, err)
	return d
}

// withoutEvent returns the default lifecycle without event.
func withoutEvent(t *testing.T, event string) *lifecycle.Definition {
	return edited(t, func(_ []lifecycle.State, events []lifecycle.Event) []lifecycle.Event {
		return slices.DeleteFunc(events, func(e lifecycle.Event) bool { return e.Name == event })
	})
}

// withRenamed returns the default lifecycle with event renamed to name.
func withRenamed(t *testing.T, event, name string) *lifecycle.Definition {
	return edited(t, func(_ []lifecycle.State, events []lifecycle.Event) []lifecycle.Event {
		for i := range events {
			if events[i].Name == event {
				events[i].Name = name
			}
		}
		return events
	})
}

// withTarget returns the default lifecycle with event leading to state.
func withTarget(t *testing.T, event, state string) *lifecycle.Definition {
	return edited(t, func(_ []lifecycle.State, events []lifecycle.Event) []lifecycle.Event {
		for i := range events {
			if events[i].Name == event {
				events[i].To = state
			}
		}
		return events
	})
}

// TestNewManagerChecksLifecycle gives the manager lifecycles that lack an
// event it fires, or whose event leads elsewhere than the command means:
// NewManager refuses each, naming the event, where a manager would else
// fail, or do the wrong thing, at the first such command.
func TestNewManagerChecksLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	tests := []struct {
		name string
		def  *lifecycle.Definition
		want string
	}{
		{"assess renamed", withRenamed(t, problem.EventAssess, "triage"), `no event "assess", which Assess fires`},
		{"no resolved state", edited(t, func(states []lifecycle.State, events []lifecycle.Event) []lifecycle.Event {
			for i := range states {
				if states[i].Name == problem.StateResolved {
					states[i].Category, states[i].AllowExit = lifecycle.Closed, true
				}
			}
			events[slices.IndexFunc(events, func(e lifecycle.Event) bool { return e.Name == problem.EventResolve })].Name = "deliver"
			return events
		}), `no event "resolve", nor any other from an open or paused state to a resolved state, which Resolve fires`},
		{"no mark duplicate", withoutEvent(t, problem.EventMarkDuplicate), `no event "mark_duplicate", which MarkDuplicate fires`},
		{"no reanalyze", withoutEvent(t, problem.EventReanalyze), `no event "reanalyze", nor any other from a resolved or closed state to an open or paused state, which Reanalyze fires`},
		{"close to an open state", withTarget(t, problem.EventClose, problem.StateRootCauseAnalysis), `event "close" leads to "root_cause_analysis"`},
		{"cancel to a resolved state", withTarget(t, problem.EventCancel, problem.StateResolved), `Cancel needs a closed or cancelled state`},
		{"reanalyze to a closed state", withTarget(t, problem.EventReanalyze, problem.StateClosed), `Reanalyze needs an open or paused state`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := problem.NewManager(f.store, f.desk, problem.Config{Lifecycle: tt.def})
			requireValidation(t, err, "Lifecycle")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestEventFoundByCategory renames the events that the manager finds by
// category when the lifecycle names them otherwise: the manager takes the
// lifecycle, and resolves, closes and reanalyzes through them.
func TestEventFoundByCategory(t *testing.T) {
	t.Parallel()
	def := edited(t, func(_ []lifecycle.State, events []lifecycle.Event) []lifecycle.Event {
		for i, name := range map[string]string{problem.EventResolve: "deliver", problem.EventClose: "archive", problem.EventReanalyze: "reopen"} {
			events[slices.IndexFunc(events, func(e lifecycle.Event) bool { return e.Name == i })].Name = name
		}
		return events
	})
	f := newFixture(t, problem.Config{Lifecycle: def})
	p := f.toState(t, problem.StateClosed)
	p, err := f.mgr.Reanalyze(t.Context(), problem.Params{ID: p.ID, By: carol, Note: "it came back"})
	require.NoError(t, err)
	assert.Equal(t, problem.StateRootCauseAnalysis, p.State)
	var events []string
	for _, c := range problemJournal(t, f.mgr, p.ID) {
		events = append(events, c.Event)
	}
	assert.Equal(t, []string{"deliver", "archive", "reopen"}, events[len(events)-3:])
}

func TestResolvePolicyText(t *testing.T) {
	t.Parallel()
	var cfg struct {
		OnResolve problem.ResolvePolicy `json:"on_resolve"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"on_resolve": "resolve"}`), &cfg))
	assert.Equal(t, problem.ResolveIncidents, cfg.OnResolve)
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"on_resolve": "resolve"}`, string(b))

	err = json.Unmarshal([]byte(`{"on_resolve": "ignore"}`), &cfg)
	requireValidation(t, err, "policy")
	assert.Equal(t, problem.ResolveIncidents, cfg.OnResolve, "a refused text leaves the value")
	_, err = problem.ResolvePolicy(7).MarshalText()
	requireValidation(t, err, "policy")
}

func TestResolvePolicyString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "notify", problem.NotifyIncidents.String())
	assert.Equal(t, "resolve", problem.ResolveIncidents.String())
	assert.Equal(t, "policy(0)", problem.ResolvePolicy(0).String())
}

// TestDraftID opens a problem under the ID its draft gives: opening it
// again, as a host that lost the first answer does, is refused with
// lifecycle.ErrExists and stores nothing more.
func TestDraftID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	id := uuid.Must(uuid.NewV7())
	p := f.open(t, func(dr *problem.Draft) { dr.ID = id })
	assert.Equal(t, id, p.ID)

	dr := draft()
	dr.ID = id
	_, err := f.mgr.Open(t.Context(), dr)
	require.ErrorIs(t, err, lifecycle.ErrExists)
	assert.Equal(t, p, f.getProblem(t, id))
	var n int
	for _, err := range f.mgr.Find(t.Context(), problem.Query{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
}
