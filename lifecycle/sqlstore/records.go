package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// NextNumber implements lifecycle.Store. The sequence row is incremented
// in its own statement, so a number is never handed out twice, even when
// the write that asked for it fails.
func (s *Store) NextNumber(ctx context.Context, prefix string) (int64, error) {
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	n, err := s.d.nextNumber(ctx, s.db, prefix)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: next number %q: %w", prefix, err)
	}
	return n, nil
}

// Create implements lifecycle.Store. It returns an error wrapping
// lifecycle.ErrExists when the ID is taken. On success it sets ch.Seq.
func (s *Store) Create(ctx context.Context, e lifecycle.Entity, ch *lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := lifecycle.CheckStorable(e, ch, ""); err != nil {
		return err
	}
	r := e.Base()
	if r.ID == uuid.Nil {
		return &itil.ValidationError{Field: "id", Reason: "required"}
	}
	row, err := newRecordRow(e, "")
	if err != nil {
		return err
	}
	crow, err := newChangeRow(ch, "")
	if err != nil {
		return err
	}
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	seq, created, err := s.d.create(ctx, s.db, &row, &crow)
	unlock()
	switch {
	case err != nil:
		if verr := textError(err, ""); verr != nil {
			return verr
		}
		return fmt.Errorf("sqlstore: create %s %s: %w", r.Kind, r.ID, err)
	case !created:
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrExists)
	}
	ch.Seq = seq
	s.wrote()
	return nil
}

// Get implements lifecycle.Store: it decodes the stored record into
// zero(), or returns an error wrapping lifecycle.ErrNotFound.
func (s *Store) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	var body []byte
	err := s.db.QueryRowContext(ctx, "SELECT body FROM itil_records WHERE id = "+s.d.ph(1), s.d.id(id)).Scan(&body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlstore: get %s: %w", id, err)
	}
	return decodeEntity(zero, body)
}

// Update implements lifecycle.Store: compare-and-set on the stored
// version. It returns an error wrapping lifecycle.ErrConflict when the
// stored version is not expect, or lifecycle.ErrNotFound when there is no
// such record; either way nothing is written. On success it sets ch.Seq.
func (s *Store) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := lifecycle.CheckStorable(e, ch, ""); err != nil {
		return err
	}
	r := e.Base()
	row, err := newRecordRow(e, "")
	if err != nil {
		return err
	}
	crow, err := newChangeRow(ch, "")
	if err != nil {
		return err
	}
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	seq, updated, err := s.d.update(ctx, s.db, &row, expect, &crow)
	unlock()
	if err != nil {
		if verr := textError(err, ""); verr != nil {
			return verr
		}
		return fmt.Errorf("sqlstore: update %s %s: %w", r.Kind, r.ID, err)
	}
	if !updated {
		return s.whyNotUpdated(ctx, r, expect)
	}
	ch.Seq = seq
	s.wrote()
	return nil
}

// whyNotUpdated tells a missing record from a stale version after a
// compare-and-set matched no row.
func (s *Store) whyNotUpdated(ctx context.Context, r *lifecycle.Record, expect int64) error {
	var stored int64
	err := s.db.QueryRowContext(ctx, "SELECT version FROM itil_records WHERE id = "+s.d.ph(1), s.d.id(r.ID)).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlstore: update %s %s: %w", r.Kind, r.ID, err)
	}
	return fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.Kind, r.Number, stored, expect, lifecycle.ErrConflict)
}
