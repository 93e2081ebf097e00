package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/notify"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/problem"
	"github.com/itil-go/itil/request"
)

// The people of the day.
var (
	alice   = itil.Actor{ID: "alice", Name: "Alice (sales)"}
	carol   = itil.Actor{ID: "carol", Name: "Carol (finance)"}
	dan     = itil.Actor{ID: "dan", Name: "Dan (service desk)", Groups: []string{"service-desk"}}
	bob     = itil.Actor{ID: "bob", Name: "Bob (network)", Groups: []string{"network"}}
	manager = itil.Actor{ID: "mia", Name: "Mia (major incident manager)", Groups: []string{"major-incident"}}
	carla   = itil.Actor{ID: "carla", Name: "Carla (problem manager)", Groups: []string{"problem-management", "cab"}}
	cab     = itil.Actor{ID: "chris", Name: "Chris (CAB chair)", Groups: []string{"cab"}}
	tom     = itil.Actor{ID: "tom", Name: "Tom (field engineer)"}
	tomCAB  = itil.Actor{ID: "tom", Name: "Tom (field engineer)", Groups: []string{"cab"}}
)

// day holds the scenario's services and prints its timeline.
type day struct {
	w        io.Writer
	clock    *clock
	store    lifecycle.Store
	desk     *incident.Desk
	policy   *sla.Policy
	problems *problem.Manager
	requests *request.Desk
	changes  *change.Manager
	events   *event.Engine

	vpn, carol       uuid.UUID
	problemNumber    string
	printerIncidents []uuid.UUID
	problem          uuid.UUID
	fixChange        itil.Ref
	disp             *lifecycle.Dispatcher
	bus              *notify.Bus
}

