package incident_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/sla"
)

func TestOpenDerivesPriority(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	m := itil.DefaultMatrix()
	for _, c := range m.Cells() {
		inc := f.open(t, func(dr *incident.Draft) { dr.Impact, dr.Urgency = c.Impact, c.Urgency })
		assert.Equal(t, c.Priority, inc.Priority, "%s/%s", c.Impact, c.Urgency)
		assert.Equal(t, c.Priority, inc.SLA.Priority)
	}
}

func TestCustomMatrix(t *testing.T) {
	t.Parallel()
	var cells []itil.MatrixCell
	for _, c := range itil.DefaultMatrix().Cells() {
		c.Priority = itil.P4
		if c.Impact == itil.ImpactHigh {
			c.Priority = itil.P2
		}
		cells = append(cells, c)
	}
	m, err := itil.NewPriorityMatrix(cells...)
	require.NoError(t, err)
	f := newFixture(t, incident.Config{Matrix: m})
	ctx := t.Context()

	inc := f.open(t, withPriority(itil.P3)) // medium × medium
	assert.Equal(t, itil.P4, inc.Priority)
	inc, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: bob, Note: "the whole site", Impact: itil.ImpactHigh, Urgency: itil.UrgencyLow})
	require.NoError(t, err)
	assert.Equal(t, itil.P2, inc.Priority)
}

func TestReprioritizeJournalsAndRetargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	pol := sla.DefaultPolicy()
	inc := f.toState(t, incident.StateInProgress) // P3, business hours, from Monday 09:00
	require.Equal(t, itil.P3, inc.Priority)
	require.Equal(t, pol.Targets[itil.P3].Resolution.Within, inc.SLA.Resolution.Target)
	before := inc.SLA.Resolution.Deadline

	f.clock.Advance(time.Hour)
	_, err := f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "which client?", Reason: incident.AwaitingCaller})
	require.NoError(t, err)
	f.clock.Advance(30 * time.Minute)
	_, err = f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob, Note: "answered"})
	require.NoError(t, err)
	now := f.clock.Advance(30 * time.Minute)

	inc, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: carol, Note: "the CEO is affected", Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
	require.NoError(t, err)
	assert.Equal(t, itil.ImpactHigh, inc.Impact)
	assert.Equal(t, itil.UrgencyHigh, inc.Urgency)
	assert.Equal(t, itil.P1, inc.Priority)

	res := inc.SLA.Resolution
	p1 := pol.Targets[itil.P1].Resolution
	assert.Equal(t, itil.P1, inc.SLA.Priority)
	assert.Equal(t, p1.Within, res.Target, "the new priority's target")
	assert.Equal(t, p1.Calendar, res.Calendar)
	assert.Equal(t, 90*time.Minute, res.Accrued, "elapsed time is kept")
	assert.Equal(t, 30*time.Minute, res.PausedFor, "paused time is kept")
	assert.Equal(t, sla.Running, res.Status)
	assert.Equal(t, now.Add(p1.Within-90*time.Minute), res.Deadline, "the deadline moves")
	assert.True(t, res.Deadline.Before(before))

	changes := changesNamed(t, f.desk, inc.ID, "reprioritize")
	require.Len(t, changes, 1)
	c := changes[0]
	assert.Equal(t, []string{"impact", "urgency", "priority"}, fieldNames(c))
	fc, _ := field(c, "priority")
	assert.Equal(t, "P3", fc.Old)
	assert.Equal(t, "P1", fc.New)
	fc, _ = field(c, "impact")
	assert.Equal(t, "medium", fc.Old)
	assert.Equal(t, "high", fc.New)
	assert.Equal(t, "the CEO is affected", c.Note)
	assert.Equal(t, carol.ID, c.Actor.ID)
}

func TestReprioritizePastWarning(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	pol := sla.DefaultPolicy()
	inc := f.toState(t, incident.StateInProgress) // P3
	p1 := pol.Targets[itil.P1].Resolution.Within
	// Past P1's warning share of business time, well short of P3's.
	f.clock.Advance(p1*sla.DefaultWarnPercent/100 + 30*time.Minute)

	inc, err := f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: carol, Note: "escalated by the customer", Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
	require.NoError(t, err)
	assert.False(t, inc.SLA.Resolution.WarnedAt.IsZero())
	c := changesNamed(t, f.desk, inc.ID, "reprioritize")
	require.Len(t, c, 1)
	fc, ok := field(c[0], "sla.resolution")
	require.True(t, ok, "the warning the new target brings is journaled with the change")
	assert.Equal(t, "warning", fc.New)
}

func TestReprioritizeRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t)

	_, err := f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: bob, Impact: 0, Urgency: itil.UrgencyHigh})
	requireValidation(t, err, "impact")
	_, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: bob, Impact: itil.Impact(7), Urgency: itil.UrgencyHigh})
	requireValidation(t, err, "impact")
	_, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: bob, Impact: itil.ImpactHigh, Urgency: itil.Urgency(9)})
	requireValidation(t, err, "urgency")
	_, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: itil.Actor{}, Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
	requireValidation(t, err, "by")

	closed := f.toState(t, incident.StateClosed)
	_, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: closed.ID, By: bob, Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
	requireTransition(t, err)

	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after)
}
