package cluster_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/event/cluster"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// benchEvents are n events over 1,000 keys: an outage's alerts, most of
// them repeats.
func benchEvents(n int) []event.Event {
	evs := make([]event.Event, n)
	for i := range evs {
		k := i % 1000
		evs[i] = event.Event{Source: "alertmanager", Node: "node-" + strconv.Itoa(k), Check: "up",
			Severity: event.SeverityMajor, Group: "g" + strconv.Itoa(k/10), Message: "down"}
	}
	return evs
}

// idle waits until no partition of the stream has a message pending or
// unacknowledged.
func idle(b *testing.B, ctx context.Context, js jetstream.JetStream, partitions int) {
	for {
		busy := false
		for p := range partitions {
			c, err := js.Consumer(ctx, "ITIL_EVENTS", "itil-events-p"+strconv.Itoa(p))
			require.NoError(b, err)
			info, err := c.Info(ctx)
			require.NoError(b, err)
			busy = busy || info.NumPending > 0 || info.NumAckPending > 0
		}
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkJetStreamIngest measures events end to end through JetStream:
// published by the hosts in turn in batches of 1,000, applied by the
// partitions' owners, saved and acknowledged; one op is one event. The
// hosts share one memstore and one embedded server on this machine.
func BenchmarkJetStreamIngest(b *testing.B) {
	for _, hosts := range []int{1, 3} {
		b.Run("hosts="+strconv.Itoa(hosts), func(b *testing.B) {
			const partitions = 6
			s := startServer(b)
			st := memstore.New(memstore.Config{})
			var hs []*cluster.Host
			var js jetstream.JetStream
			for i := range hosts {
				_, j := connect(b, s)
				js = j
				var pref []int
				for p := i; p < partitions; p += hosts {
					pref = append(pref, p)
				}
				h, err := cluster.New(cluster.Config{JetStream: j, Store: st, Partitions: partitions,
					Preferred: pref, Logger: testLogger(), Engine: event.Config{Logger: testLogger()}})
				require.NoError(b, err)
				require.NoError(b, h.Setup(b.Context(), 1))
				require.NoError(b, h.Start(b.Context()))
				b.Cleanup(func() { _ = h.Stop(context.Background()) })
				hs = append(hs, h)
			}
			evs := benchEvents(b.N)
			b.ReportAllocs()
			b.ResetTimer()
			const chunk = 1000
			for i, c := 0, 0; i < len(evs); i, c = i+chunk, c+1 {
				require.NoError(b, hs[c%len(hs)].Ingest(b.Context(), evs[i:min(i+chunk, len(evs))]...))
			}
			idle(b, b.Context(), js, partitions)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkIngest is the baseline: the same events into one in-process
// engine on memstore, in calls of 1,000.
func BenchmarkIngest(b *testing.B) {
	e, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{Logger: testLogger()})
	require.NoError(b, err)
	require.NoError(b, e.Start(b.Context()))
	evs := benchEvents(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < len(evs); i += 1000 {
		require.NoError(b, e.Ingest(b.Context(), evs[i:min(i+1000, len(evs))]...))
	}
	_, err = e.Flush(b.Context())
	require.NoError(b, err)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
