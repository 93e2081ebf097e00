package change_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// monday is the examples' clock: Monday 2 November 2026, 09:00 UTC.
func monday() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }

// A normal change from proposal to closure: assessed as low risk, approved
// by a change manager, scheduled, implemented and closed.
func Example() {
	ctx := context.Background()
	m, err := change.NewManager(memstore.New(memstore.Config{}), change.Config{Now: monday})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	carol := itil.Actor{ID: "carol", Groups: []string{approval.GroupChangeManagers}}
	bob := itil.Actor{ID: "bob"}

	c, _ := m.Propose(ctx, change.Draft{
		Title:              "Upgrade PostgreSQL 16 → 17",
		CIs:                []string{"db-1"},
		Impact:             itil.ImpactMedium,
		ImplementationPlan: "pg_upgrade --link",
		BackoutPlan:        "restore the snapshot",
		By:                 alice,
	})
	c, _ = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow})
	fmt.Println(c.Number, c.State, "risk", c.Risk)

	c, _ = m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
	fmt.Println(c.State, c.Approval().Summary())

	// The requester may not approve her own change.
	_, err = m.Approve(ctx, change.DecideParams{ID: c.ID, By: itil.Actor{ID: "alice", Groups: []string{approval.GroupChangeManagers}}})
	fmt.Println(err)

	c, _ = m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol, Note: "tested on staging"})
	fmt.Println(c.Approval().Summary())

	start := monday().Add(36 * time.Hour)
	res, _ := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Implementer: "bob",
		Window: change.Window{Start: start, End: start.Add(2 * time.Hour)}})
	fmt.Println(res.Change.State, res.Change.Planned)

	c, _ = m.Implement(ctx, change.Params{ID: c.ID, By: bob})
	c, _ = m.RecordOutcome(ctx, change.OutcomeParams{ID: c.ID, By: bob, Outcome: change.Successful})
	c, _ = m.Close(ctx, change.Params{ID: c.ID, By: bob})
	fmt.Println(c.State, c.Outcome)

	for e := range m.Journal(ctx, c.ID) {
		line := e.Event + " " + e.From + "→" + e.To
		if e.Note != "" {
			line += " (" + e.Note + ")"
		}
		fmt.Println(line)
	}
	// Output:
	// CHG0000001 assess risk low
	// authorize 0/1 approved, any one
	// approval: alice may not decide as the requester (segregation of duties)
	// 1/1 approved, any one (approved)
	// scheduled 2026-11-03T21:00:00Z/2026-11-03T23:00:00Z
	// closed successful
	// create →new
	// assess new→assess
	// request_approval assess→authorize
	// decide authorize→authorize (tested on staging)
	// schedule authorize→scheduled
	// implement scheduled→implement
	// complete implement→review
	// close review→closed
}

// A standard change follows a pre-approved template: no CAB, straight from
// new to scheduled.
func Example_standard() {
	ctx := context.Background()
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{
		Now: monday,
		Templates: []change.Template{{
			Name:               "restart-web",
			Title:              "Rolling restart of the web tier",
			ImplementationPlan: "drain and restart one node at a time",
			BackoutPlan:        "restart the node again",
			MaxDuration:        2 * time.Hour,
		}},
	})
	c, _ := m.Propose(ctx, change.Draft{Template: "restart-web", CIs: []string{"web-1"}, By: itil.Actor{ID: "alice"}})
	fmt.Println(c.Type, c.Title, c.Risk, c.Approved())

	start := monday().Add(12 * time.Hour)
	res, err := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: itil.Actor{ID: "alice"}, Implementer: "bob",
		Window: change.Window{Start: start, End: start.Add(time.Hour)}})
	fmt.Println(res.Change.State, err)
	// Output:
	// standard Rolling restart of the web tier low true
	// scheduled <nil>
}

