package incident_test

import (
	"sync"
	"time"
)

// fakeClock is a clock the tests move by hand: it drives the desk's
// timestamps, SLA clocks and windows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// monday9 is a Monday at 09:00 UTC: inside the default business hours, so
// business-calendar clocks run from the start.
var monday9 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d and returns the new time.
func (c *fakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Set moves the clock to t.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
