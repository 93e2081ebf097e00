package event_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
)

// amGroup is an Alertmanager webhook payload of one group: its groupKey,
// truncatedAlerts, and alerts given as instance and severity.
func amGroup(groupKey string, truncated int, service string, alerts ...[2]string) string {
	var as []string
	for i, a := range alerts {
		labels := fmt.Sprintf(`"alertname":"Down","instance":%q,"severity":%q`, a[0], a[1])
		if service != "" {
			labels += fmt.Sprintf(`,"service":%q`, service)
		}
		as = append(as, fmt.Sprintf(`{"status":"firing","labels":{%s},"annotations":{"summary":"%s down"},
			"startsAt":"2026-03-02T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"%s-%d"}`,
			labels, a[0], a[0], i))
	}
	return fmt.Sprintf(`{"version":"4","groupKey":%q,"truncatedAlerts":%d,"status":"firing","receiver":"itil",
		"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","alerts":[%s]}`,
		groupKey, truncated, strings.Join(as, ","))
}

// TestAlertmanagerGroupIsACorrelationGroup: without correlation rules, the
// alerts of one Alertmanager group raise one incident, whatever their
// labels, and two groups raise two, even with the same service label.
func TestAlertmanagerGroupIsACorrelationGroup(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	ingest := func(body string) {
		evs, err := event.DecodeAlertmanager(strings.NewReader(body))
		require.NoError(t, err)
		f.ingest(t, evs...)
	}
	ingest(amGroup(`{}:{alertname="Down"}`, 0, "", [2]string{"web-1", "warning"}, [2]string{"web-2", "critical"}, [2]string{"db-1", "info"}))
	incs := openIncidents(t, f)
	require.Len(t, incs, 1, "a group without a service label is one incident")
	assert.Equal(t, itil.P1, incs[0].Priority, "the group's highest severity")
	assert.ElementsMatch(t, []string{"web-1", "web-2", "db-1"}, incs[0].CIs)

	ingest(amGroup(`{}:{alertname="Down",team="a"}`, 0, "shop", [2]string{"app-1", "critical"}))
	ingest(amGroup(`{}:{alertname="Down",team="b"}`, 0, "shop", [2]string{"app-2", "critical"}))
	assert.Len(t, openIncidents(t, f), 3, "two groups with one service are two incidents")

	var rules []string
	for _, g := range f.engine.Groups() {
		rules = append(rules, g.Rule)
	}
	assert.Equal(t, []string{event.SenderGroupRule, event.SenderGroupRule, event.SenderGroupRule}, rules)
}

// TestAlertmanagerGroupYieldsToRules: a host's correlation rule that
// applies wins over the sender's grouping.
func TestAlertmanagerGroupYieldsToRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) {
		c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1}
		c.Correlation = []event.CorrelationRule{{Name: "by-service", By: []string{"service"}}}
	})
	for _, key := range []string{`{}:{team="a"}`, `{}:{team="b"}`} {
		evs, err := event.DecodeAlertmanager(strings.NewReader(amGroup(key, 0, "shop", [2]string{"app-" + key[10:11], "critical"})))
		require.NoError(t, err)
		f.ingest(t, evs...)
	}
	assert.Len(t, openIncidents(t, f), 1, "the rule groups by service across Alertmanager groups")
}

// TestAlertmanagerTruncatedAlerts: the incident says how many alerts
// Alertmanager left out of the notification.
func TestAlertmanagerTruncatedAlerts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, func(f *fixture, c *event.Config) { c.Incidents = event.IncidentConfig{Desk: f.desk, GroupWait: -1} })
	evs, err := event.DecodeAlertmanager(strings.NewReader(amGroup(`{}:{alertname="Down"}`, 3, "", [2]string{"web-1", "critical"}, [2]string{"web-2", "critical"})))
	require.NoError(t, err)
	for _, ev := range evs {
		assert.Equal(t, 3, ev.Truncated)
		assert.Equal(t, `{}:{alertname="Down"}`, ev.Group)
	}
	f.ingest(t, evs...)
	incs := openIncidents(t, f)
	require.Len(t, incs, 1)
	assert.Contains(t, incs[0].Description, "left 3 alerts of this group out")

	_, err = event.DecodeAlertmanager(strings.NewReader(amGroup(`{}:{}`, -1, "", [2]string{"web-1", "critical"})))
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "truncatedAlerts", ve.Field)
}

// TestAlertmanagerLongGroupKey: a groupKey longer than a key may be groups
// by its digest, the same for the same key.
func TestAlertmanagerLongGroupKey(t *testing.T) {
	t.Parallel()
	long := `{}:{alertname="` + strings.Repeat("x", 2*event.MaxKeyLen) + `"}`
	a, err := event.DecodeAlertmanager(strings.NewReader(amGroup(long, 0, "", [2]string{"web-1", "critical"})))
	require.NoError(t, err)
	b, err := event.DecodeAlertmanager(strings.NewReader(amGroup(long, 0, "", [2]string{"web-2", "critical"})))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a[0].Group, "sha256:"))
	assert.Equal(t, a[0].Group, b[0].Group)
	require.NoError(t, a[0].Validate(""))
}
