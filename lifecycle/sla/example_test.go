package sla_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
)

func ExampleNewCalendar() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	cal, err := sla.NewCalendar(sla.CalendarConfig{
		Zone: berlin,
		Hours: sla.Weekdays(
			sla.Interval{Start: 8 * time.Hour, End: 12 * time.Hour},
			sla.Interval{Start: 13 * time.Hour, End: 17 * time.Hour}),
		Holidays: []sla.Date{{Year: 2026, Month: time.December, Day: 24}, {Year: 2026, Month: time.December, Day: 25}},
	})
	if err != nil {
		panic(err)
	}
	opened := time.Date(2026, time.December, 23, 15, 0, 0, 0, berlin)
	fmt.Println("due:", cal.Add(opened, 4*time.Hour).Format(time.DateTime))
	fmt.Println("used by Monday noon:", cal.Elapsed(opened, time.Date(2026, time.December, 28, 12, 0, 0, 0, berlin)))
	fmt.Println("working on Christmas Eve:", cal.IsWorking(time.Date(2026, time.December, 24, 10, 0, 0, 0, berlin)))

	_, err = sla.NewCalendar(sla.CalendarConfig{Hours: sla.Week{time.Monday: {{Start: 17 * time.Hour, End: 8 * time.Hour}}}})
	fmt.Println(err)
	// Output:
	// due: 2026-12-28 10:00:00
	// used by Monday noon: 6h0m0s
	// working on Christmas Eve: false
	// invalid hours.monday[0]: start 17:00 is not before end 08:00
}

func ExampleCalendar_UnmarshalJSON() {
	var cal sla.Calendar
	err := json.Unmarshal([]byte(`{
		"zone": "America/New_York",
		"hours": {"monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"], "saturday": ["10:00-12:00"]},
		"holidays": ["2026-07-04"]
	}`), &cal)
	if err != nil {
		panic(err)
	}
	fmt.Println(cal.Location(), cal.WeekDuration())

	err = json.Unmarshal([]byte(`{"hours": {"monday": ["09:00-17:00", "16:00-18:00"]}}`), &cal)
	fmt.Println(err)
	// Output:
	// America/New_York 18h0m0s
	// invalid hours.monday[1]: 16:00-18:00 overlaps 09:00-17:00
}

func ExampleClock() {
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	var cal *sla.Calendar // nil: 24x7

	c := sla.Clock{Name: "resolution", Target: 24 * time.Hour}
	c.Start(cal, start)
	c.Pause(cal, at(2)) // waiting for the caller
	c.Resume(cal, at(5))
	fmt.Println("used:", c.Elapsed(cal, at(6)), "paused:", c.TotalPaused(at(6)))

	// Raised to P1: four hours in all, keeping the three used.
	c.Retarget(4*time.Hour, cal, at(6))
	fmt.Println("deadline:", c.Deadline.Format(time.TimeOnly), "left:", c.Remaining(cal, at(6)))
	for _, x := range c.Check(cal, at(8)) {
		fmt.Println(x.Kind, "at", x.At.Format(time.TimeOnly))
	}
	fmt.Println("again:", len(c.Check(cal, at(8))))
	// Output:
	// used: 3h0m0s paused: 3h0m0s
	// deadline: 16:00:00 left: 1h0m0s
	// warning at 15:00:00
	// breach at 16:00:00
	// again: 0
}

func ExampleSet_Apply() {
	policy := sla.DefaultPolicy() // P2: respond within 1h, resolve within 8h of business hours
	monday := func(h, m int) time.Time { return time.Date(2026, time.March, 2, h, m, 0, 0, time.UTC) }

	var s sla.Set // kept in the incident
	apply := func(cat lifecycle.Category, responded bool, now time.Time) {
		crossings, err := s.Apply(policy, sla.Facts{Priority: itil.P2, Category: cat, Responded: responded}, now)
		if err != nil {
			panic(err)
		}
		for _, c := range crossings {
			fmt.Printf("%s: sla_%s of %s, due %s\n", now.Format("15:04"), c.Kind, c.Clock, c.At.Format("15:04"))
		}
	}
	apply(lifecycle.Open, false, monday(9, 0))   // opened
	apply(lifecycle.Open, false, monday(9, 50))  // a sweep
	apply(lifecycle.Open, true, monday(10, 30))  // assigned, late
	apply(lifecycle.Paused, true, monday(11, 0)) // waiting for the caller
	apply(lifecycle.Open, true, monday(16, 0))   // the caller answers
	fmt.Println("resolution due:", s.Resolution.Deadline.Format("Mon 15:04"))
	// Output:
	// 09:50: sla_warning of response, due 09:45
	// 10:30: sla_breach of response, due 10:00
	// resolution due: Tue 13:00
}

