package lifecycletest

import (
	"testing"

	"github.com/itil-go/itil/lifecycle/memstore"
)

// NewStore returns an empty memstore for a test, with sequential IDs
// (memstore.Config.SequentialIDs): two fresh stores given the same work,
// one goroutine at a time, give the same record IDs, change IDs, numbers
// and Seqs. Outbox leases follow clk; a nil clk means the real clock.
//
// When the test fails, NewStore logs the last changes of the store's log,
// so that the failure shows what happened.
func NewStore(tb testing.TB, clk *Clock) *memstore.Store {
	tb.Helper()
	cfg := memstore.Config{SequentialIDs: true}
	if clk != nil {
		cfg.Now = clk.Now
	}
	st := memstore.New(cfg)
	tb.Cleanup(func() {
		if tb.Failed() {
			logTail(tb, st)
		}
	})
	return st
}
