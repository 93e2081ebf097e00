package cluster_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/event/cluster"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func TestConfigIsChecked(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	_, js := connect(t, s)
	st := memstore.New(memstore.Config{})
	cases := []struct {
		field string
		cfg   cluster.Config
	}{
		{"JetStream", cluster.Config{Store: st}},
		{"Store", cluster.Config{JetStream: js}},
		{"Engine.Resume", cluster.Config{JetStream: js, Store: st, Engine: event.Config{Resume: func(*event.Alert) bool { return true }}}},
		{"Partitions", cluster.Config{JetStream: js, Store: st, Partitions: cluster.MaxPartitions + 1}},
		{"Partitions", cluster.Config{JetStream: js, Store: st, Partitions: -1}},
		{"Batch", cluster.Config{JetStream: js, Store: st, Batch: -1}},
		{"AckWait", cluster.Config{JetStream: js, Store: st, AckWait: time.Millisecond}},
		{"Stream", cluster.Config{JetStream: js, Store: st, Stream: "a.b"}},
		{"Subject", cluster.Config{JetStream: js, Store: st, Subject: "events.*"}},
		{"Subject", cluster.Config{JetStream: js, Store: st, Subject: "events."}},
		{"Group", cluster.Config{JetStream: js, Store: st, Group: "a b"}},
		{"DeadLetter", cluster.Config{JetStream: js, Store: st, Subject: "x", DeadLetter: "x"}},
		{"Preferred[1]", cluster.Config{JetStream: js, Store: st, Partitions: 4, Preferred: []int{0, 4}}},
		{"Preferred[1]", cluster.Config{JetStream: js, Store: st, Partitions: 4, Preferred: []int{2, 2}}},
	}
	for _, c := range cases {
		_, err := cluster.New(c.cfg)
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, c.field) {
			assert.Equal(t, c.field, ve.Field)
		}
	}
	_, err := cluster.New(cluster.Config{JetStream: js, Store: st, Engine: event.Config{ClearAfter: -time.Second}})
	assert.ErrorIs(t, err, itil.ErrInvalid, "the engine's config is checked too")
}

func TestIngestRefusesBadEventsWhole(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	_, js := connect(t, s)
	h, err := cluster.New(cluster.Config{JetStream: js, Store: memstore.New(memstore.Config{}), Partitions: 2})
	require.NoError(t, err)
	require.NoError(t, h.Setup(t.Context(), 1))
	err = h.Ingest(t.Context(), event.Event{Source: "a", Node: "n", Severity: event.SeverityMajor}, event.Event{Source: "a"})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events[1].severity", ve.Field)
	assert.Zero(t, h.Stats().Published, "nothing published")
}

func TestDeadLettersDoNotBlockThePartition(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	nc, js := connect(t, s)
	st := memstore.New(memstore.Config{})
	h, err := cluster.New(cluster.Config{JetStream: js, Store: st, Partitions: 1, Logger: testLogger()})
	require.NoError(t, err)
	require.NoError(t, h.Setup(t.Context(), 1))
	dead, err := nc.SubscribeSync("itil.events.dead")
	require.NoError(t, err)
	require.NoError(t, h.Start(t.Context()))
	t.Cleanup(func() { _ = h.Stop(t.Context()) })

	_, err = js.Publish(t.Context(), "0.itil.events", []byte(`{"source": "x", "severity": "major", "colour": "red"}`))
	require.NoError(t, err)
	_, err = js.Publish(t.Context(), "0.itil.events", []byte(`not json`))
	require.NoError(t, err)
	require.NoError(t, h.Ingest(t.Context(), event.Event{Source: "prom", Node: "web-1", Check: "http", Severity: event.SeverityMajor}))

	var reasons []string
	for range 2 {
		m, err := dead.NextMsg(30 * time.Second)
		require.NoError(t, err)
		assert.Equal(t, "0.itil.events", m.Header.Get(cluster.HeaderSubject))
		assert.NotEmpty(t, m.Header.Get(cluster.HeaderSequence))
		reasons = append(reasons, m.Header.Get(cluster.HeaderError))
	}
	assert.Contains(t, reasons[0], "colour")
	assert.Contains(t, reasons[1], "not an event")
	waitFor(t, func() bool {
		for a, err := range h.Find(t.Context(), event.Query{DedupKey: []string{"prom/web-1/http"}}) {
			return err == nil && a.Open()
		}
		return false
	})
	assert.Equal(t, int64(2), h.Stats().DeadLetters)
}

// waitFor waits, bounded by the test's deadline, until ok holds.
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for !ok() {
		select {
		case <-t.Context().Done():
			t.Fatal("the condition did not come true before the test's deadline")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
