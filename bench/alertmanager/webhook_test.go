package alertmanager_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/alert"
	apiv2 "github.com/prometheus/alertmanager/api/v2"
	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/notify/webhook"
	"github.com/prometheus/alertmanager/template"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// webhookSizes are the group sizes of BenchmarkWebhook.
var webhookSizes = []int{1, 10, 100}

// webhookGroup is a group of n alerts of the service shop, as Alertmanager
// holds them: firing, or resolved eleven minutes after they started.
func webhookGroup(n int, resolved bool) []*alert.Alert {
	out := make([]*alert.Alert, n)
	for i := range out {
		ends := time.Time{}
		if resolved {
			ends = resolvedAt
		}
		out[i] = &alert.Alert{Alert: model.Alert{
			Labels: model.LabelSet{"alertname": "HighLatency", "service": "shop", "env": "prod",
				"instance": model.LabelValue(fmt.Sprintf("web-%d:9100", i)), "severity": model.LabelValue(amSeverities[i%3])},
			Annotations:  model.LabelSet{"summary": "p99 latency above 2s"},
			StartsAt:     startsAt,
			EndsAt:       ends,
			GeneratorURL: "http://prometheus.example:9090/graph",
		}, UpdatedAt: startsAt}
	}
	return out
}

// webhookBody is the body Alertmanager's webhook notifier sends for the
// group: its own Message and template data, encoded as it encodes them.
func webhookBody(tb testing.TB, alerts []*alert.Alert) []byte {
	tmpl, err := template.FromGlobs(nil)
	require.NoError(tb, err)
	tmpl.ExternalURL = &url.URL{Scheme: "http", Host: "alertmanager.example:9093"}
	gl := model.LabelSet{"service": "shop"}
	data := tmpl.Data("itil", gl, nil, "first notification", alerts...)
	body, err := json.Marshal(&webhook.Message{Data: data, Version: "4", GroupKey: "{}:" + gl.String()})
	require.NoError(tb, err)
	return body
}

// postableAlert is one alert of POST /api/v2/alerts, as Prometheus sends
// it.
type postableAlert struct {
	Labels       model.LabelSet `json:"labels"`
	Annotations  model.LabelSet `json:"annotations"`
	StartsAt     time.Time      `json:"startsAt"`
	EndsAt       *time.Time     `json:"endsAt,omitempty"`
	GeneratorURL string         `json:"generatorURL"`
}

// apiBody is the group's alerts as a body of POST /api/v2/alerts: a
// firing alert without endsAt (the API gives it resolve_timeout), a
// resolved one with its endsAt.
func apiBody(tb testing.TB, alerts []*alert.Alert) []byte {
	out := make([]postableAlert, len(alerts))
	for i, a := range alerts {
		out[i] = postableAlert{Labels: a.Labels, Annotations: a.Annotations, StartsAt: a.StartsAt, GeneratorURL: a.GeneratorURL}
		if !a.EndsAt.IsZero() {
			out[i].EndsAt = &a.EndsAt
		}
	}
	body, err := json.Marshal(out)
	require.NoError(tb, err)
	return body
}

