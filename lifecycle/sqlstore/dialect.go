package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// dialect is what differs between the databases: placeholders, how IDs and
// times are sent, and the write paths, which PostgreSQL runs as single
// statements and SQLite as short transactions.
type dialect interface {
	dialect() Dialect
	// ph returns the placeholder of the n-th argument, from 1.
	ph(n int) string
	// id and ts convert arguments for the database's column types.
	id(uuid.UUID) any
	ts(t time.Time) any
	// tableExists is a query for the number of tables named by its
	// argument in the store's schema.
	tableExists() string
	// migrations returns the dialect's migration files.
	migrations() fs.FS
	// beginMigration starts a transaction on conn that no other migration
	// runs beside.
	beginMigration(ctx context.Context, conn *sql.Conn) error

	// create inserts r, its attributes and c, and returns c's seq; created
	// is false when r's ID is taken, and then nothing was written.
	create(ctx context.Context, db *sql.DB, r *recordRow, c *changeRow) (seq int64, created bool, err error)
	// update replaces the record if its version is expect, with its
	// attributes, and appends c; updated is false when the record is
	// missing or has another version, and then nothing was written.
	update(ctx context.Context, db *sql.DB, r *recordRow, expect int64, c *changeRow) (seq int64, updated bool, err error)
	// commit writes a batch, rows and crows being its writes and their
	// changes encoded (nil for a write without one), all or nothing, and
	// returns the Seq of each write's change; see Store.Commit.
	commit(ctx context.Context, s *Store, b lifecycle.Batch, rows []recordRow, crows []*changeRow) ([]int64, error)
	// nextNumber increments prefix's sequence.
	nextNumber(ctx context.Context, db *sql.DB, prefix string) (int64, error)
	// claim leases consumer to holder until until if it is free, held by
	// holder or expired at now, and returns up to limit changes after its
	// cursor; held is false when another holder's lease is live.
	claim(ctx context.Context, db *sql.DB, consumer, holder string, limit int, now, until int64) (chs []lifecycle.Change, held bool, err error)
	// ack moves the cursor of consumer to seq if holder's lease is live at
	// now and seq is in the log; ok is false otherwise.
	ack(ctx context.Context, db *sql.DB, consumer, holder string, seq, now int64) (ok bool, err error)
}

// dollar numbers placeholders as PostgreSQL does.
func dollar(n int) string { return "$" + strconv.Itoa(n) }
