package sla_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/sla"
)

// returns runs f and fails the test when f has not returned after ten
// seconds. It is a guard that keeps a loop that fails to advance from
// hanging the whole run, not a measure of speed: f takes microseconds.
func returns(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-t.Context().Done():
		t.Fatal("the test ended before the calendar returned")
	case <-time.After(10 * time.Second):
		t.Fatal("the calendar did not return: a loop over calendar time does not advance")
	}
}

// lastInstant is the last instant of year 9999 in UTC, the furthest
// Calendar.Add searches.
var lastInstant = time.Date(9999, time.December, 31, 23, 59, 59, 999999999, time.UTC)

// TestCalendarPastLastZoneTransition covers the end of the leap years
// beyond a zone's last explicit transition, where time.Time.ZoneBounds
// reports an end that is not after the instant asked about.
func TestCalendarPastLastZoneTransition(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney"} {
		loc := zone(t, name)
		calendars := map[string]sla.CalendarConfig{
			"business hours": sla.BusinessHours(loc).Config(),
			"all day, a holiday elsewhere": {Zone: loc, Hours: sla.Week{
				{iv(0, 0, 24, 0)}, {iv(0, 0, 24, 0)}, {iv(0, 0, 24, 0)}, {iv(0, 0, 24, 0)},
				{iv(0, 0, 24, 0)}, {iv(0, 0, 24, 0)}, {iv(0, 0, 24, 0)},
			}, Holidays: []sla.Date{{Year: 2026, Month: time.January, Day: 1}}},
			"night shift": {Zone: loc, Hours: sla.Week{time.Monday: {iv(0, 0, 2, 0), iv(22, 0, 24, 0)},
				time.Tuesday: {iv(1, 0, 5, 0)}, time.Sunday: {iv(10, 0, 14, 0)}, time.Saturday: {iv(23, 0, 24, 0)}}},
		}
		for _, year := range []int{2040, 2044, 2048, 2100} {
			for calName, cfg := range calendars {
				t.Run(fmt.Sprintf("%s/%d/%s", name, year, calName), func(t *testing.T) {
					t.Parallel()
					cal := mustCalendar(t, cfg)
					ref := newReference(cfg)
					at := func(d, h int) time.Time { return time.Date(year, time.December, d, h, 0, 0, 0, loc) }
					for _, span := range [][2]time.Time{
						{at(31, 0), at(31, 6)},
						{at(31, 0), at(32, 0)},
						{at(28, 12), at(34, 12)},
						{at(31, 13), at(31, 23)},
					} {
						var got time.Duration
						returns(t, func() { got = cal.Elapsed(span[0], span[1]) })
						assert.Equal(t, ref.elapsed(span[0], span[1]), got, "Elapsed(%v, %v)", span[0], span[1])
					}
					for _, add := range []struct {
						from time.Time
						d    time.Duration
					}{
						{at(31, 0), time.Hour},
						{at(31, 0), 10 * time.Hour},
						{at(30, 20), 30 * time.Hour},
						{at(31, 12), 90 * time.Minute},
					} {
						var got time.Time
						returns(t, func() { got = cal.Add(add.from, add.d) })
						want := ref.add(add.from, add.d)
						assert.True(t, want.Equal(got), "Add(%v, %v) = %v, want %v", add.from, add.d, got, want)
					}
					var working bool
					returns(t, func() { working = cal.IsWorking(at(31, 23)) })
					assert.Equal(t, ref.working(at(31, 23)), working)
				})
			}
		}
	}
}

