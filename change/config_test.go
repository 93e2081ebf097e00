package change_test

import (
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
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	without := func(label string) approval.Matrix {
		m := change.DefaultApprovals()
		delete(m, label)
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
			"low": {Policy: approval.Quorum(3), Slots: []approval.Slot{approval.Group("cab")}},
		}}, "approvals[low].policy.n"},
		{"bad emergency rule", change.Config{EmergencyApprovals: approval.Rule{Policy: approval.Quorum(2), Slots: []approval.Slot{approval.Group("ecab")}}}, "emergency_approvals.policy.n"},
		{"bad risk matrix", change.Config{RiskMatrix: change.RiskMatrix{{change.RiskLow}}}, "risk_matrix[high/medium]"},
		{"questionnaire thresholds", change.Config{Questionnaire: change.Questionnaire{Questions: questionnaire.Questions, Moderate: 5, High: 2}}, "questionnaire.high"},
		{"questionnaire without answers", change.Config{Questionnaire: change.Questionnaire{Questions: []change.Question{{ID: "q"}}, Moderate: 1, High: 2}}, "questionnaire.questions[0].answers"},
		{"question twice", change.Config{Questionnaire: change.Questionnaire{Questions: append(questionnaire.Questions, questionnaire.Questions[0]), Moderate: 1, High: 2}}, "questionnaire.questions[2].id"},
		{"negative weight", change.Config{Questionnaire: change.Questionnaire{Questions: []change.Question{{ID: "q", Answers: []change.Answer{{ID: "a", Weight: -1}}}}, Moderate: 1, High: 2}}, "questionnaire.questions[0].answers[0].weight"},
		{"lifecycle requires an unknown field", change.Config{Standard: badRequires}, "standard.states[6].requires[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := change.NewManager(memstore.New(memstore.Config{}), tc.cfg)
			assertInvalid(t, err, tc.field)
		})
	}
}
