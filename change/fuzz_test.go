package change_test

import (
	"testing"
	"time"

	"github.com/itil-go/itil/change"
)

// FuzzFreezeRule feeds arbitrary recurrence rules, as a host's freeze
// configuration might hold them, to SetFreezes: a rule is accepted or
// refused with a *itil.ValidationError on "freezes[0].rrule", never a
// panic, and an accepted one answers Frozen.
func FuzzFreezeRule(f *testing.F) {
	for _, seed := range []string{
		"FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12",
		"RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20271231T000000Z", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24,25,26",
		"FREQ=HOURLY;BYHOUR=9,17", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
		"", "FREQ=", "FREQ=WEEKLY;;", "FREQ=WEEKLY;BYDAY=XX", "FREQ=SECONDLY", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
	} {
		f.Add(seed)
	}
	m, err := change.NewManager(newFixture(f, change.Config{}).st, change.Config{})
	if err != nil {
		f.Fatal(err)
	}
	w := change.Window{Start: t0, End: t0.Add(3 * time.Hour)}
	f.Fuzz(func(t *testing.T, rule string) {
		err := m.SetFreezes([]change.Freeze{{Name: "f", Window: w, RRule: rule}})
		if err != nil {
			assertInvalid(t, err, "freezes[0].rrule")
			return
		}
		later := change.Window{Start: t0.Add(400 * 24 * time.Hour), End: t0.Add(401 * 24 * time.Hour)}
		for _, h := range m.Frozen(later) {
			if !h.Window.Overlaps(later) {
				t.Fatalf("hit %s does not overlap %s", h.Window, later)
			}
		}
	})
}
