package assign_test

import (
	"context"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func Example() {
	ctx := context.Background()
	st := memstore.New(memstore.Config{})
	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
		{Name: "vpn", When: assign.When{Categories: []string{"vpn"}, Priorities: []itil.Priority{itil.P1, itil.P2}},
			Group: "network", Strategy: assign.RoundRobin, Members: []string{"bob", "carol"}},
		{Name: "everything else", Group: "service-desk"},
	}})
	if err != nil {
		panic(err)
	}
	for _, f := range []assign.Facts{
		{Category: "vpn", Priority: itil.P1},
		{Category: "vpn", Priority: itil.P2},
		{Category: "vpn", Priority: itil.P4},
		{Category: "vpn", Priority: itil.P1},
	} {
		err := lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
			d, _, err := rules.Decide(ctx, tx, f, nil)
			fmt.Println(d.Note())
			return err
		})
		if err != nil {
			panic(err)
		}
	}
	// Output:
	// assigned to network (bob) by rule vpn
	// assigned to network (carol) by rule vpn
	// assigned to service-desk by rule everything else
	// assigned to network (bob) by rule vpn
}
