// Package storetest is the conformance suite that every lifecycle.Store
// implementation must pass: the in-memory store, the SQL stores, and any store
// a host writes itself. It reaches the store only through the lifecycle.Store
// interface, and the records it writes are *Item values that round-trip
// through JSON, so a store that keeps records serialized decodes them with
// the zero func of Get and Query.New (NewItem).
//
// A store's own test calls Run with a function that returns a fresh, empty
// store for each subtest:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) lifecycle.Store {
//			return memstore.New(memstore.Config{})
//		})
//	}
//
// A slow backend may shrink the heavier subtests so that CI stays fast:
//
//	storetest.Run(t, newStore, storetest.WithConcurrency(4, 200), storetest.WithPaging(200))
//
// What the suite checks, each group a subtest:
//
//   - CRUD: Create, Get, Update with compare-and-set; ErrExists, ErrNotFound.
//   - StaleVersion: an Update with the wrong expected version fails with
//     ErrConflict and writes nothing: not the record, its indexes, its journal
//     nor the outbox.
//   - Isolation: the store keeps and hands out copies; changing an entity or a
//     Change after a call, or what a call returned, changes nothing stored.
//   - NextNumber: per-prefix sequences from 1, never handing out a number twice.
//   - Find: kind, record attributes (state, state_category, number) and entity
//     attributes, multi-valued attributes, OR within a Cond, AND across Conds,
//     Limit, the After cursor, ID order, and indexes kept current on Update.
//   - Paging: paging with Limit and After, and one long Find, while records
//     are created and updated, sees every record that existed before exactly
//     once.
//   - Journal: every change of a record in order, its fields preserved, Seq
//     increasing and written back to the Change passed in.
//   - Outbox: Claim from the start of the log, limits, Ack, leases held,
//     released and expired, and independent consumers.
//   - Concurrency: goroutines doing read-modify-write cycles lose no update.
//   - Context: a cancelled context fails every call and writes nothing.
//   - Commit: creates and updates of several records at once, a record
//     written twice, writes without a change, Seqs in batch order (and
//     consecutive, unless SparseSeq), journals and indexes of every record;
//     a batch with a stale write or read, a taken ID or a missing record
//     writes nothing (records, journals, log, outbox and indexes as they
//     were) and fails with ErrConflict, *lifecycle.StaleReadError,
//     ErrExists or ErrNotFound; a malformed batch fails with a
//     *itil.ValidationError naming its bad part; a cancelled commit writes
//     nothing.
//   - CommitConcurrency: workers on several hosts move units between
//     accounts in commits that read and write two records and pin a third
//     that another goroutine keeps updating; at the end the total is kept,
//     each journal replays to its record, the log holds exactly the
//     committed changes, and no commit saw a pinned record that had moved.
//     A dozen hosts take one Tx.Lock and create a record if no one holds
//     the key: exactly one does.
//   - ReadLog: the log after a Seq, limits, the prefix property, and no
//     lease taken or cursor moved.
//   - Text: a NUL or bytes that are not UTF-8 anywhere in a record, its
//     attributes or its change make Create, Update and Commit fail with a
//     *itil.ValidationError naming the field, and write nothing; other text
//     (U+FFFD, the escapes' spelling) is kept byte for byte. Find without a
//     Kind fails with a *itil.ValidationError naming "kind".
//
// Subtests run in parallel, so newStore may be called from several goroutines
// at once; a backend whose stores share one resource passes Serial. The
// tests in which several hosts share a store open it through WithHosts when
// it is given, so that on a SQL store each host has a connection pool of
// its own:
//
//	storetest.Run(t, newStore, storetest.WithHosts(func(t *testing.T) func() lifecycle.Store {
//		db := newDatabase(t)
//		return func() lifecycle.Store { return openStore(t, db) }
//	}))
package storetest
