package approval_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
)

func riskMatrix() approval.Matrix {
	return approval.Matrix{
		"low":      {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupChangeManagers)}},
		"moderate": {Policy: approval.Majority(), Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers), approval.Group("security")}},
		"high":     {Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers)}},
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
	assert.Equal(t, approval.Group(approval.GroupCAB), m["high"].Slots[0], "Rule returns a copy")

	_, err = m.Rule("extreme")
	requireInvalid(t, err, "label")
	assert.Contains(t, err.Error(), "high, low, moderate")
	_, err = approval.Matrix{}.Rule("low")
	requireInvalid(t, err, "label")
}

func TestMatrixValidate(t *testing.T) {
	t.Parallel()
	cab := []approval.Slot{approval.Group(approval.GroupCAB)}
	tests := []struct {
		name  string
		m     approval.Matrix
		field string
	}{
		{"empty label", approval.Matrix{"": {Slots: cab}}, "matrix[]"},
		{"no slots", approval.Matrix{"high": {Policy: approval.All()}}, "matrix[high].slots"},
		{"quorum too high", approval.Matrix{"high": {Policy: approval.Quorum(2), Slots: cab}}, "matrix[high].policy.n"},
		{"duplicate slot", approval.Matrix{"low": {Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupCAB)}}}, "matrix[low].slots[1]"},
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

// band is a typed label, as a process's own enumeration is.
type band int8

func (b band) String() string { return [...]string{"small", "large"}[b] }

func TestMatrixOfTypedKeys(t *testing.T) {
	t.Parallel()
	slots := []approval.Slot{approval.Group(approval.GroupCAB)}
	m := approval.MatrixOf(map[band]approval.Rule{
		0: {Policy: approval.Any(), Slots: []approval.Slot{approval.Person("olivia")}},
		1: {Policy: approval.All(), Slots: slots},
	})
	require.NoError(t, m.Validate())
	assert.Equal(t, []string{"large", "small"}, sortedKeys(m), "labelled by String")
	slots[0] = approval.Group("changed")
	assert.Equal(t, approval.Group(approval.GroupCAB), m["large"].Slots[0], "MatrixOf keeps its own slots")

	r, err := m.RuleOf(band(1))
	require.NoError(t, err)
	assert.Equal(t, approval.All(), r.Policy)
	_, err = m.RuleOf(nil)
	requireInvalid(t, err, "label")
	assert.Nil(t, approval.MatrixOf[band](nil))
}

func sortedKeys(m approval.Matrix) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
