package incident_test

import (
	"time"

	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// fakeClock is a clock the tests move by hand: it drives the desk's
// timestamps, SLA clocks and windows.
type fakeClock = lifecycletest.Clock

// monday9 is a Monday at 09:00 UTC: inside the default business hours, so
// business-calendar clocks run from the start.
var monday9 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

func newClock(t time.Time) *fakeClock { return lifecycletest.NewClock(t) }
