package change_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	m, err := change.NewManager(memstore.New(memstore.Config{}), change.Config{})
	require.NoError(t, err)
	for _, typ := range types {
		assert.NotNil(t, m.Definition(typ))
	}
	assert.Empty(t, m.Freezes())
	_, err = change.NewManager(nil, change.Config{})
	assertInvalid(t, err, "store")
	_, err = change.NewManager((*memstore.Store)(nil), change.Config{})
	assertInvalid(t, err, "store")
}

// nilTopology is a Topology whose nil pointer a Manager must not call.
type nilTopology struct{ parents map[string][]string }

func (tp *nilTopology) Parents(_ context.Context, ci string) ([]string, error) {
	return tp.parents[ci], nil
}

func (tp *nilTopology) Children(context.Context, string) ([]string, error) { return nil, nil }

// TestApprovalsByRisk: the approval matrix is keyed by Risk through
// approval.MatrixOf, and the Manager reads it by the change's risk.
func TestApprovalsByRisk(t *testing.T) {
	t.Parallel()
	m := change.DefaultApprovals()
	for _, r := range []change.Risk{change.RiskLow, change.RiskModerate, change.RiskHigh} {
		rule, err := m.RuleOf(r)
		require.NoError(t, err, r.String())
		assert.NotEmpty(t, rule.Slots)
	}
	assert.Len(t, m, 3)
	high, err := m.RuleOf(change.RiskHigh)
	require.NoError(t, err)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers)}, high.Slots)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupECAB)}, change.DefaultEmergencyApprovals().Slots)

	person := approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Person("olivia")}}
	f := newFixture(t, change.Config{Approvals: approval.MatrixOf(map[change.Risk]approval.Rule{
		change.RiskLow: person, change.RiskModerate: person, change.RiskHigh: person,
	})})
	c := f.toState(t, change.Normal, change.StateAuthorize)
	assert.Equal(t, []approval.Slot{approval.Person("olivia")}, c.Approval().Pending())
}

// TestLoggerDefaultsToSlogDefault: a Manager without a Logger warns on
// slog.Default(). It sets the process's default logger, so it does not run
// in parallel.
func TestLoggerDefaultsToSlogDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	f := newFixture(t, change.Config{Freezes: []change.Freeze{yearEnd}})
	c := f.toState(t, change.Emergency, change.StateAuthorize)
	_, err := f.do(c.ID, "approve")
	require.NoError(t, err)
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(30, 1), Implementer: bob.ID})
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "emergency change scheduled in a freeze")
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	without := func(label string) approval.Matrix {
		m := change.DefaultApprovals()
		delete(m, label)
		return m
	}
	rule := approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}}
	with := func(label string) approval.Matrix {
		m := change.DefaultApprovals()
		m[label] = rule
		return m
	}
	badRequires, err := change.StandardLifecycle().Extend(
		[]lifecycle.State{{Name: "vetted", Category: lifecycle.Open, Requires: []string{"colour"}}},
		[]lifecycle.Event{{Name: "vet", From: []string{change.StateNew}, To: "vetted"}})
	require.NoError(t, err)
	for _, tc := range []struct {
		name  string
		cfg   change.Config
		field string
	}{
		{"template without name", change.Config{Templates: []change.Template{{Title: "x", ImplementationPlan: "a", BackoutPlan: "b"}}}, "templates[0].name"},
		{"template twice", change.Config{Templates: []change.Template{restartWeb, restartWeb}}, "templates[1].name"},
		{"template without title", change.Config{Templates: []change.Template{{Name: "t", ImplementationPlan: "a", BackoutPlan: "b"}}}, "templates[0].title"},
		{"template without backout", change.Config{Templates: []change.Template{{Name: "t", Title: "x", ImplementationPlan: "a"}}}, "templates[0].backout_plan"},
		{"high-risk template", change.Config{Templates: []change.Template{{Name: "t", Title: "x", ImplementationPlan: "a", BackoutPlan: "b", Risk: change.RiskHigh}}}, "templates[0].risk"},
		{"negative duration", change.Config{Templates: []change.Template{{Name: "t", Title: "x", ImplementationPlan: "a", BackoutPlan: "b", MaxDuration: -1}}}, "templates[0].max_duration"},
		{"no high rule", change.Config{Approvals: without("high")}, "approvals[high]"},
		{"bad quorum", change.Config{Approvals: approval.Matrix{
			"low": {Policy: approval.Quorum(3), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}},
		}}, "approvals[low].policy.n"},
		{"bad emergency rule", change.Config{EmergencyApprovals: approval.Rule{Policy: approval.Quorum(2), Slots: []approval.Slot{approval.Group(approval.GroupECAB)}}}, "emergency_approvals.policy.n"},
		{"bad risk matrix", change.Config{RiskMatrix: change.RiskMatrix{{change.RiskLow}}}, "risk_matrix[high/medium]"},
		{"questionnaire thresholds", change.Config{Questionnaire: change.Questionnaire{Questions: questionnaire.Questions, Moderate: 5, High: 2}}, "questionnaire.high"},
		{"questionnaire without answers", change.Config{Questionnaire: change.Questionnaire{Questions: []change.Question{{ID: "q"}}, Moderate: 1, High: 2}}, "questionnaire.questions[0].answers"},
		{"question twice", change.Config{Questionnaire: change.Questionnaire{Questions: append(questionnaire.Questions, questionnaire.Questions[0]), Moderate: 1, High: 2}}, "questionnaire.questions[2].id"},
		{"negative weight", change.Config{Questionnaire: change.Questionnaire{Questions: []change.Question{{ID: "q", Answers: []change.Answer{{ID: "a", Weight: -1}}}}, Moderate: 1, High: 2}}, "questionnaire.questions[0].answers[0].weight"},
		{"lifecycle requires an unknown field", change.Config{Standard: badRequires}, "standard.states[6].requires[0]"},
		{"approval label that is no risk", change.Config{Approvals: with("extreme")}, "approvals[extreme]"},
		{"approvals keyed by another enumeration", change.Config{Approvals: approval.MatrixOf(map[change.Likelihood]approval.Rule{
			change.LikelihoodLow: rule, change.LikelihoodMedium: rule, change.LikelihoodHigh: rule,
		})}, "approvals[moderate]"},
		{"nil topology", change.Config{Topology: (*nilTopology)(nil)}, "topology"},
		{"nil authorizer", change.Config{Authorizer: lifecycle.AuthorizerFunc(nil)}, "authorizer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := change.NewManager(memstore.New(memstore.Config{}), tc.cfg)
			assertInvalid(t, err, tc.field)
		})
	}
}
