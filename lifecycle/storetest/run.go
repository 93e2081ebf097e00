package storetest

import (
	"testing"

	"github.com/itil-go/itil/lifecycle"
)

// Run runs the whole suite against the store newStore makes. newStore must
// return a fresh, empty store each time it is called; it is called once per
// subtest, from parallel subtests unless Serial is given, and may register
// cleanup with t.Cleanup.
//
// Besides what the lifecycle.Store documentation states, the suite expects
// that a successful Create or Update writes the Seq it assigned back into the
// Change passed in, that the caller may use the store (read and write)
// while it iterates over Find, that a Find without a Kind yields a
// *itil.ValidationError naming "kind", that writes refuse text no store
// keeps as it is (see lifecycle.CheckStorable), and that the changes of one
// Commit get consecutive Seqs (unless SparseSeq is given).
func Run(t *testing.T, newStore func(t *testing.T) lifecycle.Store, opts ...Option) {
	t.Helper()
	s := &suite{cfg: newConfig(opts), newStore: newStore}
	groups := []struct {
		name string
		run  func(t *testing.T, s *suite)
	}{
		{"CRUD", testCRUD},
		{"StaleVersion", testStaleVersion},
		{"Isolation", testIsolation},
		{"NextNumber", testNextNumber},
		{"Find", testFind},
		{"Paging", testPaging},
		{"Journal", testJournal},
		{"Outbox", testOutbox},
		{"Concurrency", testConcurrency},
		{"Commit", testCommit},
		{"CommitConcurrency", testCommitConcurrency},
		{"ReadLog", testReadLog},
		{"Text", testText},
		{"Context", testContext},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			s.parallel(t)
			g.run(t, s)
		})
	}
}

// suite carries the configuration and the store factory to every subtest.
type suite struct {
	cfg      config
	newStore func(t *testing.T) lifecycle.Store
}

// parallel marks t parallel unless the backend asked for serial runs.
func (s *suite) parallel(t *testing.T) {
	if !s.cfg.serial {
		t.Parallel()
	}
}

// run runs fn as a parallel subtest of t on a fresh store.
func (s *suite) run(t *testing.T, name string, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		s.parallel(t)
		fn(t, s.fixture(t))
	})
}

// runHosts is run on a database that several hosts share (see WithHosts).
func (s *suite) runHosts(t *testing.T, name string, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		s.parallel(t)
		fn(t, s.hostsFixture(t))
	})
}
