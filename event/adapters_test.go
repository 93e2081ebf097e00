package event_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestDecodeAlertmanager(t *testing.T) {
	t.Parallel()
	evs, err := event.DecodeAlertmanager(bytes.NewReader(readFile(t, "alertmanager.json")))
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, "a1b2c3d4e5f60718", evs[0].DedupKey)
	assert.Equal(t, "HighLatency", evs[0].Check)
	assert.Equal(t, "web-1:9100", evs[0].Node)
	assert.Equal(t, event.SeverityCritical, evs[0].Severity)
	assert.Equal(t, "p99 latency above 2s", evs[0].Message)
	assert.Equal(t, time.Date(2026, 3, 2, 9, 58, 0, 0, time.UTC), evs[0].OccurredAt)
	assert.Contains(t, string(evs[0].Raw), "a1b2c3d4e5f60718")
	assert.Equal(t, event.SeverityOK, evs[1].Severity)
	assert.Equal(t, time.Date(2026, 3, 2, 9, 59, 0, 0, time.UTC), evs[1].OccurredAt)
}

func TestDecodePagerDuty(t *testing.T) {
	t.Parallel()
	evs, err := event.DecodePagerDuty(bytes.NewReader(readFile(t, "pagerduty.json")))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	ev := evs[0]
	assert.Equal(t, "srv01/disk", event.PagerDutyDedupKey(ev))
	assert.Regexp(t, `^srv01/disk@[0-9a-f]{12}$`, ev.DedupKey, "the routing key's digest names the service")
	assert.Equal(t, event.SeverityMajor, ev.Severity)
	assert.Equal(t, "srv01.example.com", ev.Node)
	assert.Equal(t, map[string]string{"component": "disk", "group": "storage", "class": "disk_used", "details.free": "2%"}, ev.Labels)

	ack, err := event.DecodePagerDuty(strings.NewReader(`{"routing_key":"r","event_action":"acknowledge","dedup_key":"srv01/disk"}`))
	require.NoError(t, err)
	assert.True(t, ack[0].Ack)
	res, err := event.DecodePagerDuty(strings.NewReader(`{"routing_key":"r","event_action":"resolve","dedup_key":"srv01/disk"}`))
	require.NoError(t, err)
	assert.Equal(t, event.SeverityOK, res[0].Severity)
}

func TestDecodeCloudEvents(t *testing.T) {
	t.Parallel()
	evs, err := event.DecodeCloudEvents(bytes.NewReader(readFile(t, "cloudevents.json")))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	ev := evs[0]
	assert.Equal(t, "/monitoring/checks", ev.Source)
	assert.Equal(t, "com.example.check.failed", ev.Check)
	assert.Equal(t, "db-1", ev.Node)
	assert.Equal(t, event.SeverityMajor, ev.Severity)
	assert.Equal(t, "db-1/replication", ev.DedupKey)
	assert.Equal(t, "replication lag 120s", ev.Message)
	assert.Equal(t, map[string]string{"team": "dba"}, ev.Labels)

	batch, err := event.DecodeCloudEvents(strings.NewReader(`[` + string(readFile(t, "cloudevents.json")) + `,{"specversion":"1.0","id":"2","source":"s","type":"t"}]`))
	require.NoError(t, err)
	require.Len(t, batch, 2)
	assert.Equal(t, event.SeverityInfo, batch[1].Severity)
}

// TestAlertmanagerFreeSeverity: severity is a free label in Prometheus
// rules; a value the scale does not know makes a warning, not a refusal
// that would make Alertmanager resend the group forever.
func TestAlertmanagerFreeSeverity(t *testing.T) {
	t.Parallel()
	for label, want := range map[string]event.Severity{
		"none": event.SeverityWarning, "ticket": event.SeverityWarning, "": event.SeverityWarning,
		"critical": event.SeverityCritical, "page": event.SeverityMajor, "info": event.SeverityInfo,
	} {
		body := `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A","severity":"` + label + `"},"fingerprint":"f"}]}`
		evs, err := amDecode(strings.NewReader(body))
		require.NoError(t, err, label)
		require.Len(t, evs, 1)
		assert.Equal(t, want, evs[0].Severity, label)
	}
}

