package incident_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/notify"
)

var majorEvents = []string{
	incident.EventMajorProposed, incident.EventMajorAccepted,
	incident.EventMajorRejected, incident.EventMajorDemoted,
}

func TestMajorIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	steps := []struct {
		do   func(ctx context.Context, p incident.Params) (*incident.Incident, error)
		want incident.Major
	}{
		{f.desk.ProposeMajor, incident.MajorProposed},
		{f.desk.RejectMajor, incident.MajorNone},
		{f.desk.ProposeMajor, incident.MajorProposed},
		{f.desk.AcceptMajor, incident.MajorAccepted},
		{f.desk.DemoteMajor, incident.MajorNone},
	}
	for _, s := range steps {
		got, err := s.do(ctx, incident.Params{ID: inc.ID, By: carol, Note: "because"})
		require.NoError(t, err)
		assert.Equal(t, s.want, got.Major)
	}
	var got []string
	for _, c := range journal(t, f.desk, inc.ID) {
		if f, ok := field(c, "major"); ok {
			got = append(got, c.Event+":"+f.Old+"→"+f.New)
			assert.Equal(t, "because", c.Note)
			assert.Equal(t, carol.ID, c.Actor.ID)
		}
	}
	assert.Equal(t, []string{
		"major_proposed:→proposed",
		"major_rejected:proposed→",
		"major_proposed:→proposed",
		"major_accepted:proposed→accepted",
		"major_demoted:accepted→",
	}, got)
}

func TestMajorIncidentWrongOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	none := f.toState(t, incident.StateInProgress)
	proposed := f.toState(t, incident.StateInProgress)
	_, err := f.desk.ProposeMajor(ctx, incident.Params{ID: proposed.ID, By: bob, Note: "big"})
	require.NoError(t, err)
	accepted := f.toState(t, incident.StateInProgress)
	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: accepted.ID, By: bob, Note: "big"})
	require.NoError(t, err)
	_, err = f.desk.AcceptMajor(ctx, incident.Params{ID: accepted.ID, By: carol, Note: "agreed"})
	require.NoError(t, err)
	resolved := f.toState(t, incident.StateResolved)

	type op = func(context.Context, incident.Params) (*incident.Incident, error)
	for _, tt := range []struct {
		name  string
		id    uuid.UUID
		do    op
		event string
	}{
		{"accept without proposal", none.ID, f.desk.AcceptMajor, incident.EventMajorAccepted},
		{"reject without proposal", none.ID, f.desk.RejectMajor, incident.EventMajorRejected},
		{"demote without major", none.ID, f.desk.DemoteMajor, incident.EventMajorDemoted},
		{"propose twice", proposed.ID, f.desk.ProposeMajor, incident.EventMajorProposed},
		{"demote a proposal", proposed.ID, f.desk.DemoteMajor, incident.EventMajorDemoted},
		{"propose an accepted one", accepted.ID, f.desk.ProposeMajor, incident.EventMajorProposed},
		{"reject an accepted one", accepted.ID, f.desk.RejectMajor, incident.EventMajorRejected},
		{"propose a resolved incident", resolved.ID, f.desk.ProposeMajor, incident.EventMajorProposed},
	} {
		before, err := f.desk.Get(ctx, tt.id)
		require.NoError(t, err)
		n := len(journal(t, f.desk, tt.id))
		_, err = tt.do(ctx, incident.Params{ID: tt.id, By: carol, Note: "r"})
		te := requireTransition(t, err)
		assert.Equal(t, tt.event, te.Event, tt.name)
		after, err := f.desk.Get(ctx, tt.id)
		require.NoError(t, err)
		assert.Equal(t, before, after, tt.name)
		assert.Len(t, journal(t, f.desk, tt.id), n, tt.name)
	}

	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: none.ID, By: bob})
	requireValidation(t, err, "note")
	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: none.ID, By: itil.Actor{}, Note: "big"})
	requireValidation(t, err, "by")

	majors := collect(t, f.desk.Find(ctx, incident.Query{Major: incident.MajorAccepted}))
	require.Len(t, majors, 1)
	assert.Equal(t, accepted.ID, majors[0].ID)
}

// TestMajorIncidentNotifications checks that a subscriber to the major
// incident events, fed by a dispatcher from the desk's store, receives
// exactly those changes.
func TestMajorIncidentNotifications(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	bus := notify.NewBus()
	var mu sync.Mutex
	var got []lifecycle.Change
	cancel := bus.Subscribe(notify.Filter{Kinds: []string{incident.Kind}, Events: majorEvents}, func(_ context.Context, ch lifecycle.Change) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ch)
		return nil
	})
	defer cancel()
	disp, err := lifecycle.NewDispatcher(f.store, []lifecycle.Subscription{{Name: "major-incident-team", Notifier: bus}}, lifecycle.DispatcherConfig{})
	require.NoError(t, err)

	inc := f.toState(t, incident.StateInProgress)
	other := f.toState(t, incident.StateInProgress)
	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: inc.ID, By: bob, Note: "all of Berlin"})
	require.NoError(t, err)
	_, err = f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: "bridge call at 10:00"})
	require.NoError(t, err)
	_, err = f.desk.AcceptMajor(ctx, incident.Params{ID: inc.ID, By: carol, Note: "agreed"})
	require.NoError(t, err)
	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: other.ID, By: bob, Note: "maybe"})
	require.NoError(t, err)
	_, err = f.desk.RejectMajor(ctx, incident.Params{ID: other.ID, By: carol, Note: "one user"})
	require.NoError(t, err)
	_, err = f.desk.DemoteMajor(ctx, incident.Params{ID: inc.ID, By: carol, Note: "contained"})
	require.NoError(t, err)
	_, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)

	require.NoError(t, disp.Drain(ctx))

	mu.Lock()
	defer mu.Unlock()
	var names []string
	for _, ch := range got {
		names = append(names, ch.Number+" "+ch.Event)
	}
	assert.Equal(t, []string{
		inc.Number + " " + incident.EventMajorProposed,
		inc.Number + " " + incident.EventMajorAccepted,
		other.Number + " " + incident.EventMajorProposed,
		other.Number + " " + incident.EventMajorRejected,
		inc.Number + " " + incident.EventMajorDemoted,
	}, names)
}
