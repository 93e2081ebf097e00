package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Claim implements lifecycle.Outbox.
func (s *Store) Claim(ctx context.Context, consumer, holder string, limit int, lease time.Duration) ([]lifecycle.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if consumer == "" || holder == "" {
		return nil, requireConsumer(consumer, holder)
	}
	if limit <= 0 {
		limit = 100
	}
	now := s.now()
	s.logMu.Lock()
	c := s.cursors[consumer]
	if c == nil {
		c = &cursor{}
		s.cursors[consumer] = c
	}
	if other := c.holder; other != "" && other != holder && now.Before(c.until) {
		s.logMu.Unlock()
		return nil, fmt.Errorf("consumer %q held by %q: %w", consumer, other, lifecycle.ErrLeased)
	}
	c.holder, c.until = holder, now.Add(lease)
	first, end := c.seq+1, min(c.seq+int64(limit), s.log.len())
	raws := make([][]byte, 0, end-c.seq)
	for seq := first; seq <= end; seq++ {
		raws = append(raws, s.log.raw(seq))
	}
	s.logMu.Unlock()
	// Writers go on while the claimed changes are decoded.
	out := make([]lifecycle.Change, len(raws))
	for i, raw := range raws {
		var err error
		if out[i], err = decodeAt(raw, first+int64(i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Ack implements lifecycle.Outbox.
func (s *Store) Ack(ctx context.Context, consumer, holder string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	s.logMu.Lock()
	defer s.logMu.Unlock()
	c := s.cursors[consumer]
	if c == nil || c.holder != holder || !now.Before(c.until) {
		return fmt.Errorf("consumer %q not held by %q: %w", consumer, holder, lifecycle.ErrLeased)
	}
	if seq > s.log.len() {
		return &itil.ValidationError{Field: "seq", Reason: fmt.Sprintf("%d is past the end of the log (%d)", seq, s.log.len())}
	}
	if seq > c.seq {
		c.seq = seq
	}
	return nil
}

// Release implements lifecycle.Outbox.
func (s *Store) Release(ctx context.Context, consumer, holder string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if c := s.cursors[consumer]; c != nil && c.holder == holder {
		c.holder, c.until = "", time.Time{}
	}
	return nil
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
