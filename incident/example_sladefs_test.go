package incident_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
)

// SLA definitions as data: a resolution SLA for every incident and an OLA
// for the network group, whose thresholds notify, raise the priority and
// hand the incident on. Each threshold is raised once, by the sweep that
// first sees it, in the change that runs its actions.
func ExampleConfig_sLADefinitions() {
	var defs sla.Definitions
	err := json.Unmarshal([]byte(`{"definitions": [
		{"name": "resolution", "pause": {"categories": ["paused"]},
		 "stop": {"categories": ["resolved", "closed", "cancelled"]},
		 "target": {"within": "8h"}},
		{"name": "ola-network", "type": "ola", "group": "network",
		 "stop": {"categories": ["resolved", "closed", "cancelled"]},
		 "target": {"within": "2h"},
		 "thresholds": [
			{"percent": 50, "actions": [{"do": "notify", "to": "network-lead"}]},
			{"percent": 100, "actions": [{"do": "raise_priority"}, {"do": "reassign", "to": "network-senior"}]}]}
	]}`), &defs)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	clock := newClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
	desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Now: clock.Now, SLADefinitions: &defs})
	if err != nil {
		panic(err)
	}
	inc, err := desk.Open(ctx, incident.Draft{Title: "VPN down", Caller: itil.Actor{ID: "alice"},
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium, Group: "network", Assignee: "bob"})
	if err != nil {
		panic(err)
	}
	for _, hours := range []time.Duration{1, 1, 1} {
		clock.Advance(hours * time.Hour)
		rep, err := desk.Sweep(ctx, clock.Now())
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d warnings, %d breaches, %d actions\n", clock.Now().Format(time.TimeOnly), rep.Warnings, rep.Breaches, rep.Actions)
	}
	for c, err := range desk.Journal(ctx, inc.ID) {
		if err != nil {
			panic(err)
		}
		if c.Event == incident.EventSLAWarning || c.Event == incident.EventSLABreach {
			fmt.Print(c.Event, ":")
			for _, f := range c.Fields {
				fmt.Printf(" %s=%s", f.Field, f.New)
			}
			fmt.Println()
		}
	}
	inc, err = desk.Get(ctx, inc.ID)
	if err != nil {
		panic(err)
	}
	for _, t := range inc.SLATimers.List {
		fmt.Println(t.Name, t.Clock.Status, t.Outcome)
	}
	// Output:
	// 10:00:00: 1 warnings, 0 breaches, 1 actions
	// 11:00:00: 0 warnings, 1 breaches, 2 actions
	// 12:00:00: 0 warnings, 0 breaches, 0 actions
	// sla_warning: sla.ola-network=warning sla.ola-network.threshold=50 sla.ola-network.50.notify=network-lead
	// sla_breach: priority=P2 reassignments=1 group=network-senior assignee= sla.ola-network=breach sla.ola-network.threshold=100 sla.ola-network.status=stopped sla.ola-network.outcome=breached
	// resolution running pending
	// ola-network stopped breached
}
