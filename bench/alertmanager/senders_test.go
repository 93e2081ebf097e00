package alertmanager_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/alert"
	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/notify"
	"github.com/prometheus/alertmanager/notify/pagerduty"
	"github.com/prometheus/alertmanager/notify/webhook"
	"github.com/prometheus/alertmanager/template"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var update = flag.Bool("update", false, "rewrite the captured sender bodies in ../../examples/alertbridge/testdata")

// goldenDir holds the bodies Alertmanager's notifiers send, which the
// alertbridge example's tests (root module) replay.
const goldenDir = "../../examples/alertbridge/testdata"

const senderSecret = "s3cret"

// The alerts' fixed times. Alertmanager sends a firing alert's endsAt as
// the zero time (template.Data resolves it so), so no time in the bodies
// varies per run; golden still replaces a firing alert's endsAt of this
// run (an hour ahead) by goldenEndsAt, should a later version send it.
var (
	startsAt     = time.Date(2026, 3, 2, 9, 58, 0, 0, time.UTC)
	resolvedAt   = time.Date(2026, 3, 2, 10, 9, 0, 0, time.UTC)
	goldenEndsAt = "2026-03-02T11:00:00Z"
)

// sink is an event engine with an incident desk behind the event
// package's handlers, served over HTTP; it keeps the bodies it was sent.
type sink struct {
	engine *event.Engine
	desk   *incident.Desk
	srv    *httptest.Server

	mu     sync.Mutex
	bodies [][]byte
	codes  []int
}

func newSink(t *testing.T) *sink {
	t.Helper()
	st := memstore.New(memstore.Config{})
	logger := slog.New(slog.DiscardHandler)
	desk, err := incident.NewDesk(st, incident.Config{Logger: logger})
	require.NoError(t, err)
	engine, err := event.NewEngine(st, event.Config{Logger: logger,
		Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1}})
	require.NoError(t, err)
	s := &sink{engine: engine, desk: desk}
	hc := event.HandlerConfig{Secret: senderSecret, Logger: logger}
	mux := http.NewServeMux()
	mux.Handle("/alertmanager", event.AlertmanagerHandler(engine, hc))
	mux.Handle("/v2/enqueue", event.PagerDutyHandler(engine, hc))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.codes = append(s.codes, rec.Code)
		s.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// last returns the last body the sink was sent and its answer's status.
func (s *sink) last(t *testing.T) ([]byte, int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NotEmpty(t, s.bodies, "the notifier sent nothing")
	return s.bodies[len(s.bodies)-1], s.codes[len(s.codes)-1]
}

// incidents returns the desk's incidents, oldest first.
func (s *sink) incidents(t *testing.T) []*incident.Incident {
	t.Helper()
	var out []*incident.Incident
	for inc, err := range s.desk.Find(t.Context(), incident.Query{}) {
		require.NoError(t, err)
		out = append(out, inc)
	}
	return out
}

// alerts returns the engine's open alerts by dedup key.
func (s *sink) alerts(t *testing.T) map[string]*event.Alert {
	t.Helper()
	out := map[string]*event.Alert{}
	for a, err := range s.engine.Alerts(t.Context()) {
		require.NoError(t, err)
		out[a.DedupKey] = a
	}
	return out
}

// receiver loads an alertmanager.yml whose one receiver is conf (the YAML
// of its notifier list, with %s for the sink's URL), as Alertmanager loads
// it, so that its defaults apply, and returns the config, the template
// Alertmanager would render with, and the route's key.
func receiver(t *testing.T, sinkURL, conf string) (*config.Config, *template.Template, string) {
	t.Helper()
	yml := "route:\n  receiver: itil\n  group_by: [alertname, service]\nreceivers:\n  - name: itil\n" +
		strings.ReplaceAll(conf, "%s", sinkURL)
	cfg, err := config.Load(yml)
	require.NoError(t, err, yml)
	tmpl, err := template.FromGlobs(nil)
	require.NoError(t, err)
	tmpl.ExternalURL, err = url.Parse("http://alertmanager.example:9093")
	require.NoError(t, err)
	return cfg, tmpl, dispatch.NewRoute(cfg.Route, nil).Key()
}

