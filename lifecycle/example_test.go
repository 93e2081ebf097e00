package lifecycle_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func Example() {
	ctx := context.Background()
	p, err := lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), ticketDefinition(), lifecycle.ProcessConfig{})
	if err != nil {
		panic(err)
	}
	tk, _ := p.Create(ctx, &ticket{Title: "printer jammed"}, alice, "")
	tk, _ = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice,
		Apply: func(t *ticket, ed *lifecycle.Edit) error {
			lifecycle.Set(ed, "group", &t.Group, "desk")
			return nil
		}})
	fmt.Println(tk.Number, tk.State, tk.Version)

	// Resolving needs a resolution: the kernel names the missing field.
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "resolve", Actor: alice})
	var ve *itil.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)

	// Closing is not allowed from assigned.
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "close", Actor: alice})
	fmt.Println(err)

	for c := range p.Journal(ctx, tk.ID) {
		fmt.Println(c.Version, c.Event, c.From, "->", c.To, c.Fields)
	}
	// Output:
	// TIC0000001 assigned 2
	// true resolution
	// ticket: event "close" not allowed in state "assigned" (allowed: assign, start, resolve, cancel)
	// 1 create  -> new []
	// 2 assign new -> assigned [{group  desk}]
}

func ExampleDefinition_Extend() {
	base := ticketDefinition()
	def, err := base.Extend(
		[]lifecycle.State{{Name: "awaiting_vendor", Category: lifecycle.Paused, Requires: []string{"fields.vendor_ticket"}}},
		[]lifecycle.Event{
			{Name: "wait_vendor", From: []string{"in_progress"}, To: "awaiting_vendor"},
			{Name: "resume", From: []string{"awaiting_vendor"}, To: "in_progress"},
		})
	if err != nil {
		panic(err)
	}
	fmt.Println(def.Category("awaiting_vendor"), def.Allowed("in_progress"))
	// Output: paused [hold resolve wait_vendor]
}

func ExampleParseDefinition() {
	_, err := lifecycle.ParseDefinition([]byte(`{
		"name": "ticket",
		"states": [
			{"name": "new", "category": "open", "initial": true},
			{"name": "done", "category": "closed"}
		],
		"events": [
			{"name": "finish", "from": ["new"], "to": "done"},
			{"name": "undo", "from": ["done"], "to": "new"}
		]
	}`))
	fmt.Println(err)
	// Output: invalid events[1].from[0]: event "undo" leaves closed state "done", which does not allow exit
}

// Two records change in one commit: both or neither. Atomic runs the
// function again on fresh copies when another writer came first.
func ExampleAtomic() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	p, _ := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	a, _ := p.Create(ctx, &ticket{Title: "VPN down"}, alice, "")
	b, _ := p.Create(ctx, &ticket{Title: "VPN slow"}, alice, "")

	err := lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
		assign := lifecycle.Action[*ticket]{Event: "assign", Actor: alice,
			Apply: func(t *ticket, ed *lifecycle.Edit) error {
				lifecycle.Set(ed, "group", &t.Group, "network")
				return nil
			}}
		if _, err := p.FireIn(ctx, tx, a.ID, assign); err != nil {
			return err
		}
		_, err := p.FireIn(ctx, tx, b.ID, lifecycle.Action[*ticket]{Event: "close", Actor: alice})
		return err // b cannot close from new: a is not assigned either
	})
	fmt.Println(err)
	a, _ = p.Get(ctx, a.ID)
	fmt.Println(a.State)
	// Output:
	// ticket: event "close" not allowed in state "new" (allowed: assign, resolve, cancel)
	// new
}

// A read model follows the log: every host that shares the store catches up
// before it answers, and so sees what any host committed.
func ExampleProjection() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	p, _ := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	created := 0
	proj := lifecycle.NewProjection(st, func(_ context.Context, ch lifecycle.Change) error {
		if ch.Event == lifecycle.EventCreate {
			created++
		}
		return nil
	})
	p.Create(ctx, &ticket{Title: "printer jammed"}, alice, "")
	p.Create(ctx, &ticket{Title: "toner low"}, alice, "")
	if err := proj.CatchUp(ctx); err != nil {
		panic(err)
	}
	fmt.Println(created, proj.Seq())
	// Output: 2 2
}
