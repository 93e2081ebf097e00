package sla_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/sla"
)

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

func iv(h1, m1, h2, m2 int) sla.Interval { return sla.Interval{Start: hm(h1, m1), End: hm(h2, m2)} }

var locations sync.Map // name → *time.Location, loaded once

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	locations.Store(name, loc)
	return loc
}

func mustCalendar(t testing.TB, cfg sla.CalendarConfig) *sla.Calendar {
	t.Helper()
	cal, err := sla.NewCalendar(cfg)
	require.NoError(t, err)
	return cal
}

// office is Monday to Friday 08:00–12:00 and 13:00–17:00 in Berlin.
func office(t testing.TB, holidays ...sla.Date) (*sla.Calendar, *time.Location) {
	t.Helper()
	berlin := zone(t, "Europe/Berlin")
	return mustCalendar(t, sla.CalendarConfig{
		Zone:     berlin,
		Hours:    sla.Weekdays(iv(8, 0, 12, 0), iv(13, 0, 17, 0)),
		Holidays: holidays,
	}), berlin
}

func TestCalendarOfficeHours(t *testing.T) {
	t.Parallel()
	cal, berlin := office(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, berlin) } // March 2: Monday

	assert.Equal(t, 8*time.Hour, cal.Elapsed(at(2, 0, 0), at(3, 0, 0)), "one working day")
	assert.Equal(t, 40*time.Hour, cal.Elapsed(at(2, 0, 0), at(9, 0, 0)), "one week")
	assert.Equal(t, 3*time.Hour, cal.Elapsed(at(2, 10, 0), at(2, 14, 0)), "the lunch break does not count")
	assert.Equal(t, time.Duration(0), cal.Elapsed(at(7, 9, 0), at(8, 17, 0)), "the weekend does not count")
	assert.Equal(t, time.Duration(0), cal.Elapsed(at(3, 0, 0), at(2, 0, 0)), "to before from")

	assert.Equal(t, at(2, 14, 0), cal.Add(at(2, 11, 0), 2*time.Hour), "across lunch")
	assert.Equal(t, at(2, 17, 0), cal.Add(at(2, 8, 0), 8*time.Hour), "a deadline that uses the day up falls at its end")
	assert.Equal(t, at(10, 8, 1), cal.Add(at(6, 17, 0), 8*time.Hour+time.Minute), "Friday evening past Monday")
	assert.Equal(t, at(3, 9, 0), cal.Add(at(2, 18, 30), time.Hour), "from outside working hours")
	assert.Equal(t, at(2, 18, 30), cal.Add(at(2, 18, 30), 0), "zero business time")
	assert.Equal(t, berlin, cal.Add(at(2, 8, 0), time.Hour).Location(), "deadlines come in the calendar's zone")

	assert.True(t, cal.IsWorking(at(2, 8, 0)))
	assert.True(t, cal.IsWorking(at(2, 11, 59)))
	assert.False(t, cal.IsWorking(at(2, 12, 0)))
	assert.False(t, cal.IsWorking(at(2, 17, 0)))
	assert.False(t, cal.IsWorking(at(7, 10, 0)), "Saturday")
	assert.Equal(t, 40*time.Hour, cal.WeekDuration())
}

func TestCalendarHolidays(t *testing.T) {
	t.Parallel()
	xmas := []sla.Date{{Year: 2026, Month: time.December, Day: 25}, {Year: 2026, Month: time.December, Day: 26},
		{Year: 2026, Month: time.December, Day: 25}} // a repeat does no harm
	cal, berlin := office(t, xmas...)
	at := func(d, h int) time.Time { return time.Date(2026, time.December, d, h, 0, 0, 0, berlin) } // 25th: Friday

	assert.False(t, cal.IsWorking(at(25, 10)))
	assert.Equal(t, 32*time.Hour, cal.Elapsed(at(21, 0), at(28, 0)), "a week with a Friday holiday")
	assert.Equal(t, at(28, 9), cal.Add(at(24, 16), 2*time.Hour), "Christmas Eve to Monday")
	assert.Equal(t, []sla.Date{xmas[0], xmas[1]}, cal.Config().Holidays, "sorted, without repeats")
}

func TestCalendarAlways(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, time.March, 28, 22, 0, 0, 0, time.UTC)
	to := from.Add(100*time.Hour + 7*time.Second)
	for name, cal := range map[string]*sla.Calendar{"Always": sla.Always(), "zero": {}, "nil": nil} {
		assert.Equal(t, to.Sub(from), cal.Elapsed(from, to), name)
		assert.True(t, cal.Add(from, to.Sub(from)).Equal(to), name)
		assert.True(t, cal.IsWorking(from), name)
		assert.Equal(t, time.UTC, cal.Location(), name)
		assert.Equal(t, 168*time.Hour, cal.WeekDuration(), name)
	}
	assert.Equal(t, sla.Always().Config(), (*sla.Calendar)(nil).Config())
}

