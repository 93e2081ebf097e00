package request_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// TestSLAPausesForApproval checks that the fulfilment clock follows the
// item's target, waits while the request awaits approval, and stops when
// it is fulfilled.
func TestSLAPausesForApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	assert.Equal(t, 5*24*time.Hour, r.SLA.Resolution.Target)
	assert.Equal(t, sla.Paused, r.SLA.Resolution.Status)

	f.clock.Advance(48 * time.Hour) // two days waiting for approval do not count
	r, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, sla.Running, r.SLA.Resolution.Status)
	assert.Equal(t, f.clock.Now().Add(5*24*time.Hour), r.SLA.Resolution.Deadline)

	f.clock.Advance(time.Hour)
	f.doAll(t, r.ID)
	r = f.get(t, r.ID)
	assert.Equal(t, sla.Stopped, r.SLA.Resolution.Status)
	assert.Equal(t, time.Hour, r.SLA.Resolution.Accrued)
}

// TestSweepRaisesSLA checks that Sweep journals a request's SLA warning and
// breach when they fall due, each once, with nobody touching the request.
func TestSweepRaisesSLA(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	r, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	deadline := r.SLA.Resolution.Deadline
	require.False(t, deadline.IsZero())

	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Warnings+rep.Breaches, "nothing is due yet")

	f.clock.Advance(r.SLA.Resolution.WarnAt.Sub(f.clock.Now()))
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Warnings)
	assert.Zero(t, rep.Breaches)
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Warnings+rep.Breaches, "a warning is raised once")

	f.clock.Advance(deadline.Sub(f.clock.Now()))
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Breaches)

	var events []string
	var fields []string
	for c, err := range f.desk.Journal(ctx, r.ID) {
		require.NoError(t, err)
		if c.Event == request.EventSLAWarning || c.Event == request.EventSLABreach {
			events = append(events, c.Event)
			for _, fc := range c.Fields {
				fields = append(fields, fc.Field+"="+fc.New)
			}
			assert.True(t, c.Actor.System)
		}
	}
	assert.Equal(t, []string{request.EventSLAWarning, request.EventSLABreach}, events)
	assert.Equal(t, []string{"sla.resolution=warning", "sla.resolution=breach"}, fields)
	assert.Equal(t, request.StateInFulfilment, f.get(t, r.ID).State, "the state is kept")
}
