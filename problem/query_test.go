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

// TestFindFieldsAndValues checks how a query's conditions combine: the
// fields it sets must all hold, and a field given several values holds
// for any of them.
func TestFindFieldsAndValues(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	n := f.open(t)                           // new, network, P3
	a := f.toState(t, problem.StateAssess)   // assess, network
	r := f.toState(t, problem.StateResolved) // resolved, network
	m := f.open(t, func(dr *problem.Draft) { // new, email, P2
		dr.Category, dr.CIs = "email", []string{"mail-1"}
		dr.Impact = itil.ImpactHigh
	})
	tests := []struct {
		name string
		q    problem.Query
		want []uuid.UUID
	}{
		{"open and resolved: no problem is both", problem.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Resolved}}, nil},
		{"open and open", problem.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Open}}, []uuid.UUID{n.ID, a.ID, m.ID}},
		{"two states: either", problem.Query{States: []string{problem.StateNew, problem.StateAssess}}, []uuid.UUID{n.ID, a.ID, m.ID}},
		{"two categories: either", problem.Query{Categories: []lifecycle.Category{lifecycle.Open, lifecycle.Resolved}}, []uuid.UUID{n.ID, a.ID, r.ID, m.ID}},
		{"two fields: both", problem.Query{States: []string{problem.StateNew}, Category: "network"}, []uuid.UUID{n.ID}},
		{"state and priority: both", problem.Query{States: []string{problem.StateNew, problem.StateAssess}, Priority: itil.P2}, []uuid.UUID{m.ID}},
		{"known error and open: both", problem.Query{KnownError: true, Open: true}, nil},
		{"known error and resolved", problem.Query{KnownError: true, Categories: []lifecycle.Category{lifecycle.Resolved}}, []uuid.UUID{r.ID}},
		{"no fields: all", problem.Query{}, []uuid.UUID{n.ID, a.ID, r.ID, m.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []uuid.UUID
			for p, err := range f.mgr.Find(t.Context(), tt.q) {
				require.NoError(t, err)
				got = append(got, p.ID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
