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

// warnAfter is the business time after which a clock with target warns under
// the default policy.
func warnAfter(target time.Duration) time.Duration {
	return target * sla.DefaultWarnPercent / 100
}

func TestSLATargetsPerPriority(t *testing.T) {
	t.Parallel()
	pol := sla.DefaultPolicy()
	for p := itil.P1; p <= itil.P5; p++ {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			inc := f.open(t, func(dr *incident.Draft) {
				for _, c := range itil.DefaultMatrix().Cells() {
					if c.Priority == p {
						dr.Impact, dr.Urgency = c.Impact, c.Urgency
					}
				}
			})
			require.Equal(t, p, inc.Priority)
			want := pol.Targets[p]
			for _, c := range []struct {
				clock sla.Clock
				want  sla.Target
			}{{inc.SLA.Response, want.Response}, {inc.SLA.Resolution, want.Resolution}} {
				assert.Equal(t, c.want.Within, c.clock.Target, c.clock.Name)
				assert.Equal(t, c.want.Calendar, c.clock.Calendar, c.clock.Name)
				assert.Equal(t, sla.Running, c.clock.Status, c.clock.Name)
				assert.Equal(t, monday9, c.clock.StartedAt, c.clock.Name)
			}
		})
	}
}

func TestSLAConfiguredPolicy(t *testing.T) {
	t.Parallel()
	pol := sla.DefaultPolicy()
	p1 := pol.Targets[itil.P1]
	p1.Resolution.Within = 2 * time.Hour
	pol.Targets[itil.P1] = p1
	f := newFixture(t, incident.Config{SLA: pol})
	inc := f.open(t, withPriority(itil.P1))
	assert.Equal(t, 2*time.Hour, inc.SLA.Resolution.Target)
	assert.Equal(t, monday9.Add(2*time.Hour), inc.SLA.Resolution.Deadline)

	bad := sla.DefaultPolicy()
	delete(bad.Targets, itil.P4)
	_, err := incident.NewDesk(f.store, incident.Config{SLA: bad})
	requireValidation(t, err, "targets.P4")
}

func TestSLAResponseClockStops(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for _, tt := range []struct {
		name    string
		respond func(f *fixture, inc *incident.Incident) (*incident.Incident, error)
	}{
		{"assign", func(f *fixture, inc *incident.Incident) (*incident.Incident, error) {
			return f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: "network"})
		}},
		{"start", func(f *fixture, inc *incident.Incident) (*incident.Incident, error) {
			return f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.Group = "network" })
			now := f.clock.Advance(5 * time.Minute)
			inc, err := tt.respond(f, inc)
			require.NoError(t, err)
			assert.Equal(t, now, inc.RespondedAt)
			assert.Equal(t, sla.Stopped, inc.SLA.Response.Status)
			assert.Equal(t, 5*time.Minute, inc.SLA.Response.Accrued)
			assert.Equal(t, sla.Running, inc.SLA.Resolution.Status)

			f.clock.Advance(time.Hour) // past the response target: stopped, so no breach
			rep, err := f.desk.Sweep(ctx, f.clock.Now())
			require.NoError(t, err)
			assert.Zero(t, rep.Breaches)
			inc, err = f.desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.True(t, inc.SLA.Response.BreachedAt.IsZero())
		})
	}
}

func TestSLAResolutionClockPausesAndStops(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.Group = "network" })
	_, err := f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)

	f.clock.Advance(time.Hour)
	inc, err = f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "screenshot please", Reason: incident.AwaitingCaller})
	require.NoError(t, err)
	assert.Equal(t, sla.Paused, inc.SLA.Resolution.Status)
	assert.Equal(t, time.Hour, inc.SLA.Resolution.Accrued)
	assert.True(t, inc.SLA.Resolution.Deadline.IsZero(), "no deadline while paused")

	f.clock.Advance(2 * time.Hour)
	inc, err = f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)
	assert.Equal(t, sla.Running, inc.SLA.Resolution.Status)
	assert.Equal(t, time.Hour, inc.SLA.Resolution.Accrued, "nothing accrued on hold")
	assert.Equal(t, 2*time.Hour, inc.SLA.Resolution.PausedFor)

	f.clock.Advance(30 * time.Minute)
	inc, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	assert.Equal(t, sla.Stopped, inc.SLA.Resolution.Status)
	assert.Equal(t, 90*time.Minute, inc.SLA.Resolution.Accrued)

	f.clock.Advance(5 * time.Hour)
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Breaches, "a stopped clock does not breach")

	inc, err = f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it is back"})
	require.NoError(t, err)
	assert.Equal(t, sla.Running, inc.SLA.Resolution.Status)
	assert.Equal(t, 90*time.Minute, inc.SLA.Resolution.Accrued, "a reopened clock runs on")
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	assert.Equal(t, f.clock.Now().Add(target-90*time.Minute), inc.SLA.Resolution.Deadline)
}

