package incident_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// A host adds its own paused state to the default lifecycle in JSON, with a
// custom field that the state requires: an incident waits for the vendor
// only with the vendor's ticket number, and its SLA resolution clock pauses
// meanwhile, as in any paused state.
func ExampleParseLifecycle() {
	ctx := context.Background()
	def, err := incident.ParseLifecycle([]byte(`{
		"extends": "incident",
		"states": [{"name": "awaiting_vendor", "category": "paused"}],
		"events": [{"name": "wait_vendor", "from": ["in_progress"], "to": "awaiting_vendor"},
		           {"name": "vendor_replied", "from": ["awaiting_vendor"], "to": "in_progress"}],
		"fields": [{"name": "vendor_ticket", "required_in": ["awaiting_vendor"]}]
	}`))
	if err != nil {
		panic(err)
	}
	desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Lifecycle: def})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	bob := itil.Actor{ID: "bob", Groups: []string{"network"}}
	inc, err := desk.Open(ctx, incident.Draft{Title: "VPN drops every hour", Caller: alice,
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium})
	if err != nil {
		panic(err)
	}
	if _, err = desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: bob, Group: "network"}); err != nil {
		panic(err)
	}
	if _, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}); err != nil {
		panic(err)
	}

	_, err = desk.Fire(ctx, lifecycle.FireParams{ID: inc.ID, By: bob, Event: "wait_vendor"})
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("refused:", ve.Field)
	}

	inc, err = desk.Fire(ctx, lifecycle.FireParams{ID: inc.ID, By: bob, Event: "wait_vendor",
		Note: "firmware bug reported", Fields: map[string]string{"vendor_ticket": "V-1"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State, inc.StateCategory, inc.Fields["vendor_ticket"])

	inc, err = desk.Fire(ctx, lifecycle.FireParams{ID: inc.ID, By: bob, Event: "vendor_replied"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.State, inc.Fields["vendor_ticket"])
	// Output:
	// refused: fields.vendor_ticket
	// awaiting_vendor paused V-1
	// in_progress V-1
}
