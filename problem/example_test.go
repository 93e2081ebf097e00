package problem_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/problem"
)

// exampleDesk returns an incident desk and a problem manager over one
// in-memory store, on a clock that moves a minute at every reading, and a
// function that delivers the log to the manager's reactions, as a host's
// dispatcher does.
func exampleDesk(cfg problem.Config) (*incident.Desk, *problem.Manager, func()) {
	t := time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { t = t.Add(time.Minute); return t }
	cfg.Now = now
	st := memstore.New(memstore.Config{Now: now})
	desk, err := incident.NewDesk(st, incident.Config{Now: now})
	if err != nil {
		panic(err)
	}
	mgr, err := problem.NewManager(st, desk, cfg)
	if err != nil {
		panic(err)
	}
	// The lease outlasts the clock's minutes between a claim and its ack.
	disp, err := lifecycle.NewDispatcher(st, mgr.Reactions(), lifecycle.DispatcherConfig{Lease: 24 * time.Hour})
	if err != nil {
		panic(err)
	}
	deliver := func() {
		if err := disp.Drain(context.Background()); err != nil {
			panic(err)
		}
	}
	return desk, mgr, deliver
}

// Recurring incidents on one gateway become a problem; its workaround
// reaches every caller.
func Example() {
	ctx := context.Background()
	desk, mgr, deliver := exampleDesk(problem.Config{})
	carol := itil.Actor{ID: "carol", Name: "Carol Problem Manager"}
	for _, caller := range []string{"alice", "dan", "erin"} {
		must(desk.Open(ctx, incident.Draft{Title: "VPN drops every few minutes", Caller: itil.Actor{ID: caller},
			Category: "network", Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"}}))
	}

	proposals := must(mgr.Recurring(ctx, problem.RecurringQuery{MinCount: 3, Window: 24 * time.Hour, By: problem.ByCI}))
	p := must(mgr.OpenProposal(ctx, problem.ProposalParams{By: carol, Proposal: proposals[0]}))
	fmt.Println(p.Number, p.Title)

	p = must(mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "connect through the web VPN at https://vpn.example.com"}))
	fmt.Println("known error:", p.KnownError)
	deliver() // the manager's reactions comment the workaround on the incidents

	for inc, err := range mgr.Incidents(ctx, p.ID) {
		if err != nil {
			panic(err)
		}
		for note := range desk.Notes(ctx, inc.ID, true) {
			fmt.Println(inc.Number, inc.Caller.ID, "sees:", note.Text)
		}
	}
	// Output:
	// PRB0000001 3 incidents on vpn-gw-1: VPN drops every few minutes
	// known error: true
	// INC0000001 alice sees: Workaround from PRB0000001 (3 incidents on vpn-gw-1: VPN drops every few minutes): connect through the web VPN at https://vpn.example.com
	// INC0000002 dan sees: Workaround from PRB0000001 (3 incidents on vpn-gw-1: VPN drops every few minutes): connect through the web VPN at https://vpn.example.com
	// INC0000003 erin sees: Workaround from PRB0000001 (3 incidents on vpn-gw-1: VPN drops every few minutes): connect through the web VPN at https://vpn.example.com
}

// When an incident opens, the desk asks whether a known error explains it,
// and links the incident to it.
func ExampleManager_Match() {
	ctx := context.Background()
	desk, mgr, _ := exampleDesk(problem.Config{})
	carol := itil.Actor{ID: "carol"}
	p := must(mgr.Open(ctx, problem.Draft{Title: "Mail delivery delayed for large attachments", Category: "email",
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyLow, CIs: []string{"mail-1"}, By: carol}))
	must(mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{RootCause: "the virus scanner times out on files over 20 MB"}}))

	inc := must(desk.Open(ctx, incident.Draft{Title: "My mail with attachments arrives hours late",
		Caller: itil.Actor{ID: "alice"}, Category: "email", Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium}))
	for _, known := range must(mgr.Match(ctx, inc)) {
		fmt.Println("known error:", known.Number, known.Title)
		must(mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: known.ID, By: carol, Incident: inc.ID}))
	}
	inc = must(desk.Get(ctx, inc.ID))
	fmt.Println(inc.Number, "linked to", inc.Problems[0])
	// Output:
	// known error: PRB0000001 Mail delivery delayed for large attachments
	// INC0000001 linked to problem:PRB0000001
}

