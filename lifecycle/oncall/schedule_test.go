package oncall_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/oncall"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// layered is a business-hours layer (Monday to Friday, 09:00 to 17:00,
// weekly turns) over a 24h layer with daily hand-offs at 09:00, in Berlin,
// from Monday 2026-03-23, the week of the change to summer time, and an
// override on Wednesday afternoon.
func layered(t testing.TB) (*oncall.Schedule, *time.Location) {
	berlin := zone(t, "Europe/Berlin")
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
	require.NoError(t, err)
	return s, berlin
}

func TestOnCallHandOffs(t *testing.T) {
	t.Parallel()
	s, berlin := layered(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, berlin) }
	tests := []struct {
		name string
		at   time.Time
		want oncall.Assignment
	}{
		{"before every start", at(23, 8, 59), oncall.Assignment{Layer: -1, Override: -1}},
		{"Monday 09:00: office opens", at(23, 9, 0), oncall.Assignment{User: "dan", Layer: 1, Override: -1}},
		{"Monday 16:59", at(23, 16, 59), oncall.Assignment{User: "dan", Layer: 1, Override: -1}},
		{"Monday 17:00: the night falls to the 24h layer", at(23, 17, 0), oncall.Assignment{User: "ann", Layer: 0, Override: -1}},
		{"Tuesday 08:59: still the night's user", at(24, 8, 59), oncall.Assignment{User: "ann", Layer: 0, Override: -1}},
		{"Tuesday 09:00: the office again", at(24, 9, 0), oncall.Assignment{User: "dan", Layer: 1, Override: -1}},
		{"Tuesday 17:00: the next day's 24h user", at(24, 17, 0), oncall.Assignment{User: "bob", Layer: 0, Override: -1}},
		{"Wednesday 13:00: the override", at(25, 13, 0), oncall.Assignment{User: "fay", Layer: -1, Override: 0}},
		{"Wednesday 15:00: override over", at(25, 15, 0), oncall.Assignment{User: "dan", Layer: 1, Override: -1}},
		{"Saturday noon: no office", at(28, 12, 0), oncall.Assignment{User: "cem", Layer: 0, Override: -1}},
		{"Sunday 08:59 CEST: the 23-hour turn", at(29, 8, 59), oncall.Assignment{User: "cem", Layer: 0, Override: -1}},
		{"Sunday 09:00 CEST: hand-off at local 09:00", at(29, 9, 0), oncall.Assignment{User: "ann", Layer: 0, Override: -1}},
		{"next Monday 09:00: the office's next week", at(30, 9, 0), oncall.Assignment{User: "eva", Layer: 1, Override: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, s.OnCall(tt.at))
			assert.Equal(t, tt.want, s.OnCall(tt.at.UTC()), "the instant counts, not its location")
		})
	}
}

func TestEntries(t *testing.T) {
	t.Parallel()
	s, berlin := layered(t)
	at := func(d, h int) time.Time { return time.Date(2026, time.March, d, h, 0, 0, 0, berlin) }
	type entry struct {
		user        string
		from, until time.Time
	}
	var got []entry
	for e, err := range s.Entries(at(23, 0), at(26, 12)) {
		require.NoError(t, err)
		assert.Equal(t, berlin, e.From.Location())
		got = append(got, entry{e.User, e.From, e.Until})
	}
	assert.Equal(t, []entry{
		{"dan", at(23, 9), at(23, 17)},
		{"ann", at(23, 17), at(24, 9)},
		{"dan", at(24, 9), at(24, 17)},
		{"bob", at(24, 17), at(25, 9)},
		{"dan", at(25, 9), at(25, 13)},
		{"fay", at(25, 13), at(25, 15)},
		{"dan", at(25, 15), at(25, 17)},
		{"cem", at(25, 17), at(26, 9)},
		{"dan", at(26, 9), at(26, 12)},
	}, got)

	// The weekend: cem's Saturday turn runs into ann's Sunday, whose turn
	// starts at 09:00 CEST, 23 hours after Saturday 09:00 CET.
	got = got[:0]
	for e, err := range s.Entries(at(28, 0), at(29, 12)) {
		require.NoError(t, err)
		got = append(got, entry{e.User, e.From, e.Until})
	}
	assert.Equal(t, []entry{
		{"bob", at(28, 0), at(28, 9)},
		{"cem", at(28, 9), at(29, 9)},
		{"ann", at(29, 9), at(29, 12)},
	}, got)
	assert.Equal(t, 23*time.Hour, got[1].until.Sub(got[1].from))
}

