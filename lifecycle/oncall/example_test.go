package oncall_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/itil-go/itil/lifecycle/oncall"
)

// A business-hours layer over a 24-hour layer: the office answers on
// weekdays from 09:00 to 17:00, the nights and weekends fall through to
// the 24-hour rotation, and an override covers a Wednesday afternoon.
func ExampleNew() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	monday := time.Date(2026, time.March, 23, 9, 0, 0, 0, berlin)
	s, err := oncall.New(oncall.Config{
		Zone: "Europe/Berlin",
		Layers: []oncall.Layer{
			{Name: "24h", Users: []string{"ann", "bob", "cem"}, Start: monday, Turn: oncall.Daily()},
			{
				Name: "office", Users: []string{"dan", "eva"}, Start: monday, Turn: oncall.Weekly(),
				Restrictions: []oncall.Restriction{oncall.DailyWindow(9*time.Hour, 17*time.Hour, oncall.Weekdays()...)},
			},
		},
		Overrides: []oncall.Override{{
			User:  "fay",
			From:  time.Date(2026, time.March, 25, 13, 0, 0, 0, berlin),
			Until: time.Date(2026, time.March, 25, 15, 0, 0, 0, berlin),
		}},
	})
	if err != nil {
		panic(err)
	}
	for _, at := range []time.Time{
		time.Date(2026, time.March, 23, 10, 0, 0, 0, berlin),
		time.Date(2026, time.March, 23, 22, 0, 0, 0, berlin),
		time.Date(2026, time.March, 25, 14, 0, 0, 0, berlin),
	} {
		a := s.OnCall(at)
		fmt.Printf("%s: %s (layer %d, override %d)\n", at.Format("Mon 15:04"), a.User, a.Layer, a.Override)
	}

	_, err = oncall.New(oncall.Config{Layers: []oncall.Layer{{Start: monday, Turn: oncall.Daily()}}})
	fmt.Println(err)
	// Output:
	// Mon 10:00: dan (layer 1, override -1)
	// Mon 22:00: ann (layer 0, override -1)
	// Wed 14:00: fay (layer -1, override 0)
	// invalid layers[0].users: at least one user
}

// Entries lists the final schedule; daily turns keep their local hand-off
// time across the change to summer time, so Saturday's turn lasts 23 hours.
func ExampleSchedule_Entries() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	s, err := oncall.New(oncall.Config{
		Zone: "Europe/Berlin",
		Layers: []oncall.Layer{{
			Users: []string{"ann", "bob"},
			Start: time.Date(2026, time.March, 27, 9, 0, 0, 0, berlin),
			Turn:  oncall.Daily(),
		}},
	})
	if err != nil {
		panic(err)
	}
	for e, err := range s.Entries(time.Date(2026, time.March, 28, 0, 0, 0, 0, berlin), time.Date(2026, time.March, 30, 0, 0, 0, 0, berlin)) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s from %s until %s (%v)\n", e.User, e.From.Format("Mon 15:04 MST"), e.Until.Format("Mon 15:04 MST"), e.Until.Sub(e.From))
	}
	// Output:
	// ann from Sat 00:00 CET until Sat 09:00 CET (9h0m0s)
	// bob from Sat 09:00 CET until Sun 09:00 CEST (23h0m0s)
	// ann from Sun 09:00 CEST until Mon 00:00 CEST (15h0m0s)
}

// Schedules decode from JSON; errors name the field.
func ExampleSchedule_UnmarshalJSON() {
	var s oncall.Schedule
	err := json.Unmarshal([]byte(`{
		"zone": "America/New_York",
		"layers": [{
			"users": ["ann", "bob"],
			"start": "2026-06-01T08:00:00-04:00",
			"turn": "12h",
			"restrictions": [{"type": "weekly", "start_day": "friday", "start": "18:00", "end_day": "monday", "end": "08:00"}]
		}]
	}`), &s)
	if err != nil {
		panic(err)
	}
	ny := s.Location()
	fmt.Println(s.OnCall(time.Date(2026, time.June, 6, 21, 0, 0, 0, ny)).User)
	fmt.Println(s.OnCall(time.Date(2026, time.June, 8, 12, 0, 0, 0, ny)).User == "")

	err = json.Unmarshal([]byte(`{"layers": [{"users": ["ann"], "start": "2026-06-01T08:00:00Z", "turn": "-1h"}]}`), &s)
	fmt.Println(err)
	// Output:
	// bob
	// true
	// invalid layers[0].turn: turn length -1h0m0s is not positive
}

// WriteICS exports the final schedule as an iCalendar feed.
func ExampleSchedule_WriteICS() {
	start := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	s, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"ann", "bob"}, Start: start, Turn: oncall.Every(12 * time.Hour)},
	}})
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	err = s.WriteICS(&b, oncall.ICS{From: start, Until: start.Add(12 * time.Hour), Name: "NOC", Stamp: start})
	if err != nil {
		panic(err)
	}
	os.Stdout.WriteString(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//itil-go//on-call schedule//EN
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// X-WR-CALNAME:NOC
	// BEGIN:VEVENT
	// UID:20260601T000000Z-4e0410f876029c0c@oncall.itil-go
	// DTSTAMP:20260601T000000Z
	// DTSTART:20260601T000000Z
	// DTEND:20260601T120000Z
	// SUMMARY:On call: ann
	// END:VEVENT
	// END:VCALENDAR
}
