package main

import (
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
)

// update is accepted so that "go test -update ./..." runs here too; the
// bridge has no golden files.
var _ = flag.Bool("update", false, "rewrite golden files (none here)")

const secret = "s3cret"

// newTestBridge serves a bridge whose groups wait wait before their
// incident opens.
func newTestBridge(t *testing.T, wait time.Duration) (*bridge, *httptest.Server) {
	t.Helper()
	b, err := newBridge(Config{Secret: secret, Logger: slog.New(slog.DiscardHandler), GroupWait: wait})
	require.NoError(t, err)
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return b, srv
}

func post(t *testing.T, url, token, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func incidents(t *testing.T, srv *httptest.Server) []incident.Incident {
	t.Helper()
	resp, err := http.Get(srv.URL + "/incidents")
	require.NoError(t, err)
	defer resp.Body.Close()
	var out []incident.Incident
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// alertmanager is a version 4 webhook with one alert of status status.
func alertmanager(status string) string {
	return `{"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","truncatedAlerts":0,"status":"` + status + `",
	"receiver":"itil","groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency","service":"shop"},
	"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
	"alerts":[{"status":"` + status + `","labels":{"alertname":"HighLatency","instance":"web-1:9100","severity":"critical","service":"shop"},
	 "annotations":{"summary":"p99 latency above 2s"},"startsAt":"2026-03-02T09:58:00Z",
	 "endsAt":"` + map[string]string{"firing": "0001-01-01T00:00:00Z", "resolved": "2026-03-02T10:09:00Z"}[status] + `",
	 "generatorURL":"http://prometheus:9090/graph","fingerprint":"a1b2c3d4e5f60718"}]}`
}

func TestAlertmanager(t *testing.T) {
	t.Parallel()
	b, srv := newTestBridge(t, 0)

	assert.Equal(t, http.StatusUnauthorized, post(t, srv.URL+"/alertmanager", "", alertmanager("firing")))
	assert.Equal(t, http.StatusForbidden, post(t, srv.URL+"/alertmanager", "wrong", alertmanager("firing")))
	assert.Empty(t, incidents(t, srv))

	require.Equal(t, http.StatusAccepted, post(t, srv.URL+"/alertmanager", secret, alertmanager("firing")))
	assert.Empty(t, incidents(t, srv), "the group waits 30s for the rest of its outage")
	rep, err := b.engine.Sweep(t.Context(), time.Now().Add(31*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Linked)
	incs := incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Equal(t, "P1", incs[0].Priority.String())
	assert.Contains(t, incs[0].Title, "p99 latency above 2s")
	assert.True(t, incs[0].Open())

	require.Equal(t, http.StatusAccepted, post(t, srv.URL+"/alertmanager", secret, alertmanager("resolved")))
	incs = incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Equal(t, incident.StateResolved, incs[0].State)
}

func TestPagerDuty(t *testing.T) {
	t.Parallel()
	_, srv := newTestBridge(t, -1)
	trigger := `{"routing_key":"R0123456789ABCDEF0123456789ABCDE","event_action":"trigger","dedup_key":"srv01/disk",
		"payload":{"summary":"Disk almost full on srv01","source":"srv01.example.com","severity":"error","class":"disk_used"}}`
	resolve := `{"routing_key":"R0123456789ABCDEF0123456789ABCDE","event_action":"resolve","dedup_key":"srv01/disk"}`

	var bad struct{ Status, Message, Field string }
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/pagerduty",
		strings.NewReader(`{"routing_key":"R1","event_action":"trigger","payload":{"source":"y","severity":"critical"}}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&bad))
	resp.Body.Close()
	assert.Equal(t, "payload.summary", bad.Field)
	assert.Equal(t, "invalid event", bad.Status, "PagerDuty's error shape")

	require.Equal(t, http.StatusAccepted, post(t, srv.URL+"/pagerduty", secret, trigger))
	incs := incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Contains(t, incs[0].Title, "Disk almost full on srv01")
	assert.True(t, incs[0].Open())

	require.Equal(t, http.StatusAccepted, post(t, srv.URL+"/v2/enqueue", secret, resolve))
	incs = incidents(t, srv)
	require.Len(t, incs, 1)
	assert.Equal(t, incident.StateResolved, incs[0].State)
}

func TestNeedsSecret(t *testing.T) {
	t.Parallel()
	_, err := newBridge(Config{})
	assert.ErrorContains(t, err, "secret is required")
	assert.ErrorContains(t, run(t.Context(), "0.0.0.0:9094", Config{Secret: secret}), "loopback")
}