func TestEntriesMerge(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	s, err := oncall.New(oncall.Config{
		Layers: []oncall.Layer{
			{Users: []string{"ann", "ann", "bob"}, Start: start, Turn: oncall.Every(8 * time.Hour)},
			// Above it, ann again on Monday afternoons: no seam in her entry.
			{Users: []string{"ann"}, Start: start, Turn: oncall.Weekly(),
				Restrictions: []oncall.Restriction{oncall.DailyWindow(12*time.Hour, 20*time.Hour, time.Monday)}},
		},
		Overrides: []oncall.Override{{User: "ann", From: start.Add(23 * time.Hour), Until: start.Add(26 * time.Hour)}},
	})
	require.NoError(t, err)
	var got []oncall.Entry
	for e, err := range s.Entries(start, start.Add(48*time.Hour)) {
		require.NoError(t, err)
		got = append(got, e)
	}
	h := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }
	assert.Equal(t, []oncall.Entry{
		{User: "ann", From: h(0), Until: h(20)}, // two turns and Monday afternoon
		{User: "bob", From: h(20), Until: h(23)},
		{User: "ann", From: h(23), Until: h(40)}, // the override, then two turns
		{User: "bob", From: h(40), Until: h(48)},
	}, got)
}

func TestEntriesRange(t *testing.T) {
	t.Parallel()
	s, berlin := layered(t)
	at := time.Date(2026, time.March, 23, 0, 0, 0, 0, berlin)
	for _, until := range []time.Time{at, at.Add(-time.Hour)} {
		n := 0
		for _, err := range s.Entries(at, until) {
			requireInvalid(t, err, "until")
			n++
		}
		assert.Equal(t, 1, n)
	}
	// Stopping early is fine.
	for range s.Entries(at, at.AddDate(1, 0, 0)) {
		break
	}
	// Nobody on call at all: no entries.
	for e := range s.Entries(at.AddDate(-1, 0, 0), at) {
		t.Errorf("unexpected entry %+v", e)
	}
}

func TestLayerEnd(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(36 * time.Hour)
	s, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"base"}, Start: start, Turn: oncall.Weekly()},
		{Users: []string{"ann", "bob"}, Start: start, Turn: oncall.Daily(), End: end},
	}})
	require.NoError(t, err)
	tests := []struct {
		at   time.Time
		want string
	}{
		{start.Add(-time.Nanosecond), ""},
		{start, "ann"},
		{start.Add(24 * time.Hour), "bob"},
		{end.Add(-time.Nanosecond), "bob"},
		{end, "base"},
		{end.AddDate(5, 0, 0), "base"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.OnCall(tt.at).User, "at %s", tt.at)
	}
}

func TestOverlappingOverrides(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return base.Add(time.Duration(n) * time.Hour) }
	s, err := oncall.New(oncall.Config{
		Layers: []oncall.Layer{{Users: []string{"layer"}, Start: base, Turn: oncall.Weekly()}},
		Overrides: []oncall.Override{
			{User: "long", From: h(0), Until: h(10)},
			{User: "late", From: h(2), Until: h(4)},  // later in the list: wins
			{User: "last", From: h(3), Until: h(12)}, // wins from 3 on
			{User: "hidden", From: h(5), Until: h(6)},
		},
	})
	require.NoError(t, err)
	tests := []struct {
		at       time.Time
		user     string
		override int
	}{
		{h(1), "long", 0}, {h(2), "late", 1}, {h(3), "last", 2}, {h(5), "hidden", 3},
		{h(6), "last", 2}, {h(11), "last", 2}, {h(12), "layer", -1},
	}
	for _, tt := range tests {
		a := s.OnCall(tt.at)
		assert.Equal(t, tt.user, a.User, "at %s", tt.at)
		assert.Equal(t, tt.override, a.Override, "at %s", tt.at)
	}
}

