package problem_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// A host's lifecycle, in JSON, extends the default by name: a paused state
// that waits for the change delivering the fix and requires the change's
// ticket, entered by firing the host's own event.
func ExampleParseLifecycle() {
	ctx := context.Background()
	def, err := problem.ParseLifecycle([]byte(`{"extends": "problem",
	 "states": [{"name": "awaiting_change", "category": "paused"}],
	 "events": [{"name": "wait_change", "from": ["fix_in_progress"], "to": "awaiting_change"},
	            {"name": "change_done", "from": ["awaiting_change"], "to": "fix_in_progress"}],
	 "fields": [{"name": "change_ticket", "required_in": ["awaiting_change"]}]}`))
	if err != nil {
		panic(err)
	}
	_, mgr, _ := exampleDesk(problem.Config{Lifecycle: def})
	carol := itil.Actor{ID: "carol"}
	p := must(mgr.Open(ctx, problem.Draft{Title: "Mail queue stalls nightly", Impact: itil.ImpactMedium,
		Urgency: itil.UrgencyLow, By: carol}))
	p = must(mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}))
	p = must(mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol}))
	p = must(mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: problem.Fix{Description: "move the backup window"}}))

	_, err = mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, By: carol, Event: "wait_change"})
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("refused:", ve.Field)
	}
	p = must(mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, Version: p.Version, By: carol, Event: "wait_change",
		Fields: map[string]string{"change_ticket": "CHG-1042"}}))
	fmt.Println(p.Number, p.State, p.StateCategory, p.Fields["change_ticket"])
	// Output:
	// refused: fields.change_ticket
	// PRB0000001 awaiting_change paused CHG-1042
}
