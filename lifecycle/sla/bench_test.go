package sla_test

import (
	"testing"
	"time"

	"github.com/itil-go/itil/lifecycle/sla"
)

// benchCalendar is Monday to Friday 08:00–17:00 in Berlin with the ten
// German public holidays of 2026, and a one-year span across both daylight
// saving changes.
func benchCalendar(b *testing.B) (sla.CalendarConfig, time.Time, time.Time) {
	berlin := zone(b, "Europe/Berlin")
	var holidays []sla.Date
	for _, md := range [][2]int{{1, 1}, {4, 3}, {4, 6}, {5, 1}, {5, 14}, {5, 25}, {10, 3}, {12, 24}, {12, 25}, {12, 26}} {
		holidays = append(holidays, sla.Date{Year: 2026, Month: time.Month(md[0]), Day: md[1]})
	}
	cfg := sla.CalendarConfig{
		Zone:     berlin,
		Hours:    sla.Weekdays(sla.Interval{Start: 8 * time.Hour, End: 17 * time.Hour}),
		Holidays: holidays,
	}
	from := time.Date(2026, time.January, 2, 10, 17, 0, 0, berlin)
	return cfg, from, from.AddDate(1, 0, 0)
}

func BenchmarkSLAElapsed(b *testing.B) {
	cfg, from, to := benchCalendar(b)
	cal := mustCalendar(b, cfg)
	var d time.Duration
	for b.Loop() {
		d = cal.Elapsed(from, to)
	}
	b.ReportMetric(d.Hours(), "business-h")
}

// BenchmarkSLAElapsedMinuteWalk is the baseline: the same span, walked a
// minute at a time.
func BenchmarkSLAElapsedMinuteWalk(b *testing.B) {
	cfg, from, to := benchCalendar(b)
	ref := newReference(cfg)
	var d time.Duration
	for b.Loop() {
		d = ref.elapsed(from, to)
	}
	b.ReportMetric(d.Hours(), "business-h")
}

func BenchmarkSLAAdd(b *testing.B) {
	cfg, from, to := benchCalendar(b)
	cal := mustCalendar(b, cfg)
	d := cal.Elapsed(from, to)
	var due time.Time
	for b.Loop() {
		due = cal.Add(from, d)
	}
	if got := cal.Elapsed(from, due); got != d || due.After(to) {
		b.Fatalf("Add(from, %v) = %v: %v of business time", d, due, got)
	}
}
