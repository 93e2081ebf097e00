package sla

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// calendarJSON is the wire form of a Calendar:
//
//	{"zone": "Europe/Berlin",
//	 "hours": {"monday": ["08:00-12:00", "13:00-17:00"], …},
//	 "holidays": ["2026-12-25"]}
type calendarJSON struct {
	Zone     string          `json:"zone,omitempty"`
	Hours    json.RawMessage `json:"hours,omitempty"`
	Holidays []string        `json:"holidays,omitempty"`
}

// hoursJSON writes the days in week order.
type hoursJSON struct {
	Monday    []string `json:"monday,omitempty"`
	Tuesday   []string `json:"tuesday,omitempty"`
	Wednesday []string `json:"wednesday,omitempty"`
	Thursday  []string `json:"thursday,omitempty"`
	Friday    []string `json:"friday,omitempty"`
	Saturday  []string `json:"saturday,omitempty"`
	Sunday    []string `json:"sunday,omitempty"`
}

// MarshalJSON encodes the calendar in normal form (see Config): the zone by
// its IANA name, each working day with its intervals as "08:00-12:00", and
// holidays as "2026-12-25".
func (c *Calendar) MarshalJSON() ([]byte, error) {
	cfg := c.Config()
	text := func(d time.Weekday) []string {
		var out []string
		for _, iv := range cfg.Hours[d] {
			out = append(out, iv.String())
		}
		return out
	}
	hours, err := json.Marshal(hoursJSON{
		Monday: text(time.Monday), Tuesday: text(time.Tuesday), Wednesday: text(time.Wednesday),
		Thursday: text(time.Thursday), Friday: text(time.Friday), Saturday: text(time.Saturday),
		Sunday: text(time.Sunday),
	})
	if err != nil {
		return nil, err
	}
	w := calendarJSON{Zone: cfg.Zone.String(), Hours: hours}
	for _, h := range cfg.Holidays {
		w.Holidays = append(w.Holidays, h.String())
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes and validates a calendar. A missing zone is UTC;
// missing hours, or {}, mean 24x7; days listed without any interval are an
// error. Weekday names are matched without regard
// to case. Bad input yields a *itil.ValidationError naming the field, and
// leaves c unchanged. Like any decoding it writes to c: decode into a
// calendar nobody else uses yet.
func (c *Calendar) UnmarshalJSON(b []byte) error {
	var w calendarJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var cfg CalendarConfig
	if w.Zone != "" {
		loc, err := time.LoadLocation(w.Zone)
		if err != nil {
			return &itil.ValidationError{Field: "zone", Reason: fmt.Sprintf("unknown time zone %q", w.Zone)}
		}
		cfg.Zone = loc
	}
	if len(w.Hours) > 0 && string(w.Hours) != "null" {
		var days map[string][]string
		if err := json.Unmarshal(w.Hours, &days); err != nil {
			return &itil.ValidationError{Field: "hours", Reason: "want an object of weekday names to lists of \"HH:MM-HH:MM\""}
		}
		var seen [7]string
		for _, name := range slices.Sorted(maps.Keys(days)) {
			d := slices.Index(weekdayNames[:], strings.ToLower(name))
			if d < 0 {
				return &itil.ValidationError{Field: "hours." + name, Reason: "unknown weekday (want monday … sunday)"}
			}
			if seen[d] != "" {
				return &itil.ValidationError{Field: "hours." + name, Reason: fmt.Sprintf("repeats %q", seen[d])}
			}
			seen[d] = name
			for i, s := range days[name] {
				iv, err := ParseInterval(s)
				if err != nil {
					return &itil.ValidationError{Field: fmt.Sprintf("hours.%s[%d]", name, i), Reason: reasonOf(err)}
				}
				cfg.Hours[d] = append(cfg.Hours[d], iv)
			}
		}
		if len(days) > 0 && cfg.Hours.empty() {
			return &itil.ValidationError{Field: "hours", Reason: "no working hours on any day (omit hours for 24x7)"}
		}
	}
	for i, s := range w.Holidays {
		d, err := ParseDate(s)
		if err != nil {
			return &itil.ValidationError{Field: fmt.Sprintf("holidays[%d]", i), Reason: reasonOf(err)}
		}
		cfg.Holidays = append(cfg.Holidays, d)
	}
	built, err := NewCalendar(cfg)
	if err != nil {
		return err
	}
	*c = *built
	return nil
}

// reasonOf returns the reason of a *itil.ValidationError, or the error text.
func reasonOf(err error) string {
	if v, ok := err.(*itil.ValidationError); ok {
		return v.Reason
	}
	return err.Error()
}