// A freeze refuses normal and standard changes and lets emergency changes
// in with a warning.
func ExampleFreezeError() {
	ctx := context.Background()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	weekend := change.Weekly("weekend", change.Window{
		Start: time.Date(2026, 10, 30, 18, 0, 0, 0, berlin), // Fridays 18:00
		End:   time.Date(2026, 11, 2, 6, 0, 0, 0, berlin),   // to Mondays 06:00
	})
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{
		Now:       monday,
		Freezes:   []change.Freeze{weekend},
		Templates: []change.Template{{Name: "patch", Title: "Patch", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	})
	alice, erin := itil.Actor{ID: "alice"}, itil.Actor{ID: "erin", Groups: []string{approval.GroupECAB}}
	saturday := change.Window{Start: time.Date(2026, 11, 7, 10, 0, 0, 0, berlin), End: time.Date(2026, 11, 7, 11, 0, 0, 0, berlin)}

	std, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"web-1"}, By: alice})
	_, err := m.Schedule(ctx, change.ScheduleParams{ID: std.ID, By: alice, Implementer: "bob", Window: saturday})
	var fe *change.FreezeError
	fmt.Println(errors.As(err, &fe), fe.Hits[0].Window.Start.In(berlin).Format("Mon 15:04"))

	em, _ := m.Propose(ctx, change.Draft{Type: change.Emergency, Title: "Patch OpenSSL", CIs: []string{"web-1"}, By: alice,
		ImplementationPlan: "apt upgrade openssl", BackoutPlan: "apt rollback"})
	em, _ = m.RequestApproval(ctx, change.RequestApprovalParams{ID: em.ID, By: alice})
	em, _ = m.Approve(ctx, change.DecideParams{ID: em.ID, By: erin})
	res, err := m.Schedule(ctx, change.ScheduleParams{ID: em.ID, By: erin, Implementer: "bob", Window: saturday})
	fmt.Println(res.Change.State, err, len(res.Freezes))
	fmt.Println(strings.Contains(res.Change.Warnings[0], `emergency change in freeze "weekend"`))
	// Output:
	// true Fri 18:00
	// scheduled <nil> 1
	// true
}

type parentMap map[string][]string // CI → parents, a host's small topology

func (c parentMap) Parents(_ context.Context, ci string) ([]string, error) { return c[ci], nil }
func (c parentMap) Children(_ context.Context, ci string) ([]string, error) {
	var out []string
	for child, parents := range c {
		for _, p := range parents {
			if p == ci {
				out = append(out, child)
			}
		}
	}
	return out, nil
}

// Conflicts finds changes overlapping on the same CI, on a parent or child
// (through the host's topology) or with the same implementer.
func ExampleManager_Conflicts() {
	ctx := context.Background()
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{
		Now:       monday,
		Topology:  parentMap{"vm-9": {"host-7"}},
		Templates: []change.Template{{Name: "patch", Title: "Patch", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	})
	alice := itil.Actor{ID: "alice"}
	start := monday().Add(24 * time.Hour)
	host, _ := m.Propose(ctx, change.Draft{Template: "patch", Title: "Patch the hypervisor", CIs: []string{"host-7"}, By: alice})
	m.Schedule(ctx, change.ScheduleParams{ID: host.ID, By: alice, Implementer: "bob",
		Window: change.Window{Start: start, End: start.Add(2 * time.Hour)}})

	vm := &change.Change{CIs: []string{"vm-9"}, Implementer: "bob",
		Planned: change.Window{Start: start.Add(time.Hour), End: start.Add(3 * time.Hour)}}
	conflicts, _ := m.Conflicts(ctx, vm)
	for _, c := range conflicts {
		fmt.Println(c.Kind, "-", c)
	}
	// Output:
	// parent - CHG0000001 (scheduled) on parent host-7 of vm-9, 2026-11-03T09:00:00Z/2026-11-03T11:00:00Z
	// implementer - CHG0000001 (scheduled) with the same implementer bob, 2026-11-03T09:00:00Z/2026-11-03T11:00:00Z
}

// Package event asks whether a CI is in an approved implementation window
// before it raises an incident from an alert.
func ExampleWindows_Active() {
	ctx := context.Background()
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{
		Now:       monday,
		Templates: []change.Template{{Name: "patch", Title: "Patch", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	})
	alice := itil.Actor{ID: "alice"}
	c, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"web-1"}, By: alice})
	start := monday().Add(time.Hour)
	m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Implementer: "bob", Window: change.Window{Start: start, End: start.Add(time.Hour)}})

	// The event package's own interface: *change.Windows satisfies it.
	var windows interface {
		Active(ctx context.Context, ci string, at time.Time) (bool, itil.Ref, error)
	} = m.Windows()
	for _, at := range []time.Time{monday(), start.Add(30 * time.Minute)} {
		if ok, ref, _ := windows.Active(ctx, "web-1", at); ok {
			fmt.Println(at.Format("15:04"), "suppress: in the window of", ref)
		} else {
			fmt.Println(at.Format("15:04"), "raise an incident")
		}
	}
	// Output:
	// 09:00 raise an incident
	// 10:30 suppress: in the window of change:CHG0000001
}

