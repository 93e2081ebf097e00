package event_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/memstore"
)

const (
	benchKeys   = 10_000
	benchStream = 10 * benchKeys // every key ten times: 90% duplicates
)

// benchEvents returns a decoded stream of benchStream events over
// benchKeys dedup keys in random order, each key's first event opening its
// alert and the other nine folding into it. Each event is its own value, as
// if decoded from its own request: its label map is its own, allocated in
// stream order (bench/alertmanager gives each Alertmanager alert its own
// label set the same way); the strings are shared.
func benchEvents() []event.Event {
	r := rand.New(rand.NewPCG(1, 2))
	base := make([]event.Event, benchKeys)
	for i := range base {
		env := "prod"
		if i%100 == 0 {
			env = "staging" // the maintenance window matches these
		}
		base[i] = event.Event{
			Source: "prometheus", Node: fmt.Sprintf("node-%d", i/10), Check: fmt.Sprintf("check-%d", i%10),
			DedupKey: fmt.Sprintf("fp-%08x", i), Severity: event.SeverityWarning + event.Severity(i%3),
			Message: "threshold crossed",
			Labels:  map[string]string{"service": fmt.Sprintf("svc-%d", i%50), "env": env, "alertname": "HighLatency"},
		}
	}
	out := make([]event.Event, 0, benchStream)
	for range 10 {
		out = append(out, base...)
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	for i := range out {
		out[i].Labels = maps.Clone(out[i].Labels)
	}
	return out
}

func benchEngine(b *testing.B) *event.Engine {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	e, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{
		Correlation: []event.CorrelationRule{{Name: "by-service", By: []string{"service"}, Window: 5 * time.Minute}},
		Maintenance: []event.MaintenanceWindow{{Name: "staging-upgrade", Start: now.Add(-time.Hour), End: now.Add(24 * 365 * time.Hour),
			Labels: map[string]string{"env": "staging"}}},
		Inhibit: []event.InhibitRule{{Name: "cluster-down", Source: map[string]string{"alertname": "ClusterDown"},
			Target: map[string]string{"env": "prod"}, Equal: []string{"service"}}},
	})
	require.NoError(b, err)
	return e
}

// BenchmarkIngest ingests a decoded stream of 10,000 dedup keys with 90%
// duplicates, one event per op, with a correlation rule, an inhibition rule
// and a maintenance window active, cycling over the stream on one engine.
// One untimed pass opens the 10,000 alerts first, so that the result does
// not depend on b.N: it measures the hot path, events folding into open
// alerts. BenchmarkIngestFresh measures the stream as it first arrives.
func BenchmarkIngest(b *testing.B) { benchIngest(b, false) }

// BenchmarkIngestFresh is BenchmarkIngest with a fresh engine for every
// pass over the stream, so that one event in ten opens (and persists) an
// alert.
func BenchmarkIngestFresh(b *testing.B) { benchIngest(b, true) }

