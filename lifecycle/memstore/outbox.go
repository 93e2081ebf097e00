package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/itil-go/itil/lifecycle"
)

// Claim implements lifecycle.Outbox.
func (s *Store) Claim(ctx context.Context, consumer, holder string, limit int, lease time.Duration) ([]lifecycle.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if consumer == "" || holder == "" {
		return nil, fmt.Errorf("memstore: claim: consumer and holder are required")
	}
	if limit <= 0 {
		limit = 100
	}
	now := s.now()
	s.logMu.Lock()
	defer s.logMu.Unlock()
	c := s.cursors[consumer]
	if c == nil {
		c = &cursor{}
		s.cursors[consumer] = c
	}
	if c.holder != "" && c.holder != holder && now.Before(c.until) {
		return nil, fmt.Errorf("consumer %q held by %q: %w", consumer, c.holder, lifecycle.ErrLeased)
	}
	c.holder, c.until = holder, now.Add(lease)
	end := min(c.seq+int64(limit), s.log.len())
	out := make([]lifecycle.Change, 0, end-c.seq)
	for seq := c.seq + 1; seq <= end; seq++ {
		ch, err := s.log.at(seq)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
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
		return fmt.Errorf("memstore: ack: seq %d is past the end of the log", seq)
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
