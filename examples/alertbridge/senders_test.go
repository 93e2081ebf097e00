package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
)

// recorded returns a body that Alertmanager's own notifiers sent, kept in
// testdata by the bench/alertmanager module's sender tests (go test
// -update there rewrites them).
func recorded(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// openAlerts returns the bridge's open alerts by node.
func openAlerts(t *testing.T, b *bridge) map[string]*event.Alert {
	t.Helper()
	out := map[string]*event.Alert{}
	for a, err := range b.engine.Alerts(t.Context()) {
		require.NoError(t, err)
		out[a.Node] = a
	}
	return out
}

// TestRecordedWebhook replays what Alertmanager's webhook notifier sends
// for a group of three (one critical with a summary, one warning with only
// a description, one without severity or annotations), then for the group
// resolved, and checks each field the README documents.
func TestRecordedWebhook(t *testing.T) {
	t.Parallel()
	b, srv := newTestBridge(t, -1)
	require.Equal(t, 202, post(t, srv.URL+"/alertmanager", secret, recorded(t, "alertmanager-firing.json")))

	alerts := openAlerts(t, b)
	require.Len(t, alerts, 3)
	web1, web2, web3 := alerts["web-1:9100"], alerts["web-2:9100"], alerts["web-3:9100"]
	require.NotNil(t, web1)
	require.NotNil(t, web2)
	require.NotNil(t, web3)
	for _, a := range alerts {
		assert.Equal(t, "HighLatency", a.Check, "labels.alertname")
		assert.Equal(t, web1.Group, a.Group, "one groupKey, one group")
	}
	assert.Equal(t, "1314ddef3b83fce5", web1.DedupKey, "the fingerprint")
	assert.Equal(t, "p99 latency above 2s on web-1", web1.Message, "annotations.summary")
	assert.Equal(t, "p99 latency above 1s on web-2", web2.Message, "annotations.description without a summary")
	assert.Equal(t, event.SeverityCritical, web1.Severity)
	assert.Equal(t, event.SeverityWarning, web2.Severity)
	assert.Equal(t, event.SeverityWarning, web3.Severity, "no severity label")

	incs := incidents(t, srv)
	require.Len(t, incs, 1, "one group, one incident")
	assert.Equal(t, itil.P1, incs[0].Priority, "the group's most severe alert")
	assert.ElementsMatch(t, []string{"web-1:9100", "web-2:9100", "web-3:9100"}, incs[0].CIs)

	require.Equal(t, 202, post(t, srv.URL+"/alertmanager", secret, recorded(t, "alertmanager-resolved.json")))
	assert.Empty(t, openAlerts(t, b))
	incs = incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Equal(t, incident.StateResolved, incs[0].State)
}

// TestRecordedWebhookTruncated replays a notification of a receiver with
// max_alerts: 2 for a group of five.
func TestRecordedWebhookTruncated(t *testing.T) {
	t.Parallel()
	b, srv := newTestBridge(t, -1)
	require.Equal(t, 202, post(t, srv.URL+"/alertmanager", secret, recorded(t, "alertmanager-truncated.json")))
	assert.Len(t, openAlerts(t, b), 2)
	incs := incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Contains(t, incs[0].Description, "left 3 alerts of this group out")
	assert.Equal(t, itil.P2, incs[0].Priority, "major")
}

// TestRecordedPagerDuty replays what Alertmanager's PagerDuty notifier
// sends with its defaults (severity "error", source "Alertmanager", the
// firing alerts as JSON in custom_details.firing) and then for the group
// resolved; and with templated fields, including a severity that renders
// empty.
func TestRecordedPagerDuty(t *testing.T) {
	t.Parallel()
	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		b, srv := newTestBridge(t, -1)
		require.Equal(t, 202, post(t, srv.URL+"/v2/enqueue", secret, recorded(t, "pagerduty-default-trigger.json")))
		alerts := openAlerts(t, b)
		require.Len(t, alerts, 1, "one PagerDuty alert per Alertmanager group")
		a := alerts["web-1:9100"]
		require.NotNil(t, a, "the first listed instance, not Alertmanager")
		assert.Equal(t, event.SeverityCritical, a.Severity, "the highest listed severity, not the default error")
		assert.Equal(t, "web-1:9100,web-2:9100,web-3:9100", a.Labels["instances"])
		assert.Equal(t, "[FIRING:3] HighLatency shop (node)", a.Message, "payload.summary")
		assert.Equal(t, "3", a.Labels["details.num_firing"])
		incs := incidents(t, srv)
		require.Len(t, incs, 1)
		assert.Equal(t, itil.P1, incs[0].Priority)

		require.Equal(t, 202, post(t, srv.URL+"/v2/enqueue", secret, recorded(t, "pagerduty-default-resolve.json")))
		assert.Empty(t, openAlerts(t, b))
		incs = incidents(t, srv)
		require.Len(t, incs, 1)
		assert.Equal(t, incident.StateResolved, incs[0].State)
	})
	t.Run("templated", func(t *testing.T) {
		t.Parallel()
		b, srv := newTestBridge(t, -1)
		require.Equal(t, 202, post(t, srv.URL+"/v2/enqueue", secret, recorded(t, "pagerduty-templated-trigger.json")))
		a := openAlerts(t, b)["db-1:9100"]
		require.NotNil(t, a, "payload.source")
		assert.Equal(t, event.SeverityCritical, a.Severity)
		assert.Equal(t, "HighLatency", a.Check, "payload.class")
		assert.Equal(t, "shop", a.Labels["component"])
		assert.Equal(t, "node", a.Labels["group"])
		assert.Equal(t, "shop", a.Labels["details.team"])
		assert.Equal(t, "https://runbooks.example/HighLatency", a.Labels["details.runbook"])

		require.Equal(t, 202, post(t, srv.URL+"/v2/enqueue", secret, recorded(t, "pagerduty-templated-empty-severity.json")))
		alerts := openAlerts(t, b)
		require.Len(t, alerts, 1, "the same group, the same dedup_key")
		assert.EqualValues(t, 2, alerts["db-1:9100"].Count)
		assert.Equal(t, event.SeverityWarning, alerts["db-1:9100"].Severity, "an empty severity is taken as warning")
		assert.Len(t, incidents(t, srv), 1)
	})
}
