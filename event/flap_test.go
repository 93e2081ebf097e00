package event_test

import (
	"testing"

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