// TestSLAWarningAndBreachOnce drives the fake clock over the warning and the
// breach of a P1 resolution clock and sweeps twice each time: every crossing
// is raised and journaled once.
func TestSLAWarningAndBreachOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.Group = "network" })
	_, err := f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}) // responded at once: only the resolution clock runs on
	require.NoError(t, err)
	sweep := func(want incident.SweepReport) {
		t.Helper()
		now := f.clock.Now()
		rep, err := f.desk.Sweep(ctx, now)
		require.NoError(t, err)
		assert.Equal(t, want, rep)
		rep, err = f.desk.Sweep(ctx, now)
		require.NoError(t, err)
		assert.Equal(t, incident.SweepReport{}, rep, "the second sweep raises nothing new")
	}

	f.clock.Set(monday9.Add(warnAfter(target) - time.Minute))
	sweep(incident.SweepReport{})
	f.clock.Set(monday9.Add(warnAfter(target)))
	sweep(incident.SweepReport{Warnings: 1})
	f.clock.Set(monday9.Add(target - time.Minute))
	sweep(incident.SweepReport{})
	f.clock.Set(monday9.Add(target))
	sweep(incident.SweepReport{Breaches: 1})
	f.clock.Advance(24 * time.Hour)
	sweep(incident.SweepReport{})

	warnings := changesNamed(t, f.desk, inc.ID, incident.EventSLAWarning)
	require.Len(t, warnings, 1)
	fc, ok := field(warnings[0], "sla.resolution")
	require.True(t, ok)
	assert.Equal(t, "warning", fc.New)
	assert.Equal(t, monday9.Add(warnAfter(target)), warnings[0].At)
	assert.True(t, warnings[0].Actor.System)

	breaches := changesNamed(t, f.desk, inc.ID, incident.EventSLABreach)
	require.Len(t, breaches, 1)
	fc, ok = field(breaches[0], "sla.resolution")
	require.True(t, ok)
	assert.Equal(t, "breach", fc.New)

	inc, err = f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, monday9.Add(warnAfter(target)), inc.SLA.Resolution.WarnedAt)
	assert.Equal(t, monday9.Add(target), inc.SLA.Resolution.BreachedAt)
}

func TestSLAResponseWarningAndBreach(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	target := sla.DefaultPolicy().Targets[itil.P1].Response.Within
	inc := f.open(t, withPriority(itil.P1))

	f.clock.Set(monday9.Add(warnAfter(target)))
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{Warnings: 1}, rep)
	f.clock.Set(monday9.Add(target))
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{Breaches: 1}, rep)

	w := changesNamed(t, f.desk, inc.ID, incident.EventSLAWarning)
	require.Len(t, w, 1)
	fc, ok := field(w[0], "sla.response")
	require.True(t, ok)
	assert.Equal(t, "warning", fc.New)
	b := changesNamed(t, f.desk, inc.ID, incident.EventSLABreach)
	require.Len(t, b, 1)
	fc, ok = field(b[0], "sla.response")
	require.True(t, ok)
	assert.Equal(t, "breach", fc.New)
}

// TestSLACrossingRaisedByTransition: a crossing that a transition sees first
// is journaled with that transition, and the sweep does not raise it again.
func TestSLACrossingRaisedByTransition(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.Group = "network" })
	_, err := f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)

	f.clock.Advance(warnAfter(target) + time.Minute)
	_, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	j := journal(t, f.desk, inc.ID)
	fc, ok := field(j[len(j)-1], "sla.resolution")
	require.True(t, ok, "the resolution journals the warning it saw")
	assert.Equal(t, "warning", fc.New)

	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{}, rep)
	assert.Empty(t, changesNamed(t, f.desk, inc.ID, incident.EventSLAWarning))
}

