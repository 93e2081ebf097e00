package lifecycletest

import (
	"sync"
	"time"
)

// Clock is a clock that moves only when told to: a Config.Now for the
// desks, managers, engines, dispatchers and stores under test. It is safe
// for concurrent use.
//
//	clk := lifecycletest.NewClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
//	desk, _ := incident.NewDesk(st, incident.Config{Now: clk.Now})
//	clk.Advance(time.Hour)
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
