package change_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// TestQuerySemantics: a query's fields AND, the values of one field OR,
// and zero fields do not filter.
func TestQuerySemantics(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	fresh := f.toState(t, change.Normal, change.StateNew, "db-1")
	assessed := f.toState(t, change.Normal, change.StateAssess, "db-1")
	authorizing := f.toState(t, change.Normal, change.StateAuthorize, "web-1")
	reviewed := f.toState(t, change.Standard, change.StateReview, "web-1")
	cancelled := f.toState(t, change.Emergency, change.StateCancelled, "db-1")

	numbers := func(q change.Query) []string {
		t.Helper()
		var out []string
		for c, err := range f.m.Find(ctx, q) {
			require.NoError(t, err)
			out = append(out, c.Number)
		}
		return out
	}
	all := []string{fresh.Number, assessed.Number, authorizing.Number, reviewed.Number, cancelled.Number}
	for _, tc := range []struct {
		name string
		q    change.Query
		want []string
	}{
		{"zero query", change.Query{}, all},
		{"states OR", change.Query{States: []string{change.StateNew, change.StateAssess}}, []string{fresh.Number, assessed.Number}},
		{"categories OR", change.Query{Categories: []lifecycle.Category{lifecycle.Resolved, lifecycle.Cancelled}}, []string{reviewed.Number, cancelled.Number}},
		{"open AND resolved", change.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Resolved}}, nil},
		{"open AND a CI", change.Query{Open: true, CI: "db-1"}, []string{fresh.Number, assessed.Number}},
		{"states AND type", change.Query{Type: change.Standard, States: []string{change.StateNew, change.StateReview}}, []string{reviewed.Number}},
		{"states AND a CI", change.Query{CI: "web-1", States: []string{change.StateNew, change.StateAssess}}, nil},
		{"awaiting OR", change.Query{Awaiting: []approval.Slot{approval.Group("nobody"), approval.Group(approval.GroupChangeManagers)}}, []string{authorizing.Number}},
		{"awaiting AND a CI", change.Query{CI: "db-1", Awaiting: []approval.Slot{approval.Group(approval.GroupChangeManagers)}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, numbers(tc.q))
		})
	}
}

// TestQueryRefusesEmptyValues: a value that selects by name must name
// something; an empty approval slot is refused, not matched.
func TestQueryRefusesEmptyValues(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	f.toState(t, change.Normal, change.StateAuthorize)
	for _, tc := range []struct {
		q     change.Query
		field string
	}{
		{change.Query{Awaiting: []approval.Slot{{}}}, "awaiting[0]"},
		{change.Query{Awaiting: []approval.Slot{approval.Group(approval.GroupCAB), {}}}, "awaiting[1]"},
		{change.Query{Awaiting: []approval.Slot{approval.Group(" ")}}, "awaiting[0]"},
		{change.Query{States: []string{change.StateNew, ""}}, "states[1]"},
		{change.Query{Categories: []lifecycle.Category{0}}, "categories[0]"},
		{change.Query{CI: "  "}, "ci"},
		{change.Query{Limit: -1}, "limit"},
	} {
		n := 0
		for c, err := range f.m.Find(ctx, tc.q) {
			assert.Nil(t, c)
			assertInvalid(t, err, tc.field)
			n++
		}
		assert.Equal(t, 1, n, "one error, no changes")
	}
}
