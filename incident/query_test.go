package incident_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

func ids(incs []*incident.Incident) []uuid.UUID {
	out := make([]uuid.UUID, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

func TestFind(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	fresh := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.CIs = []string{"db-1", "db-2"}; dr.Category = "database" })
	assigned := f.toState(t, incident.StateAssigned)
	held := f.toState(t, incident.StateOnHold)
	resolved := f.toState(t, incident.StateResolved)
	closed := f.toState(t, incident.StateClosed)
	bobs := f.open(t, func(dr *incident.Draft) { dr.Caller = bob; dr.CIs = nil })
	_, err := f.desk.Assign(ctx, incident.AssignParams{ID: bobs.ID, By: carol, Group: "desktop", Assignee: "erin"})
	require.NoError(t, err)

	for _, tt := range []struct {
		name string
		q    incident.Query
		want []*incident.Incident
	}{
		{"all", incident.Query{}, []*incident.Incident{fresh, assigned, held, resolved, closed, bobs}},
		{"open", incident.Query{Open: true}, []*incident.Incident{fresh, assigned, held, bobs}},
		{"categories", incident.Query{Categories: []lifecycle.Category{lifecycle.Resolved, lifecycle.Closed}}, []*incident.Incident{resolved, closed}},
		{"open and a category", incident.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Paused, lifecycle.Resolved}}, []*incident.Incident{held}},
		{"open and a closed category", incident.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Closed}}, nil},
		{"states", incident.Query{States: []string{incident.StateAssigned, incident.StateOnHold}}, []*incident.Incident{assigned, held, bobs}},
		{"priority", incident.Query{Priority: itil.P1}, []*incident.Incident{fresh}},
		{"group", incident.Query{Group: "desktop"}, []*incident.Incident{bobs}},
		{"assignee", incident.Query{Assignee: "erin"}, []*incident.Incident{bobs}},
		{"caller", incident.Query{Caller: bob.ID}, []*incident.Incident{bobs}},
		{"ci", incident.Query{CI: "db-2"}, []*incident.Incident{fresh}},
		{"category", incident.Query{Category: "database"}, []*incident.Incident{fresh}},
		{"open in a group", incident.Query{Open: true, Group: "network"}, []*incident.Incident{assigned, held}},
	} {
		got := collect(t, f.desk.Find(ctx, tt.q))
		assert.Equal(t, ids(tt.want), ids(got), tt.name)
	}
}

func TestFindPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	var want []uuid.UUID
	for range 7 {
		want = append(want, f.open(t).ID)
	}
	var got []uuid.UUID
	q := incident.Query{Open: true, Limit: 3}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		page := collect(t, f.desk.Find(ctx, q))
		got = append(got, ids(page)...)
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].ID
	}
	assert.Equal(t, want, got, "every incident once, oldest first")
}

// TestAuthorizer restricts who may accept major incidents, as the desk's
// documentation suggests.
func TestAuthorizer(t *testing.T) {
	t.Parallel()
	auth := lifecycle.AuthorizerFunc(func(_ context.Context, req lifecycle.AuthRequest) error {
		if req.Event == incident.EventMajorAccepted && !req.Actor.InGroup("major-incident-managers") {
			return &lifecycle.ForbiddenError{Actor: req.Actor.ID, Event: req.Event, Reason: "only major incident managers accept"}
		}
		return nil
	})
	f := newFixture(t, incident.Config{Authorizer: auth})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	_, err := f.desk.ProposeMajor(ctx, incident.Params{ID: inc.ID, By: bob, Note: "all of Berlin"})
	require.NoError(t, err)
	before, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)

	_, err = f.desk.AcceptMajor(ctx, incident.Params{ID: inc.ID, By: bob, Note: "agreed"})
	require.ErrorIs(t, err, lifecycle.ErrForbidden)
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	manager := itil.Actor{ID: "mim", Groups: []string{"major-incident-managers"}}
	got, err := f.desk.AcceptMajor(ctx, incident.Params{ID: inc.ID, By: manager, Note: "agreed"})
	require.NoError(t, err)
	assert.Equal(t, incident.MajorAccepted, got.Major)
}

// TestFindSemantics: on every store, a query's fields AND and the values
// of one field OR; Open and Categories are two conditions.
func TestFindSemantics(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		desk := newHostDesk(t, db.Host(t))
		open := func(caller itil.Actor, group string) *incident.Incident {
			dr := draft()
			dr.Caller, dr.Group = caller, group
			inc, err := desk.Open(ctx, dr)
			require.NoError(t, err)
			return inc
		}
		fresh := open(alice, "network")
		assigned := open(alice, "network")
		_, err := desk.Assign(ctx, incident.AssignParams{ID: assigned.ID, By: carol, Group: "network"})
		require.NoError(t, err)
		bobs := open(bob, "network")
		other := open(alice, "desktop")
		resolved := open(bob, "desktop")
		_, err = desk.Resolve(ctx, incident.ResolveParams{ID: resolved.ID, By: bob, Note: "fixed", Code: "solved_permanently"})
		require.NoError(t, err)

		for _, tt := range []struct {
			name string
			q    incident.Query
			want []*incident.Incident
		}{
			{"open and resolved: both must hold", incident.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Resolved}}, nil},
			{"resolved alone", incident.Query{Categories: []lifecycle.Category{lifecycle.Resolved}}, []*incident.Incident{resolved}},
			{"two states: either", incident.Query{States: []string{incident.StateNew, incident.StateAssigned}}, []*incident.Incident{fresh, assigned, bobs, other}},
			{"two categories: either", incident.Query{Categories: []lifecycle.Category{lifecycle.Open, lifecycle.Resolved}}, []*incident.Incident{fresh, assigned, bobs, other, resolved}},
			{"two fields: both", incident.Query{Group: "network", Caller: bob.ID}, []*incident.Incident{bobs}},
			{"a field and a state: both", incident.Query{Group: "network", States: []string{incident.StateAssigned}}, []*incident.Incident{assigned}},
			{"three fields: all", incident.Query{Open: true, Group: "desktop", Caller: bob.ID}, nil},
		} {
			got := collect(t, desk.Find(ctx, tt.q))
			assert.Equal(t, ids(tt.want), ids(got), tt.name)
		}
	})
}