// notifyCtx is the context Alertmanager's dispatcher gives a notifier for
// the group of the alerts' alertname and service labels.
func notifyCtx(t *testing.T, routeKey string, reason notify.NotifyReason, alerts []*alert.Alert) (context.Context, string) {
	t.Helper()
	gl := model.LabelSet{"alertname": alerts[0].Labels["alertname"], "service": alerts[0].Labels["service"]}
	key := routeKey + ":" + gl.String()
	ctx := notify.WithGroupKey(t.Context(), key)
	ctx = notify.WithReceiverName(ctx, "itil")
	ctx = notify.WithGroupLabels(ctx, gl)
	ctx = notify.WithNotificationReason(ctx, reason)
	return ctx, key
}

// groupAlert is one alert of the shop's HighLatency group on instance,
// firing until firingEnds, or resolved when firingEnds is zero.
func groupAlert(instance, severity string, annotations model.LabelSet, firingEnds time.Time) *alert.Alert {
	ls := model.LabelSet{"alertname": "HighLatency", "service": "shop", "instance": model.LabelValue(instance), "job": "node"}
	if severity != "" {
		ls["severity"] = model.LabelValue(severity)
	}
	ends := firingEnds
	if ends.IsZero() {
		ends = resolvedAt
	}
	return &alert.Alert{Alert: model.Alert{Labels: ls, Annotations: annotations, StartsAt: startsAt, EndsAt: ends,
		GeneratorURL: "http://prometheus.example:9090/graph?g0.expr=latency"}, UpdatedAt: startsAt}
}

// firingEnds is the endsAt of a firing alert in this run: within the
// hour, as Alertmanager's resolve_timeout or Prometheus' sends set it.
func firingEnds() time.Time { return time.Now().UTC().Truncate(time.Second).Add(time.Hour) }

// mixedGroup is a firing group of three alerts: critical with a summary,
// warning with only a description, and one without severity label or
// annotations.
func mixedGroup(ends time.Time) []*alert.Alert {
	return []*alert.Alert{
		groupAlert("web-1:9100", "critical", model.LabelSet{"summary": "p99 latency above 2s on web-1", "description": "p99 is 2.4s"}, ends),
		groupAlert("web-2:9100", "warning", model.LabelSet{"description": "p99 latency above 1s on web-2"}, ends),
		groupAlert("web-3:9100", "", nil, ends),
	}
}

// resolvedGroup is mixedGroup resolved.
func resolvedGroup() []*alert.Alert { return mixedGroup(time.Time{}) }