func ExampleDefaultPolicy() {
	p := sla.DefaultPolicy()
	for pr := itil.P1; pr <= itil.P5; pr++ {
		ts, _ := p.For(pr)
		cal := ts.Resolution.Calendar
		if cal == "" {
			cal = "24x7"
		}
		fmt.Printf("%s respond %-7v resolve %-9v %s\n", pr, ts.Response.Within, ts.Resolution.Within, cal)
	}
	// Output:
	// P1 respond 15m0s   resolve 4h0m0s    24x7
	// P2 respond 1h0m0s  resolve 8h0m0s    business
	// P3 respond 4h0m0s  resolve 24h0m0s   business
	// P4 respond 8h0m0s  resolve 72h0m0s   business
	// P5 respond 24h0m0s resolve 120h0m0s  business
}

// ExampleSweeper raises the breach of a record nobody touches, once: the
// process supplies where its records keep their clocks and how it
// journals what they cross.
func ExampleSweeper() {
	ctx := context.Background()
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	policy := &sla.Policy{Targets: map[itil.Priority]sla.Targets{}}
	for p := itil.P1; p <= itil.P5; p++ {
		policy.Targets[p] = sla.Targets{Resolution: sla.Target{Within: time.Hour}}
	}
	// apply is what the process does on every transition, and its sweep.
	apply := func(t *ticket, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
		cs, err := t.SLA.Apply(policy, sla.Facts{Priority: t.Priority, Category: t.StateCategory}, now)
		for _, c := range cs {
			ed.Field("sla."+c.Clock, "", c.Kind.String())
		}
		return cs, err
	}
	def, _ := lifecycle.NewDefinition("ticket", []lifecycle.State{
		{Name: "open", Category: lifecycle.Open, Initial: true},
		{Name: "done", Category: lifecycle.Closed},
	}, []lifecycle.Event{{Name: "finish", From: []string{"open"}, To: "done"}})
	proc, _ := lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), def,
		lifecycle.ProcessConfig{Prefix: "TKT", Now: func() time.Time { return now }})
	tk := &ticket{Priority: itil.P2}
	tk.StateCategory = lifecycle.Open // the clocks start with the record
	_, _ = apply(tk, &lifecycle.Edit{}, now)
	tk, _ = proc.Create(ctx, tk, itil.System("example"), "")

	sw := sla.Sweeper[*ticket]{
		Process: proc,
		Clocks:  func(t *ticket) *sla.Set { return &t.SLA },
		Apply:   apply,
		Actor:   itil.System("ticket-sweep"),
	}
	for _, after := range []time.Duration{30 * time.Minute, 2 * time.Hour, 3 * time.Hour} {
		swept, err := sw.Sweep(ctx, now.Add(after))
		fmt.Printf("after %v: %+v %v\n", after, swept, err)
	}
	for c := range proc.Journal(ctx, tk.ID) {
		if c.Event == sla.EventBreach {
			fmt.Println(c.Number, c.Event, c.Fields[0].Field, c.Fields[0].New, "by", c.Actor.ID)
		}
	}
	// Output:
	// after 30m0s: {Warnings:0 Breaches:0 Records:0} <nil>
	// after 2h0m0s: {Warnings:1 Breaches:1 Records:1} <nil>
	// after 3h0m0s: {Warnings:0 Breaches:0 Records:0} <nil>
	// TKT0000001 sla_breach sla.resolution breach by ticket-sweep
}
