package request_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/request"
)

// TestQuerySemantics checks that the fields of a query all hold (AND) and
// that the values given to one field are alternatives (OR), for requests
// and tasks alike.
func TestQuerySemantics(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	waiting := f.order(t, "laptop", laptopValues()) // awaiting approval: paused
	working := f.order(t, "onboarding", nil)        // in fulfilment: open
	done := f.order(t, "mouse", nil)
	f.doAll(t, done.ID) // fulfilled: resolved

	numbers := func(q request.Query) []string {
		var out []string
		for _, r := range collect(t, f.desk.Find(ctx, q)) {
			out = append(out, r.Number)
		}
		return out
	}
	tests := []struct {
		name string
		q    request.Query
		want []string
	}{
		{"no fields", request.Query{}, []string{waiting.Number, working.Number, done.Number}},
		{"open", request.Query{Open: true}, []string{waiting.Number, working.Number}},
		{"open and resolved", request.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Resolved}}, nil},
		{"resolved or paused", request.Query{Categories: []lifecycle.Category{lifecycle.Resolved, lifecycle.Paused}}, []string{waiting.Number, done.Number}},
		{"open and in fulfilment", request.Query{Open: true, States: []string{request.StateInFulfilment}}, []string{working.Number}},
		{"open and fulfilled", request.Query{Open: true, States: []string{request.StateFulfilled}}, nil},
		{"either state", request.Query{States: []string{request.StateAwaitingApproval, request.StateFulfilled}}, []string{waiting.Number, done.Number}},
		{"state and category", request.Query{States: []string{request.StateFulfilled}, Categories: []lifecycle.Category{lifecycle.Open}}, nil},
		{"category and item", request.Query{CatalogCategory: "hardware", Item: "mouse"}, []string{done.Number}},
		{"item and state", request.Query{Item: "mouse", States: []string{request.StateAwaitingApproval}}, nil},
		{"requester and open", request.Query{Requester: "alice", Open: true}, []string{waiting.Number, working.Number}},
		{"another requester", request.Query{Requester: "bob"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, numbers(tt.q))
		})
	}

	taskTests := []struct {
		name string
		q    request.TaskQuery
		want int
	}{
		{"open tasks of a request", request.TaskQuery{Request: working.ID, Open: true}, 3},
		{"open and done", request.TaskQuery{Request: working.ID, Open: true, States: []string{request.TaskDone}}, 0},
		{"done or open", request.TaskQuery{States: []string{request.TaskDone, request.TaskOpen}}, 4},
		{"group and request", request.TaskQuery{Request: done.ID, Group: "identity"}, 0},
		{"group", request.TaskQuery{Group: "identity"}, 1},
	}
	for _, tt := range taskTests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Len(t, collect(t, f.desk.Tasks(ctx, tt.q)), tt.want)
		})
	}
}