func TestRestrictions(t *testing.T) {
	t.Parallel()
	ny := zone(t, "America/New_York")
	monday := time.Date(2026, time.June, 1, 0, 0, 0, 0, ny)
	at := func(d, h, m int) time.Time {
		return monday.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	tests := []struct {
		name string
		r    []oncall.Restriction
		open []time.Time
		shut []time.Time
	}{
		{
			name: "business hours",
			r:    []oncall.Restriction{oncall.DailyWindow(9*time.Hour, 17*time.Hour, oncall.Weekdays()...)},
			open: []time.Time{at(0, 9, 0), at(0, 16, 59), at(4, 9, 0)},
			shut: []time.Time{at(0, 8, 59), at(0, 17, 0), at(5, 12, 0), at(6, 12, 0)},
		},
		{
			name: "every day until midnight",
			r:    []oncall.Restriction{oncall.DailyWindow(18*time.Hour, 24*time.Hour)},
			open: []time.Time{at(0, 18, 0), at(5, 23, 59), at(6, 18, 0)},
			shut: []time.Time{at(1, 0, 0), at(3, 17, 59)},
		},
		{
			name: "the weekend, across the end of the week",
			r:    []oncall.Restriction{oncall.WeeklyWindow(time.Friday, 17*time.Hour, time.Monday, 9*time.Hour)},
			open: []time.Time{at(4, 17, 0), at(5, 3, 0), at(6, 23, 59), at(7, 8, 59)},
			shut: []time.Time{at(4, 16, 59), at(7, 9, 0), at(2, 12, 0)},
		},
		{
			name: "Monday to Friday in one window",
			r:    []oncall.Restriction{oncall.WeeklyWindow(time.Monday, 8*time.Hour, time.Friday, 18*time.Hour)},
			open: []time.Time{at(0, 8, 0), at(2, 3, 0), at(4, 17, 59)},
			shut: []time.Time{at(0, 7, 59), at(4, 18, 0), at(6, 12, 0)},
		},
		{
			name: "a whole week of windows is no restriction",
			r: []oncall.Restriction{
				oncall.DailyWindow(0, 12*time.Hour), oncall.DailyWindow(12*time.Hour, 24*time.Hour),
			},
			open: []time.Time{at(0, 0, 0), at(3, 12, 0), at(6, 23, 59)},
		},
		{
			name: "overlapping windows join",
			r: []oncall.Restriction{
				oncall.DailyWindow(9*time.Hour, 13*time.Hour, time.Tuesday), oncall.DailyWindow(12*time.Hour, 15*time.Hour, time.Tuesday),
			},
			open: []time.Time{at(1, 9, 0), at(1, 12, 30), at(1, 14, 59)},
			shut: []time.Time{at(1, 15, 0), at(0, 12, 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := oncall.New(oncall.Config{
				Zone: "America/New_York",
				Layers: []oncall.Layer{{
					Users: []string{"ann"}, Start: monday.AddDate(0, 0, -7), Turn: oncall.Weekly(), Restrictions: tt.r,
				}},
			})
			require.NoError(t, err)
			for _, at := range tt.open {
				assert.Equal(t, "ann", s.OnCall(at).User, "open at %s", at)
			}
			for _, at := range tt.shut {
				assert.Equal(t, "", s.OnCall(at).User, "shut at %s", at)
			}
		})
	}
}

// TestDSTRule pins the rule for local times that a clock change skips or
// repeats, on a daily rotation handing off at 02:30 in Berlin.
func TestDSTRule(t *testing.T) {
	t.Parallel()
	berlin := zone(t, "Europe/Berlin")
	start := time.Date(2026, time.March, 27, 2, 30, 0, 0, berlin)
	s, err := oncall.New(oncall.Config{Zone: "Europe/Berlin", Layers: []oncall.Layer{
		{Users: []string{"ann", "bob"}, Start: start, Turn: oncall.Daily()},
		{Users: []string{"cem"}, Start: start, Turn: oncall.Every(12 * time.Hour),
			Restrictions: []oncall.Restriction{oncall.DailyWindow(2*time.Hour+15*time.Minute, 2*time.Hour+45*time.Minute)}},
	}})
	require.NoError(t, err)
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		// 29 March: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
		{"before the jump (01:59 CET)", utc(time.March, 29, 0, 59), "bob"},
		{"the jump: the skipped 02:30 hands off, the skipped window stays shut", utc(time.March, 29, 1, 0), "ann"},
		{"03:15 CEST", utc(time.March, 29, 1, 15), "ann"},
		{"the next night's window (02:20 CEST)", utc(time.March, 30, 0, 20), "cem"},
		// 25 October: 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
		{"02:14 CEST: the day before's turn", utc(time.October, 25, 0, 14), "bob"},
		{"02:15 CEST: the window", utc(time.October, 25, 0, 15), "cem"},
		{"02:50 CEST: the hand-off at the first 02:30", utc(time.October, 25, 0, 50), "ann"},
		{"second 02:30 CET: no second window, no second hand-off", utc(time.October, 25, 1, 30), "ann"},
		{"next day 02:30 CET", utc(time.October, 26, 1, 30), "cem"},
		{"next day 02:45 CET", utc(time.October, 26, 1, 45), "bob"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.OnCall(tt.at).User, "%s: %s", tt.name, tt.at.In(berlin))
	}
}

func TestZeroSchedule(t *testing.T) {
	t.Parallel()
	var s oncall.Schedule
	now := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, oncall.Assignment{Layer: -1, Override: -1}, s.OnCall(now))
	assert.Equal(t, time.UTC, s.Location())
	for e, err := range s.Entries(now, now.AddDate(0, 0, 1)) {
		t.Errorf("unexpected entry %+v, %v", e, err)
	}
}

func TestEntriesOfOneUser(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	s, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"ann", "ann"}, Start: start, Turn: oncall.Every(time.Second)},
	}})
	require.NoError(t, err)
	var got []oncall.Entry
	for e, err := range s.Entries(start, start.AddDate(1, 0, 0)) {
		require.NoError(t, err)
		got = append(got, e)
	}
	assert.Equal(t, []oncall.Entry{{User: "ann", From: start, Until: start.AddDate(1, 0, 0)}}, got,
		"one entry, without a step per one-second turn")
}
