package itil_test

import (
	"encoding/json"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
)

var update = flag.Bool("update", false, "rewrite generated text in README.md and testdata/")

func TestLevelsJSON(t *testing.T) {
	t.Parallel()
	type rec struct {
		Impact   itil.Impact   `json:"impact"`
		Urgency  itil.Urgency  `json:"urgency"`
		Priority itil.Priority `json:"priority"`
	}
	in := rec{itil.ImpactHigh, itil.UrgencyLow, itil.P3}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"impact":"high","urgency":"low","priority":"P3"}`, string(data))
	var out rec
	require.NoError(t, json.Unmarshal(data, &out))
	assert.Equal(t, in, out)

	for _, bad := range []string{
		`{"impact":"huge","urgency":"low","priority":"P3"}`,
		`{"impact":"high","urgency":"now","priority":"P3"}`,
		`{"impact":"high","urgency":"low","priority":"P9"}`,
		`{"impact":1,"urgency":"low","priority":"P3"}`,
	} {
		assert.Error(t, json.Unmarshal([]byte(bad), &out), bad)
	}
	var ve *itil.ValidationError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"impact":"huge"}`), &out), &ve)
	assert.Equal(t, "impact", ve.Field)

	_, err = json.Marshal(rec{})
	assert.ErrorIs(t, err, itil.ErrInvalid, "an unset level does not encode")
}

func TestLevelNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "medium", itil.ImpactMedium.String())
	assert.Equal(t, "impact(9)", itil.Impact(9).String())
	assert.Equal(t, "P1", itil.P1.String())
	assert.Equal(t, "critical", itil.P1.Label())
	assert.Equal(t, "planning", itil.P5.Label())
	p, err := itil.ParsePriority("p2")
	require.NoError(t, err)
	assert.Equal(t, itil.P2, p)
	_, err = itil.ParseUrgency("High")
	assert.ErrorIs(t, err, itil.ErrInvalid)
}

func TestDefaultMatrix(t *testing.T) {
	t.Parallel()
	m := itil.DefaultMatrix()
	want := map[[2]int8]itil.Priority{
		{1, 1}: itil.P1, {1, 2}: itil.P2, {2, 1}: itil.P2,
		{1, 3}: itil.P3, {2, 2}: itil.P3, {3, 1}: itil.P3,
		{2, 3}: itil.P4, {3, 2}: itil.P4, {3, 3}: itil.P5,
	}
	for k, p := range want {
		got, err := m.Priority(itil.Impact(k[0]), itil.Urgency(k[1]))
		require.NoError(t, err)
		assert.Equal(t, p, got, "impact %d urgency %d", k[0], k[1])
	}
	_, err := m.Priority(0, itil.UrgencyLow)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "impact", ve.Field)
	_, err = itil.PriorityMatrix{}.Priority(itil.ImpactLow, itil.UrgencyLow)
	assert.ErrorIs(t, err, itil.ErrInvalid)
}

func TestCustomMatrix(t *testing.T) {
	t.Parallel()
	var cells []itil.MatrixCell
	for _, c := range itil.DefaultMatrix().Cells() {
		if c.Impact == itil.ImpactHigh && c.Urgency == itil.UrgencyLow {
			c.Priority = itil.P2 // this shop treats any high impact as P2 at least
		}
		cells = append(cells, c)
	}
	m, err := itil.NewPriorityMatrix(cells...)
	require.NoError(t, err)
	p, err := m.Priority(itil.ImpactHigh, itil.UrgencyLow)
	require.NoError(t, err)
	assert.Equal(t, itil.P2, p)

	data, err := json.Marshal(m)
	require.NoError(t, err)
	var back itil.PriorityMatrix
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, m, back)

	tests := map[string]struct {
		cells []itil.MatrixCell
		field string
	}{
		"missing cell": {cells[:8], "matrix[low/low]"},
		"twice":        {append(cells[:9:9], cells[0]), "matrix[high/high]"},
		"bad priority": {append(cells[:8:8], itil.MatrixCell{Impact: itil.ImpactLow, Urgency: itil.UrgencyLow, Priority: 7}), "matrix[low/low]"},
		"bad impact":   {[]itil.MatrixCell{{Impact: 5, Urgency: itil.UrgencyLow, Priority: itil.P1}}, "matrix[impact(5)/low]"},
	}
	for name, tt := range tests {
		_, err := itil.NewPriorityMatrix(tt.cells...)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, tt.field, ve.Field, name)
	}
	for _, bad := range []string{`{"high/high":"P1"}`, `{"huge/high":"P1"}`, `[]`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &back), bad)
	}
}

func TestRefAndActor(t *testing.T) {
	t.Parallel()
	assert.True(t, itil.Ref{}.IsZero())
	var ve *itil.ValidationError
	require.ErrorAs(t, itil.Ref{}.Validate("problem"), &ve)
	assert.Equal(t, "problem.kind", ve.Field)
	a := itil.Actor{ID: "bob", Groups: []string{"network"}}
	assert.True(t, a.InGroup("network"))
	assert.False(t, a.InGroup("cab"))
	assert.True(t, itil.System("sweep").System)
}
