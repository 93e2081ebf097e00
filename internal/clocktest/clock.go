// Package clocktest is the hand-moved clock of the project's tests, kept
// for the tests that import it.
//
// Deprecated: use lifecycletest.Clock, which testers outside the module
// can import too; Clock and New are aliases of it.
//
//	clk := clocktest.New(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
//	desk, _ := incident.NewDesk(st, incident.Config{Now: clk.Now})
//	clk.Advance(time.Hour)
package clocktest

import (
	"time"

	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// Clock is a clock that moves only when told to.
//
// Deprecated: use lifecycletest.Clock.
type Clock = lifecycletest.Clock

// New returns a Clock showing t.
//
// Deprecated: use lifecycletest.NewClock.
func New(t time.Time) *Clock { return lifecycletest.NewClock(t) }