func benchIngest(b *testing.B, fresh bool) {
	ctx := context.Background()
	events := benchEvents()
	e := benchEngine(b)
	if !fresh {
		for i := range events {
			require.NoError(b, e.Ingest(ctx, events[i]))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i == len(events) {
			i = 0
			if fresh {
				b.StopTimer()
				e = benchEngine(b)
				b.StartTimer()
			}
		}
		if err := e.Ingest(ctx, events[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestBatch is BenchmarkIngest with the stream handed over 64
// events per Ingest call, as a webhook carries several alerts (Alertmanager
// sends a group's alerts together): one op is one event, as in
// BenchmarkIngest, so that the two compare per event.
func BenchmarkIngestBatch(b *testing.B) {
	const batch = 64
	ctx := context.Background()
	events := benchEvents()
	events = events[:len(events)/batch*batch]
	e := benchEngine(b)
	for i := range events {
		require.NoError(b, e.Ingest(ctx, events[i]))
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; n < b.N; i = (i + batch) % len(events) {
		k := min(batch, b.N-n)
		if err := e.Ingest(ctx, events[i:i+k]...); err != nil {
			b.Fatal(err)
		}
		n += k
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestParallel is BenchmarkIngest from all Ps at once, over one
// engine.
func BenchmarkIngestParallel(b *testing.B) {
	ctx := context.Background()
	events := benchEvents()
	e := benchEngine(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var seq int64
	b.RunParallel(func(pb *testing.PB) {
		i := int(atomic.AddInt64(&seq, 1) * 7919 % int64(len(events)))
		for pb.Next() {
			if err := e.Ingest(ctx, events[i]); err != nil {
				b.Error(err)
				return
			}
			if i++; i == len(events) {
				i = 0
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// stormGroups is how many new groups BenchmarkIngestStorm raises before it
// starts again on a new store.
const stormGroups = 10_000

// BenchmarkIngestStorm is a storm of new groups: each op ingests the first
// event of a new dedup key, in a group of its own, whose incident the
// engine raises at once on an incident desk over the same memstore. The
// stores start again every stormGroups groups, untimed; incidents/s is
// what one goroutine sustains.
func BenchmarkIngestStorm(b *testing.B) {
	ctx := context.Background()
	newEngine := func() *event.Engine {
		st := memstore.New(memstore.Config{})
		desk, err := incident.NewDesk(st, incident.Config{})
		require.NoError(b, err)
		e, err := event.NewEngine(st, event.Config{Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1}})
		require.NoError(b, err)
		require.NoError(b, e.Start(ctx))
		return e
	}
	e, n := newEngine(), 0
	b.ReportAllocs()
	for b.Loop() {
		if n == stormGroups {
			b.StopTimer()
			e, n = newEngine(), 0
			b.StartTimer()
		}
		ev := event.Event{Source: "prometheus", Node: "node-" + strconv.Itoa(n), Check: "down",
			Severity: event.SeverityCritical, Message: "node down"}
		if err := e.Ingest(ctx, ev); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
}

// BenchmarkOpenAlertHeap reports B/alert, the heap that 100,000 open
// alerts hold after a garbage collection: the engine's alerts, the stored
// records and their journals, on memstore. An op opens one alert.
func BenchmarkOpenAlertHeap(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	open := func(e *event.Engine, i int) {
		ev := event.Event{Source: "prometheus", Node: "node-" + strconv.Itoa(i), Check: "disk",
			Severity: event.SeverityWarning, Message: "disk filling", Labels: map[string]string{"service": "svc-" + strconv.Itoa(i%50)}}
		if err := e.Ingest(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	newEngine := func() *event.Engine {
		e, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{})
		require.NoError(b, err)
		require.NoError(b, e.Start(ctx))
		return e
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e := newEngine()
	for i := range n {
		open(e, i)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(e)
	perAlert := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / n

	e, i := newEngine(), 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if i == n {
			b.StopTimer()
			e, i = newEngine(), 0
			b.StartTimer()
		}
		open(e, i)
		i++
	}
	b.ReportMetric(perAlert, "B/alert")
}

// webhookBody is an Alertmanager webhook of n firing alerts of one group,
// as its webhook notifier encodes them (bench/alertmanager records the
// real notifier's bodies).
func webhookBody(n int) []byte {
	var b []byte
	b = append(b, `{"receiver":"itil","status":"firing","alerts":[`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"status":"firing","labels":{"alertname":"HighLatency","env":"prod","instance":"web-%d:9100","job":"node","service":"shop","severity":"critical"},`+
			`"annotations":{"summary":"p99 latency above 2s on web-%d","description":"p99 is 2.4s"},"startsAt":"2026-03-02T09:58:00Z","endsAt":"0001-01-01T00:00:00Z",`+
			`"generatorURL":"http://prometheus.example:9090/graph?g0.expr=latency","fingerprint":"%016x"}`, i, i, i)
	}
	b = append(b, `],"groupLabels":{"service":"shop"},"commonLabels":{"alertname":"HighLatency","job":"node","service":"shop"},"commonAnnotations":{},`+
		`"externalURL":"http://alertmanager.example:9093","version":"4","groupKey":"{}:{service=\"shop\"}","truncatedAlerts":0}`...)
	return b
}

// BenchmarkDecodeAlertmanager decodes a webhook of 100 alerts with
// DecodeAlertmanager ("decode") and, as its baseline, with one
// json.Unmarshal into plain structs of the same fields ("unmarshal"),
// which checks nothing and keeps no alert's JSON. Both report ns per
// alert.
func BenchmarkDecodeAlertmanager(b *testing.B) {
	const n = 100
	body := webhookBody(n)
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := event.DecodeAlertmanager(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/alert")
	})
	b.Run("unmarshal", func(b *testing.B) {
		type alert struct {
			Status, StartsAt, EndsAt, GeneratorURL, Fingerprint string
			Labels, Annotations                                 map[string]string
		}
		var p struct {
			Version, GroupKey, Status, Receiver, ExternalURL string
			TruncatedAlerts                                  int
			GroupLabels, CommonLabels, CommonAnnotations     map[string]string
			Alerts                                           []alert
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			p.Alerts = nil
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/alert")
	})
}
