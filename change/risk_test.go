package change_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
)

var questionnaire = change.Questionnaire{
	Questions: []change.Question{
		{ID: "outage", Text: "Does the change need an outage?", Answers: []change.Answer{
			{ID: "no", Text: "No", Weight: 0},
			{ID: "partial", Text: "Of some users", Weight: 3},
			{ID: "full", Text: "Of everyone", Weight: 6},
		}},
		{ID: "tested", Text: "Was it tested in staging?", Answers: []change.Answer{
			{ID: "yes", Text: "Yes", Weight: 0},
			{ID: "no", Text: "No", Weight: 4},
		}},
	},
	Moderate: 3,
	High:     7,
}

func TestRiskMatrix(t *testing.T) {
	t.Parallel()
	m := change.DefaultRiskMatrix()
	want := map[itil.Impact]map[change.Likelihood]change.Risk{
		itil.ImpactHigh:   {change.LikelihoodHigh: change.RiskHigh, change.LikelihoodMedium: change.RiskHigh, change.LikelihoodLow: change.RiskModerate},
		itil.ImpactMedium: {change.LikelihoodHigh: change.RiskHigh, change.LikelihoodMedium: change.RiskModerate, change.LikelihoodLow: change.RiskLow},
		itil.ImpactLow:    {change.LikelihoodHigh: change.RiskModerate, change.LikelihoodMedium: change.RiskLow, change.LikelihoodLow: change.RiskLow},
	}
	for i, row := range want {
		for l, r := range row {
			got, err := m.Risk(i, l)
			require.NoError(t, err)
			assert.Equal(t, r, got, "%s/%s", i, l)
		}
	}
	_, err := m.Risk(0, change.LikelihoodLow)
	assertInvalid(t, err, "impact")
	_, err = m.Risk(itil.ImpactLow, 9)
	assertInvalid(t, err, "likelihood")
}

func TestAssessByMatrix(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c, err := f.m.Propose(ctx, draft(change.Normal))
	require.NoError(t, err)
	c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Likelihood: change.LikelihoodMedium, Note: "db team"})
	require.NoError(t, err)
	assert.Equal(t, change.StateAssess, c.State)
	assert.Equal(t, change.RiskModerate, c.Risk)
	assert.Equal(t, change.Assessment{Method: change.MethodMatrix, Impact: itil.ImpactMedium, Likelihood: change.LikelihoodMedium, Risk: change.RiskModerate, By: "carol", At: t0}, c.Assessment)

	// Assessed again in assess: an edit, and the impact changes with it.
	c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Likelihood: change.LikelihoodHigh, Impact: itil.ImpactHigh})
	require.NoError(t, err)
	assert.Equal(t, change.StateAssess, c.State)
	assert.Equal(t, change.RiskHigh, c.Risk)
	assert.Equal(t, itil.ImpactHigh, c.Impact)
	j := f.journal(t, c.ID)
	last := j[len(j)-1]
	assert.Equal(t, change.EventAssess, last.Event)
	assert.Equal(t, change.StateAssess, last.From)
	assert.Contains(t, last.Fields, lifecycle.FieldChange{Field: "risk", Old: "moderate", New: "high"})

	// Once approval is requested the risk is fixed.
	c, err = f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
	require.NoError(t, err)
	_, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Likelihood: change.LikelihoodLow})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, change.EventAssess, te.Event)
	f.unchanged(t, c)
}

func TestAssessWithoutImpact(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	d := draft(change.Normal)
	d.Impact = 0
	c, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	_, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Likelihood: change.LikelihoodMedium})
	assertInvalid(t, err, "impact")
	f.unchanged(t, c)
}

