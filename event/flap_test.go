package event_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

const (
	W = event.SeverityWarning
	C = event.SeverityCritical
)

func TestFlapPercentHandComputed(t *testing.T) {
	t.Parallel()
	rep := func(s event.Severity, n int) []event.Severity {
		out := make([]event.Severity, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	alternating := make([]event.Severity, 21)
	for i := range alternating {
		alternating[i] = []event.Severity{W, C}[i%2]
	}
	for _, tc := range []struct {
		name   string
		states []event.Severity
		want   float64
	}{
		{"steady", rep(W, 21), 0},
		{"empty", nil, 0},
		// One change, the newest: weight 1.25 → 1.25/20 = 6.25%.
		{"newest change", append(rep(W, 20), C), 6.25},
		// Short history padded with its first state: the same.
		{"padded", []event.Severity{W, C}, 6.25},
		// One change, the oldest: weight 0.75 → 3.75%.
		{"oldest change", append([]event.Severity{W}, rep(C, 20)...), 3.75},
		// Changes 10 and 11 of 20: 0.75+0.5·9/19 + 0.75+0.5·10/19 = 2.0 → 10%.
		{"middle changes", append(append(rep(W, 10), C), rep(W, 10)...), 10},
		// Every pair changes: the weights average 1.0 → 100%.
		{"alternating", alternating, 100},
		// Only the last 21 count.
		{"longer", append(rep(C, 30), alternating...), 100},
	} {
		assert.InDelta(t, tc.want, event.FlapPercent(tc.states), 1e-9, tc.name)
	}
}

// TestFlapStopsAtLow checks Nagios's rule at the low threshold itself: a
// percent equal to Low ends flapping.
func TestFlapStopsAtLow(t *testing.T) {
	t.Parallel()
	// Nine alternating changes flap (51.51%); steady events then age them
	// out. With Low set to the percent the alert passes through on its way
	// down, flapping must stop exactly there.
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	seq := []event.Severity{W, C, W, C, W, C, W, C, W, C, C, C}
	probe := newFixture(t, func(_ *fixture, c *event.Config) { c.Flap = event.FlapConfig{High: 50, Low: 1} })
	for _, s := range seq {
		probe.ingest(t, ev(s))
	}
	low := probe.alert(t, "s/n/c").FlapPercent
	require.True(t, probe.alert(t, "s/n/c").Flapping)
	require.Less(t, low, 50.0)

	f := newFixture(t, func(_ *fixture, c *event.Config) { c.Flap = event.FlapConfig{High: 50, Low: low} })
	for _, s := range seq {
		f.ingest(t, ev(s))
	}
	a := f.alert(t, "s/n/c")
	assert.Equal(t, low, a.FlapPercent)
	assert.False(t, a.Flapping, "a percent equal to Low stops flapping")
}

func TestFlappingWithHysteresis(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	f.ingest(t, ev(W))
	// After n alternating events the changes are the newest n: 5 give
	// 29.93%, 6 give 35.53% ≥ 30, Nagios's default high threshold.
	for i := 1; i <= 5; i++ {
		f.ingest(t, ev([]event.Severity{W, C}[i%2]))
	}
	a := f.alert(t, "s/n/c")
	assert.InDelta(t, 29.9342, a.FlapPercent, 1e-3)
	assert.False(t, a.Flapping)
	f.ingest(t, ev(W)) // the 6th change
	a = f.alert(t, "s/n/c")
	assert.InDelta(t, 35.5263, a.FlapPercent, 1e-3)
	assert.True(t, a.Flapping)

	// Steady events age the changes out; flapping holds while the percent
	// is above 20, Nagios's default low threshold, and stops at 20 or below.
	var stoppedAt float64
	for range 21 {
		before := f.alert(t, "s/n/c")
		f.ingest(t, ev(W))
		after := f.alert(t, "s/n/c")
		if before.Flapping && !after.Flapping {
			stoppedAt = after.FlapPercent
			assert.Greater(t, before.FlapPercent, 20.0)
		}
	}
	assert.LessOrEqual(t, stoppedAt, 20.0)
	assert.Positive(t, stoppedAt)
	chs := f.journal(t, f.alert(t, "s/n/c"))
	var flaps []string
	for _, c := range chs {
		if c.Event == event.EditFlapping {
			flaps = append(flaps, c.Note[:8])
		}
	}
	assert.Equal(t, []string{"flapping", "stopped "}, flaps)
	assert.Equal(t, lifecycle.EventCreate, chs[0].Event)
}

// nagiosFlap is Nagios's flap detection written out for the tests: a
// service's last 21 states, kept across recoveries, each change between
// consecutive states weighted from 0.75 (oldest) to 1.25 (newest); the
// percent is the weighted sum over 20 × 100. Flapping starts at high and
// stops at low or below. A new history is filled with its first state.
type nagiosFlap struct {
	states    []event.Severity
	high, low float64
	flapping  bool
}

func (n *nagiosFlap) push(s event.Severity) {
	if len(n.states) == 0 {
		for range event.FlapStates {
			n.states = append(n.states, s)
		}
	} else {
		n.states = append(n.states[1:], s)
	}
	var sum float64
	for i := 1; i < len(n.states); i++ {
		if n.states[i] != n.states[i-1] {
			sum += 0.75 + float64(i-1)*0.5/float64(event.FlapStates-2)
		}
	}
	pct := sum * 100 / float64(event.FlapStates-1)
	switch {
	case !n.flapping && pct >= n.high:
		n.flapping = true
	case n.flapping && pct <= n.low:
		n.flapping = false
	}
}

// TestFlappingThroughRecoveries: ok and critical alternating, each ok
// clearing its alert, is flapping by Nagios's rule from the sixth change,
// the ok events counted; the alerts it raises open one incident.
func TestFlappingThroughRecoveries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s, Message: "http check"}
	}
	ref := nagiosFlap{high: 30, low: 20}
	for i := range 20 {
		s := []event.Severity{C, event.SeverityOK}[i%2]
		f.clock.Advance(time.Minute)
		f.ingest(t, ev(s))
		ref.push(s)
		if s != event.SeverityOK {
			assert.Equal(t, ref.flapping, f.alert(t, "s/n/c").Flapping, "event %d", i+1)
		}
		if i == 6 {
			assert.True(t, ref.flapping, "the sixth change flaps")
		}
	}
	assert.Len(t, openIncidents(t, f), 1, "one incident for the flapping check")
}