// golden compares body, with this run's endsAt replaced by goldenEndsAt,
// with testdata's name, or rewrites it under -update.
func golden(t *testing.T, name string, body []byte, ends time.Time) {
	t.Helper()
	norm := bytes.ReplaceAll(body, []byte(ends.Format(time.RFC3339Nano)), []byte(goldenEndsAt))
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.WriteFile(path, norm, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to capture it")
	assert.Equal(t, string(want), string(norm), "the notifier no longer sends what %s holds", path)
}

// fingerprint is the fingerprint Alertmanager gives the alert.
func fingerprint(a *alert.Alert) string { return a.Fingerprint().String() }

// TestWebhookSender notifies through Alertmanager's webhook notifier, as
// configured in the alertbridge README, and checks what the event
// package made of each notification.
func TestWebhookSender(t *testing.T) {
	t.Parallel()
	s := newSink(t)
	cfg, tmpl, routeKey := receiver(t, s.srv.URL, `    webhook_configs:
      - url: %s/alertmanager
        http_config:
          authorization:
            type: Bearer
            credentials: `+senderSecret+"\n")
	wc := cfg.Receivers[0].WebhookConfigs[0]
	require.True(t, wc.SendResolved(), "Alertmanager's default")
	n, err := webhook.New(wc, tmpl, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	ends := firingEnds()
	firing := mixedGroup(ends)
	ctx, key := notifyCtx(t, routeKey, notify.ReasonFirstNotification, firing)
	retry, err := n.Notify(ctx, firing...)
	require.NoError(t, err)
	assert.False(t, retry)
	body, code := s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "alertmanager-firing.json", body, ends)

	alerts := s.alerts(t)
	require.Len(t, alerts, 3)
	a1, a2, a3 := alerts[fingerprint(firing[0])], alerts[fingerprint(firing[1])], alerts[fingerprint(firing[2])]
	require.NotNil(t, a1)
	require.NotNil(t, a2)
	require.NotNil(t, a3)
	for _, a := range []*event.Alert{a1, a2, a3} {
		assert.Equal(t, event.AlertmanagerSource, a.Source)
		assert.Equal(t, "HighLatency", a.Check)
		assert.Equal(t, key, a.Last.Group, "the groupKey")
		assert.Equal(t, a1.Group, a.Group, "one correlation group")
		assert.True(t, a.Last.OccurredAt.Equal(startsAt))
	}
	assert.Equal(t, "web-1:9100", a1.Node)
	assert.Equal(t, "p99 latency above 2s on web-1", a1.Message, "summary before description")
	assert.Equal(t, "p99 latency above 1s on web-2", a2.Message, "description without summary")
	assert.Empty(t, a3.Message)
	assert.Equal(t, event.SeverityCritical, a1.Severity)
	assert.Equal(t, event.SeverityWarning, a2.Severity)
	assert.Equal(t, event.SeverityWarning, a3.Severity, "no severity label")
	g, ok := s.engine.Group(a1.Group)
	require.True(t, ok)
	assert.Equal(t, event.SenderGroupRule, g.Rule)
	assert.Equal(t, 3, g.Open)

	incs := s.incidents(t)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.P1, incs[0].Priority)
	assert.ElementsMatch(t, []string{"web-1:9100", "web-2:9100", "web-3:9100"}, incs[0].CIs)
	assert.Equal(t, incs[0].ID, g.Incident.ID)

	// The same group again, as at group_interval: nothing new.
	_, err = n.Notify(ctx, firing...)
	require.NoError(t, err)
	a, err := s.engine.Alert(t.Context(), fingerprint(firing[0]))
	require.NoError(t, err)
	assert.EqualValues(t, 2, a.Count)
	assert.Len(t, s.incidents(t), 1)

	resolved := resolvedGroup()
	ctx, _ = notifyCtx(t, routeKey, notify.ReasonAllAlertsResolved, resolved)
	_, err = n.Notify(ctx, resolved...)
	require.NoError(t, err)
	body, code = s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "alertmanager-resolved.json", body, ends)
	assert.Empty(t, s.alerts(t), "every alert cleared")
	for a, err := range s.engine.Find(t.Context(), event.Query{DedupKey: []string{fingerprint(resolved[0])}}) {
		require.NoError(t, err)
		assert.Equal(t, event.StateClosed, a.State)
		assert.False(t, a.ClearedAt.IsZero())
	}
	incs = s.incidents(t)
	require.Len(t, incs, 1)
	assert.Equal(t, incident.StateResolved, incs[0].State)
}

