package incident_test

import (
	"context"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// exampleDesk returns a desk over a new memstore whose clock the example
// moves by hand, starting on a Monday at 09:00 UTC.
func exampleDesk() (*incident.Desk, *fakeClock) {
	clock := newClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
	desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Now: clock.Now})
	if err != nil {
		panic(err)
	}
	return desk, clock
}

// The desk opens an incident with a priority from impact × urgency, assigns
// it and resolves it; an incident resolved before anyone else took it over
// counts as fixed at first contact.
func Example() {
	ctx := context.Background()
	desk, clock := exampleDesk()
	alice := itil.Actor{ID: "alice", Name: "Alice"}
	bob := itil.Actor{ID: "bob", Name: "Bob", Groups: []string{"network"}}

	inc, err := desk.Open(ctx, incident.Draft{
		Title: "VPN down", Caller: alice, Channel: incident.ChannelPhone,
		Impact: itil.ImpactHigh, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.Number, inc.Priority, inc.Priority.Label(), inc.State)

	clock.Advance(10 * time.Minute)
	inc, err = desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: bob, Group: "network", Assignee: "bob"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State, inc.Group, inc.Assignee, "responded after", inc.RespondedAt.Sub(inc.CreatedAt))

	clock.Advance(20 * time.Minute)
	inc, err = desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: "restarted the gateway", Code: "solved_permanently"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State, inc.Resolution.Code, "first contact:", inc.FirstContact)

	for c, err := range desk.Journal(ctx, inc.ID) {
		if err != nil {
			panic(err)
		}
		fmt.Println(c.At.Format("15:04"), c.Actor, c.Event, c.From, "->", c.To)
	}
	// Output:
	// INC0000001 P2 high new
	// assigned network bob responded after 10m0s
	// resolved solved_permanently first contact: true
	// 09:00 alice create  -> new
	// 09:10 bob assign new -> assigned
	// 09:30 bob resolve assigned -> resolved
}

// An incident on hold awaiting the caller goes back to work when the caller
// comments; a comment from anyone else leaves it on hold.
func ExampleDesk_Comment() {
	ctx := context.Background()
	desk, _ := exampleDesk()
	alice := itil.Actor{ID: "alice"}
	bob := itil.Actor{ID: "bob"}

	inc, err := desk.Open(ctx, incident.Draft{Title: "Outlook crashes", Caller: alice,
		Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium, Group: "desktop"})
	if err != nil {
		panic(err)
	}
	if _, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}); err != nil {
		panic(err)
	}
	inc, err = desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "which Outlook version?", Reason: incident.AwaitingCaller})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State, inc.HoldReason)

	inc, err = desk.Comment(ctx, incident.Params{ID: inc.ID, By: bob, Note: "we asked you for the version"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State)

	inc, err = desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it is Outlook 2021"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State)

	for n, err := range desk.Notes(ctx, inc.ID, true) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s\n", n.By, n.Text)
	}
	// Output:
	// on_hold awaiting_caller
	// on_hold
	// in_progress
	// bob: we asked you for the version
	// alice: it is Outlook 2021
}

// Sweep raises the SLA warnings and breaches that are due, once each; the
// host calls it on a ticker.
func ExampleDesk_Sweep() {
	ctx := context.Background()
	desk, clock := exampleDesk()
	alice := itil.Actor{ID: "alice"}
	bob := itil.Actor{ID: "bob"}

	// P1: resolve within 4 hours, around the clock; warn at 75%.
	inc, err := desk.Open(ctx, incident.Draft{Title: "Payroll system down", Caller: alice,
		Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh, Group: "apps"})
	if err != nil {
		panic(err)
	}
	if _, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}); err != nil {
		panic(err)
	}
	fmt.Println("deadline", inc.SLA.Resolution.Deadline.Format("15:04"))

	for range 4 {
		now := clock.Advance(time.Hour)
		rep, err := desk.Sweep(ctx, now)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s warnings=%d breaches=%d\n", now.Format("15:04"), rep.Warnings, rep.Breaches)
	}
	for c, err := range desk.Journal(ctx, inc.ID) {
		if err != nil {
			panic(err)
		}
		if len(c.Fields) > 0 && c.Actor.System {
			fmt.Println(c.At.Format("15:04"), c.Event, c.Fields[0].Field, c.Fields[0].New)
		}
	}
	// Output:
	// deadline 13:00
	// 10:00 warnings=0 breaches=0
	// 11:00 warnings=0 breaches=0
	// 12:00 warnings=1 breaches=0
	// 13:00 warnings=0 breaches=1
	// 12:00 sla_warning sla.resolution warning
	// 13:00 sla_breach sla.resolution breach
}

