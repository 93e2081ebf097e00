package incident_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
)

// TestMetrics measures a desk whose incidents were handled at known times.
func TestMetrics(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{FirstContactWindow: time.Hour})
	ctx := t.Context()
	at := func(d time.Duration) { f.clock.Set(monday9.Add(d)) }
	ok := func(_ *incident.Incident, err error) {
		t.Helper()
		require.NoError(t, err)
	}

	// Seven incidents opened at once: six P1 (24x7 clocks: respond in 15m,
	// resolve in 4h) and one P3.
	var inc [8]*incident.Incident
	for i := 1; i <= 7; i++ {
		p := itil.P1
		if i == 6 {
			p = itil.P3
		}
		inc[i] = f.open(t, withPriority(p))
	}
	ok(f.desk.Cancel(ctx, incident.Params{ID: inc[7].ID, By: carol, Note: "logged in error"})) // never responded to

	at(10 * time.Minute)
	ok(f.desk.Assign(ctx, incident.AssignParams{ID: inc[1].ID, By: carol, Group: "network", Assignee: "bob"}))
	at(20 * time.Minute)
	ok(f.desk.Assign(ctx, incident.AssignParams{ID: inc[2].ID, By: carol, Group: "network", Assignee: "bob"}))
	ok(f.desk.Start(ctx, incident.Params{ID: inc[2].ID, By: bob}))
	at(30 * time.Minute)
	ok(f.desk.Assign(ctx, incident.AssignParams{ID: inc[3].ID, By: carol, Group: "network", Assignee: "bob"}))
	ok(f.desk.Start(ctx, incident.Params{ID: inc[3].ID, By: bob}))
	at(40 * time.Minute)
	ok(f.desk.Assign(ctx, incident.AssignParams{ID: inc[4].ID, By: carol, Group: "desktop"}))
	ok(f.desk.Start(ctx, incident.Params{ID: inc[4].ID, By: bob}))
	at(time.Hour)
	ok(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc[1].ID, By: bob, Note: resolution.Notes, Code: resolution.Code})) // at first contact
	at(100 * time.Minute)
	ok(f.desk.Assign(ctx, incident.AssignParams{ID: inc[5].ID, By: carol, Group: "network", Assignee: "bob"}))
	ok(f.desk.Start(ctx, incident.Params{ID: inc[5].ID, By: bob}))
	ok(f.desk.Hold(ctx, incident.HoldParams{ID: inc[5].ID, By: bob, Note: "CHG0000042 tonight", Reason: incident.AwaitingChange}))
	at(2 * time.Hour)
	ok(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc[2].ID, By: bob, Note: resolution.Notes, Code: resolution.Code}))
	at(5 * time.Hour) // past the 4h target
	ok(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc[3].ID, By: bob, Note: resolution.Notes, Code: resolution.Code}))
	at(5*time.Hour + 30*time.Minute)
	ok(f.desk.Reopen(ctx, incident.Params{ID: inc[3].ID, By: alice, Note: "dropped again"}))
	at(6 * time.Hour)
	ok(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc[3].ID, By: bob, Note: resolution.Notes, Code: resolution.Code}))

	m, err := f.desk.Metrics(ctx, incident.Query{})
	require.NoError(t, err)
	assert.Equal(t, 7, m.Incidents)
	// Responses after 10, 20, 30, 40 and 100 minutes.
	assert.Equal(t, incident.Durations{N: 5, Mean: 40 * time.Minute, Median: 30 * time.Minute, P90: 76 * time.Minute}, m.MTTA)
	// Resolutions (the last one of each) after 1, 2 and 6 hours.
	assert.Equal(t, incident.Durations{N: 3, Mean: 3 * time.Hour, Median: 2 * time.Hour, P90: 5*time.Hour + 12*time.Minute}, m.MTTR)
	assert.InDelta(t, 20, m.ResponseAttainment, 1e-9, "one of five responses within 15 minutes")
	assert.InDelta(t, 200.0/3, m.ResolutionAttainment, 1e-9, "two of three resolutions within 4 hours")
	assert.Equal(t, map[itil.Priority]int{itil.P1: 2, itil.P3: 1}, m.BacklogByPriority)
	assert.Equal(t, map[string]int{"network": 1, "desktop": 1, "": 1}, m.BacklogByGroup)
	assert.InDelta(t, 100.0/3, m.ReopenRate, 1e-9)
	assert.InDelta(t, 100.0/3, m.FirstContactRate, 1e-9)

	network, err := f.desk.Metrics(ctx, incident.Query{Group: "network"})
	require.NoError(t, err)
	assert.Equal(t, 4, network.Incidents)
	assert.Equal(t, 3, network.MTTR.N)
	assert.Equal(t, map[string]int{"network": 1}, network.BacklogByGroup)

	closed, err := f.desk.Close(ctx, incident.Params{ID: inc[1].ID, By: bob})
	require.NoError(t, err)
	require.Equal(t, incident.StateClosed, closed.State)
	again, err := f.desk.Metrics(ctx, incident.Query{})
	require.NoError(t, err)
	assert.Equal(t, m.MTTR, again.MTTR, "a closed incident still counts as resolved")
}

func TestMetricsEmpty(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	f.open(t)
	m, err := f.desk.Metrics(t.Context(), incident.Query{Group: "nobody"})
	require.NoError(t, err)
	assert.Zero(t, m.Incidents)
	assert.Equal(t, incident.Durations{}, m.MTTA)
	assert.Equal(t, incident.Durations{}, m.MTTR)
	for _, rate := range []float64{m.ResponseAttainment, m.ResolutionAttainment, m.ReopenRate, m.FirstContactRate} {
		assert.Equal(t, -1.0, rate, "no incident to measure")
	}
	assert.Empty(t, m.BacklogByPriority)
}
