package storetest

import (
	"testing"
	"time"

	"github.com/itil-go/itil/lifecycle"
)

// Option adapts the suite to a backend. Without options the suite runs at
// the sizes given in each option's documentation.
type Option func(*config)

type config struct {
	workers, cycles, records int
	paging                   int
	lease                    time.Duration
	serial                   bool
	sparseSeq                bool
	hosts                    func(t *testing.T) func() lifecycle.Store
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

// WithHosts lets the tests in which several hosts share one store open it
// as several host processes would. newDB is called once per such subtest
// and returns open, which opens one more host on one fresh, empty database
// each time it is called (on a SQL store, a new connection pool on it);
// open is called from the subtest's goroutine. Without WithHosts those
// tests share the one store newStore returns among their goroutines, which
// is what hosts of an in-memory store do.
func WithHosts(newDB func(t *testing.T) (open func() lifecycle.Store)) Option {
	return func(c *config) { c.hosts = newDB }
}

// SparseSeq tells the suite that the changes of one Store.Commit get
// increasing Seqs that changes of other writes may fall between. Without
// it the suite expects a commit's changes to have consecutive Seqs, as
// memstore and sqlstore give them.
func SparseSeq() Option { return func(c *config) { c.sparseSeq = true } }
