package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresDialect writes with one statement per call: data-modifying CTEs
// put the record, its attributes and the change in one implicit
// transaction, which saves the round trips of BEGIN and COMMIT.
type postgresDialect struct{}

// migrationLock is the advisory lock key that Migrate holds on PostgreSQL
// ("ITLM" and 1).
const migrationLock = 0x49544c4d_00000001

func (postgresDialect) dialect() Dialect    { return Postgres }
func (postgresDialect) ph(n int) string     { return dollar(n) }
func (postgresDialect) id(id uuid.UUID) any { return id }
func (postgresDialect) ts(t time.Time) any  { return t.UTC() }
func (postgresDialect) migrations() fs.FS   { return mustSub(postgresMigrations, "migrations/postgres") }

func (postgresDialect) tableExists() string {
	return "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1"
}

func (postgresDialect) beginMigration(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock))
	return err
}

const pgCreate = `
WITH r AS (
    INSERT INTO itil_records (id, kind, number, state, state_category, version, created_at, updated_at, body, attrs)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text)
    ON CONFLICT (id) DO NOTHING
    RETURNING id, kind
), a AS (
    INSERT INTO itil_record_attrs (record_id, kind, key, value)
    SELECT r.id, r.kind, e->>0, e->>1 FROM r, jsonb_array_elements($10::text::jsonb) AS e
), c AS (
    INSERT INTO itil_changes (id, record_id, kind, number, version, event, at, body)
    SELECT $11, r.id, $12, $13, $14, $15, $16, $17 FROM r
    RETURNING seq
)
SELECT seq FROM c`

func (d postgresDialect) create(ctx context.Context, db *sql.DB, r *recordRow, c *changeRow) (int64, bool, error) {
	var seq int64
	err := db.QueryRowContext(ctx, pgCreate,
		r.id, r.kind, r.number, r.state, r.category, r.version, d.ts(r.createdAt), d.ts(r.updatedAt), r.body, r.attrs,
		c.id, c.kind, c.number, c.version, c.event, d.ts(c.at), c.body,
	).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

// pgUpdate compares and sets on version in CTE u; the others read from it,
// so that nothing is written when it matches no row. The attribute rows
// are touched only when the attributes changed (o holds the stored ones, as
// of the statement's snapshot, which is the version u matched), and then
// only those that went are deleted and only those that came are inserted.
const pgUpdate = `
WITH o AS (
    SELECT attrs FROM itil_records WHERE id = $1
), u AS (
    UPDATE itil_records
    SET number = $3, state = $4, state_category = $5, version = $6, updated_at = $7, body = $8, attrs = $9::text
    WHERE id = $1 AND version = $2
    RETURNING id, kind, (SELECT attrs FROM o) IS DISTINCT FROM $9::text AS dirty
), n AS (
    SELECT e->>0 AS key, e->>1 AS value FROM jsonb_array_elements($9::text::jsonb) AS e
), d AS (
    DELETE FROM itil_record_attrs AS a USING u
    WHERE u.dirty AND a.record_id = u.id AND (a.key, a.value) NOT IN (SELECT key, value FROM n)
), i AS (
    INSERT INTO itil_record_attrs (record_id, kind, key, value)
    SELECT u.id, u.kind, n.key, n.value FROM u, n WHERE u.dirty
    ON CONFLICT DO NOTHING
), c AS (
    INSERT INTO itil_changes (id, record_id, kind, number, version, event, at, body)
    SELECT $10, u.id, $11, $12, $13, $14, $15, $16 FROM u
    RETURNING seq
)
SELECT seq FROM c`

func (d postgresDialect) update(ctx context.Context, db *sql.DB, r *recordRow, expect int64, c *changeRow) (int64, bool, error) {
	var seq int64
	err := db.QueryRowContext(ctx, pgUpdate,
		r.id, expect, r.number, r.state, r.category, r.version, d.ts(r.updatedAt), r.body, r.attrs,
		c.id, c.kind, c.number, c.version, c.event, d.ts(c.at), c.body,
	).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

const pgNextNumber = `
INSERT INTO itil_sequences (prefix, value) VALUES ($1, 1)
ON CONFLICT (prefix) DO UPDATE SET value = itil_sequences.value + 1
RETURNING value`

func (postgresDialect) nextNumber(ctx context.Context, db *sql.DB, prefix string) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, pgNextNumber, prefix).Scan(&n)
	return n, err
}

// pgClaim takes or renews the lease with a conditional upsert, which locks
// the consumer's row for the statement, and reads the changes after the
// cursor in the same statement. No row means another holder's lease is
// live; one row with a NULL seq means nothing is waiting.
const pgClaim = `
WITH c AS (
    INSERT INTO itil_consumers AS k (name, acked_seq, holder, lease_until) VALUES ($1, 0, $2, $3)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
    WHERE k.holder = '' OR k.holder = excluded.holder OR k.lease_until <= $4
    RETURNING acked_seq
)
SELECT ch.seq, ch.body FROM c LEFT JOIN LATERAL (
    SELECT seq, body FROM itil_changes WHERE seq > c.acked_seq ORDER BY seq LIMIT $5
) AS ch ON true
ORDER BY ch.seq`

func (postgresDialect) claim(ctx context.Context, db *sql.DB, consumer, holder string, limit int, now, until int64) ([]lifecycle.Change, bool, error) {
	rows, err := db.QueryContext(ctx, pgClaim, consumer, holder, until, now, limit)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	held := false
	var out []lifecycle.Change
	for rows.Next() {
		held = true
		var seq sql.NullInt64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, false, err
		}
		if !seq.Valid {
			continue
		}
		ch, err := decodeChange(seq.Int64, body)
		if err != nil {
			return nil, false, err
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return out, held, nil
}

const pgAck = `
UPDATE itil_consumers SET acked_seq = GREATEST(acked_seq, $3)
WHERE name = $1 AND holder = $2 AND lease_until > $4
  AND $3 <= (SELECT coalesce(max(seq), 0) FROM itil_changes)`

func (postgresDialect) ack(ctx context.Context, db *sql.DB, consumer, holder string, seq, now int64) (bool, error) {
	res, err := db.ExecContext(ctx, pgAck, consumer, holder, seq, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// mustSub returns the subdirectory dir of an embedded tree, which exists.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: embedded %s: %v", dir, err))
	}
	return sub
}
