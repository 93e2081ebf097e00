package event_test

import (
	"context"
	"iter"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// brokenStore fails every write while broken is set.
type brokenStore struct {
	lifecycle.Store
	broken atomic.Bool
}

func (s *brokenStore) Create(ctx context.Context, e lifecycle.Entity, ch *lifecycle.Change) error {
	if s.broken.Load() {
		return errDiskFull
	}
	return s.Store.Create(ctx, e, ch)
}

func (s *brokenStore) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if s.broken.Load() {
		return errDiskFull
	}
	return s.Store.Update(ctx, e, expect, ch)
}

func (s *brokenStore) Commit(ctx context.Context, b lifecycle.Batch) error {
	if s.broken.Load() {
		return errDiskFull
	}
	return s.Store.Commit(ctx, b)
}

// TestCancelledIngestCountsNothing: Ingest on a context that has ended
// returns its error and applies, writes and counts nothing.
func TestCancelledIngestCountsNothing(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		h := newHost(t, db.Host(t), newClock(), nil, nil)
		require.NoError(t, h.engine.Ingest(t.Context(), crit("web-1")))
		before, log := h.engine.Stats(), logOf(t, h.store)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for _, ev := range []event.Event{crit("web-1"), crit("web-2"), web(event.SeverityOK),
			{Source: "nagios", Node: "web-1", Check: "http", Severity: event.SeverityOK}} {
			require.ErrorIs(t, h.engine.Ingest(ctx, ev), context.Canceled)
		}
		assert.Equal(t, before, h.engine.Stats())
		assert.Equal(t, log, logOf(t, h.store))
		_, err := h.engine.Alert(t.Context(), "nagios/web-2/http")
		require.ErrorIs(t, err, event.ErrNoAlert)
		a, err := h.engine.Alert(t.Context(), "nagios/web-1/http")
		require.NoError(t, err)
		assert.Equal(t, int64(1), a.Count)
	})
}

// TestFailedWriteCountsNothing: an event whose write the store refused is
// neither counted nor applied: the live alert is as it was, so that the
// same event once the store is back writes what it must.
func TestFailedWriteCountsNothing(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		st := &brokenStore{Store: db.Host(t)}
		h := newHost(t, st, newClock(), nil, nil)
		const key = "nagios/web-1/http"
		require.NoError(t, h.engine.Ingest(ctx, web(event.SeverityWarning), web(event.SeverityWarning)))
		stats := h.engine.Stats()
		live, err := h.engine.Alert(ctx, key)
		require.NoError(t, err)

		st.broken.Store(true)
		for name, ev := range map[string]event.Event{
			"open":     crit("web-2"),
			"severity": web(event.SeverityMinor),
			"clear":    web(event.SeverityOK),
			"ack":      {Source: "pd", DedupKey: key, Ack: true},
		} {
			err := h.engine.Ingest(ctx, ev)
			require.ErrorIs(t, err, errDiskFull, name)
			assert.Equal(t, stats, h.engine.Stats(), name)
			now, err := h.engine.Alert(ctx, key)
			require.NoError(t, err, name)
			assert.Equal(t, live, now, name)
		}
		_, err = h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key, By: itil.Actor{ID: "bob"}})
		require.ErrorIs(t, err, errDiskFull)
		_, err = h.engine.Alert(ctx, "nagios/web-2/http")
		require.ErrorIs(t, err, event.ErrNoAlert, "the alert that failed to open is not held")

		st.broken.Store(false)
		require.NoError(t, h.engine.Ingest(ctx, web(event.SeverityMinor)))
		stored, err := h.engine.Get(ctx, live.ID)
		require.NoError(t, err)
		assert.Equal(t, event.SeverityMinor, stored.Severity, "the severity change is written now")
		after := h.engine.Stats()
		assert.Equal(t, stats.Events+1, after.Events)
		assert.Equal(t, stats.Duplicates+1, after.Duplicates)
	})
}

// countingStore counts the calls made to it.
type countingStore struct {
	lifecycle.Store
	calls atomic.Int64
}

func (s *countingStore) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	s.calls.Add(1)
	return s.Store.Get(ctx, id, zero)
}

func (s *countingStore) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	s.calls.Add(1)
	return s.Store.Find(ctx, q)
}

func (s *countingStore) NextNumber(ctx context.Context, prefix string) (int64, error) {
	s.calls.Add(1)
	return s.Store.NextNumber(ctx, prefix)
}

// TestNewEngineDoesNoIO: NewEngine only checks its config; Start, or else
// the first call that needs the alerts, resumes the stored ones.
func TestNewEngineDoesNoIO(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		c := newClock()
		first := newHost(t, db.Host(t), c, nil, nil)
		require.NoError(t, first.engine.Ingest(ctx, crit("web-1"), crit("web-2"), crit("web-3"),
			event.Event{Source: "nagios", Node: "web-3", Check: "http", Severity: event.SeverityOK}))

		st := &countingStore{Store: db.Host(t)}
		e, err := event.NewEngine(st, event.Config{Now: c.Now, Logger: teststores.Quiet})
		require.NoError(t, err)
		assert.Zero(t, st.calls.Load(), "no I/O in the constructor")

		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		require.ErrorIs(t, e.Start(cancelled), context.Canceled)
		require.NoError(t, e.Start(ctx))
		require.NoError(t, e.Start(ctx), "a second Start does nothing")
		assert.Equal(t, int64(2), e.Stats().Restored)

		lazy, err := event.NewEngine(db.Host(t), event.Config{Now: c.Now, Logger: teststores.Quiet})
		require.NoError(t, err)
		a, err := lazy.Alert(ctx, "nagios/web-1/http")
		require.NoError(t, err, "the first use resumes the stored alerts")
		assert.Equal(t, event.StateOpen, a.State)
		require.NoError(t, lazy.Ingest(ctx, crit("web-2")))
		assert.Equal(t, event.Stats{Events: 1, Duplicates: 1, Restored: 2}, lazy.Stats())
	})
}