// WriteICS writes the change calendar for calendar programs.
func ExampleManager_WriteICS() {
	ctx := context.Background()
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{
		Now:       monday,
		Templates: []change.Template{{Name: "patch", Title: "Patch web-1", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	})
	alice := itil.Actor{ID: "alice"}
	c, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"web-1"}, By: alice})
	start := monday().Add(time.Hour)
	m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Implementer: "bob", Window: change.Window{Start: start, End: start.Add(time.Hour)}})

	var buf bytes.Buffer
	_ = m.WriteICS(ctx, &buf, change.CalendarQuery{From: monday(), To: monday().Add(7 * 24 * time.Hour)})
	for sc := bufio.NewScanner(&buf); sc.Scan(); {
		if line := sc.Text(); strings.HasPrefix(line, "DTSTART") || strings.HasPrefix(line, "SUMMARY") || strings.HasPrefix(line, "STATUS") {
			fmt.Println(line)
		}
	}
	// Output:
	// DTSTART:20261102T100000Z
	// STATUS:CONFIRMED
	// SUMMARY:CHG0000001: Patch web-1
}

// Two hosts share one store: what one schedules is on the other's calendar
// at once, because each catches up with the store's log before it
// answers. Start reads the log when a host starts.
func ExampleManager_Start() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{}) // or one SQL database for both hosts
	cfg := change.Config{
		Now:             monday,
		RefuseConflicts: true,
		Templates:       []change.Template{{Name: "patch", Title: "Patch", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	}
	a, _ := change.NewManager(st, cfg) // reads nothing
	b, _ := change.NewManager(st, cfg)
	if err := b.Start(ctx); err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	start := monday().Add(24 * time.Hour)
	w := change.Window{Start: start, End: start.Add(time.Hour)}

	first, _ := a.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"db-1"}, By: alice})
	_, err := a.Schedule(ctx, change.ScheduleParams{ID: first.ID, By: alice, Implementer: "bob", Window: w})
	fmt.Println("A:", err)

	second, _ := b.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"db-1"}, By: alice})
	_, err = b.Schedule(ctx, change.ScheduleParams{ID: second.ID, By: alice, Implementer: "carol", Window: w})
	fmt.Println("B:", err)
	// Output:
	// A: <nil>
	// B: change: CHG0000002 conflicts with CHG0000001 (scheduled) on db-1, 2026-11-03T09:00:00Z/2026-11-03T10:00:00Z
}

// A host's lifecycle extends a default by the type's name: here normal
// changes gain an "on_hold" state, the events in and out of it, and a
// custom field it requires. Fire fires the host's events; every command
// sets custom fields.
func ExampleParseLifecycle() {
	ctx := context.Background()
	normal, err := change.ParseLifecycle([]byte(`{"extends": "normal",
		"states": [{"name": "on_hold", "category": "paused"}],
		"events": [{"name": "hold", "from": ["scheduled"], "to": "on_hold"},
		           {"name": "resume", "from": ["on_hold"], "to": "scheduled"}],
		"fields": [{"name": "vendor_ticket", "required_in": ["on_hold"]}]}`))
	if err != nil {
		panic(err)
	}
	m, _ := change.NewManager(memstore.New(memstore.Config{}), change.Config{Now: monday, Normal: normal})
	alice := itil.Actor{ID: "alice"}
	carol := itil.Actor{ID: "carol", Groups: []string{approval.GroupChangeManagers}}
	c, _ := m.Propose(ctx, change.Draft{By: alice, Title: "Upgrade the SAN firmware", CIs: []string{"san-1"},
		ImplementationPlan: "vendor procedure", BackoutPlan: "roll back the firmware"})
	c, _ = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow, Impact: itil.ImpactLow})
	c, _ = m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
	c, _ = m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol, Note: "routine"})
	start := monday().Add(24 * time.Hour)
	res, _ := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: change.Window{Start: start, End: start.Add(time.Hour)}, Implementer: "bob"})
	c = res.Change

	_, err = m.Fire(ctx, lifecycle.FireParams{ID: c.ID, Version: c.Version, By: alice, Event: "hold"})
	fmt.Println(err)
	c, err = m.Fire(ctx, lifecycle.FireParams{ID: c.ID, Version: c.Version, By: alice, Event: "hold",
		Note: "the vendor found a bug", Fields: map[string]string{"vendor_ticket": "V-1234"}})
	fmt.Println(c.State, c.Fields["vendor_ticket"], err)
	_, err = m.Fire(ctx, lifecycle.FireParams{ID: c.ID, By: alice, Event: change.EventSchedule})
	fmt.Println(err)
	// Output:
	// invalid fields.vendor_ticket: required by event hold to state on_hold
	// on_hold V-1234 <nil>
	// invalid event: "schedule" is fired by the Manager's own commands
}

