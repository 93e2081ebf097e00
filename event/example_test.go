package event_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// Events fold into alerts; a correlation rule groups them; the group raises
// one incident, which resolves itself when every alert has cleared.
func Example() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	desk, _ := incident.NewDesk(st, incident.Config{})
	engine, err := event.NewEngine(st, event.Config{
		Correlation: []event.CorrelationRule{{Name: "by-service", By: []string{"service"}}},
		Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1,
			Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor, Group: "web"}}},
	})
	if err != nil {
		panic(err)
	}
	shop := func(node string, sev event.Severity) event.Event {
		return event.Event{Source: "nagios", Node: node, Check: "http", Severity: sev,
			Message: "shop unreachable on " + node, Labels: map[string]string{"service": "shop"}}
	}
	_ = engine.Ingest(ctx, shop("web-1", event.SeverityCritical), shop("web-1", event.SeverityCritical),
		shop("web-2", event.SeverityMajor))

	a, _ := engine.Alert(ctx, "nagios/web-1/http")
	fmt.Println(a.Number, a.State, a.Severity, "count", a.Count)
	for inc := range desk.Find(ctx, incident.Query{Open: true}) {
		fmt.Println(inc.Number, inc.Priority, inc.Title)
	}

	_ = engine.Ingest(ctx, shop("web-1", event.SeverityOK), shop("web-2", event.SeverityOK))
	for inc := range desk.Find(ctx, incident.Query{}) {
		fmt.Println(inc.Number, inc.State)
	}
	// Output:
	// ALR0000001 open critical count 2
	// INC0000001 P1 [critical] shop unreachable on web-1
	// INC0000001 resolved
}

// Maintenance windows suppress the events they match; the alert records
// them.
func ExampleEngine_AddMaintenance() {
	ctx := context.Background()
	engine, _ := event.NewEngine(memstore.New(memstore.Config{}), event.Config{})
	now := time.Now()
	_ = engine.AddMaintenance(event.MaintenanceWindow{Name: "db patching", Start: now.Add(-time.Minute), End: now.Add(time.Hour),
		CIs: []string{"db-1"}})
	ev := event.Event{Source: "zabbix", Node: "db-1", Check: "mysql", Severity: event.SeverityCritical}
	_ = engine.Ingest(ctx, ev, ev)
	a, _ := engine.Alert(ctx, "zabbix/db-1/mysql")
	fmt.Println(a.State, a.Suppressed.Count, a.Suppressed.Reason)
	// Output: suppressed 2 maintenance window db patching
}

// A restarted host builds its engine over the same store and starts it:
// the engine resumes the open alerts, so that their events fold into them
// and clear them as before.
func ExampleNewEngine_restart() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	engine, _ := event.NewEngine(st, event.Config{})
	disk := event.Event{Source: "zabbix", Node: "db-1", Check: "disk", Severity: event.SeverityMajor, Message: "disk 91%"}
	_ = engine.Ingest(ctx, disk, disk)

	// The host stops, saving the counts of the duplicates first.
	n, _ := engine.Flush(ctx)
	fmt.Println("flushed", n)

	// The host restarts: Start takes over the open alerts.
	engine, err := event.NewEngine(st, event.Config{})
	if err != nil {
		panic(err)
	}
	if err := engine.Start(ctx); err != nil {
		panic(err)
	}
	fmt.Println("resumed", engine.Stats().Restored)
	_ = engine.Ingest(ctx, disk)
	a, _ := engine.Alert(ctx, "zabbix/db-1/disk")
	fmt.Println(a.Number, a.State, "count", a.Count)
	disk.Severity = event.SeverityOK
	_ = engine.Ingest(ctx, disk)
	a, _ = engine.Get(ctx, a.ID)
	fmt.Println(a.Number, a.State)
	// Output:
	// flushed 1
	// resumed 1
	// ALR0000001 open count 3
	// ALR0000001 closed
}

// Decoders turn webhook payloads into events; errors name the field.
func ExampleDecodePagerDuty() {
	evs, err := event.DecodePagerDuty(strings.NewReader(`{"routing_key":"R1","event_action":"trigger","dedup_key":"srv01/disk",
		"payload":{"summary":"Disk full","source":"srv01","severity":"error"}}`))
	fmt.Println(event.PagerDutyDedupKey(evs[0]), evs[0].DedupKey, evs[0].Severity, err)
	_, err = event.DecodePagerDuty(strings.NewReader(`{"routing_key":"R1","event_action":"trigger","payload":{"source":"y","severity":"error"}}`))
	fmt.Println(err.(*itil.ValidationError).Field)
	// Output:
	// srv01/disk srv01/disk@a791366f6f62 major <nil>
	// payload.summary
}

// An on-call engineer acknowledges an alert by its dedup key, with the
// vendor's ticket as a custom field that acknowledging requires, and then
// finds the open alerts: a query's fields AND, the values of one OR.
func ExampleEngine_Acknowledge() {
	ctx := context.Background()
	engine, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{
		Fields: []lifecycle.Field{{Name: "ticket", RequiredIn: []string{event.StateAcknowledged}}},
	})
	if err != nil {
		panic(err)
	}
	_ = engine.Ingest(ctx,
		event.Event{Source: "nagios", Node: "web-1", Check: "http", Severity: event.SeverityCritical},
		event.Event{Source: "nagios", Node: "db-1", Check: "mysql", Severity: event.SeverityMajor},
		event.Event{Source: "zabbix", Node: "db-1", Check: "disk", Severity: event.SeverityWarning})
	alice := itil.Actor{ID: "alice"}

	_, err = engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: alice})
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("refused:", ve.Field)
	}
	a, err := engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: alice,
		Note: "on it", Fields: map[string]string{"ticket": "VND-7"}})
	fmt.Println(a.Number, a.State, a.Fields["ticket"], err)

	for a, err := range engine.Find(ctx, event.Query{Open: true, Source: []string{"nagios"},
		Severities: []event.Severity{event.SeverityMajor, event.SeverityCritical}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(a.Number, a.DedupKey, a.Severity, a.State)
	}
	// Output:
	// refused: fields.ticket
	// ALR0000001 acknowledged VND-7 <nil>
	// ALR0000001 nagios/web-1/http critical acknowledged
	// ALR0000002 nagios/db-1/mysql major open
}