// TestCalendarSparseAdd runs long deadlines on calendars with little working
// time, which carry Add across decades of zone changes and holidays.
func TestCalendarSparseAdd(t *testing.T) {
	t.Parallel()
	berlin := zone(t, "Europe/Berlin")
	var mostDays []sla.Date // every day of 2027 to 2060 but the first Monday of each month
	for d := time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2060; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Monday || d.Day() > 7 {
			mostDays = append(mostDays, sla.DateOf(d))
		}
	}
	for _, tc := range []struct {
		name string
		cfg  sla.CalendarConfig
		from time.Time
		d    time.Duration
	}{
		{"one hour a week in Berlin", sla.CalendarConfig{Zone: berlin, Hours: sla.Week{time.Wednesday: {iv(10, 0, 11, 0)}}},
			time.Date(2026, time.January, 5, 9, 0, 0, 0, berlin), 2000 * time.Hour},
		{"one hour a week in New York", sla.CalendarConfig{Zone: zone(t, "America/New_York"), Hours: sla.Week{time.Sunday: {iv(1, 0, 2, 0)}}},
			time.Date(2030, time.June, 1, 0, 0, 0, 0, time.UTC), 9000 * time.Hour},
		{"one minute a week in Sydney", sla.CalendarConfig{Zone: zone(t, "Australia/Sydney"), Hours: sla.Week{time.Friday: {iv(23, 59, 24, 0)}}},
			time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC), 5000 * time.Minute},
		{"holidays on most days", sla.CalendarConfig{Zone: berlin, Hours: sla.Weekdays(iv(8, 0, 17, 0)), Holidays: mostDays},
			time.Date(2026, time.December, 31, 12, 0, 0, 0, berlin), 3000 * time.Hour},
		{"the longest target on office hours with holidays", sla.CalendarConfig{Hours: sla.Weekdays(iv(8, 0, 17, 0)),
			Holidays: []sla.Date{{Year: 2026, Month: time.December, Day: 25}, {Year: 2027, Month: time.January, Day: 1}}},
			time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC), math.MaxInt64},
		{"the longest target on office hours in Berlin", sla.CalendarConfig{Zone: berlin, Hours: sla.Weekdays(iv(8, 0, 17, 0)),
			Holidays: []sla.Date{{Year: 2026, Month: time.December, Day: 25}}},
			time.Date(2026, time.March, 2, 9, 0, 0, 0, berlin), math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cal := mustCalendar(t, tc.cfg)
			var due time.Time
			var back time.Duration
			returns(t, func() {
				due = cal.Add(tc.from, tc.d)
				back = cal.Elapsed(tc.from, due)
			})
			require.True(t, due.Before(lastInstant), "due %v", due)
			assert.Equal(t, tc.d, back, "Elapsed(from, Add(from, d)) == d: due %v", due)
			assert.True(t, cal.IsWorking(due.Add(-time.Nanosecond)), "Add returns the end of working time: %v", due)
		})
	}
}

// TestCalendarAddStopsAtYear9999 checks the documented result of a deadline
// beyond the end of year 9999: that last instant, or from when later.
func TestCalendarAddStopsAtYear9999(t *testing.T) {
	t.Parallel()
	berlin := zone(t, "Europe/Berlin")
	minute := sla.Week{time.Friday: {iv(12, 0, 12, 1)}}
	for _, tc := range []struct {
		name string
		cfg  sla.CalendarConfig
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"one minute a week in Berlin", sla.CalendarConfig{Zone: berlin, Hours: minute},
			time.Date(2026, time.March, 2, 9, 0, 0, 0, berlin), math.MaxInt64, lastInstant},
		{"one minute a week in UTC", sla.CalendarConfig{Hours: minute},
			time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC), math.MaxInt64, lastInstant},
		{"24x7 late in year 9999", sla.CalendarConfig{},
			time.Date(9999, time.December, 1, 0, 0, 0, 0, time.UTC), 24 * 365 * time.Hour, lastInstant},
		{"office hours from year 9999", sla.CalendarConfig{Zone: berlin, Hours: sla.Weekdays(iv(8, 0, 17, 0))},
			time.Date(9999, time.December, 31, 16, 0, 0, 0, berlin), 2 * time.Hour, lastInstant},
		{"from after year 9999", sla.CalendarConfig{Zone: berlin, Hours: minute},
			time.Date(10001, time.May, 1, 0, 0, 0, 0, time.UTC), time.Hour, time.Date(10001, time.May, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cal := mustCalendar(t, tc.cfg)
			var due time.Time
			returns(t, func() { due = cal.Add(tc.from, tc.d) })
			assert.True(t, tc.want.Equal(due), "got %v, want %v", due, tc.want)
			assert.Equal(t, cal.Location(), due.Location())
		})
	}
}

func TestCalendarElapsedOverDecades(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, name)
			cal := mustCalendar(t, sla.CalendarConfig{Zone: loc, Hours: sla.Week{time.Wednesday: {iv(10, 0, 11, 0)}}})
			from, to := time.Date(2026, time.January, 1, 0, 0, 0, 0, loc), time.Date(2101, time.January, 1, 0, 0, 0, 0, loc)
			var want time.Duration
			for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
				if d.Weekday() == time.Wednesday {
					want += time.Hour
				}
			}
			var got time.Duration
			returns(t, func() { got = cal.Elapsed(from, to) })
			assert.Equal(t, want, got)
		})
	}
}