// TestFlappingAlertStaysOpenThroughOK: once a key flaps, its alert stays
// open through the ok events (severity ok, counted, nothing written), so
// that one alert, not one per recovery, carries the flapping; the ok event
// that ends the flapping, by Nagios's rule, clears it.
func TestFlappingAlertStaysOpenThroughOK(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	ref := nagiosFlap{high: 30, low: 20}
	push := func(s event.Severity) {
		t.Helper()
		f.clock.Advance(time.Minute)
		f.ingest(t, ev(s))
		ref.push(s)
	}
	for i := 0; !ref.flapping; i++ {
		push([]event.Severity{C, event.SeverityOK}[i%2])
	}
	flapping := f.alert(t, "s/n/c")
	require.True(t, flapping.Flapping)
	alerts := len(alertsOf(t, f.engine))
	stored, err := f.engine.Get(f.ctx, flapping.ID)
	require.NoError(t, err)

	for i := range 6 {
		push([]event.Severity{event.SeverityOK, C}[i%2])
		require.True(t, ref.flapping)
		a := f.alert(t, "s/n/c")
		assert.Equal(t, flapping.Number, a.Number, "one alert carries the flapping")
		assert.True(t, a.Flapping)
	}
	push(event.SeverityOK)
	a := f.alert(t, "s/n/c")
	assert.Equal(t, event.SeverityOK, a.Severity, "open at ok")
	assert.Equal(t, flapping.Count+7, a.Count)
	assert.Len(t, alertsOf(t, f.engine), alerts, "no alert opened or closed")
	again, err := f.engine.Get(f.ctx, flapping.ID)
	require.NoError(t, err)
	assert.Equal(t, stored.Version, again.Version, "a flapping alert's severity changes are not persisted")
	assert.Len(t, openIncidents(t, f), 1)

	for ref.flapping {
		_, err := f.engine.Alert(f.ctx, "s/n/c")
		require.NoError(t, err, "open while it flaps")
		push(event.SeverityOK)
	}
	_, err = f.engine.Alert(f.ctx, "s/n/c")
	assert.ErrorIs(t, err, event.ErrNoAlert, "the ok that ends the flapping clears it")
	closed, err := f.engine.Get(f.ctx, flapping.ID)
	require.NoError(t, err)
	assert.Equal(t, event.StateClosed, closed.State)
}