// A CMDB's graph wires change management to the configuration items: as
// the Topology, a change conflicts with changes on every CI it depends on
// and every CI that depends on it, however far; as the ServiceImpact, a
// change records the business services it puts at risk, their criticality
// raises its risk, and a freeze of a service covers the CIs under it.
func Example_cmdb() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	doc, err := cmdb.ParseDocument([]byte(`{
	  "cis": [
	    {"key": "pdu-1", "class": "power", "state": "live"},
	    {"key": "rack-1", "class": "rack", "state": "live"},
	    {"key": "srv-1", "class": "server", "state": "live"},
	    {"key": "vm-1", "class": "virtual_machine", "state": "live"},
	    {"key": "shop-app", "class": "application", "state": "live"},
	    {"key": "shop-db", "class": "database", "state": "live"},
	    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"}
	  ],
	  "relations": [
	    {"from": "rack-1", "type": "depends_on", "to": "pdu-1"},
	    {"from": "rack-1", "type": "contains", "to": "srv-1"},
	    {"from": "vm-1", "type": "runs_on", "to": "srv-1"},
	    {"from": "shop-app", "type": "runs_on", "to": "vm-1"},
	    {"from": "shop-app", "type": "depends_on", "to": "shop-db"},
	    {"from": "shop-app", "type": "provides", "to": "shop"}
	  ]}`))
	if err != nil {
		panic(err)
	}
	if _, err := reg.Import(ctx, cmdb.ImportParams{By: alice, Document: doc}); err != nil {
		panic(err)
	}

	g := reg.Graph()
	blackFriday := change.Window{
		Start: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
	}
	m, err := change.NewManager(st, change.Config{
		Now:             monday,
		Topology:        g, // a change.Dependencies: Ancestors and Descendants
		Services:        g, // a change.Criticality too
		RefuseConflicts: true,
		Freezes:         []change.Freeze{{Name: "black friday", Window: blackFriday, Services: []string{"shop"}}},
		Templates:       []change.Template{{Name: "patch", Title: "Patch", ImplementationPlan: "apt upgrade", BackoutPlan: "apt rollback"}},
	})
	if err != nil {
		panic(err)
	}
	if err := m.Start(ctx); err != nil { // checks the freeze's service too
		panic(err)
	}

	// A low-impact change on the shop's database, unlikely to go wrong:
	// but the shop, of high criticality, goes down with the database.
	c, _ := m.Propose(ctx, change.Draft{By: alice, Title: "Tune shop-db", CIs: []string{"shop-db"}, Impact: itil.ImpactLow,
		ImplementationPlan: "set work_mem", BackoutPlan: "reset work_mem"})
	fmt.Println(c.Number, "puts at risk", c.Services)
	c, _ = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow})
	fmt.Println("risk", c.Risk, "at", c.Assessment.Impact, "impact, at least", c.Assessment.Floor)

	// The rack's power, then the application on a VM on a server in it.
	tuesday := change.Window{Start: monday().Add(36 * time.Hour), End: monday().Add(38 * time.Hour)}
	power, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"pdu-1"}, By: alice})
	_, err = m.Schedule(ctx, change.ScheduleParams{ID: power.ID, By: alice, Implementer: "bob", Window: tuesday})
	fmt.Println(err)
	app, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"shop-app"}, By: alice})
	_, err = m.Schedule(ctx, change.ScheduleParams{ID: app.ID, By: alice, Implementer: "carl", Window: tuesday})
	fmt.Println(err)

	// The shop's freeze covers its database, two hops under it.
	db, _ := m.Propose(ctx, change.Draft{Template: "patch", CIs: []string{"shop-db"}, By: alice})
	_, err = m.Schedule(ctx, change.ScheduleParams{ID: db.ID, By: alice, Implementer: "bob",
		Window: change.Window{Start: blackFriday.Start.Add(10 * time.Hour), End: blackFriday.Start.Add(11 * time.Hour)}})
	fmt.Println(err)
	// Output:
	// CHG0000001 puts at risk [shop]
	// risk moderate at high impact, at least moderate
	// <nil>
	// change: CHG0000003 conflicts with CHG0000002 (scheduled) on pdu-1 upstream of shop-app, 2026-11-03T21:00:00Z/2026-11-03T23:00:00Z
	// change: CHG0000004 may not be scheduled in freeze "black friday" 2026-11-27T00:00:00Z/2026-11-30T00:00:00Z for service shop
}
