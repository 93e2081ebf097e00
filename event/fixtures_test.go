package event_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// clock is a settable clock for the engine and the desk.
type clock = lifecycletest.Clock

func newClock() *clock { return lifecycletest.NewClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) }

type fixture struct {
	ctx    context.Context
	clock  *clock
	store  *memstore.Store
	desk   *incident.Desk
	engine *event.Engine
}

// newFixture returns an engine over memstore with a real incident desk;
// tune edits the config first.
func newFixture(t *testing.T, tune func(*fixture, *event.Config)) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), clock: newClock(), store: memstore.New(memstore.Config{})}
	desk, err := incident.NewDesk(f.store, incident.Config{Now: f.clock.Now})
	require.NoError(t, err)
	f.desk = desk
	cfg := event.Config{Now: f.clock.Now}
	if tune != nil {
		tune(f, &cfg)
	}
	f.engine, err = event.NewEngine(f.store, cfg)
	require.NoError(t, err)
	return f
}

func (f *fixture) ingest(t *testing.T, evs ...event.Event) {
	t.Helper()
	require.NoError(t, f.engine.Ingest(f.ctx, evs...))
}

func (f *fixture) alert(t *testing.T, key string) *event.Alert {
	t.Helper()
	a, err := f.engine.Alert(f.ctx, key)
	require.NoError(t, err)
	return a
}

func (f *fixture) journal(t *testing.T, a *event.Alert) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for c, err := range f.engine.Journal(f.ctx, a.ID) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

func events(chs []lifecycle.Change) []string {
	out := make([]string, len(chs))
	for i, c := range chs {
		out[i] = c.Event
	}
	return out
}

func web(sev event.Severity) event.Event {
	return event.Event{Source: "nagios", Node: "web-1", Check: "http", Severity: sev, Message: "HTTP " + sev.String(),
		Labels: map[string]string{"service": "shop"}}
}