// TestSLASurvivesRestart: the clocks live in the records, so a desk built
// anew over the same store carries on where the old one was.
func TestSLASurvivesRestart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) { dr.Group = "network" })
	_, err := f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "vendor case", Reason: incident.AwaitingVendor})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)
	f.clock.Set(monday9.Add(time.Hour + warnAfter(target))) // an hour was paused
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	require.Equal(t, 1, rep.Warnings)

	restarted := f.restart(t)
	rep, err = restarted.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{}, rep, "the warning is not raised again after a restart")
	got, err := restarted.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, time.Hour, got.SLA.Resolution.PausedFor)
	assert.Equal(t, monday9.Add(time.Hour+target), got.SLA.Resolution.Deadline, "the deadline counts the paused hour")

	f.clock.Set(monday9.Add(time.Hour + target))
	rep, err = restarted.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{Breaches: 1}, rep)
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{}, rep, "nor by the old desk")
	assert.Len(t, changesNamed(t, f.desk, inc.ID, incident.EventSLAWarning), 1)
	assert.Len(t, changesNamed(t, f.desk, inc.ID, incident.EventSLABreach), 1)
}

func TestSweepAutoClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{AutoCloseAfter: 72 * time.Hour})
	ctx := t.Context()
	early := f.toState(t, incident.StateResolved)
	f.clock.Advance(48 * time.Hour)
	late := f.toState(t, incident.StateResolved)
	open := f.toState(t, incident.StateInProgress)

	f.clock.Set(monday9.Add(72*time.Hour - time.Minute))
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Closed)

	f.clock.Set(monday9.Add(72 * time.Hour))
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Closed)
	got, err := f.desk.Get(ctx, early.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateClosed, got.State)
	assert.Equal(t, f.clock.Now(), got.ClosedAt)
	j := journal(t, f.desk, early.ID)
	assert.Equal(t, incident.EventClose, j[len(j)-1].Event)
	assert.True(t, j[len(j)-1].Actor.System)
	got, err = f.desk.Get(ctx, late.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, got.State, "resolved more recently")

	f.clock.Set(monday9.Add(120 * time.Hour))
	rep, err = f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Closed)
	got, err = f.desk.Get(ctx, late.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateClosed, got.State)
	got, err = f.desk.Get(ctx, open.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, got.State, "open incidents are not closed")
}

func TestSweepAutoCloseDefaultAndNever(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	def := newFixture(t, incident.Config{})
	never := newFixture(t, incident.Config{AutoCloseAfter: -1})
	for _, f := range []*fixture{def, never} {
		f.toState(t, incident.StateResolved)
		f.clock.Set(monday9.Add(7*24*time.Hour - time.Minute))
		rep, err := f.desk.Sweep(ctx, f.clock.Now())
		require.NoError(t, err)
		assert.Zero(t, rep.Closed)
		f.clock.Set(monday9.Add(7 * 24 * time.Hour))
		rep, err = f.desk.Sweep(ctx, f.clock.Now())
		require.NoError(t, err)
		if f == def {
			assert.Equal(t, 1, rep.Closed, "closed after seven days by default")
		} else {
			assert.Zero(t, rep.Closed, "never closed with a negative AutoCloseAfter")
		}
	}
}

// TestSLAWarningAndBreachInOneSweep: a sweep that finds both due journals
// both, in one "sla_breach" entry.
func TestSLAWarningAndBreachInOneSweep(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	target := sla.DefaultPolicy().Targets[itil.P1].Resolution.Within
	inc := f.open(t, withPriority(itil.P1))
	f.clock.Set(monday9.Add(target + time.Hour))
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{Warnings: 2, Breaches: 2}, rep, "both clocks, both thresholds")
	b := changesNamed(t, f.desk, inc.ID, incident.EventSLABreach)
	require.Len(t, b, 1)
	for _, clock := range []string{"sla.response", "sla.resolution"} {
		fc, ok := field(b[0], clock)
		require.True(t, ok, clock)
		assert.Equal(t, "warning+breach", fc.New, clock)
	}
	assert.Empty(t, changesNamed(t, f.desk, inc.ID, incident.EventSLAWarning))
}
