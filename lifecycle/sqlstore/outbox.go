package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// defaultClaimLimit is the batch a Claim with no positive limit returns.
const defaultClaimLimit = 100

// Claim implements lifecycle.Outbox. The lease is taken, renewed or
// refused in one conditional upsert of the consumer's row, so two holders
// that claim at once cannot both win; a live lease of another holder yields
// an error wrapping lifecycle.ErrLeased. Leases are measured with
// Config.Now.
func (s *Store) Claim(ctx context.Context, consumer, holder string, limit int, lease time.Duration) ([]lifecycle.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if consumer == "" || holder == "" {
		return nil, requireConsumer(consumer, holder)
	}
	if limit <= 0 {
		limit = defaultClaimLimit
	}
	now := s.now()
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return nil, err
	}
	chs, held, err := s.d.claim(ctx, s.db, consumer, holder, limit, now.UnixNano(), now.Add(lease).UnixNano())
	unlock()
	switch {
	case err != nil:
		return nil, fmt.Errorf("sqlstore: claim %q: %w", consumer, err)
	case !held:
		return nil, fmt.Errorf("consumer %q held by %q: %w", consumer, s.holder(ctx, consumer), lifecycle.ErrLeased)
	}
	return chs, nil
}

// Ack implements lifecycle.Outbox: it moves the consumer's cursor to seq
// (never back) and keeps the lease. It returns an error wrapping
// lifecycle.ErrLeased when holder's lease is not live.
func (s *Store) Ack(ctx context.Context, consumer, holder string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now().UnixNano()
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	ok, err := s.d.ack(ctx, s.db, consumer, holder, seq, now)
	unlock()
	switch {
	case err != nil:
		return fmt.Errorf("sqlstore: ack %q: %w", consumer, err)
	case ok:
		return nil
	}
	// Tell why: the lease, or a seq past the end of the log.
	var h string
	var until int64
	err = s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT holder, lease_until FROM itil_consumers WHERE name = %s", s.d.ph(1)),
		consumer).Scan(&h, &until)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && (h != holder || until <= now):
		return fmt.Errorf("consumer %q not held by %q: %w", consumer, holder, lifecycle.ErrLeased)
	case err != nil:
		return fmt.Errorf("sqlstore: ack %q: %w", consumer, err)
	}
	return fmt.Errorf("sqlstore: ack %q: seq %d is past the end of the log", consumer, seq)
}

// Release implements lifecycle.Outbox. Releasing a lease one does not hold
// does nothing.
func (s *Store) Release(ctx context.Context, consumer, holder string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.ExecContext(ctx,
		fmt.Sprintf("UPDATE itil_consumers SET holder = '', lease_until = 0 WHERE name = %s AND holder = %s", s.d.ph(1), s.d.ph(2)),
		consumer, holder)
	if err != nil {
		return fmt.Errorf("sqlstore: release %q: %w", consumer, err)
	}
	return nil
}

// holder returns who holds consumer, for error messages.
func (s *Store) holder(ctx context.Context, consumer string) string {
	var h string
	if err := s.db.QueryRowContext(ctx, "SELECT holder FROM itil_consumers WHERE name = "+s.d.ph(1), consumer).Scan(&h); err != nil {
		return "another holder"
	}
	return h
}

// requireConsumer returns the *itil.ValidationError of a Claim without a
// consumer or a holder, naming the first that is missing.
func requireConsumer(consumer, holder string) error {
	field := "consumer"
	if consumer != "" {
		field = "holder"
	}
	return &itil.ValidationError{Field: field, Reason: "required"}
}
