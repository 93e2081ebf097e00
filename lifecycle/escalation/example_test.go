package escalation_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// A two-level policy over an on-call rotation: the person on call first,
// then, unacknowledged after 15 minutes, the secondary rotation and the
// team lead; the whole repeated once. Ann acknowledges during the repeat.
func ExampleState() {
	monday := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	primary, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"ann", "bob"}, Start: monday, Turn: oncall.Daily()}}})
	if err != nil {
		panic(err)
	}
	secondary, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"dan", "eva"}, Start: monday, Turn: oncall.Weekly()}}})
	if err != nil {
		panic(err)
	}
	schedules := escalation.Schedules{"primary": primary, "secondary": secondary}
	p, err := escalation.New(escalation.Config{
		Name: "p1",
		Levels: []escalation.Level{
			{Targets: []escalation.Target{{Schedule: "primary"}}, Delay: 15 * time.Minute},
			{Targets: []escalation.Target{{Schedule: "secondary"}, {User: "mia"}}, Delay: 30 * time.Minute},
		},
		Repeats: 1,
	})
	if err != nil {
		panic(err)
	}
	if err := p.Check(schedules); err != nil {
		panic(err)
	}

	opened := monday.Add(90 * time.Minute)
	var s escalation.State
	if _, err := s.Start(p, opened); err != nil {
		panic(err)
	}
	for _, at := range []time.Duration{0, 10 * time.Minute, 15 * time.Minute, 50 * time.Minute} {
		pages, err := s.Pages(p, schedules, opened.Add(at))
		if err != nil {
			panic(err)
		}
		for _, pg := range pages {
			fmt.Printf("%s page %s\n", pg.At.Format("15:04"), pg)
		}
	}
	if _, err := s.Acknowledge("ann", opened.Add(52*time.Minute)); err != nil {
		panic(err)
	}
	fmt.Println(s.Status(), "by", s.AcknowledgedBy, "- next page:", s.Next().IsZero())
	// Output:
	// 10:30 page level 1, round 1: ann (primary)
	// 10:45 page level 2, round 1: dan (secondary), mia
	// 11:15 page level 1, round 2: ann (primary)
	// acknowledged by ann - next page: true
}

// Policies decode from JSON, and a bad one names its field.
func ExampleParseJSON() {
	p, err := escalation.ParseJSON([]byte(`{"name": "db", "levels": [
		{"targets": [{"group": "dba"}], "delay": "10m"},
		{"targets": [{"user": "head-of-it"}]}]}`))
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(p)
	fmt.Println(string(b))

	_, err = escalation.ParseJSON([]byte(`{"name": "db", "levels": [
		{"targets": [{"group": "dba"}]},
		{"targets": [{"user": "head-of-it"}]}]}`))
	fmt.Println(err)
	// Output:
	// {"name":"db","levels":[{"targets":[{"group":"dba"}],"delay":"10m0s"},{"targets":[{"user":"head-of-it"}]}]}
	// invalid levels[0].delay: required: level 2 follows it
}