func TestCalendarDaylightSaving(t *testing.T) {
	t.Parallel()
	berlin := zone(t, "Europe/Berlin")
	day := func(m time.Month, d int) (time.Time, time.Time) {
		return time.Date(2026, m, d, 0, 0, 0, 0, berlin), time.Date(2026, m, d+1, 0, 0, 0, 0, berlin)
	}
	springFrom, springTo := day(time.March, 29) // clocks go 02:00 → 03:00
	fallFrom, fallTo := day(time.October, 25)   // clocks go 03:00 → 02:00

	allDay := mustCalendar(t, sla.CalendarConfig{Zone: berlin, Hours: sla.Week{time.Sunday: {iv(0, 0, 24, 0)}}})
	assert.Equal(t, 23*time.Hour, allDay.Elapsed(springFrom, springTo))
	assert.Equal(t, 25*time.Hour, allDay.Elapsed(fallFrom, fallTo))

	// A night shift across the change: 01:00–04:00 shows 2 hours in
	// spring and 4 in autumn, the repeated hour counting twice.
	night := mustCalendar(t, sla.CalendarConfig{Zone: berlin, Hours: sla.Week{time.Sunday: {iv(1, 0, 4, 0)}}})
	assert.Equal(t, 2*time.Hour, night.Elapsed(springFrom, springTo))
	assert.Equal(t, 4*time.Hour, night.Elapsed(fallFrom, fallTo))
	assert.Equal(t, time.Date(2026, time.March, 29, 3, 30, 0, 0, berlin), night.Add(springFrom, 90*time.Minute))
	secondTwoThirty := time.Date(2026, time.October, 25, 1, 30, 0, 0, time.UTC) // 02:30 CET
	assert.True(t, night.Add(fallFrom, 150*time.Minute).Equal(secondTwoThirty))

	// Office hours keep their 40 hours a week across both changes, and
	// whole weeks across them count right.
	cal, _ := office(t)
	assert.Equal(t, 40*time.Hour, cal.Elapsed(time.Date(2026, time.March, 23, 0, 0, 0, 0, berlin), time.Date(2026, time.March, 30, 0, 0, 0, 0, berlin)))
	assert.Equal(t, 40*time.Hour, cal.Elapsed(time.Date(2026, time.October, 19, 0, 0, 0, 0, berlin), time.Date(2026, time.October, 26, 0, 0, 0, 0, berlin)))
	assert.Equal(t, 30*40*time.Hour, cal.Elapsed(time.Date(2026, time.March, 2, 8, 0, 0, 0, berlin), time.Date(2026, time.September, 28, 8, 0, 0, 0, berlin)))
	assert.Equal(t, time.Date(2026, time.March, 30, 9, 0, 0, 0, berlin), cal.Add(time.Date(2026, time.March, 27, 16, 0, 0, 0, berlin), 2*time.Hour))
	assert.Equal(t, time.Date(2026, time.October, 26, 9, 0, 0, 0, berlin), cal.Add(time.Date(2026, time.October, 23, 16, 0, 0, 0, berlin), 2*time.Hour))
	assert.False(t, cal.IsWorking(time.Date(2026, time.March, 30, 7, 59, 0, 0, berlin)))
	assert.True(t, cal.IsWorking(time.Date(2026, time.March, 30, 8, 0, 0, 0, berlin)))

	// Samoa skipped 30 December 2011: a 24x7 calendar has 24 hours from the
	// 29th to the 31st, and a calendar working only on Fridays none.
	apia := zone(t, "Pacific/Apia")
	from, to := time.Date(2011, time.December, 29, 0, 0, 0, 0, apia), time.Date(2011, time.December, 31, 0, 0, 0, 0, apia)
	assert.Equal(t, 24*time.Hour, mustCalendar(t, sla.CalendarConfig{Zone: apia}).Elapsed(from, to))
	fridays := mustCalendar(t, sla.CalendarConfig{Zone: apia, Hours: sla.Week{time.Friday: {iv(0, 0, 24, 0)}}})
	assert.Equal(t, time.Duration(0), fridays.Elapsed(from, to))
}

// zones for the property tests: fixed offsets, the usual DST, a 30-minute
// DST shift (Lord Howe), DST at midnight (Havana), a skipped day (Apia, 2011)
// and the southern hemisphere.
var zones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
	"America/Havana", "Pacific/Apia", "America/Sao_Paulo", "Europe/London"}

