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
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cursors[consumer]
	if c == nil {
		c = &cursor{}
		s.cursors[consumer] = c
	}
	if c.holder != "" && c.holder != holder && now.Before(c.until) {
		return nil, fmt.Errorf("consumer %q held by %q: %w", consumer, c.holder, lifecycle.ErrLeased)
	}
	c.holder, c.until = holder, now.Add(lease)
	end := min(int(c.seq)+limit, len(s.log))
	out := make([]lifecycle.Change, 0, end-int(c.seq))
	for _, ch := range s.log[c.seq:end] {
		out = append(out, ch.Clone())
	}
	return out, nil
}

// Ack implements lifecycle.Outbox.
func (s *Store) Ack(ctx context.Context, consumer, holder string, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cursors[consumer]
	if c == nil || c.holder != holder || !now.Before(c.until) {
		return fmt.Errorf("consumer %q not held by %q: %w", consumer, holder, lifecycle.ErrLeased)
	}
	if seq > int64(len(s.log)) {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cursors[consumer]; c != nil && c.holder == holder {
		c.holder, c.until = "", time.Time{}
	}
	return nil
}
