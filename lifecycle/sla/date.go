package sla

import (
	"fmt"
	"time"

	"github.com/itil-go/itil"
)

// Date is a civil date without a time or zone, such as a holiday: the whole
// day, midnight to midnight, in the zone of the calendar that lists it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns the date as "2026-12-25".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Valid reports whether d is a real date between years 1 and 9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// days returns the number of days from 1970-01-01 to d.
func (d Date) days() int64 {
	return floorDiv(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
}

// dateOfDays is the inverse of Date.days.
func dateOfDays(n int64) Date { return DateOf(time.Unix(n*secondsPerDay, 0).UTC()) }

// ParseDate parses "YYYY-MM-DD", such as "2026-12-25".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, &itil.ValidationError{Field: "date", Reason: fmt.Sprintf("%q is not a date YYYY-MM-DD", s)}
	}
	d := DateOf(t)
	if !d.Valid() {
		return Date{}, &itil.ValidationError{Field: "date", Reason: fmt.Sprintf("%q is outside years 0001 to 9999", s)}
	}
	return d, nil
}

// MarshalText encodes the date as "2026-12-25".
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, &itil.ValidationError{Field: "date", Reason: fmt.Sprintf("%s is not a date", d)}
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes a date from "2026-12-25".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err == nil {
		*d = v
	}
	return err
}
