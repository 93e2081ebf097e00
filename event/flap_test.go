package event_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

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

func TestFlappingWithHysteresis(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ev := func(s event.Severity) event.Event {
		return event.Event{Source: "s", Node: "n", Check: "c", Severity: s}
	}
	f.ingest(t, ev(W))
	// After n alternating events the changes are the newest n: 8 give
	// 46.32%, 9 give 51.51% ≥ 50, the high threshold.
	for i := 1; i <= 8; i++ {
		f.ingest(t, ev([]event.Severity{W, C}[i%2]))
	}
	a := f.alert(t, "s/n/c")
	assert.InDelta(t, 46.3158, a.FlapPercent, 1e-3)
	assert.False(t, a.Flapping)
	f.ingest(t, ev(C)) // the 9th change
	a = f.alert(t, "s/n/c")
	assert.InDelta(t, 51.5132, a.FlapPercent, 1e-3)
	assert.True(t, a.Flapping)

	// Steady events age the changes out; flapping holds until the percent
	// drops below 25, the low threshold.
	var stoppedAt float64
	for range 21 {
		before := f.alert(t, "s/n/c")
		f.ingest(t, ev(C))
		after := f.alert(t, "s/n/c")
		if before.Flapping && !after.Flapping {
			stoppedAt = after.FlapPercent
			assert.GreaterOrEqual(t, before.FlapPercent, 25.0)
		}
	}
	assert.Less(t, stoppedAt, 25.0)
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