// TestWebhookSenderTruncated sends a group of five through a receiver with
// max_alerts: 2.
func TestWebhookSenderTruncated(t *testing.T) {
	t.Parallel()
	s := newSink(t)
	cfg, tmpl, routeKey := receiver(t, s.srv.URL, `    webhook_configs:
      - url: %s/alertmanager
        max_alerts: 2
        http_config:
          authorization:
            type: Bearer
            credentials: `+senderSecret+"\n")
	n, err := webhook.New(cfg.Receivers[0].WebhookConfigs[0], tmpl, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ends := firingEnds()
	var group []*alert.Alert
	for i := range 5 {
		group = append(group, groupAlert(fmt.Sprintf("web-%d:9100", i+1), "major",
			model.LabelSet{"summary": model.LabelValue(fmt.Sprintf("p99 latency above 2s on web-%d", i+1))}, ends))
	}
	ctx, _ := notifyCtx(t, routeKey, notify.ReasonFirstNotification, group)
	_, err = n.Notify(ctx, group...)
	require.NoError(t, err)
	body, code := s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "alertmanager-truncated.json", body, ends)

	alerts := s.alerts(t)
	assert.Len(t, alerts, 2, "the first max_alerts only")
	for _, a := range alerts {
		assert.Equal(t, 3, a.Last.Truncated)
		assert.Equal(t, event.SeverityMajor, a.Severity)
	}
	incs := s.incidents(t)
	require.Len(t, incs, 1)
	assert.Contains(t, incs[0].Description, "left 3 alerts of this group out")
	assert.Equal(t, itil.P2, incs[0].Priority, "major: medium impact, high urgency")
}

const routingKey = "R0123456789ABCDEF0123456789ABCDE"

// TestPagerDutySenderDefaults notifies through Alertmanager's PagerDuty
// notifier with nothing but a routing key and the URL: Alertmanager's
// defaults (DefaultPagerdutyConfig, severity "error", the default details)
// say the rest.
func TestPagerDutySenderDefaults(t *testing.T) {
	t.Parallel()
	s := newSink(t)
	cfg, tmpl, routeKey := receiver(t, s.srv.URL, `    pagerduty_configs:
      - routing_key: `+routingKey+`
        url: %s/v2/enqueue
        http_config:
          authorization:
            type: Bearer
            credentials: `+senderSecret+"\n")
	pc := cfg.Receivers[0].PagerdutyConfigs[0]
	assert.Equal(t, pagerduty.DefaultPagerdutyConfig.Client, pc.Client)
	assert.Equal(t, pc.Client, pc.Source, "source defaults to client")
	n, err := pagerduty.New(pc, tmpl, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	ends := firingEnds()
	firing := mixedGroup(ends)
	ctx, key := notifyCtx(t, routeKey, notify.ReasonFirstNotification, firing)
	retry, err := n.Notify(ctx, firing...)
	require.NoError(t, err)
	assert.False(t, retry)
	body, code := s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "pagerduty-default-trigger.json", body, ends)

	alerts := s.alerts(t)
	require.Len(t, alerts, 1, "one PagerDuty alert per Alertmanager group")
	var a *event.Alert
	for _, v := range alerts {
		a = v
	}
	assert.Equal(t, notify.Key(key).Hash(), event.PagerDutyDedupKey(a.Last), "dedup_key: the group key's hash")
	assert.Equal(t, event.PagerDutySource, a.Source)
	assert.Equal(t, "[FIRING:3] HighLatency shop (node)", a.Message, "summary: the default description")
	// Alertmanager's defaults, severity "error" and source "Alertmanager",
	// say less than the firing alerts it lists as JSON in
	// custom_details.firing (see the alertbridge README): the highest
	// listed severity and the first listed instance.
	assert.Equal(t, event.SeverityCritical, a.Severity)
	assert.Equal(t, "web-1:9100", a.Node)
	assert.Equal(t, "web-1:9100,web-2:9100,web-3:9100", a.Labels["instances"])
	assert.Contains(t, a.Labels, "details.firing")
	assert.Equal(t, "3", a.Labels["details.num_firing"])
	assert.Equal(t, "0", a.Labels["details.num_resolved"])
	incs := s.incidents(t)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.P1, incs[0].Priority, "a critical group is a P1")
	assert.Equal(t, []string{"web-1:9100"}, incs[0].CIs)

	resolved := resolvedGroup()
	ctx, _ = notifyCtx(t, routeKey, notify.ReasonAllAlertsResolved, resolved)
	_, err = n.Notify(ctx, resolved...)
	require.NoError(t, err)
	body, code = s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "pagerduty-default-resolve.json", body, ends)
	assert.Empty(t, s.alerts(t))
	incs = s.incidents(t)
	require.Len(t, incs, 1)
	assert.Equal(t, incident.StateResolved, incs[0].State)
}

