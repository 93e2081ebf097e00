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

// BenchmarkClock reads the engine's default clock against time.Now, its
// baseline, in one run.
func BenchmarkClock(b *testing.B) {
	b.Run("time.Now", func(b *testing.B) {
		for b.Loop() {
			_ = time.Now()
		}
	})
	b.Run("system", func(b *testing.B) {
		c := newSystemClock()
		for b.Loop() {
			_ = c.Now()
		}
	})
}
