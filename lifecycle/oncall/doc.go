// Package oncall models on-call schedules in the manner of PagerDuty: who
// is on call at any instant, a listing of the final schedule, and an
// iCalendar export of it. Escalation policies build on it.
//
// The package is pure: it keeps no store and reads no clock (except
// WriteICS's default DTSTAMP). A Config is plain values; New validates it
// and compiles it into a Schedule, which is immutable, safe for concurrent
// use and round-trips through JSON.
//
// # Layers and overrides
//
// A schedule has a time zone and layers. A Layer is a rotation: its users
// take turns in order, the first user's first turn beginning at the
// layer's Start, until its optional End. Restrictions limit a layer to
// windows of local time: the same hours on some weekdays (DailyWindow),
// or one window across days, which may wrap the end of the week
// (WeeklyWindow). Later layers lie on top of earlier ones: at an instant
// the highest layer that has someone on call wins, and an instant that a
// higher layer's restrictions leave out falls through to the layers below.
// Overrides put a user on call from one instant until another, above every
// layer; where overrides overlap, the later in the list wins.
//
//	s, err := oncall.New(oncall.Config{
//		Zone: "Europe/Berlin",
//		Layers: []oncall.Layer{
//			{Name: "24h", Users: []string{"ann", "bob", "cem"}, Start: monday9, Turn: oncall.Daily()},
//			{Name: "office", Users: []string{"dan", "eva"}, Start: monday9, Turn: oncall.Weekly(),
//				Restrictions: []oncall.Restriction{
//					oncall.DailyWindow(9*time.Hour, 17*time.Hour, oncall.Weekdays()...)}},
//		},
//		Overrides: []oncall.Override{{User: "fay", From: wed13, Until: wed15}},
//	})
//	a := s.OnCall(now) // a.User, and a.Layer or a.Override that gave it
//	for e, err := range s.Entries(from, until) {
//		// e.User from e.From until e.Until; one entry per stretch of one user
//	}
//	err = s.WriteICS(w, oncall.ICS{From: from, Until: until, Name: "NOC"})
//
// # Turns and daylight saving time
//
// Daily, weekly and Days(n) turns follow the schedule's wall clock: they
// hand off at the local time of day of the layer's start, so a daily
// hand-off at 09:00 stays at 09:00 local time, and the turn across a DST
// change lasts 23 or 25 hours. A custom turn, Every(d), is elapsed time: a
// 12-hour turn lasts 12 hours, and its hand-offs move by an hour of local
// time at a DST change.
//
// Local times that a DST change skips or repeats follow one rule, for
// hand-offs and restriction windows alike: a local time begins at the
// first instant the wall clock shows it or a later time. A time that
// occurs twice begins at its first occurrence and does not begin again in
// the repeated hour; a time that is skipped begins when the clocks jump.
// In Berlin, a daily hand-off at 02:30 happens at 03:00 CEST on the night
// of the change to summer time, and once, at 02:30 CEST, on the night of
// the change back; a window from 02:15 to 02:45 is empty on the first of
// those nights.
//
// # Cost
//
// New sorts and flattens the overrides and turns the restrictions into
// windows of the week, so OnCall is a binary search over the overrides
// and constant work per layer: the index of the running turn is a
// division, on the wall clock for calendar-day turns. Entries steps from
// one possible change to the next.
//
// # JSON and iCalendar
//
// The JSON form names the zone by its IANA name, times in RFC 3339, turns
// as "daily", "weekly", "3d" or a duration such as "12h", and times of day
// as "09:00":
//
//	{"zone": "Europe/Berlin",
//	 "layers": [{"name": "office", "users": ["dan", "eva"],
//	   "start": "2026-03-23T09:00:00+01:00", "turn": "weekly",
//	   "restrictions": [{"type": "daily", "days": ["monday", "friday"], "start": "09:00", "end": "17:00"},
//	                    {"type": "weekly", "start_day": "friday", "start": "17:00", "end_day": "monday", "end": "09:00"}]}],
//	 "overrides": [{"user": "fay", "from": "2026-03-25T13:00:00+01:00", "until": "2026-03-25T15:00:00+01:00"}]}
//
// WriteICS writes the final schedule over an interval as an RFC 5545
// calendar: one VEVENT per entry, times in UTC, CRLF line endings, lines
// folded at 75 octets.
//
// # Errors
//
// Every error of the package is a *itil.ValidationError that names the
// field (class itil.ErrInvalid), such as "zone", "layers[1].users",
// "layers[0].restrictions[2].end" or "overrides[3].until". No input makes
// the package panic.
package oncall
