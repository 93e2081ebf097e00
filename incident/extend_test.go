package incident_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

const stateAwaitingVendor = "awaiting_vendor"

// vendorLifecycle extends the default lifecycle with a host's own paused
// state, left by its own event; with resolvable set, incidents may also be
// resolved while waiting for the vendor.
func vendorLifecycle(t *testing.T, resolvable bool) *lifecycle.Definition {
	t.Helper()
	evs := []lifecycle.Event{
		{Name: "wait_vendor", From: []string{incident.StateInProgress}, To: stateAwaitingVendor},
		{Name: "vendor_replied", From: []string{stateAwaitingVendor}, To: incident.StateInProgress},
	}
	if resolvable {
		evs = append(evs, lifecycle.Event{Name: incident.EventResolve, From: []string{stateAwaitingVendor}, To: incident.StateResolved})
	}
	def, err := incident.DefaultLifecycle().Extend(
		[]lifecycle.State{{Name: stateAwaitingVendor, Category: lifecycle.Paused}}, evs)
	require.NoError(t, err)
	return def
}

// waitVendor fires the host's own event through Desk.Fire.
func waitVendor(t *testing.T, f *fixture, id uuid.UUID) *incident.Incident {
	t.Helper()
	inc, err := f.desk.Fire(t.Context(), lifecycle.FireParams{ID: id, By: bob, Note: "vendor case 4711", Event: "wait_vendor"})
	require.NoError(t, err)
	return inc
}

func TestFireRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, true)})
	inc := f.open(t, withPriority(itil.P3))
	_, err := f.desk.Fire(t.Context(), lifecycle.FireParams{ID: inc.ID, By: bob})
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = f.desk.Fire(t.Context(), lifecycle.FireParams{ID: inc.ID, By: bob, Event: "wait_vendor"})
	assert.ErrorIs(t, err, lifecycle.ErrTransition, "not from new")
}

func TestHostStateAwaitingVendor(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, true)})
	ctx := t.Context()
	inc := f.open(t, withPriority(itil.P1))
	_, err := f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: "network", Assignee: "bob"})
	require.NoError(t, err)
	_, err = f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)

	f.clock.Advance(time.Hour)
	inc = waitVendor(t, f, inc.ID)
	assert.Equal(t, stateAwaitingVendor, inc.State)
	assert.Equal(t, lifecycle.Paused, inc.StateCategory)
	assert.True(t, inc.Open())
	assert.Equal(t, sla.Paused, inc.SLA.Resolution.Status, "the resolution clock pauses in the host's state")
	assert.Equal(t, time.Hour, inc.SLA.Resolution.Accrued)

	// Long past the P1 target on the wall clock, but the clock is paused.
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	now := f.clock.Advance(target + time.Hour)
	rep, err := f.desk.Sweep(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{}, rep, "nothing is due on a paused clock")

	open := collect(t, f.desk.Find(ctx, incident.Query{Open: true}))
	require.Len(t, open, 1, "the host's paused state is open")
	assert.Equal(t, inc.ID, open[0].ID)
	m, err := f.desk.Metrics(ctx, incident.Query{})
	require.NoError(t, err)
	assert.Equal(t, 1, m.BacklogByPriority[itil.P1])
	assert.Equal(t, 1, m.BacklogByGroup["network"])

	// A caller's comment does not resume it: it is not waiting for the caller.
	inc, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: "any news?"})
	require.NoError(t, err)
	assert.Equal(t, stateAwaitingVendor, inc.State)

	inc, err = f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob, Note: "the vendor sent a patch"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, inc.State)
	j := journal(t, f.desk, inc.ID)
	last := j[len(j)-1]
	assert.Equal(t, "vendor_replied", last.Event, "resumed through the host's event")
	assert.Equal(t, stateAwaitingVendor, last.From)
	assert.Equal(t, sla.Running, inc.SLA.Resolution.Status)
	assert.Equal(t, time.Hour, inc.SLA.Resolution.Accrued, "no time accrued while waiting")
	assert.Equal(t, target+time.Hour, inc.SLA.Resolution.PausedFor)
	assert.Equal(t, now.Add(target-time.Hour), inc.SLA.Resolution.Deadline)
}

func TestHostStateResolve(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, true)})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	waitVendor(t, f, inc.ID)

	inc, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, inc.State)
	assert.Equal(t, sla.Stopped, inc.SLA.Resolution.Status)
	j := journal(t, f.desk, inc.ID)
	assert.Equal(t, stateAwaitingVendor, j[len(j)-1].From)
}

func TestHostStateResolveNotAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, false)})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	inc = waitVendor(t, f, inc.ID)

	_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	te := requireTransition(t, err)
	assert.Equal(t, stateAwaitingVendor, te.State)
	assert.Equal(t, []string{"vendor_replied"}, te.Allowed)
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after)
}