// randomConfig returns a calendar with up to three intervals a day, on
// 15-minute bounds, some around the small hours where zones change, and
// holidays near start.
func randomConfig(t testing.TB, r *rand.Rand, start time.Time) sla.CalendarConfig {
	cfg := sla.CalendarConfig{Zone: zone(t, zones[r.IntN(len(zones))])}
	if r.IntN(8) > 0 { // else 24x7
		for d := range cfg.Hours {
			if r.IntN(4) == 0 {
				continue
			}
			at := time.Duration(r.IntN(12)) * 15 * time.Minute
			for range r.IntN(3) + 1 {
				s := at + time.Duration(r.IntN(16))*15*time.Minute
				e := s + time.Duration(r.IntN(32)+1)*15*time.Minute
				if e > 24*time.Hour {
					break
				}
				cfg.Hours[d] = append(cfg.Hours[d], sla.Interval{Start: s, End: e})
				at = e
			}
		}
	}
	for range r.IntN(12) {
		cfg.Holidays = append(cfg.Holidays, sla.DateOf(start.AddDate(0, 0, r.IntN(90)-10)))
	}
	return cfg
}

func randomInstant(r *rand.Rand) time.Time {
	from := time.Date(2009, time.January, 1, 0, 0, 0, 0, time.UTC)
	return from.Add(time.Duration(r.Int64N(20*365*24*60)) * time.Minute)
}

func TestCalendarElapsedMatchesMinuteWalk(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 150 {
		from := randomInstant(r)
		cfg := randomConfig(t, r, from)
		cal := mustCalendar(t, cfg)
		to := from.Add(time.Duration(r.IntN(20*24*60)) * time.Minute)
		if i%40 == 0 {
			to = from.Add(time.Duration(r.IntN(250*24*60)) * time.Minute) // a long span now and then
		}
		require.Equal(t, minuteWalk(cfg, from, to), cal.Elapsed(from, to), "case %d: %s from %v to %v", i, cfg.Zone, from, to)
	}
}

// TestCalendarAroundZoneChanges puts short spans across the changes of UTC
// offset of each zone, where whole-day and whole-week shortcuts would go
// wrong.
func TestCalendarAroundZoneChanges(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 300 {
		probe := randomInstant(r)
		cfg := randomConfig(t, r, probe)
		_, change := probe.In(cfg.Zone).ZoneBounds()
		if change.IsZero() {
			continue // a zone without changes
		}
		cal := mustCalendar(t, cfg)
		change = change.Truncate(time.Minute) // 2038-01-19 03:14:07 ends some tables
		from := change.Add(-time.Duration(r.IntN(3*24*60)) * time.Minute)
		to := change.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
		ref := newReference(cfg)
		require.Equal(t, ref.elapsed(from, to), cal.Elapsed(from, to), "case %d: %s from %v to %v", i, cfg.Zone, from, to)
		d := time.Duration(r.IntN(int(cal.WeekDuration()/time.Minute/4)+1)) * time.Minute
		require.True(t, ref.add(from, d).Equal(cal.Add(from, d)), "case %d: %s from %v plus %v", i, cfg.Zone, from, d)
	}
}

func TestCalendarAddMatchesMinuteWalk(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 150 {
		from := randomInstant(r)
		cfg := randomConfig(t, r, from)
		cal := mustCalendar(t, cfg)
		d := time.Duration(r.Int64N(int64(cal.WeekDuration()/2/time.Minute)+1)) * time.Minute
		require.True(t, newReference(cfg).add(from, d).Equal(cal.Add(from, d)), "case %d: %s from %v plus %v", i, cfg.Zone, from, d)
	}
}

func TestCalendarAddInvertsElapsed(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 2000 {
		from := randomInstant(r).Add(time.Duration(r.Int64N(int64(time.Minute))))
		cal := mustCalendar(t, randomConfig(t, r, from))
		d := time.Duration(r.Int64N(int64(cal.WeekDuration()) * 60))
		due := cal.Add(from, d)
		require.Equal(t, d, cal.Elapsed(from, due), "case %d: Elapsed(from, Add(from, d)) == d", i)
		if d > 0 {
			require.True(t, cal.IsWorking(due.Add(-time.Nanosecond)), "case %d: Add returns the earliest such instant", i)
		}
		// Business time adds up over any split of the span.
		mid := from.Add(time.Duration(r.Int64N(int64(due.Sub(from)) + 1)))
		require.Equal(t, cal.Elapsed(from, due), cal.Elapsed(from, mid)+cal.Elapsed(mid, due), "case %d: split at %v", i, mid)
	}
}

func TestCalendarRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		cfg   sla.CalendarConfig
		field string
	}{
		{"start after end", sla.CalendarConfig{Hours: sla.Week{time.Monday: {iv(17, 0, 8, 0)}}}, "hours.monday[0]"},
		{"empty interval", sla.CalendarConfig{Hours: sla.Week{time.Monday: {iv(8, 0, 8, 0)}}}, "hours.monday[0]"},
		{"past midnight", sla.CalendarConfig{Hours: sla.Week{time.Tuesday: {iv(8, 0, 12, 0), iv(22, 0, 25, 0)}}}, "hours.tuesday[1]"},
		{"negative", sla.CalendarConfig{Hours: sla.Week{time.Sunday: {{Start: -time.Hour, End: time.Hour}}}}, "hours.sunday[0]"},
		{"seconds", sla.CalendarConfig{Hours: sla.Week{time.Friday: {{Start: 8 * time.Hour, End: 9*time.Hour + time.Second}}}}, "hours.friday[0]"},
		{"overlap", sla.CalendarConfig{Hours: sla.Week{time.Monday: {iv(13, 0, 17, 0), iv(8, 0, 13, 30)}}}, "hours.monday[0]"},
		{"inside another", sla.CalendarConfig{Hours: sla.Week{time.Monday: {iv(8, 0, 17, 0), iv(9, 0, 10, 0)}}}, "hours.monday[1]"},
		{"bad holiday", sla.CalendarConfig{Holidays: []sla.Date{{Year: 2026, Month: time.January, Day: 1}, {Year: 2026, Month: time.February, Day: 30}}}, "holidays[1]"},
		{"year zero", sla.CalendarConfig{Holidays: []sla.Date{{}}}, "holidays[0]"},
		{"zone name with NUL", sla.CalendarConfig{Zone: time.FixedZone("UTC\x00", 0)}, "zone"},
		{"zone name not UTF-8", sla.CalendarConfig{Zone: time.FixedZone("Z\xfcrich", 3600)}, "zone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sla.NewCalendar(tc.cfg)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.True(t, errors.Is(err, itil.ErrInvalid))
		})
	}
}

func TestCalendarJoinsTouchingIntervals(t *testing.T) {
	t.Parallel()
	cal := mustCalendar(t, sla.CalendarConfig{Hours: sla.Week{time.Monday: {iv(12, 0, 17, 0), iv(8, 0, 12, 0)}}})
	assert.Equal(t, []sla.Interval{iv(8, 0, 17, 0)}, cal.Config().Hours[time.Monday])
	assert.Equal(t, 9*time.Hour, cal.WeekDuration())
}

func TestCalendarConcurrentUse(t *testing.T) {
	t.Parallel()
	cal, berlin := office(t, sla.Date{Year: 2026, Month: time.May, Day: 1})
	from := time.Date(2026, time.January, 5, 9, 0, 0, 0, berlin)
	want := cal.Elapsed(from, from.AddDate(1, 0, 0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				assert.Equal(t, want, cal.Elapsed(from, from.AddDate(1, 0, 0)))
				_ = cal.Add(from, 500*time.Hour)
			}
		})
	}
	wg.Wait()
}

func TestIntervalAndDateText(t *testing.T) {
	t.Parallel()
	v, err := sla.ParseInterval("13:00-24:00")
	require.NoError(t, err)
	assert.Equal(t, iv(13, 0, 24, 0), v)
	assert.Equal(t, "13:00-24:00", v.String())
	for _, bad := range []string{"", "8:00-12:00", "08:00-24:01", "12:00-08:00", "08:60-09:00", "08:00–12:00", "ab:cd-ef:gh"} {
		_, err := sla.ParseInterval(bad)
		assert.ErrorIs(t, err, itil.ErrInvalid, bad)
	}

	d, err := sla.ParseDate("2026-12-25")
	require.NoError(t, err)
	assert.Equal(t, sla.Date{Year: 2026, Month: time.December, Day: 25}, d)
	assert.Equal(t, "2026-12-25", d.String())
	for _, bad := range []string{"", "2026-02-30", "2026-1-5", "0000-01-01", "25.12.2026"} {
		_, err := sla.ParseDate(bad)
		assert.ErrorIs(t, err, itil.ErrInvalid, bad)
	}
	_, err = sla.Date{Year: 2026, Month: 13, Day: 1}.MarshalText()
	assert.ErrorIs(t, err, itil.ErrInvalid)
}
