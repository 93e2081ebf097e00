// Package sqlstore is a lifecycle.Store over database/sql, for SQLite (the
// embedded, persistent default) and PostgreSQL (several host instances
// sharing one service desk). It passes the storetest conformance suite on
// both.
//
// The package imports database/sql only: the host picks and imports the
// driver. The tests and examples use modernc.org/sqlite (pure Go, no cgo) and
// github.com/jackc/pgx/v5/stdlib.
//
//	import _ "modernc.org/sqlite"
//
//	db, err := sql.Open("sqlite", "file:itil.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
//	st, err := sqlstore.New(db, sqlstore.Config{})
//	err = st.Migrate(ctx)
//	desk, err := incident.NewDesk(st, incident.Config{})
//
// and for PostgreSQL:
//
//	import _ "github.com/jackc/pgx/v5/stdlib"
//
//	db, err := sql.Open("pgx", "postgres://itil@db.example:5432/itil")
//	st, err := sqlstore.New(db, sqlstore.Config{})
//
// New detects the dialect from the driver (Config.Dialect overrides it).
//
// # Tables
//
// All tables start with itil_ and live in the connection's schema (on
// PostgreSQL, the first of its search_path), so several stores can share a
// database, one schema each.
//
//   - itil_records: one row per record: the entity as JSON (body), which Get
//     and Find decode into the caller's zero value, with id, kind, number,
//     state, state_category and version as columns, indexed for Find.
//   - itil_record_attrs: the entity's indexed attributes (Entity.Attrs), one
//     row per key and value, indexed by (kind, key, value, record_id).
//   - itil_changes: the log, both every record's journal and the outbox,
//     ordered by seq.
//   - itil_consumers: each outbox consumer's cursor (the last seq it acked)
//     and lease.
//   - itil_sequences: the number sequences (NextNumber).
//   - itil_schema_migrations: the migrations applied.
//
// # Writes
//
// Update compares and sets on the version in the statement that writes the
// record (UPDATE … WHERE id = ? AND version = ?), and appends the change in
// the same transaction; when it matches no row, a read tells
// lifecycle.ErrNotFound from lifecycle.ErrConflict. Attribute rows are
// rewritten only when the attributes changed. On PostgreSQL, Create and
// Update are single statements (data-modifying CTEs), one round trip each;
// on SQLite they are short transactions of prepared statements, and a Store
// runs one write at a time, since SQLite has one writer. Several processes
// may share a SQLite file: set busy_timeout, as above, so that a writer
// waits for another process's write instead of failing.
//
// Commit writes a lifecycle.Batch of several records all or nothing. On
// PostgreSQL it is one statement, one round trip: it locks every record the
// batch writes or reads, in ID order (so two commits never wait on each
// other in a circle), compares their versions, and writes the records,
// their attributes and the changes only if all match, drawing the changes'
// seqs last; a record created meanwhile by another host fails the insert
// and so the statement (lifecycle.ErrExists), and a deadlock or
// serialization failure the database reports is lifecycle.ErrConflict. On
// SQLite it is one write transaction. Either way a commit's changes get
// consecutive seqs in batch order.
//
// Text that the database would not keep as it is, a NUL (which PostgreSQL
// refuses) or bytes that are not UTF-8 (which encoding/json replaces with
// U+FFFD), is refused before anything is written with a
// *itil.ValidationError naming the field (lifecycle.CheckStorable), and
// text that reaches the encoding only through a MarshalJSON or MarshalText
// method with one naming "record" or "change": the same on SQLite and
// PostgreSQL as on memstore.
//
// A transition through lifecycle.Process costs about what the bare SQL
// does: BenchmarkSQLTransition against BenchmarkSQLRawUpdate, one UPDATE and
// one INSERT in a transaction, in this package. BenchmarkSQLCommit moves two
// records in one commit.
//
// # The log and the outbox
//
// A consumer reads the log after its cursor, so a change must never become
// visible after one with a greater seq: the cursor would already have passed
// it. On SQLite, with one writer, changes commit in seq order. On PostgreSQL,
// concurrent transactions draw seqs from a sequence and may commit in another
// order, so the seq is drawn by a function (the column's default) that
// first takes a transaction-level advisory lock, pg_advisory_xact_lock,
// held until commit. Appending to the log is thus serialized from the moment
// a transaction draws its seq until it commits, and every snapshot sees a
// prefix of the log. This was chosen over the alternatives because it keeps
// the lifecycle.Outbox contract (a cursor per consumer) exact and simple: a
// reader never waits or guesses, and no change is skipped however
// transactions interleave. The cost is that writes append to the log one at
// a time for the length of a commit, which the single-statement writes keep
// short; the rest of each write (the record, its attributes, the compare-
// and-set) runs concurrently. Claiming log rows instead of advancing a cursor
// would change the Outbox interface, and reading only up to the oldest
// transaction in flight needs knowledge of other transactions' seqs that
// PostgreSQL does not give.
//
// Claim takes, renews or refuses the consumer's lease in one conditional
// upsert of its row (INSERT … ON CONFLICT DO UPDATE … WHERE the lease is
// free, expired or the caller's), which locks the row for that statement:
// of two hosts claiming at once, one wins and the other gets
// lifecycle.ErrLeased, without holding a transaction open while it
// delivers. On PostgreSQL the changes after the cursor are read in the same
// statement. Ack moves the cursor only for the live lease's holder. A host
// that dies mid-delivery leaves its lease to expire; the next holder claims
// the unacknowledged changes again. So every change is delivered at least
// once, and in log order, which is in order per record. Leases are measured
// with Config.Now, so hosts sharing a database need clocks that agree to
// well within a lease.
//
// The Store implements lifecycle.Waker for its own writes; a dispatcher
// finds other processes' writes by polling.
//
// # Migrations
//
// The schema is created and upgraded by Migrate, an explicit call, from SQL
// files embedded per dialect (migrations/sqlite, migrations/postgres, named
// NNNN_name.sql). The runner is a small one of this package's own, with its
// own tests, rather than a migration library: it applies every pending file in
// one transaction (all or nothing), serializes concurrent Migrate calls with
// an advisory lock on PostgreSQL and the write lock on SQLite, records each
// version in itil_schema_migrations, and refuses a database newer than the
// code with ErrSchemaTooNew. That is all the store needs, and it keeps the
// package's only dependency database/sql, as a library must that leaves the
// driver to its host. Hosts that migrate in a separate step call Check at
// start-up.
package sqlstore