// TestPagerDutySenderTemplated notifies through a PagerDuty receiver whose
// severity, source, class, component and group are templated and which
// adds custom details.
func TestPagerDutySenderTemplated(t *testing.T) {
	t.Parallel()
	s := newSink(t)
	cfg, tmpl, routeKey := receiver(t, s.srv.URL, `    pagerduty_configs:
      - routing_key: `+routingKey+`
        url: %s/v2/enqueue
        severity: '{{ .CommonLabels.severity }}'
        source: '{{ (index .Alerts 0).Labels.instance }}'
        class: '{{ .CommonLabels.alertname }}'
        component: '{{ .CommonLabels.service }}'
        group: '{{ .CommonLabels.job }}'
        details:
          team: shop
          runbook: 'https://runbooks.example/{{ .CommonLabels.alertname }}'
        http_config:
          authorization:
            type: Bearer
            credentials: `+senderSecret+"\n")
	n, err := pagerduty.New(cfg.Receivers[0].PagerdutyConfigs[0], tmpl, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	ends := firingEnds()
	group := []*alert.Alert{
		groupAlert("db-1:9100", "critical", model.LabelSet{"summary": "replication lag"}, ends),
		groupAlert("db-2:9100", "critical", model.LabelSet{"summary": "replication lag"}, ends),
	}
	ctx, _ := notifyCtx(t, routeKey, notify.ReasonFirstNotification, group)
	_, err = n.Notify(ctx, group...)
	require.NoError(t, err)
	body, code := s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "pagerduty-templated-trigger.json", body, ends)

	alerts := s.alerts(t)
	require.Len(t, alerts, 1)
	var a *event.Alert
	for _, v := range alerts {
		a = v
	}
	assert.Equal(t, event.SeverityCritical, a.Severity, "the templated severity")
	assert.Equal(t, "db-1:9100", a.Node, "payload.source")
	assert.Equal(t, "HighLatency", a.Check, "payload.class")
	assert.Equal(t, "HighLatency", a.Labels["class"])
	assert.Equal(t, "shop", a.Labels["component"])
	assert.Equal(t, "node", a.Labels["group"])
	assert.Equal(t, "shop", a.Labels["details.team"])
	assert.Equal(t, "https://runbooks.example/HighLatency", a.Labels["details.runbook"])
	incs := s.incidents(t)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.P1, incs[0].Priority)
	assert.Equal(t, []string{"db-1:9100"}, incs[0].CIs)

	// A group of mixed severities has no common severity: the template
	// renders "", which the notifier sends as it is.
	mixed := mixedGroup(ends)
	ctx, _ = notifyCtx(t, routeKey, notify.ReasonFirstNotification, mixed)
	_, err = n.Notify(ctx, mixed...)
	require.NoError(t, err)
	body, code = s.last(t)
	assert.Equal(t, http.StatusAccepted, code)
	golden(t, "pagerduty-templated-empty-severity.json", body, ends)
	assert.Contains(t, string(body), `"severity":""`)
	alerts = s.alerts(t)
	require.Len(t, alerts, 1, "the same group: the same dedup_key")
	for _, a := range alerts {
		assert.Equal(t, event.SeverityWarning, a.Severity, "an empty severity is taken as warning")
		assert.Equal(t, "db-1:9100", a.Node, "an alert keeps the node of its first event")
		assert.Equal(t, "web-1:9100", a.Last.Node)
		assert.EqualValues(t, 2, a.Count)
	}
}
