package event

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestSystemClockFollowsTimeNow: the clock reads between the time.Now
// readings around it, never goes back, and takes the wall clock again
// once a second has passed.
func TestSystemClockFollowsTimeNow(t *testing.T) {
	c := newSystemClock()
	prev := c.Now()
	for range 1000 {
		before := time.Now()
		got := c.Now()
		after := time.Now()
		assert.False(t, got.Before(before) || got.After(after), "%v not in [%v, %v]", got, before, after)
		assert.False(t, got.Before(prev))
		prev = got
	}
	synctest.Test(t, func(t *testing.T) {
		c := newSystemClock()
		start := time.Now()
		time.Sleep(300 * time.Millisecond)
		assert.Equal(t, 300*time.Millisecond, c.Now().Sub(start))
		time.Sleep(2 * time.Second)
		now := c.Now()
		assert.True(t, now.Equal(time.Now()))
		assert.True(t, c.base.Load().Equal(now), "taken again after a second")
	})
}

// BenchmarkClock reads the engine's cached clock; BenchmarkTimeNow,
// its baseline, time.Now. Run them together.
func BenchmarkClock(b *testing.B) {
	c := newSystemClock()
	for b.Loop() {
		_ = c.Now()
	}
}

func BenchmarkTimeNow(b *testing.B) {
	for b.Loop() {
		_ = time.Now()
	}
}

// BenchmarkClockParallel is BenchmarkClock from every P at once, over one
// clock, as an engine's shards read it.
func BenchmarkClockParallel(b *testing.B) {
	c := newSystemClock()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = c.Now()
		}
	})
}

func BenchmarkTimeNowParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = time.Now()
		}
	})
}