func TestAssessByQuestionnaire(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Questionnaire: questionnaire})
	for _, tc := range []struct {
		answers map[string]string
		score   int
		risk    change.Risk
	}{
		{map[string]string{"outage": "no", "tested": "yes"}, 0, change.RiskLow},
		{map[string]string{"outage": "partial", "tested": "yes"}, 3, change.RiskModerate},
		{map[string]string{"outage": "partial", "tested": "no"}, 7, change.RiskHigh},
		{map[string]string{"outage": "full", "tested": "no"}, 10, change.RiskHigh},
	} {
		c, err := f.m.Propose(ctx, draft(change.Normal))
		require.NoError(t, err)
		c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Answers: tc.answers})
		require.NoError(t, err)
		assert.Equal(t, tc.risk, c.Risk)
		assert.Equal(t, change.MethodQuestionnaire, c.Assessment.Method)
		assert.Equal(t, tc.score, c.Assessment.Score)
		assert.Equal(t, tc.answers, c.Assessment.Answers)
	}
}

func TestAssessBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Questionnaire: questionnaire})
	c, err := f.m.Propose(ctx, draft(change.Normal))
	require.NoError(t, err)
	for _, tc := range []struct {
		p     change.AssessParams
		field string
	}{
		{change.AssessParams{}, "by"},
		{change.AssessParams{By: carol}, "answers"},
		{change.AssessParams{By: carol, Likelihood: change.LikelihoodLow, Answers: map[string]string{"outage": "no"}}, "answers"},
		{change.AssessParams{By: carol, Answers: map[string]string{"outage": "no"}}, "answers[tested]"},
		{change.AssessParams{By: carol, Answers: map[string]string{"outage": "maybe", "tested": "yes"}}, "answers[outage]"},
		{change.AssessParams{By: carol, Answers: map[string]string{"outage": "no", "tested": "yes", "color": "red"}}, "answers[color]"},
		{change.AssessParams{By: carol, Likelihood: 7}, "likelihood"},
		{change.AssessParams{By: carol, Likelihood: change.LikelihoodLow, Impact: 9}, "impact"},
	} {
		tc.p.ID = c.ID
		_, err := f.m.Assess(ctx, tc.p)
		assertInvalid(t, err, tc.field)
	}
	f.unchanged(t, c)

	g := newFixture(t, change.Config{})
	c, err = g.m.Propose(ctx, draft(change.Normal))
	require.NoError(t, err)
	_, err = g.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Answers: map[string]string{"outage": "no"}})
	assertInvalid(t, err, "answers")

	// Standard changes take their risk from the template.
	s, err := g.m.Propose(ctx, draft(change.Standard))
	require.NoError(t, err)
	assert.Equal(t, change.RiskLow, s.Risk)
	assert.Equal(t, change.MethodTemplate, s.Assessment.Method)
	_, err = g.m.Assess(ctx, change.AssessParams{ID: s.ID, By: carol, Likelihood: change.LikelihoodLow})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
}

func TestEnumText(t *testing.T) {
	t.Parallel()
	for _, v := range []interface {
		MarshalText() ([]byte, error)
		String() string
	}{change.Normal, change.Standard, change.Emergency, change.Successful, change.Failed, change.BackedOut,
		change.RiskLow, change.RiskModerate, change.RiskHigh, change.LikelihoodHigh, change.LikelihoodMedium, change.LikelihoodLow,
		change.ConflictCI, change.ConflictParent, change.ConflictChild, change.ConflictImplementer} {
		b, err := v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, v.String(), string(b))
	}
	_, err := change.Type(0).MarshalText()
	assertInvalid(t, err, "type")
	_, err = change.ParseRisk("extreme")
	assertInvalid(t, err, "risk")
	o, err := change.ParseOutcome("backed_out")
	require.NoError(t, err)
	assert.Equal(t, change.BackedOut, o)
	ty, err := change.ParseType("emergency")
	require.NoError(t, err)
	assert.Equal(t, change.Emergency, ty)
	l, err := change.ParseLikelihood("medium")
	require.NoError(t, err)
	assert.Equal(t, change.LikelihoodMedium, l)
	assert.Equal(t, "risk(9)", change.Risk(9).String())

	var r change.Risk
	require.NoError(t, json.Unmarshal([]byte(`"moderate"`), &r))
	assert.Equal(t, change.RiskModerate, r)
	assert.Error(t, json.Unmarshal([]byte(`"huge"`), &r))
}
