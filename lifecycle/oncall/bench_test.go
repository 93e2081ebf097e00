package oncall_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/oncall"
)

// BenchmarkOnCall asks who is on call at random instants of a year, for
// the three-layer schedule of the property tests (a weekly primary of
// eight, a daily secondary restricted to business hours and weekends, a
// 12-hour layer) with 100 overrides, in Berlin. "schedule" is the package:
// overrides by binary search, O(1) arithmetic per layer. "walk" is the
// baseline on the same instants: the test's reference, which scans the
// overrides and walks each layer's turns from its start.
func BenchmarkOnCall(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	cfg := threeLayers(b, "Europe/Berlin", 100, rng)
	s, err := oncall.New(cfg)
	require.NoError(b, err)
	ref := newReference(cfg)
	year := time.Date(2026, time.January, 1, 0, 0, 0, 0, s.Location())
	at := make([]time.Time, 1024)
	for i := range at {
		at[i] = year.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
	}
	for _, t := range at {
		require.Equal(b, ref.OnCall(t), s.OnCall(t))
	}
	var sink oncall.Assignment
	b.Run("schedule", func(b *testing.B) {
		i := 0
		for b.Loop() {
			sink = s.OnCall(at[i%len(at)])
			i++
		}
	})
	b.Run("walk", func(b *testing.B) {
		i := 0
		for b.Loop() {
			sink = ref.OnCall(at[i%len(at)])
			i++
		}
	})
	_ = sink
}
