// Package alertmanager_test compares event ingest with Prometheus
// Alertmanager's in-memory alert store and dispatcher on one stream, in one
// test binary. See README.md.
package alertmanager_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/alert"
	"github.com/prometheus/alertmanager/config"
	amcommoncfg "github.com/prometheus/alertmanager/config/common"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/eventrecorder"
	"github.com/prometheus/alertmanager/featurecontrol"
	"github.com/prometheus/alertmanager/inhibit"
	"github.com/prometheus/alertmanager/marker"
	"github.com/prometheus/alertmanager/notify"
	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/alertmanager/provider/mem"
	"github.com/prometheus/alertmanager/silence"
	"github.com/prometheus/alertmanager/silence/silencepb"
	"github.com/prometheus/alertmanager/template"
	"github.com/prometheus/alertmanager/timeinterval"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle/memstore"
)

const (
	benchKeys   = 10_000
	benchStream = 10 * benchKeys // every key ten times: 90% duplicates
)

// shuffled returns benchStream indexes into a base of benchKeys, every
// index ten times, in the order of event/bench_test.go's benchEvents.
func shuffled() []int {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]int, 0, benchStream)
	for range 10 {
		for i := range benchKeys {
			out = append(out, i)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// benchEvents is event/bench_test.go's stream: 10,000 dedup keys, each
// sent ten times in random order, each event with its own label map, as
// each alert of benchAlerts has its own label set.
func benchEvents() []event.Event {
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
	for _, i := range shuffled() {
		ev := base[i]
		ev.Labels = maps.Clone(ev.Labels)
		out = append(out, ev)
	}
	return out
}

// amSeverities are the severity labels of event.SeverityWarning + i%3.
var amSeverities = [3]string{"warning", "minor", "major"}

// benchAlerts is the same stream as Alertmanager alerts: the same labels,
// node and check as labels instance and check, the severity as label
// severity, the message as annotation summary. Each of a key's ten alerts is
// its own value, as if decoded from its own request.
func benchAlerts(now time.Time) []*alert.Alert {
	base := make([]model.LabelSet, benchKeys)
	for i := range base {
		env := "prod"
		if i%100 == 0 {
			env = "staging" // the silence matches these
		}
		base[i] = model.LabelSet{
			"alertname": "HighLatency",
			"service":   model.LabelValue(fmt.Sprintf("svc-%d", i%50)),
			"env":       model.LabelValue(env),
			"instance":  model.LabelValue(fmt.Sprintf("node-%d", i/10)),
			"check":     model.LabelValue(fmt.Sprintf("check-%d", i%10)),
			"severity":  model.LabelValue(amSeverities[i%3]),
		}
	}
	out := make([]*alert.Alert, 0, benchStream)
	for _, i := range shuffled() {
		ls := make(model.LabelSet, len(base[i]))
		for k, v := range base[i] {
			ls[k] = v
		}
		out = append(out, &alert.Alert{
			Alert: model.Alert{
				Labels:       ls,
				Annotations:  model.LabelSet{"summary": "threshold crossed"},
				StartsAt:     now,
				EndsAt:       now.Add(time.Hour),
				GeneratorURL: "http://prometheus:9090/graph",
			},
			UpdatedAt: now,
		})
	}
	return out
}

// benchEngine is event/bench_test.go's engine: one correlation rule, one
// inhibition rule, one maintenance window.
func benchEngine(b testing.TB) *event.Engine {
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

// am is an Alertmanager wired as app/app.go and app/reloader.go wire it,
// without API, cluster or receivers' integrations.
type am struct {
	alerts      *mem.Alerts
	dispatcher  *dispatch.Dispatcher
	inhibitor   *inhibit.Inhibitor
	silencer    *silence.Silencer
	silences    *silence.Silences
	groupMarker marker.GroupMarker
}

func matcher(b testing.TB, name, value string) *labels.Matcher {
	m, err := labels.NewMatcher(labels.MatchEqual, name, value)
	require.NoError(b, err)
	return m
}

// newAM starts the in-memory alert store with the silencer as its callback,
// the inhibitor and the dispatcher subscribed to it. The route groups by
// service (Alertmanager's defaults for group_wait, group_interval and
// repeat_interval); the inhibition rule and the silence are benchEngine's
// inhibition rule and maintenance window. The notification pipeline is
// Alertmanager's (gossip settle, inhibition, time intervals, silences) for one
// receiver without integrations.
func newAM(b testing.TB) *am {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := prometheus.NewRegistry()
	ff := featurecontrol.NoopFlags{}
	rec := eventrecorder.NopRecorder()
	now := time.Now()

	silences, err := silence.New(silence.Options{Retention: 120 * time.Hour, Logger: logger, Metrics: reg, EventRecorder: rec})
	require.NoError(b, err)
	require.NoError(b, silences.Set(ctx, &silencepb.Silence{
		Matchers:  []*silencepb.Matcher{{Type: silencepb.Matcher_EQUAL, Name: "env", Pattern: "staging"}},
		StartsAt:  timestamppb.New(now.Add(-time.Hour)),
		EndsAt:    timestamppb.New(now.Add(24 * 365 * time.Hour)),
		CreatedBy: "bench", Comment: "staging-upgrade",
	}))
	silencer := silence.NewSilencer(silences, logger, rec)

	alerts, err := mem.NewAlerts(ctx, 30*time.Minute, 0, silencer, logger, rec, reg, ff)
	require.NoError(b, err)

	inhibitor := inhibit.NewInhibitor(alerts, []amcommoncfg.InhibitRule{{
		Name:           "cluster-down",
		SourceMatchers: amcommoncfg.Matchers{matcher(b, "alertname", "ClusterDown")},
		TargetMatchers: amcommoncfg.Matchers{matcher(b, "env", "prod")},
		Equal:          []string{"service"},
	}}, logger, rec)

	tmpl, err := template.FromGlobs(nil)
	require.NoError(b, err)
	groupMarker := marker.NewGroupMarker()
	route := dispatch.NewRoute(&config.Route{Receiver: "default", GroupBy: []model.LabelName{"service"}}, nil)
	pipeline := notify.NewPipelineBuilder(reg, ff, rec).New(
		map[string][]notify.Integration{"default": nil},
		func() time.Duration { return 0 },
		inhibitor, silencer, timeinterval.NewIntervener(nil), groupMarker, nil, nil,
	)
	dispatcher := dispatch.NewDispatcher(alerts, route, pipeline, groupMarker,
		func(d time.Duration) time.Duration { return d }, 30*time.Second, nil, logger, rec,
		dispatch.NewDispatcherMetrics(false, reg, ff), tmpl)

	go inhibitor.Run()
	inhibitor.WaitForLoading()
	go dispatcher.Run(now)
	dispatcher.WaitForLoading()

	a := &am{alerts: alerts, dispatcher: dispatcher, inhibitor: inhibitor, silencer: silencer,
		silences: silences, groupMarker: groupMarker}
	b.Cleanup(func() {
		dispatcher.Stop()
		inhibitor.Stop()
		alerts.Close()
	})
	return a
}

// grouped reports the number of alerts in the dispatcher's aggregation
// groups.
func (a *am) grouped(ctx context.Context) (groups, alerts int) {
	gs, _, err := a.dispatcher.Groups(ctx, func(*dispatch.Route) bool { return true },
		func(*alert.Alert, time.Time) bool { return true })
	if err != nil {
		return 0, 0
	}
	for _, g := range gs {
		alerts += len(g.Alerts)
	}
	return len(gs), alerts
}

// BenchmarkAlertmanager puts the stream into Alertmanager's in-memory
// alert store, one alert per op (Put of one alert), with the dispatcher and
// the inhibitor subscribed to the store: each Put looks the alert's
// fingerprint up, stores it (merging applies to overlapping activity
// ranges only, and a key's alerts are equal), calls the silencer's store
// callbacks and hands the alert to the dispatcher (routing, insertion into
// its aggregation group) and to the inhibitor (its source cache). Put
// blocks when a subscriber's channel (200 alerts) is full, so the rate is
// that of the slowest of the caller, the dispatcher and the inhibitor; the
// at most 400 alerts still in those channels when timing stops are not
// waited for. One untimed pass puts the 10,000 alerts first and waits until
// the dispatcher groups them: like event's BenchmarkIngest, it measures the
// hot path.
func BenchmarkAlertmanager(b *testing.B) { benchAM(b, false) }

// BenchmarkAlertmanagerMutes is BenchmarkAlertmanager plus, per alert, the
// decisions event's Ingest makes per event: the alert's validation as
// Alertmanager's API does it before Put, and whether the inhibitor and the
// silencer mute it (which Alertmanager asks when it flushes a group).
func BenchmarkAlertmanagerMutes(b *testing.B) { benchAM(b, true) }

// openAM returns an Alertmanager holding the stream's alerts, grouped by
// the dispatcher.
func openAM(tb testing.TB, alerts []*alert.Alert) *am {
	ctx := context.Background()
	a := newAM(tb)
	require.NoError(tb, a.alerts.Put(ctx, alerts...))
	require.Eventually(tb, func() bool {
		g, n := a.grouped(ctx)
		return g == 50 && n == benchKeys
	}, time.Minute, 10*time.Millisecond)
	return a
}

// TestAlertmanager checks the setup: the dispatcher holds the 10,000
// alerts in 50 groups, the silence mutes the staging alerts (one key in a
// hundred) and nothing is inhibited.
func TestAlertmanager(t *testing.T) {
	ctx := context.Background()
	alerts := benchAlerts(time.Now())
	a := openAM(t, alerts)
	silenced := map[model.Fingerprint]bool{}
	for _, al := range alerts {
		require.NoError(t, al.Validate())
		require.False(t, a.inhibitor.Mutes(ctx, al.Labels))
		muted := a.silencer.Mutes(ctx, al.Labels)
		require.Equal(t, al.Labels["env"] == "staging", muted)
		if muted {
			silenced[al.Fingerprint()] = true
		}
	}
	require.Len(t, silenced, benchKeys/100)
}

func benchAM(b *testing.B, mutes bool) {
	ctx := context.Background()
	alerts := benchAlerts(time.Now())
	a := openAM(b, alerts)
	cycle(b, alerts, func(al *alert.Alert) error {
		if mutes {
			if err := al.Validate(); err != nil {
				return err
			}
		}
		if err := a.alerts.Put(ctx, al); err != nil {
			return err
		}
		if mutes && !a.inhibitor.Mutes(ctx, al.Labels) {
			a.silencer.Mutes(ctx, al.Labels)
		}
		return nil
	})
}

// cycle passes the items to do in turn, one per op, and reports the rate.
func cycle[T any](b *testing.B, items []T, do func(T) error) {
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i == len(items) {
			i = 0
		}
		if err := do(items[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAlertmanagerStore is Put of one alert per op into the in-memory
// alert store alone: no dispatcher, no inhibitor, no silencer callback. It
// is a lower bound for Alertmanager's side, not a comparable setup.
func BenchmarkAlertmanagerStore(b *testing.B) {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	alerts := benchAlerts(time.Now())
	st, err := mem.NewAlerts(ctx, 30*time.Minute, 0, nil, logger, eventrecorder.NopRecorder(), prometheus.NewRegistry(), nil)
	require.NoError(b, err)
	b.Cleanup(st.Close)
	require.NoError(b, st.Put(ctx, alerts...))
	cycle(b, alerts, func(al *alert.Alert) error { return st.Put(ctx, al) })
}

// BenchmarkItil is event's BenchmarkIngest: the stream into an engine with
// one correlation rule, one inhibition rule and one maintenance window, one
// event per op, once its 10,000 alerts are open.
func BenchmarkItil(b *testing.B) {
	ctx := context.Background()
	events := benchEvents()
	e := benchEngine(b)
	for i := range events {
		require.NoError(b, e.Ingest(ctx, events[i]))
	}
	cycle(b, events, func(ev event.Event) error { return e.Ingest(ctx, ev) })
}

// BenchmarkItilParallel is BenchmarkItil from all Ps at once, over one
// engine (event's BenchmarkIngestParallel, with the alerts open first).
// Alertmanager's side runs on
// several goroutines too: the caller of Put, the dispatcher's ingestion
// workers and the inhibitor.
func BenchmarkItilParallel(b *testing.B) {
	ctx := context.Background()
	events := benchEvents()
	e := benchEngine(b)
	for i := range events {
		require.NoError(b, e.Ingest(ctx, events[i]))
	}
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