// TestSweepClearsAFlappingAlertLeftAtOK: a flapping alert whose last
// event was ok, and that hears no more (Alertmanager sends a resolved
// notification once), is cleared by Sweep after FlapConfig.Memory.
func TestSweepClearsAFlappingAlertLeftAtOK(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(_ *fixture, c *event.Config) { c.Flap.Memory = 30 * time.Minute })
	for i := range 12 {
		f.clock.Advance(time.Minute)
		f.ingest(t, event.Event{Source: "s", Node: "n", Check: "c", Severity: []event.Severity{C, event.SeverityOK}[i%2]})
	}
	a := f.alert(t, "s/n/c")
	require.True(t, a.Flapping)
	require.Equal(t, event.SeverityOK, a.Severity)

	f.clock.Advance(30*time.Minute - time.Nanosecond)
	rep, err := f.engine.Sweep(f.ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Cleared)
	f.clock.Advance(time.Nanosecond)
	rep, err = f.engine.Sweep(f.ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Cleared)
	_, err = f.engine.Alert(f.ctx, "s/n/c")
	assert.ErrorIs(t, err, event.ErrNoAlert)
}

// TestFlapAgainstNagiosOverSequences runs random sequences of ok, warning
// and critical events for one key through the engine and through
// nagiosFlap, and compares the flapping state after every event that
// leaves an alert open.
func TestFlapAgainstNagiosOverSequences(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 14))
	states := []event.Severity{event.SeverityOK, W, C}
	flapped := 0
	for seq := range 150 {
		f := newFixture(t, nil)
		ref := nagiosFlap{high: 30, low: 20}
		n := 10 + rng.IntN(40)
		var got []event.Severity
		// The first event opens an alert: the key's history starts there.
		s := []event.Severity{W, C}[rng.IntN(2)]
		for i := range n {
			if i > 0 {
				s = states[rng.IntN(len(states))]
			}
			got = append(got, s)
			f.clock.Advance(time.Minute)
			f.ingest(t, event.Event{Source: "s", Node: "n", Check: "c", Severity: s})
			ref.push(s)
			if s != event.SeverityOK && f.alert(t, "s/n/c").Flapping != ref.flapping {
				t.Fatalf("sequence %d, event %d: engine flapping %v, Nagios %v, states %v",
					seq, i+1, !ref.flapping, ref.flapping, got)
			}
		}
		if ref.flapping {
			flapped++
		}
	}
	assert.Positive(t, flapped, "some sequences end flapping")
}

// TestFlapMemoryExpires: a key's history outlives its cleared alert for
// FlapConfig.Memory only; a negative Memory forgets it at once.
func TestFlapMemoryExpires(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		memory time.Duration
		gap    time.Duration
		flaps  bool
	}{
		{"within memory", 0, time.Minute, true},
		{"past memory", 5 * time.Minute, 10 * time.Minute, false},
		{"forgotten at once", -1, time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(_ *fixture, c *event.Config) { c.Flap.Memory = tc.memory })
			for i := range 9 {
				f.clock.Advance(tc.gap)
				f.ingest(t, event.Event{Source: "s", Node: "n", Check: "c", Severity: []event.Severity{C, event.SeverityOK}[i%2]})
				if i%2 == 0 {
					_, err := f.engine.Sweep(f.ctx, f.clock.Now())
					require.NoError(t, err)
				}
			}
			assert.Equal(t, tc.flaps, f.alert(t, "s/n/c").Flapping)
		})
	}
}
