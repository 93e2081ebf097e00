// Package lifecycletest is a kit for testing code built on the lifecycle
// kernel, in the style of net/http/httptest and River's rivertest: a clock
// moved by hand, a memstore that gives the same IDs and numbers for the
// same work, assertions on a record's journal and on the store's log (the
// outbox) with failure messages that list what happened, and AssertClass
// for the class of an error (the one a host's HTTP layer answers by).
//
//	func TestEscalation(t *testing.T) {
//		clk := lifecycletest.NewClock(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
//		st := lifecycletest.NewStore(t, clk)
//		desk, err := incident.NewDesk(st, incident.Config{Now: clk.Now})
//		require.NoError(t, err)
//		before := lifecycletest.LastSeq(t, st)
//		… open an incident, clk.Advance(time.Hour), assign it …
//		lifecycletest.RequireOutbox(t, st, before,
//			lifecycletest.Want{Event: lifecycle.EventCreate, To: "new"},
//			lifecycletest.Want{Event: "assign", To: "assigned", Actor: "dan"})
//	}
//
// A store from NewStore is a *memstore.Store: Snapshot, Restore and Reset
// put a test back to a known state without building it again.
package lifecycletest
