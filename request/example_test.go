package request_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/request"
)

// Example orders a laptop and an access grant, has them approved and
// fulfils them: the calls a service desk makes.
func Example() {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC) }

	cat, err := request.NewCatalog(
		request.Item{
			ID: "laptop", Name: "Standard laptop", Category: "hardware",
			Variables: []request.Variable{
				{Name: "ram", Kind: request.VarNumber, Min: request.Float(8), Max: request.Float(64), Default: "16"},
				{Name: "os", Kind: request.VarChoice, Required: true, Choices: []string{"windows", "linux"}},
			},
			Approval: &approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group("managers")}},
			Tasks: []request.TaskTemplate{
				{Title: "Image the laptop", Group: "imaging"},
				{Title: "Hand over the laptop", Group: "deskside"},
			},
			Price: request.Money{Amount: 129900, Currency: "EUR"},
		},
		request.Item{
			ID: "erp-ap-clerk", Name: "ERP AP clerk", Category: "access", Kind: request.KindAccess,
			Access: &request.Access{Service: "erp", Role: "ap-clerk", Owner: "olga", Days: 90},
			Tasks:  []request.TaskTemplate{{Title: "Grant the role", Group: "erp-admins"}},
		},
	)
	if err != nil {
		panic(err)
	}
	desk, err := request.NewDesk(memstore.New(memstore.Config{Now: clock}), request.Config{Catalog: cat, Now: clock})
	if err != nil {
		panic(err)
	}

	alice := itil.Actor{ID: "alice"}
	mike := itil.Actor{ID: "mike", Groups: []string{"managers"}}
	olga := itil.Actor{ID: "olga"}
	tom := itil.Actor{ID: "tom", Groups: []string{"imaging", "deskside", "erp-admins"}}

	laptop, err := desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
		{Item: "laptop", Values: map[string]string{"os": "linux", "ram": "32"}},
	}})
	if err != nil {
		panic(err)
	}
	access, err := desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "erp-ap-clerk"}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(laptop.Number, laptop.State, laptop.Approval.Summary())
	fmt.Println(access.Number, access.State, access.Approval.Pending())

	for r, err := range desk.MyApprovals(ctx, mike) {
		if err != nil {
			panic(err)
		}
		fmt.Println("mike may decide", r.Number)
	}
	_, _ = desk.Decide(ctx, request.DecideParams{ID: laptop.ID, By: mike, Verdict: approval.Approve, Note: "budgeted"})
	_, _ = desk.Decide(ctx, request.DecideParams{ID: access.ID, By: olga, Verdict: approval.Approve, Note: "for Q2"})

	// The fulfilment groups work their tasks; ordered ones open in turn.
	for {
		open := slices.Collect(func(yield func(*request.Task) bool) {
			for t, err := range desk.Tasks(ctx, request.TaskQuery{Open: true}) {
				if err != nil || !yield(t) {
					return
				}
			}
		})
		if len(open) == 0 {
			break
		}
		for _, t := range open {
			fmt.Println("done:", t.Number, t.Title)
			if _, err := desk.CompleteTask(ctx, request.TaskParams{ID: t.ID, By: tom}); err != nil {
				panic(err)
			}
		}
	}
	laptop, _ = desk.Get(ctx, laptop.ID)
	access, _ = desk.Get(ctx, access.ID)
	fmt.Println(laptop.Number, laptop.State)
	fmt.Println(access.Number, access.State)
	for g, err := range desk.Grants(ctx, request.GrantQuery{User: "alice"}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(g.Number, g.User, g.Service, g.Role, "until", g.ExpiresAt.Format(time.DateOnly))
	}
	// Output:
	// REQ0000001 awaiting_approval 0/1 approved, any one
	// REQ0000002 awaiting_approval [person:olga]
	// mike may decide REQ0000001
	// done: TSK0000001 Image the laptop
	// done: TSK0000003 Grant the role
	// done: TSK0000002 Hand over the laptop
	// REQ0000001 fulfilled
	// REQ0000002 fulfilled
	// GRT0000001 alice erp ap-clerk until 2025-06-01
}

// ExampleCatalog_Search finds items for a portal's search box.
func ExampleCatalog_Search() {
	cat, _ := request.NewCatalog(
		request.Item{ID: "laptop", Name: "Standard laptop", Category: "hardware", Keywords: []string{"notebook"}},
		request.Item{ID: "dock", Name: "Docking station", Category: "hardware", Description: "For any laptop"},
		request.Item{ID: "vpn", Name: "VPN access", Category: "access"},
	)
	for it := range cat.Search("lap") {
		fmt.Println(it.ID)
	}
	fmt.Println(cat.Categories())
	// Output:
	// laptop
	// dock
	// [access hardware]
}

// ExampleVariable_Parse checks a form's value and names the variable when
// it is bad.
func ExampleVariable_Parse() {
	ram := request.Variable{Name: "ram", Kind: request.VarNumber, Min: request.Float(8), Max: request.Float(64)}
	v, err := ram.Parse("16.0", time.Now())
	fmt.Println(v, err)
	_, err = ram.Parse("128", time.Now())
	fmt.Println(err)
	// Output:
	// 16 <nil>
	// invalid variables[ram]: 128 is more than the maximum 64
}

// ExampleParseLifecycle extends the default request lifecycle in JSON with
// a state of its own and a custom field that state requires, and fires
// the host's event through Fire.
func ExampleParseLifecycle() {
	ctx := context.Background()
	def, err := request.ParseLifecycle([]byte(`{"extends": "request",
		"states": [{"name": "awaiting_budget", "category": "paused"}],
		"events": [{"name": "wait_budget", "from": ["in_fulfilment"], "to": "awaiting_budget"},
		           {"name": "budget_granted", "from": ["awaiting_budget"], "to": "in_fulfilment"}],
		"fields": [{"name": "cost_centre", "required_in": ["awaiting_budget"]}]}`))
	if err != nil {
		panic(err)
	}
	cat, _ := request.NewCatalog(request.Item{ID: "chair", Name: "Office chair", Category: "furniture",
		Tasks: []request.TaskTemplate{{Title: "Deliver the chair", Group: "facilities"}}})
	desk, err := request.NewDesk(memstore.New(memstore.Config{}), request.Config{Catalog: cat, Lifecycle: def})
	if err != nil {
		panic(err)
	}
	alice, fran := itil.Actor{ID: "alice"}, itil.Actor{ID: "fran", Groups: []string{"facilities"}}
	r, _ := desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "chair"}}})
	fmt.Println(r.Number, r.State)

	_, err = desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: fran, Event: "wait_budget"})
	fmt.Println(err)
	r, _ = desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, Version: r.Version, By: fran, Event: "wait_budget",
		Note: "over the team's budget", Fields: map[string]string{"cost_centre": "CC-42"}})
	fmt.Println(r.State, r.Fields["cost_centre"])

	_, err = desk.Close(ctx, request.Params{ID: r.ID, Version: r.Version - 1, By: fran})
	fmt.Println(errors.Is(err, lifecycle.ErrConflict))
	// Output:
	// REQ0000001 in_fulfilment
	// invalid fields.cost_centre: required by event wait_budget to state awaiting_budget
	// awaiting_budget CC-42
	// true
}
