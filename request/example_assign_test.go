package request_test

import (
	"context"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/request"
)

// ExampleDesk_AssignTask has the desk's assignment rules choose who
// fulfils the tasks: a template without a group goes to the group of the
// rule the item meets, whose round robin chooses the person; a task handed
// to another group gets its person from that group's rule.
func ExampleDesk_AssignTask() {
	ctx := context.Background()
	cat, err := request.NewCatalog(request.Item{
		ID: "monitor", Name: "Monitor", Category: "hardware",
		Tasks: []request.TaskTemplate{{Title: "Deliver the monitor"}},
	})
	if err != nil {
		panic(err)
	}
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "hardware", When: assign.When{Categories: []string{"hardware"}}, Group: "deskside",
			Strategy: assign.RoundRobin, Members: []string{"ann", "ben"}},
		{Name: "screens", Group: "av-team", Strategy: assign.LeastLoaded, Members: []string{"cat", "dan"}},
	}})
	if err != nil {
		panic(err)
	}
	desk, err := request.NewDesk(memstore.New(memstore.Config{}), request.Config{Catalog: cat, Assignment: rules})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	var last *request.Task
	for range 3 {
		r, err := desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "monitor"}}})
		if err != nil {
			panic(err)
		}
		if last, err = desk.GetTask(ctx, r.Tasks[0].ID); err != nil {
			panic(err)
		}
		fmt.Println(last.Number, last.Group, last.Assignee)
	}

	moved, err := desk.AssignTask(ctx, request.AssignTaskParams{ID: last.ID, By: itil.Actor{ID: "ann"},
		Group: "av-team", Note: "a curved screen"})
	if err != nil {
		panic(err)
	}
	for c, err := range desk.Journal(ctx, moved.ID) {
		if err != nil {
			panic(err)
		}
		if c.Note != "" {
			fmt.Printf("%s: %q\n", c.Event, c.Note)
		}
	}
	// Output:
	// TSK0000001 deskside ann
	// TSK0000002 deskside ben
	// TSK0000003 deskside ann
	// create: "for REQ0000003: Monitor\nassigned to deskside (ann) by rule hardware"
	// assign: "a curved screen\nassigned to av-team (cat) by rule screens"
}