func newDay(ctx context.Context, w io.Writer, st lifecycle.Store) (*day, error) {
	c := &clock{now: time.Date(2026, 11, 23, 8, 55, 0, 0, time.UTC)} // a Monday
	policy := sla.DefaultPolicy()
	reg, err := newCMDB(ctx, st)
	if err != nil {
		return nil, err
	}
	// The CMDB's graph tells every process what its CIs are: the services
	// an outage affects, who owns a CI, its parents and its criticality.
	estate := reg.Graph()
	// The network team's P1 incidents page whoever is on call.
	pg, err := paging()
	if err != nil {
		return nil, err
	}
	desk, err := incident.NewDesk(st, incident.Config{Now: c.Now, SLA: policy, Services: estate, Owners: estate, Paging: pg})
	if err != nil {
		return nil, err
	}
	problems, err := problem.NewManager(st, desk, problem.Config{Now: c.Now, OnResolve: problem.ResolveIncidents})
	if err != nil {
		return nil, err
	}
	cat, err := catalog()
	if err != nil {
		return nil, err
	}
	requests, err := request.NewDesk(st, request.Config{Catalog: cat, Now: c.Now})
	if err != nil {
		return nil, err
	}
	changes, err := change.NewManager(st, change.Config{Now: c.Now, Freezes: freezes()})
	if err != nil {
		return nil, err
	}
	events, err := event.NewEngine(st, event.Config{
		Now:           c.Now,
		Logger:        slog.New(slog.DiscardHandler),
		Correlation:   []event.CorrelationRule{{Name: "by-service", By: []string{"service"}, Window: 15 * time.Minute}},
		Topology:      estate,
		Services:      estate,
		ChangeWindows: changes.Windows(),
		Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1, ReopenWindow: time.Hour, Criticality: estate, Owners: estate,
			Rules: []event.IncidentRule{
				// The data centre's incidents go to the team that owns the CI.
				{Name: "data centre", MinSeverity: event.SeverityMajor, Labels: map[string]string{"site": "dc1"}},
				{Name: "major and up", MinSeverity: event.SeverityMajor, Group: "network"},
			}},
	})
	if err != nil {
		return nil, err
	}
	// Constructors read nothing: each service reads the store at its start.
	if err := changes.Start(ctx); err != nil {
		return nil, err
	}
	if err := problems.Start(ctx); err != nil {
		return nil, err
	}
	if err := events.Start(ctx); err != nil {
		return nil, err
	}
	bus := notify.NewBus()
	// The bus, and the work that must follow changes: an alert's incident, a
	// parent incident's children resolved with it, a problem's workaround
	// and fix passed to its incidents.
	subs := []lifecycle.Subscription{{Name: "servicedesk-bus", Notifier: bus}}
	subs = append(subs, events.Reactions()...)
	subs = append(subs, desk.Reactions()...)
	subs = append(subs, problems.Reactions()...)
	disp, err := lifecycle.NewDispatcher(st, subs,
		lifecycle.DispatcherConfig{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	d := &day{w: w, clock: c, store: st, desk: desk, policy: policy, problems: problems, requests: requests,
		changes: changes, events: events, disp: disp, bus: bus}
	// The on-call engineers get their pages, the major incident team is
	// paged on major incident events, and everyone hears of SLA warnings
	// and breaches.
	d.pager(bus)
	bus.Subscribe(notify.Filter{Events: []string{incident.EventMajorProposed, incident.EventMajorAccepted}},
		func(_ context.Context, ch lifecycle.Change) error {
			d.notice("page major-incident team: %s %s (%s)", ch.Number, strings.ReplaceAll(ch.Event, "_", " "), ch.Note)
			return nil
		})
	bus.Subscribe(notify.Filter{Events: []string{incident.EventSLAWarning, incident.EventSLABreach}},
		func(_ context.Context, ch lifecycle.Change) error {
			for _, f := range ch.Fields {
				d.notice("SLA %s on %s: %s clock", f.New, ch.Number, strings.TrimPrefix(f.Field, "sla."))
			}
			return nil
		})
	return d, nil
}

// say prints a timeline line at the simulated time.
func (d *day) say(format string, args ...any) {
	fmt.Fprintf(d.w, "%s  %s\n", d.clock.Now().Format("Mon 02 Jan 15:04"), fmt.Sprintf(format, args...))
}

// notice prints a notification delivered through the outbox.
func (d *day) notice(format string, args ...any) {
	fmt.Fprintf(d.w, "                   ↳ %s\n", fmt.Sprintf(format, args...))
}

// deliver drains the outbox to the bus, as a host's background dispatcher
// would.
func (d *day) deliver(ctx context.Context) error { return d.disp.Drain(ctx) }

func (d *day) play(ctx context.Context) error {
	fmt.Fprintln(d.w, "A day at the service desk, Monday 23 November 2026, and the month-end after (simulated clock)")
	fmt.Fprintln(d.w)
	if err := d.earlier(ctx); err != nil {
		return err
	}
	for _, step := range []func(context.Context) error{
		d.burst, d.outage, d.printers, d.newJoiner, d.printerChange, d.fixPrinters, d.cooling, d.summary,
	} {
		if err := step(ctx); err != nil {
			return err
		}
		if err := d.deliver(ctx); err != nil {
			return err
		}
	}
	// The host stops: the live counts of the open alerts are saved, so
	// that the next run resumes them.
	n, err := d.events.Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "\nThe event engine saved the counts of %d open alert(s) before stopping.\n", n)
	return nil
}

// earlier tells what the store holds from earlier runs, when it is kept in
// a file or a database.
func (d *day) earlier(ctx context.Context) error {
	count := func(seq iter.Seq2[lifecycle.Entity, error]) (int, error) {
		n := 0
		for _, err := range seq {
			if err != nil {
				return 0, err
			}
			n++
		}
		return n, nil
	}
	var parts []string
	for _, k := range []struct {
		kind string
		new  func() lifecycle.Entity
	}{
		{"incident", func() lifecycle.Entity { return new(incident.Incident) }},
		{"problem", func() lifecycle.Entity { return new(problem.Problem) }},
		{"change", func() lifecycle.Entity { return new(change.Change) }},
		{"request", func() lifecycle.Entity { return new(request.Request) }},
	} {
		n, err := count(d.store.Find(ctx, lifecycle.Query{Kind: k.kind, New: k.new}))
		if err != nil {
			return err
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s(s)", n, k.kind))
		}
	}
	if len(parts) > 0 {
		resumed := ""
		if n := d.events.Stats().Restored; n > 0 {
			resumed = fmt.Sprintf(", and the event engine resumed %d open alert(s)", n)
		}
		fmt.Fprintf(d.w, "The store holds %s from earlier runs%s; today's records follow them.\n\n", strings.Join(parts, ", "), resumed)
	}
	return nil
}