// amAPI is Alertmanager's API v2 handler over newAM's store, dispatcher,
// inhibitor and silencer, built as api.New builds it and updated with the
// configuration as app/reloader.go does.
func amAPI(tb testing.TB, a *am) http.Handler {
	cfg, err := config.Load("route:\n  receiver: default\n  group_by: [service]\nreceivers:\n  - name: default\n")
	require.NoError(tb, err)
	api, err := apiv2.NewAPI(a.alerts, a.dispatcher.Groups, a.groupMarker.Muted, a.silences, nil,
		slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.NoError(tb, err)
	api.Update(cfg, func(ctx context.Context, ls model.LabelSet) {
		a.inhibitor.Mutes(ctx, ls)
		a.silencer.Mutes(ctx, ls)
	})
	return api.Handler
}

// webhookEngine is an engine with no rules: an Alertmanager group is one
// correlation group.
func webhookEngine(tb testing.TB) *event.Engine {
	e, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(tb, err)
	return e
}

// serve posts body to h as the sender would and reports the status.
func serve(h http.Handler, path string, body []byte) int {
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+senderSecret)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// BenchmarkWebhook posts a group of 1, 10 and 100 alerts per op to
// event.AlertmanagerHandler (the webhook body Alertmanager's notifier
// sends) and to Alertmanager's own POST /api/v2/alerts (the same alerts as
// Prometheus posts them, decoded, validated and Put into the in-memory
// store with the dispatcher and inhibitor subscribed), both through
// ServeHTTP on an httptest.ResponseRecorder with the bodies prepared
// before timing. Mode repeat posts the same firing group every op, as a
// sender repeats a group that still fires: the live set stays the group's
// alerts. Mode flip alternates the firing and the resolved group: every
// op opens or clears every alert of the group, and the engine persists
// each change (its store grows by the closed alerts). It reports ns,
// allocations and bytes per alert; the allocations are the process's,
// the subscribers' goroutines included.
func BenchmarkWebhook(b *testing.B) {
	for _, side := range []string{"itil", "alertmanager"} {
		for _, mode := range []string{"repeat", "flip"} {
			for _, n := range webhookSizes {
				b.Run(fmt.Sprintf("%s/%s/alerts=%d", side, mode, n), func(b *testing.B) {
					firing, resolved := webhookGroup(n, false), webhookGroup(n, true)
					var h http.Handler
					var path string
					var bodies [2][]byte
					if side == "itil" {
						h = event.AlertmanagerHandler(webhookEngine(b), event.HandlerConfig{Secret: senderSecret})
						path, bodies = "/alertmanager", [2][]byte{webhookBody(b, firing), webhookBody(b, resolved)}
					} else {
						h = amAPI(b, newAM(b))
						path, bodies = "/api/v2/alerts", [2][]byte{apiBody(b, firing), apiBody(b, resolved)}
					}
					if mode == "repeat" {
						bodies[1] = bodies[0]
					}
					require.Equal(b, webhookCode(side), serve(h, path, bodies[0]))
					perAlert(b, n, func(i int) {
						if code := serve(h, path, bodies[i&1]); code != webhookCode(side) {
							b.Fatalf("status %d", code)
						}
					})
				})
			}
		}
	}
}

// webhookCode is the status of an accepted post.
func webhookCode(side string) int {
	if side == "itil" {
		return http.StatusAccepted
	}
	return http.StatusOK
}

// perAlert runs do once per op, with the op's index, and reports ns,
// allocations and bytes per alert of an op's n.
func perAlert(b *testing.B, n int, do func(i int)) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		do(i)
		i++
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	alerts := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/alerts, "ns/alert")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/alerts, "allocs/alert")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/alerts, "B/alert")
}

// TestWebhookBench checks BenchmarkWebhook's setup: the webhook bodies
// make the group's alerts in the engine and clear them, and Alertmanager's
// API takes the same alerts into its store and its dispatcher's group.
func TestWebhookBench(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	firing, resolved := webhookGroup(10, false), webhookGroup(10, true)

	e := webhookEngine(t)
	h := event.AlertmanagerHandler(e, event.HandlerConfig{Secret: senderSecret})
	require.Equal(t, http.StatusAccepted, serve(h, "/alertmanager", webhookBody(t, firing)))
	n := 0
	for a, err := range e.Alerts(ctx) {
		require.NoError(t, err)
		assert.Equal(t, "HighLatency", a.Check)
		n++
	}
	assert.Equal(t, 10, n)
	require.Equal(t, http.StatusAccepted, serve(h, "/alertmanager", webhookBody(t, resolved)))
	for a, err := range e.Alerts(ctx) {
		require.NoError(t, err)
		t.Errorf("alert %s still open", a.DedupKey)
	}

	a := newAM(t)
	api := amAPI(t, a)
	r := httptest.NewRequest(http.MethodPost, "/api/v2/alerts", bytes.NewReader(apiBody(t, firing)))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	body, _ := io.ReadAll(w.Result().Body)
	require.Equal(t, http.StatusOK, w.Code, string(body))
	for _, al := range firing {
		got, err := a.alerts.Get(al.Fingerprint())
		require.NoError(t, err)
		assert.False(t, got.Resolved())
	}
	require.Eventually(t, func() bool { g, n := a.grouped(ctx); return g == 1 && n == 10 }, time.Minute, 10*time.Millisecond)
	require.Equal(t, http.StatusOK, serve(api, "/api/v2/alerts", apiBody(t, resolved)))
	got, err := a.alerts.Get(firing[0].Fingerprint())
	require.NoError(t, err)
	assert.True(t, got.Resolved())
}