// Metrics measures the desk over the incidents a query selects.
func ExampleDesk_Metrics() {
	ctx := context.Background()
	desk, clock := exampleDesk()
	alice := itil.Actor{ID: "alice"}
	bob := itil.Actor{ID: "bob"}
	res := incident.Resolution{Code: "solved_workaround", Notes: "use the web client"}

	var ids []itil.Ref
	for range 3 {
		inc, err := desk.Open(ctx, incident.Draft{Title: "Mail slow", Caller: alice,
			Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium})
		if err != nil {
			panic(err)
		}
		ids = append(ids, inc.Ref())
	}
	// The first is fixed on the phone, at first contact; the second is
	// taken on by the messaging team; the third waits in their backlog.
	clock.Advance(10 * time.Minute)
	if _, err := desk.Resolve(ctx, incident.ResolveParams{ID: ids[0].ID, By: bob, Note: res.Notes, Code: res.Code}); err != nil {
		panic(err)
	}
	clock.Advance(20 * time.Minute)
	for _, ref := range ids[1:] {
		if _, err := desk.Assign(ctx, incident.AssignParams{ID: ref.ID, By: bob, Group: "messaging", Assignee: "bob"}); err != nil {
			panic(err)
		}
	}
	clock.Advance(90 * time.Minute)
	if _, err := desk.Resolve(ctx, incident.ResolveParams{ID: ids[1].ID, By: bob, Note: res.Notes, Code: res.Code}); err != nil {
		panic(err)
	}

	m, err := desk.Metrics(ctx, incident.Query{})
	if err != nil {
		panic(err)
	}
	fmt.Println("incidents:", m.Incidents)
	fmt.Println("MTTA mean:", m.MTTA.Mean, "over", m.MTTA.N)
	fmt.Println("MTTR mean:", m.MTTR.Mean, "median:", m.MTTR.Median, "p90:", m.MTTR.P90)
	fmt.Printf("resolution SLA met: %.0f%%, first contact: %.0f%%\n", m.ResolutionAttainment, m.FirstContactRate)
	fmt.Println("backlog:", m.BacklogByPriority[itil.P3], "P3 with", m.BacklogByGroup)
	// Output:
	// incidents: 3
	// MTTA mean: 30m0s over 2
	// MTTR mean: 1h5m0s median: 1h5m0s p90: 1h49m0s
	// resolution SLA met: 100%, first contact: 50%
	// backlog: 1 P3 with map[messaging:1]
}

// A host runs the desk's reactions on a dispatcher over the desk's store,
// so that resolving a parent resolves its open children from the log, even
// when the request that resolved the parent ends or the host restarts
// before they are done. A server calls Run; a command-line tool drains.
func ExampleDesk_Reactions() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	desk, err := incident.NewDesk(st, incident.Config{})
	if err != nil {
		panic(err)
	}
	disp, err := lifecycle.NewDispatcher(st, desk.Reactions(), lifecycle.DispatcherConfig{})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice", Name: "Alice"}
	bob := itil.Actor{ID: "bob", Name: "Bob", Groups: []string{"network"}}
	outage := incident.Draft{Title: "VPN down", Caller: alice, Group: "network",
		Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh, CIs: []string{"vpn-gw-1"}}
	parent, err := desk.Open(ctx, outage)
	if err != nil {
		panic(err)
	}
	outage.Title, outage.Parent = "cannot reach the VPN", parent.ID
	child, err := desk.Open(ctx, outage)
	if err != nil {
		panic(err)
	}

	if _, err := desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: "replaced the gateway", Code: "solved_permanently"}); err != nil {
		panic(err)
	}
	if err := disp.Drain(ctx); err != nil {
		panic(err)
	}
	for _, s := range desk.Reactions() {
		fmt.Println("subscription:", s.Name)
	}
	child, err = desk.Get(ctx, child.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(child.Number, child.State, child.Resolution.Code)
	// Output:
	// subscription: incident.cascade
	// INC0000002 resolved solved_permanently
}
