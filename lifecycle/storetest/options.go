package storetest

import "time"

// Option adapts the suite to a backend. Without options the suite runs at
// the sizes given in each option's documentation.
type Option func(*config)

type config struct {
	workers, cycles, records int
	paging                   int
	lease                    time.Duration
	serial                   bool
}

func newConfig(opts []Option) config {
	c := config{
		workers: 8,
		cycles:  1000,
		records: 4,
		paging:  500,
		lease:   50 * time.Millisecond,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithConcurrency sets the size of the concurrency test: workers goroutines
// each run cycles read-modify-write cycles on a few shared records. The
// default is 8 × 1000; values below 1 keep the default.
func WithConcurrency(workers, cycles int) Option {
	return func(c *config) {
		if workers > 0 {
			c.workers = workers
		}
		if cycles > 0 {
			c.cycles = cycles
		}
	}
}

// WithPaging sets how many records the paging tests store before they page
// through them while writing. The default is 500; values below 1 keep it.
func WithPaging(records int) Option {
	return func(c *config) {
		if records > 0 {
			c.paging = records
		}
	}
}

// WithShortLease sets the lease the outbox test lets expire, for a backend
// whose clock is coarser than the default 50ms. The test waits for the
// expiry by polling, so a longer lease only makes it slower.
func WithShortLease(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.lease = d
		}
	}
}

// Serial runs the subtests one after another instead of in parallel, for a
// backend whose fresh stores share a resource that cannot be used
// concurrently.
func Serial() Option { return func(c *config) { c.serial = true } }
