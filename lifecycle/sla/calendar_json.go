package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// calendarJSON is the wire form of a Calendar, as MarshalJSON writes it:
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
// error. Weekday names are matched without regard to case. Bad input yields
// a *itil.ValidationError naming the field ("zone", "hours.monday[1]",
// "holidays[0]"; "calendar" when b is not a JSON object), and leaves c
// unchanged; the zone's name must be valid UTF-8 without NUL. Like any
// decoding it writes to c: decode into a calendar nobody else uses yet.
func (c *Calendar) UnmarshalJSON(b []byte) error {
	built, err := decodeCalendar(b, "")
	if err != nil {
		return err
	}
	*c = *built
	return nil
}

// decodeCalendar decodes and validates a calendar; errors name their fields
// under path ("" at the top).
func decodeCalendar(b []byte, path string) (*Calendar, error) {
	var w struct {
		Zone     json.RawMessage `json:"zone"`
		Hours    json.RawMessage `json:"hours"`
		Holidays json.RawMessage `json:"holidays"`
	}
	if err := decodeJSON(whole(path, "calendar"), b, &w, "an object with zone, hours and holidays"); err != nil {
		return nil, err
	}
	var cfg CalendarConfig
	if len(w.Zone) > 0 {
		name, err := decodeText(at(path, "zone"), w.Zone)
		if err != nil {
			return nil, err
		}
		if name != "" {
			loc, err := time.LoadLocation(name)
			if err != nil {
				return nil, &itil.ValidationError{Field: at(path, "zone"), Reason: fmt.Sprintf("unknown time zone %q", name)}
			}
			cfg.Zone = loc
		}
	}
	if len(w.Hours) > 0 {
		field := at(path, "hours")
		days, err := decodeObject(field, w.Hours, "an object of weekday names to lists of \"HH:MM-HH:MM\"")
		if err != nil {
			return nil, err
		}
		var seen [7]string
		for _, name := range slices.Sorted(maps.Keys(days)) {
			dayField := field + "." + name
			d := slices.Index(weekdayNames[:], strings.ToLower(name))
			if d < 0 {
				return nil, &itil.ValidationError{Field: dayField, Reason: "unknown weekday (want monday … sunday)"}
			}
			if seen[d] != "" {
				return nil, &itil.ValidationError{Field: dayField, Reason: fmt.Sprintf("repeats %q", seen[d])}
			}
			seen[d] = name
			var list []json.RawMessage
			if err := decodeJSON(dayField, days[name], &list, "a list of \"HH:MM-HH:MM\""); err != nil {
				return nil, err
			}
			for i, raw := range list {
				ivField := fmt.Sprintf("%s[%d]", dayField, i)
				var s string
				if err := decodeJSON(ivField, raw, &s, "a string \"HH:MM-HH:MM\""); err != nil {
					return nil, err
				}
				iv, err := ParseInterval(s)
				if err != nil {
					return nil, &itil.ValidationError{Field: ivField, Reason: reasonOf(err)}
				}
				cfg.Hours[d] = append(cfg.Hours[d], iv)
			}
		}
		if len(days) > 0 && cfg.Hours.empty() {
			return nil, &itil.ValidationError{Field: field, Reason: "no working hours on any day (omit hours for 24x7)"}
		}
	}
	if len(w.Holidays) > 0 {
		var list []json.RawMessage
		if err := decodeJSON(at(path, "holidays"), w.Holidays, &list, "a list of dates \"YYYY-MM-DD\""); err != nil {
			return nil, err
		}
		for i, raw := range list {
			field := at(path, fmt.Sprintf("holidays[%d]", i))
			var s string
			if err := decodeJSON(field, raw, &s, "a string \"YYYY-MM-DD\""); err != nil {
				return nil, err
			}
			d, err := ParseDate(s)
			if err != nil {
				return nil, &itil.ValidationError{Field: field, Reason: reasonOf(err)}
			}
			cfg.Holidays = append(cfg.Holidays, d)
		}
	}
	built, err := NewCalendar(cfg)
	if err != nil {
		return nil, within(path, err)
	}
	return built, nil
}

// reasonOf returns the reason of a *itil.ValidationError, or the error text.
func reasonOf(err error) string {
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return err.Error()
}
