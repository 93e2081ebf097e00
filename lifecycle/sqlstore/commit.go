package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Commit implements lifecycle.Store in one database transaction. On
// PostgreSQL every row the batch writes or reads is locked as it is
// visited, in ID order, and the changes are appended after; a deadlock or
// serialization failure the database reports anyway is an error wrapping
// lifecycle.ErrConflict, as is a read record whose version moved
// (*lifecycle.StaleReadError). A taken ID is lifecycle.ErrExists, a missing
// record lifecycle.ErrNotFound. Nothing is written unless all is.
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
		if err := storable(w.Entity, w.Change, fmt.Sprintf("writes[%d].", i)); err != nil {
			return err
		}
		var err error
		if rows[i], err = newRecordRow(w.Entity); err != nil {
			return err
		}
		if w.Change != nil {
			c, err := newChangeRow(w.Change)
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
	seqs, err := s.commit(ctx, b, rows, crows)
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

// step is one record a commit visits: a write (the index of b.Writes) or a
// read (read set).
type step struct {
	write int
	read  *lifecycle.Read
}

func (s *Store) commit(ctx context.Context, b lifecycle.Batch, rows []recordRow, crows []*changeRow) ([]int64, error) {
	steps := make([]step, 0, len(b.Writes)+len(b.Reads))
	for i := range b.Writes {
		steps = append(steps, step{write: i})
	}
	for i := range b.Reads {
		steps = append(steps, step{write: -1, read: &b.Reads[i]})
	}
	if s.d.lockFirst() {
		// Stable: the writes of one record keep their order.
		slices.SortStableFunc(steps, func(x, y step) int {
			return bytes.Compare(s.stepID(b, x), s.stepID(b, y))
		})
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.commitError(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for _, st := range steps {
		if st.read != nil {
			v, ok, err := s.d.version(ctx, tx, st.read.ID)
			if err != nil {
				return nil, s.commitError(err)
			}
			if !ok || v != st.read.Version {
				return nil, &lifecycle.StaleReadError{ID: st.read.ID, Read: st.read.Version, Stored: v}
			}
			continue
		}
		w, r := b.Writes[st.write], &rows[st.write]
		if w.Expect == 0 {
			created, err := s.d.createRow(ctx, tx, r)
			if err != nil {
				return nil, s.commitError(err)
			}
			if !created {
				return nil, fmt.Errorf("%s %s: %w", r.kind, r.id, lifecycle.ErrExists)
			}
			continue
		}
		updated, err := s.d.updateRow(ctx, tx, r, w.Expect)
		if err != nil {
			return nil, s.commitError(err)
		}
		if !updated {
			v, ok, err := s.d.version(ctx, tx, r.id)
			switch {
			case err != nil:
				return nil, s.commitError(err)
			case !ok:
				return nil, fmt.Errorf("%s %s: %w", r.kind, r.id, lifecycle.ErrNotFound)
			}
			return nil, fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.kind, r.number, v, w.Expect, lifecycle.ErrConflict)
		}
	}
	seqs := make([]int64, len(b.Writes))
	for i, c := range crows {
		if c == nil {
			continue
		}
		if seqs[i], err = s.d.appendChange(ctx, tx, c); err != nil {
			return nil, s.commitError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, s.commitError(err)
	}
	return seqs, nil
}

func (s *Store) stepID(b lifecycle.Batch, st step) []byte {
	if st.read != nil {
		return st.read.ID[:]
	}
	id := b.Writes[st.write].Entity.Base().ID
	return id[:]
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
		case "22P05", "22021":
			return &itil.ValidationError{Field: "record", Reason: "holds text the database cannot store (a NUL character or bytes that are not UTF-8)"}
		}
	}
	return fmt.Errorf("sqlstore: commit: %w", err)
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
