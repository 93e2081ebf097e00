package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/problem"
	"github.com/itil-go/itil/request"
)

// world is everything the portal serves: the users, one in-memory store and
// the process services over it.
type world struct {
	users     *directory
	incidents *incident.Desk
	requests  *request.Desk
	changes   *change.Manager
	sla       *sla.Policy
	now       func() time.Time
	// reactions runs the work that follows a change (a parent incident's
	// children resolved with it) from the store's log; see run.
	reactions *lifecycle.Dispatcher
}

// newWorld builds the services over a fresh in-memory store and seeds them
// with a catalog, a few incidents, a request awaiting approval and changes
// awaiting the CAB.
func newWorld(ctx context.Context, now func() time.Time, logger *slog.Logger) (*world, error) {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	st := memstore.New(memstore.Config{Now: now})
	w := &world{users: seedUsers(), sla: sla.DefaultPolicy(), now: now}

	var err error
	w.incidents, err = incident.NewDesk(st, incident.Config{SLA: w.sla, Now: now, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("incident desk: %w", err)
	}
	cat, err := request.NewCatalog(catalogItems()...)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	w.requests, err = request.NewDesk(st, request.Config{Catalog: cat, Directory: w.users, Now: now, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("request desk: %w", err)
	}
	w.changes, err = change.NewManager(st, change.Config{Now: now, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("change manager: %w", err)
	}
	w.reactions, err = lifecycle.NewDispatcher(st, w.incidents.Reactions(), lifecycle.DispatcherConfig{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("reactions: %w", err)
	}
	if err := w.seed(ctx); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return w, nil
}

// run catches the change calendar up with the store and runs the reactions
// until ctx is done; the portal serves meanwhile.
func (w *world) run(ctx context.Context) error {
	if err := w.changes.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it caught up
		}
		return fmt.Errorf("change calendar: %w", err)
	}
	if err := w.reactions.Run(ctx); err != nil && ctx.Err() == nil {
		return fmt.Errorf("reactions: %w", err)
	}
	return nil
}

// catalogItems is the service catalog of the demo.
func catalogItems() []request.Item {
	managers := &approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group("managers")}}
	return []request.Item{
		{
			ID: "laptop", Name: "Standard laptop", Category: "hardware",
			Description: "A 14-inch laptop with a three-year warranty.", Keywords: []string{"notebook", "computer"},
			Variables: []request.Variable{
				{Name: "os", Label: "Operating system", Kind: request.VarChoice, Required: true, Choices: []string{"linux", "windows", "macos"}},
				{Name: "ram", Label: "Memory (GB)", Kind: request.VarNumber, Min: request.Float(8), Max: request.Float(64), Default: "16",
					Help: "8 to 64"},
				{Name: "needed_by", Label: "Needed by", Kind: request.VarDate, Min: request.Float(0), Help: "not in the past"},
			},
			Approval: managers,
			Tasks: []request.TaskTemplate{
				{Title: "Image the laptop", Group: "imaging"},
				{Title: "Hand over the laptop", Group: "deskside"},
			},
			Price: request.Money{Amount: 129900, Currency: "EUR"},
		},
		{
			ID: "monitor", Name: "27-inch monitor", Category: "hardware",
			Description: "A second screen, delivered to your desk.", Keywords: []string{"screen", "display"},
			Tasks: []request.TaskTemplate{{Title: "Deliver the monitor", Group: "deskside"}},
			Price: request.Money{Amount: 24900, Currency: "EUR"},
		},
		{
			ID: "shared-mailbox", Name: "Shared mailbox", Category: "collaboration",
			Description: "A mailbox a team reads together.",
			Variables: []request.Variable{
				{Name: "address", Label: "Address (before the @)", Kind: request.VarText, Required: true,
					Pattern: `[a-z0-9][a-z0-9.-]*`, Max: request.Float(40), Help: "lower-case letters, digits, dots and dashes"},
				{Name: "members", Label: "Members", Kind: request.VarText, Help: "user names, separated by commas"},
			},
			Approval: managers,
			Tasks:    []request.TaskTemplate{{Title: "Create the mailbox", Group: "service-desk"}},
		},
		{
			ID: "erp-ap-clerk", Name: "ERP accounts payable clerk", Category: "access", Kind: request.KindAccess,
			Description: "Enter and approve supplier invoices in the ERP.",
			Access:      &request.Access{Service: "erp", Role: "ap-clerk", Owner: "olga", Days: 90},
			Tasks:       []request.TaskTemplate{{Title: "Grant the role", Group: "erp-admins"}},
		},
	}
}

// seed records the demo's starting point.
func (w *world) seed(ctx context.Context) error {
	actor := func(id string) itil.Actor {
		u, _ := w.users.Get(id)
		return u.Actor()
	}
	for _, dr := range []incident.Draft{
		{Title: "VPN drops every few minutes", Caller: actor("alice"), Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh,
			Category: "network", CIs: []string{"vpn-gw-1"}, Group: "network"},
		{Title: "Printer on the third floor jams", Caller: actor("bob"), Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium,
			Category: "hardware"},
		{Title: "Mail is slow to arrive", Caller: actor("bob"), Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium,
			Category: "email"},
		{Title: "Spreadsheet add-in crashes on start", Caller: actor("alice"), Impact: itil.ImpactLow, Urgency: itil.UrgencyLow,
			Category: "software"},
	} {
		if _, err := w.incidents.Open(ctx, dr); err != nil {
			return err
		}
	}
	if _, err := w.requests.Order(ctx, request.Order{By: actor("bob"), Description: "Mine is five years old",
		Lines: []request.OrderLine{{Item: "laptop", Values: map[string]string{"os": "windows", "ram": "32"}}}}); err != nil {
		return err
	}
	return seedChanges(ctx, w.changes, actor("tom"))
}

// lifecycles returns the lifecycle definitions the portal draws, by name, in
// the order they are listed.
func (w *world) lifecycles() []namedLifecycle {
	out := []namedLifecycle{
		{"incident", "Incident", w.incidents.Lifecycle()},
		{"request", "Service request", w.requests.Lifecycle()},
		{"task", "Fulfilment task", request.TaskLifecycle()},
		{"grant", "Access grant", request.GrantLifecycle()},
		{"problem", "Problem", problem.DefaultLifecycle()},
		{"alert", "Alert", event.Lifecycle()},
	}
	return append(out, changeLifecycles(w.changes)...)
}

// namedLifecycle is a lifecycle as the portal lists it.
type namedLifecycle struct {
	Name  string
	Title string
	Def   *lifecycle.Definition
}
