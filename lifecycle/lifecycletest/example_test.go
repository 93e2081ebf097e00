package lifecycletest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// exampleT stands in for the *testing.T of a test, which an Example has
// not: it prints what a test would report.
type exampleT struct{ testing.TB }

func (exampleT) Helper()                      {}
func (exampleT) Cleanup(func())               {}
func (exampleT) Failed() bool                 { return false }
func (exampleT) Fatal(args ...any)            { fmt.Println(args...) }
func (exampleT) Log(args ...any)              { fmt.Println(args...) }
func (exampleT) Fatalf(f string, args ...any) { fmt.Printf(f+"\n", args...) }

// A service desk's calls on a kit store and a kit clock: the IDs, numbers
// and times are the same on every run, the journal and the outbox are
// checked change by change, and a snapshot takes the store back.
func Example() {
	ctx := context.Background()
	t := exampleT{} // in a test: the test's t
	clk := lifecycletest.NewClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
	st := lifecycletest.NewStore(t, clk)
	desk := newDesk(st, clk)

	c, _ := desk.Create(ctx, &call{Title: "VPN down"}, ann, "")
	clk.Advance(time.Hour)
	c, _ = desk.Fire(ctx, c.ID, assign("network", dan))
	fmt.Println(c.ID, c.Number, c.State, c.UpdatedAt.Format(time.Kitchen))

	lifecycletest.RequireJournal(t, st, c.ID,
		lifecycletest.Want{Event: lifecycle.EventCreate, To: "new", Actor: "ann"},
		lifecycletest.Want{Event: "assign", From: "new", To: "assigned", Actor: "dan", Fields: map[string]string{"group": "network"}})

	snap := st.Snapshot()
	desk.Fire(ctx, c.ID, lifecycle.Action[*call]{Event: "resolve", Actor: dan, Note: "gateway restarted"})
	lifecycletest.RequireOutbox(t, st, snap.Seq(), lifecycletest.Want{Event: "resolve", To: "resolved"})

	st.Restore(snap) // as it was before the resolve
	lifecycletest.RequireNoChanges(t, st, snap.Seq())
	c, _ = desk.Get(ctx, c.ID)
	fmt.Println(c.State, c.Version)

	// A check that fails says what it wanted and what it found.
	lifecycletest.RequireJournal(t, st, c.ID, lifecycletest.Events(lifecycle.EventCreate, "resolve")...)
	// Output:
	// 00000000-0000-7000-8000-000000000001 CAL0000001 assigned 10:00AM
	// assigned 2
	// lifecycletest: journal of 00000000-0000-7000-8000-000000000001: change 2: event is "assign", want "resolve"
	// want:
	//   1. create
	//   2. resolve
	// got:
	//   1. CAL0000001 create →new by ann
	//   2. CAL0000001 assign new→assigned by dan group="network"
}
