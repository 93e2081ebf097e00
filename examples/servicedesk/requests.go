package main

import (
	"context"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// catalog is the service catalog of the day.
func catalog() (*request.Catalog, error) {
	return request.NewCatalog(
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
			ID: "crm-sales", Name: "CRM sales role", Category: "access", Kind: request.KindAccess,
			Access: &request.Access{Service: "crm", Role: "sales", Owner: "olga", Days: 90},
			Tasks:  []request.TaskTemplate{{Title: "Grant the role", Group: "crm-admins"}},
		},
	)
}

// newJoiner plays a new colleague's first day: a laptop and an access
// grant are ordered, approved and fulfilled.
func (d *day) newJoiner(ctx context.Context) error {
	hana := itil.Actor{ID: "hana", Name: "Hana (new in sales)"}
	mike := itil.Actor{ID: "mike", Name: "Mike (sales manager)", Groups: []string{"managers"}}
	olga := itil.Actor{ID: "olga", Name: "Olga (CRM owner)"}
	tom := itil.Actor{ID: "tom", Name: "Tom (fulfilment)", Groups: []string{"imaging", "deskside", "crm-admins"}}

	d.clock.advance(20 * time.Minute)
	_, err := d.requests.Order(ctx, request.Order{By: hana, Lines: []request.OrderLine{
		{Item: "laptop", Values: map[string]string{"os": "beos"}},
	}})
	if err != nil {
		d.say("order refused: %v", err)
	}
	laptop, err := d.requests.Order(ctx, request.Order{By: hana, Lines: []request.OrderLine{
		{Item: "laptop", Values: map[string]string{"os": "linux", "ram": "32"}},
	}})
	if err != nil {
		return err
	}
	access, err := d.requests.Order(ctx, request.Order{By: hana, Lines: []request.OrderLine{{Item: "crm-sales"}}})
	if err != nil {
		return err
	}
	d.say("%s (laptop) and %s (CRM sales role) ordered by %s, awaiting approval", laptop.Number, access.Number, hana.ID)

	d.clock.advance(15 * time.Minute)
	if _, err := d.requests.Decide(ctx, request.DecideParams{ID: laptop.ID, By: mike, Verdict: approval.Approve, Note: "budgeted"}); err != nil {
		return err
	}
	if _, err := d.requests.Decide(ctx, request.DecideParams{ID: access.ID, By: olga, Verdict: approval.Approve, Note: "standard sales access"}); err != nil {
		return err
	}
	d.say("approved by %s (manager) and %s (service owner); fulfilment tasks open", mike.ID, olga.ID)

	for {
		open := slices.Collect(func(yield func(*request.Task) bool) {
			for t, err := range d.requests.Tasks(ctx, request.TaskQuery{Open: true}) {
				if err != nil || !yield(t) {
					return
				}
			}
		})
		if len(open) == 0 {
			break
		}
		for _, t := range open {
			d.clock.advance(10 * time.Minute)
			if _, err := d.requests.CompleteTask(ctx, request.TaskParams{ID: t.ID, By: tom}); err != nil {
				return err
			}
			d.say("%s done: %s", t.Number, t.Title)
		}
	}
	for _, id := range []itil.Ref{{ID: laptop.ID}, {ID: access.ID}} {
		r, err := d.requests.Get(ctx, id.ID)
		if err != nil {
			return err
		}
		d.say("%s %s", r.Number, r.State)
	}
	for g, err := range d.requests.Grants(ctx, request.GrantQuery{User: hana.ID}) {
		if err != nil {
			return err
		}
		d.say("%s: %s has %s on %s until %s", g.Number, g.User, g.Role, g.Service, g.ExpiresAt.Format(time.DateOnly))
	}
	return nil
}
