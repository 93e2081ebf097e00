package lifecycle_test

import (
	"context"
	"errors"
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

// BenchmarkBareFSMParallel is the floor for BenchmarkTransitionParallel:
// every goroutine runs BenchmarkBareFSM's loop on a machine of its own, so
// it shows how far this machine lets work that shares nothing scale.
func BenchmarkBareFSMParallel(b *testing.B) {
	ctx := context.Background()
	events := [2]string{"hold", "resume"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		m := fsm.NewFSM("in_progress", fsm.Events{
			{Name: "hold", Src: []string{"in_progress"}, Dst: "on_hold"},
			{Name: "resume", Src: []string{"on_hold"}, Dst: "in_progress"},
		}, fsm.Callbacks{})
		i := 0
		for pb.Next() {
			if err := m.Event(ctx, events[i&1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// benchTicket returns a process on def (the ticket lifecycle when nil) with
// one in-progress ticket whose fields let it move between in_progress and
// on_hold.
func benchTicket(b testing.TB, def *lifecycle.Definition, cfg lifecycle.ProcessConfig) (*lifecycle.Process[*ticket], uuid.UUID) {
	p := newTickets(b, def, cfg)
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
	benchTransition(b, nil)
}

// BenchmarkTransitionHooked is BenchmarkTransition on a lifecycle with a
// guard and a hook, so looplab/fsm runs its callbacks on every event.
func BenchmarkTransitionHooked(b *testing.B) {
	def := ticketDefinition(
		lifecycle.WithGuard(func(_ context.Context, f *lifecycle.Firing) error {
			if f.Actor.ID == "" {
				return errors.New("anonymous")
			}
			return nil
		}),
		lifecycle.WithHook(func(_ context.Context, f *lifecycle.Firing) error {
			f.Entity.(*ticket).Entered++
			return nil
		}),
	)
	benchTransition(b, def)
}

func benchTransition(b *testing.B, def *lifecycle.Definition) {
	p, id := benchTicket(b, def, lifecycle.ProcessConfig{})
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

// BenchmarkCommit is two records moved in one commit on memstore, to set
// beside BenchmarkTransition, which moves one: "Store" loads both records
// and saves each with a transition's write and change through one
// Store.Commit; "Atomic" fires an event on each through Process.FireIn in
// one lifecycle.Atomic.
func BenchmarkCommit(b *testing.B) {
	b.Run("Store", func(b *testing.B) {
		p, first := benchTicket(b, nil, lifecycle.ProcessConfig{})
		second := benchSecond(b, p)
		st, ctx := p.Store(), context.Background()
		states := [2]string{"on_hold", "in_progress"}
		cats := [2]lifecycle.Category{lifecycle.Paused, lifecycle.Open}
		zero := func() lifecycle.Entity { return new(ticket) }
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var writes [2]lifecycle.Write
			var changes [2]lifecycle.Change
			for k, id := range [2]uuid.UUID{first, second} {
				e, err := st.Get(ctx, id, zero)
				if err != nil {
					b.Fatal(err)
				}
				tk := e.(*ticket)
				from := tk.State
				tk.State, tk.StateCategory = states[i&1], cats[i&1]
				tk.Version++
				changes[k] = lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: tk.Kind, RecordID: tk.ID, Number: tk.Number,
					Version: tk.Version, Event: "move", From: from, To: tk.State, Actor: alice}
				writes[k] = lifecycle.Write{Entity: tk, Expect: tk.Version - 1, Change: &changes[k]}
			}
			if err := st.Commit(ctx, lifecycle.Batch{Writes: writes[:]}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("Atomic", func(b *testing.B) {
		p, first := benchTicket(b, nil, lifecycle.ProcessConfig{})
		second := benchSecond(b, p)
		ctx := context.Background()
		events := [2]string{"hold", "resume"}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			err := lifecycle.Atomic(ctx, p.Store(), 0, func(tx *lifecycle.Tx) error {
				for _, id := range [2]uuid.UUID{first, second} {
					if _, err := p.FireIn(ctx, tx, id, lifecycle.Action[*ticket]{Event: events[i&1], Actor: alice}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// benchSecond adds a second in-progress ticket to p, as benchTicket makes
// the first.
func benchSecond(b testing.TB, p *lifecycle.Process[*ticket]) uuid.UUID {
	ctx := context.Background()
	tk, err := p.Create(ctx, &ticket{Title: "bench 2", Group: "desk", HoldReason: "awaiting caller"}, alice, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, ev := range []string{"assign", "start"} {
		if _, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice}); err != nil {
			b.Fatal(err)
		}
	}
	return tk.ID
}

// BenchmarkCheckStorable checks the text of a ticket and of its change, as
// every store does before each write.
func BenchmarkCheckStorable(b *testing.B) {
	tk := &ticket{Title: "printer on floor 3 jams", Group: "desk", HoldReason: "awaiting caller", Tags: []string{"hardware"}}
	tk.Kind, tk.Number, tk.State = "ticket", "TCK0000001", "in_progress"
	tk.Fields = map[string]string{"vendor_ticket": "V-1234"}
	ch := &lifecycle.Change{Kind: "ticket", Number: "TCK0000001", Event: "hold", From: "in_progress", To: "on_hold", Actor: alice}
	b.ReportAllocs()
	for b.Loop() {
		if err := lifecycle.CheckStorable(tk, ch, ""); err != nil {
			b.Fatal(err)
		}
	}
}
