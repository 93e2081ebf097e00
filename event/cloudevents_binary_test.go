package event_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
)

// ceHeaders are the headers of a binary-mode CloudEvent.
func ceHeaders(extra map[string]string) http.Header {
	h := http.Header{}
	for k, v := range map[string]string{
		"ce-specversion": "1.0", "ce-id": "e1", "ce-source": "/monitoring/checks",
		"ce-type": "com.example.check.failed", "ce-subject": "db-1",
	} {
		h.Set(k, v)
	}
	for k, v := range extra {
		if v == "" {
			h.Del(k)
			continue
		}
		h.Set(k, v)
	}
	return h
}

// TestCloudEventsModes: the handler takes binary, structured and batched
// CloudEvents, and refuses a binary one without its required attributes,
// naming the attribute.
func TestCloudEventsModes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	h := event.CloudEventsHandler(f.engine, event.HandlerConfig{AllowUnauthenticated: true})
	send := func(hdr http.Header, body string) (int, map[string]any) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/ce", strings.NewReader(body))
		req.Header = hdr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out
	}

	hdr := ceHeaders(map[string]string{"ce-severity": "critical", "ce-dedupkey": "db-1/replication",
		"ce-team": "dba", "Content-Type": "application/json"})
	code, _ := send(hdr, `{"message":"replication lag 30s"}`)
	require.Equal(t, http.StatusAccepted, code)
	a := f.alert(t, "db-1/replication")
	assert.Equal(t, event.SeverityCritical, a.Severity)
	assert.Equal(t, "db-1", a.Node)
	assert.Equal(t, "com.example.check.failed", a.Check)
	assert.Equal(t, "replication lag 30s", a.Message)
	assert.Equal(t, "dba", a.Labels["team"])

	code, _ = send(ceHeaders(map[string]string{"ce-subject": "db%E2%82%AC2", "ce-dedupkey": "k2", "Content-Type": "text/plain"}), "lag")
	require.Equal(t, http.StatusAccepted, code)
	assert.Equal(t, "db€2", f.alert(t, "k2").Node, "header values are percent-decoded")

	code, body := send(ceHeaders(map[string]string{"ce-type": ""}), "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "type", body["field"])
	code, body = send(ceHeaders(map[string]string{"ce-severity": "loud"}), "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "severity", body["field"])

	batch := http.Header{"Content-Type": {event.CloudEventsBatchContentType}}
	code, body = send(batch, `[{"specversion":"1.0","id":"b1","source":"s","type":"t","subject":"n1","dedupkey":"b1"},
		{"specversion":"1.0","id":"b2","source":"s","type":"t","subject":"n2","dedupkey":"b2"}]`)
	require.Equal(t, http.StatusAccepted, code)
	assert.EqualValues(t, 2, body["events"])

	code, _ = send(http.Header{"Content-Type": {"application/json"}}, `{}`)
	assert.Equal(t, http.StatusUnsupportedMediaType, code, "neither structured nor binary")
}

// TestCloudEventsOversizedTextIsCut: as for Alertmanager, a long message or
// extension is cut and marked, not refused.
func TestCloudEventsOversizedTextIsCut(t *testing.T) {
	t.Parallel()
	body := `{"specversion":"1.0","id":"1","source":"s","type":"t","team":"` + strings.Repeat("t", 700) +
		`","data":{"message":"` + strings.Repeat("m", 5000) + `"}}`
	evs, err := event.DecodeCloudEvents(strings.NewReader(body))
	require.NoError(t, err)
	assert.Len(t, []rune(evs[0].Message), event.MaxMessageLen)
	assert.True(t, strings.HasSuffix(evs[0].Message, "…"))
	assert.Len(t, []rune(evs[0].Labels["team"]), event.MaxKeyLen)
}