func TestDecodersNameTheField(t *testing.T) {
	t.Parallel()
	am := `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A","severity":"bad"},"fingerprint":"f"}]}`
	for _, tc := range []struct {
		name   string
		decode func(r *strings.Reader) ([]event.Event, error)
		body   string
		field  string
	}{
		{"am version", amDecode, `{"version":"3","status":"firing","alerts":[]}`, "version"},
		{"am status", amDecode, strings.Replace(am, `"status":"firing","labels"`, `"status":"pending","labels"`, 1), "alerts[0].status"},
		{"am fingerprint", amDecode, `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"}}]}`, "alerts[0].fingerprint"},
		{"am type", amDecode, `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":7},"fingerprint":"f"}]}`, "alerts[0].labels"},
		{"am time", amDecode, `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"},"fingerprint":"f","startsAt":"yesterday"}]}`, "alerts[0].startsAt"},
		{"am trailing", amDecode, `{"version":"4"} {}`, "body"},
		{"pd action", pdDecode, `{"routing_key":"r","event_action":"page"}`, "event_action"},
		{"pd timestamp", pdDecode, `{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"error","timestamp":"soon"}}`, "payload.timestamp"},
		{"pd routing key", pdDecode, `{"event_action":"trigger"}`, "routing_key"},
		{"pd dedup", pdDecode, `{"routing_key":"r","event_action":"resolve"}`, "dedup_key"},
		{"ce specversion", ceDecode, `{"specversion":"0.3","id":"1","source":"s","type":"t"}`, "specversion"},
		{"ce type", ceDecode, `{"specversion":"1.0","id":"1","source":"s"}`, "type"},
		{"ce batch", ceDecode, `[{"specversion":"1.0","id":"1","source":"s","type":"t","severity":"awful"}]`, "[0].severity"},
	} {
		_, err := tc.decode(strings.NewReader(tc.body))
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
}

func amDecode(r *strings.Reader) ([]event.Event, error) { return event.DecodeAlertmanager(r) }
func pdDecode(r *strings.Reader) ([]event.Event, error) { return event.DecodePagerDuty(r) }
func ceDecode(r *strings.Reader) ([]event.Event, error) { return event.DecodeCloudEvents(r) }

func post(t *testing.T, url string, body []byte, header map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestHandlersCheckAndIngest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	mux := http.NewServeMux()
	mux.Handle("/am", event.AlertmanagerHandler(f.engine, event.HandlerConfig{Secret: "s3cret", MaxBytes: 4096}))
	key := []byte("k")
	mux.Handle("/pd", event.PagerDutyHandler(f.engine, event.HandlerConfig{HMACKey: key}))
	mux.Handle("/ce", event.CloudEventsHandler(f.engine, event.HandlerConfig{AllowUnauthenticated: true}))
	mux.Handle("/none", event.CloudEventsHandler(f.engine, event.HandlerConfig{}))
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(srv.Close)

	am := readFile(t, "alertmanager.json")
	bearer := map[string]string{"Authorization": "Bearer s3cret"}
	resp, _ := post(t, srv.URL+"/am", am, nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = post(t, srv.URL+"/am", am, map[string]string{"Authorization": "Bearer nope"})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = post(t, srv.URL+"/am", bytes.Repeat([]byte(" "), 5000), bearer)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	getResp, err := http.Get(srv.URL + "/am")
	require.NoError(t, err)
	getResp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, getResp.StatusCode)

	// A bad second alert: 400 naming the field, and nothing ingested.
	bad := bytes.Replace(am, []byte(`"fingerprint": "0f1e2d3c4b5a6978"`), []byte(`"fingerprint": ""`), 1)
	resp, out := post(t, srv.URL+"/am", bad, bearer)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "alerts[1].fingerprint", out["field"])
	assert.Zero(t, f.engine.Stats().Events)

	resp, out = post(t, srv.URL+"/am", am, bearer)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.EqualValues(t, 2, out["events"])
	assert.Equal(t, event.SeverityCritical, f.alert(t, "a1b2c3d4e5f60718").Severity)

	pd := readFile(t, "pagerduty.json")
	mac := hmac.New(sha256.New, key)
	mac.Write(pd)
	resp, _ = post(t, srv.URL+"/pd", pd, map[string]string{"X-Signature-256": "sha256=00"})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = post(t, srv.URL+"/pd", pd, map[string]string{"X-Signature-256": "sha256=" + hex.EncodeToString(mac.Sum(nil))})
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	pdEvents, err := event.DecodePagerDuty(bytes.NewReader(pd))
	require.NoError(t, err)
	assert.Equal(t, event.SeverityMajor, f.alert(t, pdEvents[0].DedupKey).Severity)

	ce := readFile(t, "cloudevents.json")
	resp, _ = post(t, srv.URL+"/ce", ce, map[string]string{"Content-Type": "application/json"})
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	resp, _ = post(t, srv.URL+"/ce", ce, map[string]string{"Content-Type": event.CloudEventsContentType})
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	resp, _ = post(t, srv.URL+"/none", ce, map[string]string{"Content-Type": event.CloudEventsContentType})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}
