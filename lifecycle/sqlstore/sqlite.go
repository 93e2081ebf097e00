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

//go:embed migrations/sqlite/*.sql
var sqliteMigrations embed.FS

// sqliteDialect writes in short transactions. The Store lets one of its
// writes run at a time (SQLite has one writer), and every write transaction
// starts with a write, so that SQLite's busy timeout covers other processes
// writing to the same file.
type sqliteDialect struct {
	stmts *stmtCache
}

func (sqliteDialect) dialect() Dialect    { return SQLite }
func (sqliteDialect) ph(int) string       { return "?" }
func (sqliteDialect) id(id uuid.UUID) any { return id[:] }
func (sqliteDialect) ts(t time.Time) any  { return t.UTC().Format(time.RFC3339Nano) }
func (sqliteDialect) migrations() fs.FS   { return mustSub(sqliteMigrations, "migrations/sqlite") }

func (sqliteDialect) tableExists() string {
	return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
}

func (sqliteDialect) beginMigration(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	return err
}

const (
	sqliteCreate = `
INSERT INTO itil_records (id, kind, number, state, state_category, version, created_at, updated_at, attrs, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`
	sqliteInsertAttrs = `
INSERT OR IGNORE INTO itil_record_attrs (record_id, kind, key, value)
SELECT ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`
	sqliteDeleteAttrs = `
DELETE FROM itil_record_attrs
WHERE record_id = ? AND (key, value) NOT IN (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`
	// sqliteUpdateSameAttrs matches only when the attributes did not
	// change, as in most transitions: then it is the only statement before
	// the change's.
	sqliteUpdateSameAttrs = `
UPDATE itil_records SET number = ?, state = ?, state_category = ?, version = ?, updated_at = ?, body = ?
WHERE id = ? AND version = ? AND attrs = ?`
	sqliteUpdate = `
UPDATE itil_records SET number = ?, state = ?, state_category = ?, version = ?, updated_at = ?, body = ?, attrs = ?
WHERE id = ? AND version = ?`
	sqliteAppend = `
INSERT INTO itil_changes (id, record_id, kind, number, version, event, at, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
)

func (d sqliteDialect) create(ctx context.Context, db *sql.DB, r *recordRow, c *changeRow) (int64, bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if created, err := d.createRow(ctx, tx, r); err != nil || !created {
		return 0, false, err
	}
	seq, err := d.appendChange(ctx, tx, c)
	if err != nil {
		return 0, false, err
	}
	return seq, true, tx.Commit()
}

func (d sqliteDialect) update(ctx context.Context, db *sql.DB, r *recordRow, expect int64, c *changeRow) (int64, bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if updated, err := d.updateRow(ctx, tx, r, expect); err != nil || !updated {
		return 0, false, err
	}
	seq, err := d.appendChange(ctx, tx, c)
	if err != nil {
		return 0, false, err
	}
	return seq, true, tx.Commit()
}

func (d sqliteDialect) createRow(ctx context.Context, tx *sql.Tx, r *recordRow) (bool, error) {
	id := d.id(r.id)
	res, err := d.stmts.exec(ctx, tx, sqliteCreate,
		id, r.kind, r.number, r.state, r.category, r.version, d.ts(r.createdAt), d.ts(r.updatedAt), r.attrs, r.body)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if r.hasAttrs {
		if _, err := d.stmts.exec(ctx, tx, sqliteInsertAttrs, id, r.kind, r.attrs); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (d sqliteDialect) updateRow(ctx context.Context, tx *sql.Tx, r *recordRow, expect int64) (bool, error) {
	id := d.id(r.id)
	updated := d.ts(r.updatedAt)
	res, err := d.stmts.exec(ctx, tx, sqliteUpdateSameAttrs,
		r.number, r.state, r.category, r.version, updated, r.body, id, expect, r.attrs)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	// The attributes changed, or the version did, or the record is
	// missing.
	res, err = d.stmts.exec(ctx, tx, sqliteUpdate,
		r.number, r.state, r.category, r.version, updated, r.body, r.attrs, id, expect)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := d.stmts.exec(ctx, tx, sqliteDeleteAttrs, id, r.attrs); err != nil {
		return false, err
	}
	if r.hasAttrs {
		if _, err := d.stmts.exec(ctx, tx, sqliteInsertAttrs, id, r.kind, r.attrs); err != nil {
			return false, err
		}
	}
	return true, nil
}

// version reads the stored version of a record in tx; SQLite has one
// writer, whose transaction this is, so no lock is needed.
func (d sqliteDialect) version(ctx context.Context, tx *sql.Tx, id uuid.UUID) (int64, bool, error) {
	var v int64
	err := tx.QueryRowContext(ctx, "SELECT version FROM itil_records WHERE id = ?", d.id(id)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}

// appendChange inserts c into the log and returns its seq.
func (d sqliteDialect) appendChange(ctx context.Context, tx *sql.Tx, c *changeRow) (int64, error) {
	res, err := d.stmts.exec(ctx, tx, sqliteAppend,
		d.id(c.id), d.id(c.recordID), c.kind, c.number, c.version, c.event, d.ts(c.at), c.body)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

const sqliteNextNumber = `
INSERT INTO itil_sequences (prefix, value) VALUES (?, 1)
ON CONFLICT (prefix) DO UPDATE SET value = value + 1
RETURNING value`

func (sqliteDialect) nextNumber(ctx context.Context, db *sql.DB, prefix string) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, sqliteNextNumber, prefix).Scan(&n)
	return n, err
}

const (
	sqliteLease = `
INSERT INTO itil_consumers (name, acked_seq, holder, lease_until) VALUES (?, 0, ?, ?)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
WHERE holder = '' OR holder = excluded.holder OR lease_until <= ?
RETURNING acked_seq`
	sqliteClaim = `SELECT seq, body FROM itil_changes WHERE seq > ? ORDER BY seq LIMIT ?`
)

func (sqliteDialect) claim(ctx context.Context, db *sql.DB, consumer, holder string, limit int, now, until int64) ([]lifecycle.Change, bool, error) {
	var acked int64
	err := db.QueryRowContext(ctx, sqliteLease, consumer, holder, until, now).Scan(&acked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	chs, err := queryChanges(ctx, db, sqliteClaim, acked, limit)
	return chs, true, err
}

const sqliteAck = `
UPDATE itil_consumers SET acked_seq = MAX(acked_seq, ?)
WHERE name = ? AND holder = ? AND lease_until > ?
  AND ? <= (SELECT coalesce(max(seq), 0) FROM itil_changes)`

func (sqliteDialect) ack(ctx context.Context, db *sql.DB, consumer, holder string, seq, now int64) (bool, error) {
	res, err := db.ExecContext(ctx, sqliteAck, seq, consumer, holder, now, seq)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// commit writes b in one write transaction, writes first in batch order,
// so that the transaction holds the database's write lock from its first
// statement, then checks the reads: SQLite has one writer, whose
// transaction this is, so no row locks are needed.
func (d sqliteDialect) commit(ctx context.Context, s *Store, b lifecycle.Batch, rows []recordRow, crows []*changeRow) ([]int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.commitError(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for i, w := range b.Writes {
		r := &rows[i]
		if w.Expect == 0 {
			created, err := d.createRow(ctx, tx, r)
			if err != nil {
				return nil, s.commitError(err)
			}
			if !created {
				return nil, fmt.Errorf("%s %s: %w", r.kind, r.id, lifecycle.ErrExists)
			}
			continue
		}
		updated, err := d.updateRow(ctx, tx, r, w.Expect)
		if err != nil {
			return nil, s.commitError(err)
		}
		if !updated {
			v, ok, err := d.version(ctx, tx, r.id)
			switch {
			case err != nil:
				return nil, s.commitError(err)
			case !ok:
				return nil, fmt.Errorf("%s %s: %w", r.kind, r.id, lifecycle.ErrNotFound)
			}
			return nil, fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.kind, r.number, v, w.Expect, lifecycle.ErrConflict)
		}
	}
	for _, rd := range b.Reads {
		v, ok, err := d.version(ctx, tx, rd.ID)
		if err != nil {
			return nil, s.commitError(err)
		}
		if !ok || v != rd.Version {
			return nil, &lifecycle.StaleReadError{ID: rd.ID, Read: rd.Version, Stored: v}
		}
	}
	seqs := make([]int64, len(b.Writes))
	for i, c := range crows {
		if c == nil {
			continue
		}
		if seqs[i], err = d.appendChange(ctx, tx, c); err != nil {
			return nil, s.commitError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, s.commitError(err)
	}
	return seqs, nil
}
