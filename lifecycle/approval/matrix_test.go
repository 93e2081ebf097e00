package approval_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
)

func riskMatrix() approval.Matrix {
	return approval.Matrix{
		"low":      {Policy: approval.Any(), Slots: []approval.Slot{approval.Group("change-managers")}},
		"moderate": {Policy: approval.Majority(), Slots: []approval.Slot{approval.Group("cab"), approval.Group("change-managers"), approval.Group("security")}},
		"high":     {Policy: approval.All(), Slots: []approval.Slot{approval.Group("cab"), approval.Group("change-managers")}},
	}
}

func TestMatrixRule(t *testing.T) {
	t.Parallel()
	m := riskMatrix()
	require.NoError(t, m.Validate())

	r, err := m.Rule("high")
	require.NoError(t, err)
	assert.Equal(t, approval.All(), r.Policy)
	r.Slots[0] = approval.Group("changed")
	assert.Equal(t, approval.Group("cab"), m["high"].Slots[0], "Rule returns a copy")

	_, err = m.Rule("extreme")
	requireInvalid(t, err, "label")
	assert.Contains(t, err.Error(), "high, low, moderate")
	_, err = approval.Matrix{}.Rule("low")
	requireInvalid(t, err, "label")
}

func TestMatrixValidate(t *testing.T) {
	t.Parallel()
	cab := []approval.Slot{approval.Group("cab")}
	tests := []struct {
		name  string
		m     approval.Matrix
		field string
	}{
		{"empty label", approval.Matrix{"": {Slots: cab}}, "matrix[]"},
		{"no slots", approval.Matrix{"high": {Policy: approval.All()}}, "matrix[high].slots"},
		{"quorum too high", approval.Matrix{"high": {Policy: approval.Quorum(2), Slots: cab}}, "matrix[high].policy.n"},
		{"duplicate slot", approval.Matrix{"low": {Slots: []approval.Slot{approval.Group("cab"), approval.Group("cab")}}}, "matrix[low].slots[1]"},
		{"first bad label in order", approval.Matrix{
			"moderate": {Policy: approval.Quorum(0), Slots: cab},
			"high":     {Policy: approval.Policy{Kind: 9}, Slots: cab},
		}, "matrix[high].policy.kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireInvalid(t, tt.m.Validate(), tt.field)
		})
	}
}

func TestMatrixJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(riskMatrix())
	require.NoError(t, err)
	var back approval.Matrix
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, riskMatrix(), back)

	keep := riskMatrix()
	err = json.Unmarshal([]byte(`{"high": {"policy": {"kind": "quorum", "n": 3}, "slots": ["group:cab"]}}`), &keep)
	requireInvalid(t, err, "matrix[high].policy.n")
	assert.Equal(t, riskMatrix(), keep, "a failed decode changed the matrix")
}
