package sla_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

func ExampleDefinitions() {
	var defs sla.Definitions
	err := json.Unmarshal([]byte(`{"definitions": [
		{"name": "resolution", "pause": {"categories": ["paused"]},
		 "stop": {"categories": ["resolved", "closed", "cancelled"]},
		 "targets": {"P1": {"within": "4h"}, "P3": {"within": "24h"}},
		 "thresholds": [{"percent": 75, "actions": [{"do": "notify", "to": "duty-manager"}]}]},
		{"name": "ola-network", "type": "ola", "group": "network",
		 "stop": {"categories": ["resolved", "closed", "cancelled"]},
		 "target": {"within": "1h"},
		 "thresholds": [{"percent": 50, "actions": [{"do": "notify", "to": "network-lead"}]},
		                {"percent": 100, "actions": [{"do": "escalate", "to": "network-2nd"}]}]}
	]}`), &defs)
	if err != nil {
		panic(err)
	}
	opened := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	facts := sla.Facts{Priority: itil.P1, Category: lifecycle.Open, State: "assigned", Group: "network", Created: opened}
	var clocks sla.Timers
	if _, err := clocks.Apply(&defs, facts, opened); err != nil {
		panic(err)
	}
	fmt.Println("next due:", clocks.Next().Format(time.TimeOnly))

	// Seen again at 10:15, after the network group's hour has gone.
	crossings, err := clocks.Apply(&defs, facts, opened.Add(75*time.Minute))
	if err != nil {
		panic(err)
	}
	for _, c := range crossings {
		fmt.Printf("%s %d%% %s at %s: %v\n", c.Clock, c.Percent, c.Kind, c.At.Format(time.TimeOnly), c.Actions)
	}

	// Handed on to the database group at 10:30: the OLA stops, breached.
	facts.Group = "database"
	if _, err := clocks.Apply(&defs, facts, opened.Add(90*time.Minute)); err != nil {
		panic(err)
	}
	for _, t := range clocks.List {
		fmt.Println(t.Name, t.Clock.Status, t.Outcome, t.Clock.Elapsed(nil, opened.Add(90*time.Minute)))
	}

	_, err = sla.NewDefinitions(sla.DefinitionsConfig{Definitions: []sla.Definition{
		{Name: "ola", Type: sla.OLA, Target: sla.Target{Within: time.Hour}},
	}})
	fmt.Println(err)
	// Output:
	// next due: 09:30:00
	// ola-network 50% warning at 09:30:00: [{notify network-lead}]
	// ola-network 100% breach at 10:00:00: [{escalate network-2nd}]
	// resolution running pending 1h30m0s
	// ola-network stopped breached 1h30m0s
	// invalid definitions[0].group: an OLA needs the assignment group it binds
}
