package event_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
)

// pdPost posts body to the handler and decodes the JSON answer.
func pdPost(t *testing.T, h http.Handler, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/v2/enqueue", strings.NewReader(body)))
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

// TestPagerDutyRoutingKeyIsPartOfTheAlert: as in PagerDuty, a dedup key
// names an alert of one service: a resolve sent with another routing key
// leaves the alert open.
func TestPagerDutyRoutingKeyIsPartOfTheAlert(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	h := event.PagerDutyHandler(f.engine, event.HandlerConfig{AllowUnauthenticated: true})
	code, _ := pdPost(t, h, `{"routing_key":"service-a","event_action":"trigger","dedup_key":"disk",
		"payload":{"summary":"disk full","source":"db-1","severity":"critical"}}`)
	require.Equal(t, http.StatusAccepted, code)
	code, _ = pdPost(t, h, `{"routing_key":"service-b","event_action":"resolve","dedup_key":"disk"}`)
	require.Equal(t, http.StatusAccepted, code)

	open := 0
	for a, err := range f.engine.Find(f.ctx, event.Query{Open: true}) {
		require.NoError(t, err)
		assert.Equal(t, "disk", event.PagerDutyDedupKey(a.Last))
		open++
	}
	assert.Equal(t, 1, open, "service B's resolve left service A's alert open")

	code, _ = pdPost(t, h, `{"routing_key":"service-a","event_action":"resolve","dedup_key":"disk"}`)
	require.Equal(t, http.StatusAccepted, code)
	for a, err := range f.engine.Find(f.ctx, event.Query{Open: true}) {
		require.NoError(t, err)
		t.Errorf("alert %s still open", a.Number)
	}
}

// TestPagerDutyAnswers: the answers are PagerDuty's, with the dedup key the
// sender reads, generated for a trigger that had none.
func TestPagerDutyAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	h := event.PagerDutyHandler(f.engine, event.HandlerConfig{AllowUnauthenticated: true})
	code, body := pdPost(t, h, `{"routing_key":"r","event_action":"trigger","dedup_key":"k1",
		"payload":{"summary":"s","source":"h","severity":"error"}}`)
	assert.Equal(t, http.StatusAccepted, code)
	assert.Equal(t, map[string]any{"status": "success", "message": "Event processed", "dedup_key": "k1"}, body)

	keys := map[string]bool{}
	for range 2 {
		code, body = pdPost(t, h, `{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"error"}}`)
		require.Equal(t, http.StatusAccepted, code)
		k, _ := body["dedup_key"].(string)
		assert.Len(t, k, 32)
		keys[k] = true
	}
	assert.Len(t, keys, 2, "each trigger without a dedup key is an alert of its own")

	code, body = pdPost(t, h, `{"routing_key":"r","event_action":"trigger","payload":{"source":"h","severity":"error"}}`)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "invalid event", body["status"])
	assert.Equal(t, "Event object is invalid", body["message"])
	assert.Equal(t, "payload.summary", body["field"])
	assert.Len(t, body["errors"], 1)
}

// TestPagerDutySeveritiesAndDetails: templated severities are tolerated as
// Alertmanager's are, custom details are kept, and what Alertmanager's
// PagerDuty integration sends by default (severity "error", source
// "Alertmanager", the firing alerts listed in custom_details.firing) is
// read where it says more.
func TestPagerDutySeveritiesAndDetails(t *testing.T) {
	t.Parallel()
	decode := func(body string) event.Event {
		evs, err := event.DecodePagerDuty(strings.NewReader(body))
		require.NoError(t, err)
		return evs[0]
	}
	for sev, want := range map[string]event.Severity{"page": event.SeverityMajor, "p3": event.SeverityWarning, "Critical": event.SeverityCritical} {
		ev := decode(`{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"` + sev + `"}}`)
		assert.Equal(t, want, ev.Severity, sev)
	}

	details, err := json.Marshal(map[string]any{
		"firing": "Labels:\n - alertname = InstanceDown\n - instance = web-2:9100\n - severity = critical\n" +
			"Annotations:\n - summary = web-2 down\nLabels:\n - alertname = InstanceDown\n - instance = web-1:9100\n - severity = warning\n",
		"num_firing": 2, "resolved": "", "long": strings.Repeat("x", event.MaxKeyLen+10),
	})
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteString(`{"routing_key":"r","event_action":"trigger","dedup_key":"g1","client":"Alertmanager",
		"payload":{"summary":"[FIRING:2] InstanceDown","source":"Alertmanager","severity":"error","custom_details":`)
	b.Write(details)
	b.WriteString(`}}`)
	ev := decode(b.String())
	assert.Equal(t, event.SeverityCritical, ev.Severity, "the highest listed severity replaces the default error")
	assert.Equal(t, "web-2:9100", ev.Node, "the first listed instance, not Alertmanager")
	assert.Equal(t, "web-2:9100,web-1:9100", ev.Labels["instances"])
	assert.Equal(t, "2", ev.Labels["details.num_firing"])
	assert.Contains(t, ev.Labels["details.firing"], "instance = web-2:9100")
	long := []rune(ev.Labels["details.long"])
	assert.Len(t, long, event.MaxKeyLen)
	assert.Equal(t, '…', long[len(long)-1], "a cut detail is marked")
	require.NoError(t, ev.Validate(""))

	// Alertmanager 0.28 and later list the firing alerts as JSON.
	listed := decode(`{"routing_key":"r","event_action":"trigger","dedup_key":"g2","client":"Alertmanager",
		"payload":{"summary":"[FIRING:3] HighLatency","source":"Alertmanager","severity":"error","custom_details":{
		"firing":[{"status":"firing","labels":{"alertname":"HighLatency","instance":"web-1:9100","severity":"warning"}},
		          {"status":"firing","labels":{"alertname":"HighLatency","instance":"web-2:9100","severity":"critical"}},
		          {"status":"firing","labels":{"alertname":"HighLatency","instance":"web-1:9100"}}],
		"num_firing":3,"num_resolved":0,"resolved":[]}}}`)
	assert.Equal(t, event.SeverityCritical, listed.Severity, "the highest severity of the JSON list")
	assert.Equal(t, "web-1:9100", listed.Node, "the first instance of the JSON list")
	assert.Equal(t, "web-1:9100,web-2:9100", listed.Labels["instances"])
	assert.Equal(t, "3", listed.Labels["details.num_firing"])

	explicit := decode(`{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"db-1","severity":"warning",
		"custom_details":{"firing":" - severity = critical\n - instance = x\n"}}}`)
	assert.Equal(t, event.SeverityWarning, explicit.Severity, "a severity the sender set is kept")
	assert.Equal(t, "db-1", explicit.Node, "a source the sender set is kept")
}
