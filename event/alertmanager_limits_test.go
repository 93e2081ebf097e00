package event_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
)

// TestAlertmanagerOversizedTextIsCut: a long summary, a long label value
// and too many labels are cut and marked, not refused, and what matters
// for routing stays.
func TestAlertmanagerOversizedTextIsCut(t *testing.T) {
	t.Parallel()
	labels := []string{`"alertname":"Down"`, `"instance":"web-1"`, `"severity":"critical"`,
		fmt.Sprintf(`"path":%q`, strings.Repeat("p", 600))}
	for i := range 70 {
		labels = append(labels, fmt.Sprintf(`"a%02d":"v"`, i))
	}
	body := `{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","labels":{` + strings.Join(labels, ",") +
		`},"annotations":{"summary":"` + strings.Repeat("€", 10_000) + `"},"startsAt":"2026-03-02T10:00:00Z","fingerprint":"f1"}]}`
	evs, err := event.DecodeAlertmanager(strings.NewReader(body))
	require.NoError(t, err)
	ev := evs[0]
	require.NoError(t, ev.Validate(""))
	assert.Equal(t, event.MaxMessageLen, utf8.RuneCountInString(ev.Message))
	assert.True(t, strings.HasSuffix(ev.Message, "…"))
	assert.Len(t, ev.Labels, event.MaxLabels)
	for _, k := range []string{"alertname", "instance", "severity"} {
		assert.Contains(t, ev.Labels, k)
	}
	assert.Equal(t, "Down", ev.Check)
	assert.Equal(t, event.SeverityCritical, ev.Severity)
	assert.Equal(t, "11", ev.Labels[event.DroppedLabels], "74 labels: 63 kept and the count")
	_, kept := ev.Labels["path"]
	assert.False(t, kept, "path sorts after the labels that fill the room")
	assert.Contains(t, string(ev.Raw), strings.Repeat("p", 600), "Raw keeps the alert as sent")

	few := `{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Down","path":"` +
		strings.Repeat("p", 600) + `"},"startsAt":"2026-03-02T10:00:00Z","fingerprint":"f2"}]}`
	evs, err = event.DecodeAlertmanager(strings.NewReader(few))
	require.NoError(t, err)
	assert.Equal(t, event.MaxKeyLen, utf8.RuneCountInString(evs[0].Labels["path"]))
	assert.True(t, strings.HasSuffix(evs[0].Labels["path"], "…"))
	_, dropped := evs[0].Labels[event.DroppedLabels]
	assert.False(t, dropped)

	nul := `{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Down","path":"a\u0000"},"fingerprint":"f3"}]}`
	_, err = event.DecodeAlertmanager(strings.NewReader(nul))
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "alerts[0].labels.path", ve.Field, "a NUL is still refused, naming the sender's field")
}

// TestAlertmanagerBigGroupIsOneIncident is the case: a group of
// 3,000 alerts, one with a 10 kB summary, posted through the handler with
// its default limits, and a group without a service label, each become
// exactly one incident with the group's highest priority.
func TestAlertmanagerBigGroupIsOneIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	h := event.AlertmanagerHandler(f.engine, event.HandlerConfig{AllowUnauthenticated: true})
	post := func(body string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/alertmanager", strings.NewReader(body)))
		return rec.Code
	}
	var alerts []string
	for i := range 3000 {
		sev, summary := "warning", fmt.Sprintf("node-%04d is slow", i)
		if i == 1234 {
			sev = "critical"
		}
		if i == 17 {
			summary = strings.Repeat("s", 10_000)
		}
		alerts = append(alerts, fmt.Sprintf(`{"status":"firing","labels":{"alertname":"NodeSlow","instance":"node-%04d:9100",`+
			`"job":"node","severity":%q,"service":"shop","team":"web","env":"prod","region":"eu-west-1","cluster":"c1"},`+
			`"annotations":{"summary":%q,"runbook_url":"https://runbooks.example.com/NodeSlow"},`+
			`"startsAt":"2026-03-02T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up",`+
			`"fingerprint":"%016x"}`, i, sev, summary, i+1))
	}
	big := `{"version":"4","groupKey":"{}:{alertname=\"NodeSlow\"}","truncatedAlerts":0,"status":"firing","receiver":"itil",` +
		`"groupLabels":{"alertname":"NodeSlow"},"commonLabels":{"alertname":"NodeSlow"},"commonAnnotations":{},` +
		`"externalURL":"http://alertmanager:9093","alerts":[` + strings.Join(alerts, ",") + `]}`
	require.Greater(t, len(big), 1<<20, "bigger than the old 1 MiB limit")
	require.Equal(t, http.StatusAccepted, post(big))
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.Equal(t, itil.P1, incs[0].Priority, "the group's critical alert")
	assert.Len(t, incs[0].CIs, 3000)

	require.Equal(t, http.StatusAccepted, post(amGroup(`{}:{alertname="Down"}`, 0, "", [2]string{"db-1", "major"}, [2]string{"db-2", "warning"})))
	assert.Len(t, openIncidents(t, f), 2, "a group without a service label is one more incident")
}
