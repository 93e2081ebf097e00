package cluster_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
)

// startServer starts a NATS server with JetStream on 127.0.0.1, on a port
// of its own, keeping its streams in a directory of the test's.
func startServer(t testing.TB) *server.Server {
	t.Helper()
	s, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true,
	})
	require.NoError(t, err)
	go s.Start()
	require.True(t, s.ReadyForConnections(30*time.Second), "the NATS server did not start")
	t.Cleanup(s.Shutdown)
	return s
}

// connect opens a connection to s, closed when the test ends.
func connect(t testing.TB, s *server.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return nc, js
}

// errKilled is what a killed host's store answers.
var errKilled = errors.New("the host is gone")

// mortalStore is a host's connection to the shared store, which dies
// with the host: after kill, every call fails, as the calls of a process
// that was killed never reach the store.
type mortalStore struct {
	lifecycle.Store
	dead atomic.Bool
}

func (m *mortalStore) kill() { m.dead.Store(true) }

func (m *mortalStore) check() error {
	if m.dead.Load() {
		return errKilled
	}
	return nil
}

func (m *mortalStore) NextNumber(ctx context.Context, prefix string) (int64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	return m.Store.NextNumber(ctx, prefix)
}

func (m *mortalStore) Create(ctx context.Context, e lifecycle.Entity, ch *lifecycle.Change) error {
	if err := m.check(); err != nil {
		return err
	}
	return m.Store.Create(ctx, e, ch)
}

func (m *mortalStore) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	return m.Store.Get(ctx, id, zero)
}

func (m *mortalStore) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if err := m.check(); err != nil {
		return err
	}
	return m.Store.Update(ctx, e, expect, ch)
}

func (m *mortalStore) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	if err := m.check(); err != nil {
		return func(yield func(lifecycle.Entity, error) bool) { yield(nil, err) }
	}
	return m.Store.Find(ctx, q)
}

func (m *mortalStore) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error] {
	if err := m.check(); err != nil {
		return func(yield func(lifecycle.Change, error) bool) { yield(lifecycle.Change{}, err) }
	}
	return m.Store.Journal(ctx, id)
}

func (m *mortalStore) Commit(ctx context.Context, b lifecycle.Batch) error {
	if err := m.check(); err != nil {
		return err
	}
	return m.Store.Commit(ctx, b)
}
