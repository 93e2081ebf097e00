// Command servicedesk tells a day at a service desk, run on the library: an
// outage is reported and prioritized, pages the network engineer on call
// and, unacknowledged, the next level of its escalation policy until the
// engineer acknowledges; it is escalated, its SLA clock warns, it
// becomes a major incident, a second caller's report joins it as a child,
// and resolving the parent resolves the child. Every journaled change flows
// through the outbox to an in-process bus, which prints the notifications.
// It ends with the desk's measures.
//
//	go run ./examples/servicedesk
//
// The day runs on a simulated clock, so it takes a moment, not a day.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	storeFlag := flag.String("store", "memory", "where records live: memory, sqlite:FILE or postgres://…")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *storeFlag); err != nil {
		fmt.Fprintln(os.Stderr, "servicedesk:", err)
		os.Exit(1)
	}
}

// run plays the scenario and writes its timeline to w.
func run(ctx context.Context, w io.Writer, store string) error {
	st, closer, err := openStore(ctx, store)
	if err != nil {
		return err
	}
	defer closer.Close()
	d, err := newDay(ctx, w, st)
	if err != nil {
		return err
	}
	return d.play(ctx)
}
