package event_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// An engine fed by Prometheus Alertmanager: a firing group opens an alert
// per alert and one incident for the group; the on-call engineer
// acknowledges; the resolved notification clears the alerts and resolves
// the incident.
func ExampleDecodeAlertmanager() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	desk, _ := incident.NewDesk(st, incident.Config{})
	engine, err := event.NewEngine(st, event.Config{
		Correlation: []event.CorrelationRule{{Name: "by-service", By: []string{"service"}}},
		Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1,
			Rules: []event.IncidentRule{{Name: "pages", MinSeverity: event.SeverityMajor, Group: "sre"}}},
	})
	if err != nil {
		panic(err)
	}
	notification := func(status string) string {
		return `{"version": "4", "groupKey": "{}:{service=\"checkout\"}", "status": "` + status + `", "receiver": "itil",
		  "groupLabels": {"service": "checkout"}, "commonLabels": {"service": "checkout"}, "alerts": [
		  {"status": "` + status + `", "labels": {"alertname": "HighErrorRate", "instance": "web-1", "service": "checkout", "severity": "critical"},
		   "annotations": {"summary": "5xx above 5% on web-1"}, "startsAt": "2026-12-03T09:00:00Z", "endsAt": "2026-12-03T09:20:00Z", "fingerprint": "a1"},
		  {"status": "` + status + `", "labels": {"alertname": "HighLatency", "instance": "web-2", "service": "checkout", "severity": "warning"},
		   "annotations": {"summary": "p99 above 2s on web-2"}, "startsAt": "2026-12-03T09:01:00Z", "endsAt": "2026-12-03T09:20:00Z", "fingerprint": "b2"}]}`
	}

	evs, err := event.DecodeAlertmanager(strings.NewReader(notification("firing")))
	if err != nil {
		panic(err)
	}
	if err := engine.Ingest(ctx, evs...); err != nil {
		panic(err)
	}
	for a := range engine.Find(ctx, event.Query{Open: true}) {
		fmt.Println(a.Number, a.DedupKey, a.Severity)
	}
	for inc := range desk.Find(ctx, incident.Query{Open: true}) {
		fmt.Println(inc.Number, inc.Priority, inc.Group)
	}

	a, _ := engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "a1", By: itil.Actor{ID: "olga"}, Note: "looking"})
	fmt.Println(a.Number, a.State)

	evs, _ = event.DecodeAlertmanager(strings.NewReader(notification("resolved")))
	_ = engine.Ingest(ctx, evs...)
	for inc := range desk.Find(ctx, incident.Query{}) {
		fmt.Println(inc.Number, inc.State)
	}
	// Output:
	// ALR0000001 a1 critical
	// ALR0000002 b2 warning
	// INC0000001 P1 sre
	// ALR0000001 acknowledged
	// INC0000001 resolved
}