// Known errors are found by words of the symptom, best first.
func ExampleManager_Search() {
	ctx := context.Background()
	_, mgr, _ := exampleDesk(problem.Config{})
	carol := itil.Actor{ID: "carol"}
	for _, title := range []string{"Printer queue stalls", "VPN tunnels drop under load", "VPN client crashes on start"} {
		p := must(mgr.Open(ctx, problem.Draft{Title: title, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow, By: carol}))
		must(mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "restart it"}))
	}
	for _, h := range must(mgr.Search(ctx, problem.KnownErrorQuery{Text: "the VPN drops"})) {
		fmt.Println(h.Problem.Number, h.Problem.Title, h.Words)
	}
	// Output:
	// PRB0000002 VPN tunnels drop under load [vpn drop]
	// PRB0000003 VPN client crashes on start [vpn]
}

// With the ResolveIncidents policy, delivering the fix resolves the open
// incidents the problem caused.
func ExampleManager_Resolve() {
	ctx := context.Background()
	desk, mgr, deliver := exampleDesk(problem.Config{OnResolve: problem.ResolveIncidents})
	carol := itil.Actor{ID: "carol"}
	inc := must(desk.Open(ctx, incident.Draft{Title: "VPN drops", Caller: itil.Actor{ID: "alice"},
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium}))
	p := must(mgr.Open(ctx, problem.Draft{Title: "VPN tunnels drop under load", Impact: itil.ImpactMedium,
		Urgency: itil.UrgencyMedium, By: carol, Incidents: []uuid.UUID{inc.ID}}))

	p = must(mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}))
	p = must(mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol}))
	p = must(mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{RootCause: "memory leak in firmware 4.2"}}))
	fmt.Println(p.Number, p.State, "known error:", p.KnownError)
	p = must(mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: problem.Fix{Description: "upgrade to firmware 4.3"}}))
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000007"}
	p = must(mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol, Fix: problem.Fix{Change: chg}}))
	fmt.Println(p.Number, p.State)
	deliver() // the manager's reactions resolve the incidents

	inc = must(desk.Get(ctx, inc.ID))
	fmt.Println(inc.Number, inc.State, inc.Resolution.Code)
	fmt.Println(inc.Resolution.Notes)
	// Output:
	// PRB0000001 root_cause_analysis known error: true
	// PRB0000001 resolved
	// INC0000001 resolved solved_permanently
	// Fixed by problem PRB0000001: upgrade to firmware 4.3 (delivered by change:CHG0000007)
}

// A host runs the manager's reactions on a dispatcher over the store: the
// work a change to a problem sets in motion on its incidents follows from
// the log, after the problem's commit, and is done once however often it
// is delivered.
func ExampleManager_Reactions() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	desk := must(incident.NewDesk(st, incident.Config{}))
	mgr := must(problem.NewManager(st, desk, problem.Config{}))
	disp := must(lifecycle.NewDispatcher(st, mgr.Reactions(), lifecycle.DispatcherConfig{}))
	for _, s := range mgr.Reactions() {
		fmt.Println("reaction:", s.Name)
	}
	carol := itil.Actor{ID: "carol"}
	inc := must(desk.Open(ctx, incident.Draft{Title: "VPN drops", Caller: itil.Actor{ID: "alice"},
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium}))
	p := must(mgr.Open(ctx, problem.Draft{Title: "VPN tunnels drop under load", Impact: itil.ImpactMedium,
		Urgency: itil.UrgencyMedium, By: carol, Incidents: []uuid.UUID{inc.ID}}))
	must(mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "connect through the web VPN"}))

	comments := func() (n int) {
		for range desk.Notes(ctx, inc.ID, true) {
			n++
		}
		return n
	}
	fmt.Println("comments before delivery:", comments())
	if err := disp.Drain(ctx); err != nil { // a server runs disp.Run(ctx) instead
		panic(err)
	}
	if err := disp.Drain(ctx); err != nil { // nothing new to deliver
		panic(err)
	}
	for note := range desk.Notes(ctx, inc.ID, true) {
		fmt.Println(inc.Number, "sees:", note.Text)
	}
	// Output:
	// reaction: problem.incidents
	// comments before delivery: 0
	// INC0000001 sees: Workaround from PRB0000001 (VPN tunnels drop under load): connect through the web VPN
}

// must returns v, or panics with err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
