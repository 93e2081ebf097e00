package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Commit implements lifecycle.Store in one database transaction: on
// PostgreSQL one statement, which locks every row the batch writes or reads
// in ID order before it writes, and appends the changes last; on SQLite one
// write transaction. A stale write is an error wrapping
// lifecycle.ErrConflict, as is a read record whose version moved
// (*lifecycle.StaleReadError) and a deadlock or serialization failure the
// database reports; a taken ID is lifecycle.ErrExists, a missing record
// lifecycle.ErrNotFound, text the database would not keep as it is a
// *itil.ValidationError naming the field. Nothing is written unless all is.
// The changes get consecutive Seqs in batch order.
func (s *Store) Commit(ctx context.Context, b lifecycle.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	rows := make([]recordRow, len(b.Writes))
	crows := make([]*changeRow, len(b.Writes))
	for i, w := range b.Writes {
		prefix := fmt.Sprintf("writes[%d].", i)
		if err := lifecycle.CheckStorable(w.Entity, w.Change, prefix); err != nil {
			return err
		}
		var err error
		if rows[i], err = newRecordRow(w.Entity, prefix); err != nil {
			return err
		}
		if w.Change != nil {
			c, err := newChangeRow(w.Change, prefix)
			if err != nil {
				return err
			}
			crows[i] = &c
		}
	}
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	seqs, err := s.d.commit(ctx, s, b, rows, crows)
	unlock()
	if err != nil {
		return err
	}
	for i, w := range b.Writes {
		if w.Change != nil {
			w.Change.Seq = seqs[i]
		}
	}
	s.wrote()
	return nil
}

// sqlState is implemented by drivers' errors that carry an SQLSTATE code,
// such as pgx's *pgconn.PgError.
type sqlState interface{ SQLState() string }

// commitError classifies a database error: a deadlock or a serialization
// failure is a conflict that a retry may resolve; text the database cannot
// hold is invalid input.
func (s *Store) commitError(err error) error {
	var se sqlState
	if errors.As(err, &se) {
		switch se.SQLState() {
		case "40001", "40P01":
			return fmt.Errorf("sqlstore: commit: %w: %w", lifecycle.ErrConflict, err)
		}
	}
	if verr := textError(err, "batch"); verr != nil {
		return verr
	}
	return fmt.Errorf("sqlstore: commit: %w", err)
}

// textError returns a *itil.ValidationError naming field when err is the
// database refusing text (PostgreSQL's untranslatable_character and
// character_not_in_repertoire), and nil otherwise. The stores check text
// before they write (lifecycle.CheckStorable, checkJSON), so this is the
// last guard, for text those checks cannot see.
func textError(err error, field string) error {
	var se sqlState
	if errors.As(err, &se) {
		switch se.SQLState() {
		case "22P05", "22021":
			if field == "" {
				field = "record"
			}
			return &itil.ValidationError{Field: field, Reason: "holds text the database cannot store (a NUL character or bytes that are not UTF-8)"}
		}
	}
	return nil
}

// ReadLog implements lifecycle.Outbox.
func (s *Store) ReadLog(ctx context.Context, after int64, limit int) ([]lifecycle.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultClaimLimit
	}
	query := fmt.Sprintf("SELECT seq, body FROM itil_changes WHERE seq > %s ORDER BY seq LIMIT %s", s.d.ph(1), s.d.ph(2))
	chs, err := queryChanges(ctx, s.db, query, max(after, 0), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read log after %d: %w", after, err)
	}
	return chs, nil
}
