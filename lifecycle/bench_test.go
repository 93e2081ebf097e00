package lifecycle_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/looplab/fsm"

	"github.com/itil-go/itil/lifecycle"
)

// BenchmarkBareFSM is the floor: one looplab/fsm Event call per op on a
// prebuilt machine, alternating between two states so every call moves.
func BenchmarkBareFSM(b *testing.B) {
	ctx := context.Background()
	m := fsm.NewFSM("in_progress", fsm.Events{
		{Name: "hold", Src: []string{"in_progress"}, Dst: "on_hold"},
		{Name: "resume", Src: []string{"on_hold"}, Dst: "in_progress"},
	}, fsm.Callbacks{})
	events := [2]string{"hold", "resume"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := m.Event(ctx, events[i&1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// benchTicket returns a process with one in-progress ticket whose fields let
// it move between in_progress and on_hold.
func benchTicket(b *testing.B, cfg lifecycle.ProcessConfig) (*lifecycle.Process[*ticket], uuid.UUID) {
	p := newTickets(b, nil, cfg)
	ctx := context.Background()
	tk, err := p.Create(ctx, &ticket{Title: "bench", Group: "desk", HoldReason: "awaiting caller"}, alice, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, ev := range []string{"assign", "start"} {
		if _, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice}); err != nil {
			b.Fatal(err)
		}
	}
	return p, tk.ID
}

// BenchmarkTransition is one full transition through the runner on
// memstore: load (a clone), authorize, required-field guard, the pooled
// looplab/fsm machine, journal entry, compare-and-set save and outbox append.
func BenchmarkTransition(b *testing.B) {
	p, id := benchTicket(b, lifecycle.ProcessConfig{})
	ctx := context.Background()
	events := [2]string{"hold", "resume"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := p.Fire(ctx, id, lifecycle.Action[*ticket]{Event: events[i&1], Actor: alice}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTransitionParallel runs transitions from every core, each
// goroutine on its own record, on one shared store.
func BenchmarkTransitionParallel(b *testing.B) {
	p := newTickets(b, nil, lifecycle.ProcessConfig{})
	ctx := context.Background()
	events := [2]string{"hold", "resume"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		tk, err := p.Create(ctx, &ticket{Title: "bench", Group: "desk", HoldReason: "awaiting caller"}, alice, "")
		if err != nil {
			b.Fatal(err)
		}
		for _, ev := range []string{"assign", "start"} {
			if _, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice}); err != nil {
				b.Fatal(err)
			}
		}
		i := 0
		for pb.Next() {
			if _, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: events[i&1], Actor: alice}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
