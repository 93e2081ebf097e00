package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// BusinessCalendar is the name DefaultPolicy gives its business-hours
// calendar.
const BusinessCalendar = "business"

// Policy is SLA configuration: the response and resolution targets for each
// priority, the calendars they run on, and when clocks warn. Build it in
// code or decode it from JSON, then Validate it once; do not change a Policy
// while clocks use it. It is safe for concurrent reads.
//
//	{"calendars": {"business": {"zone": "Europe/Berlin", "hours": {…}}},
//	 "targets": {"P1": {"response": {"within": "15m"}, "resolution": {"within": "4h"}},
//	             "P2": {"response": {"within": "1h", "calendar": "business"}, …}, …},
//	 "warn_percent": 75}
type Policy struct {
	// Calendars are the calendars targets name. A target with no calendar
	// runs 24x7 in UTC.
	Calendars map[string]*Calendar `json:"calendars,omitempty"`
	// Targets holds the targets of each priority, P1 to P5: all five are
	// required.
	Targets map[itil.Priority]Targets `json:"targets"`
	// WarnPercent is the share of a target, 1 to 100, after which clocks
	// warn; 0 means DefaultWarnPercent.
	WarnPercent int `json:"warn_percent,omitempty"`
}

// Targets are the two targets of a priority.
type Targets struct {
	// Response is the time to the first response: the record assigned or
	// in progress.
	Response Target `json:"response"`
	// Resolution is the time to resolve, paused while the record waits.
	Resolution Target `json:"resolution"`
}

// Target is one SLA target: business time on a calendar.
type Target struct {
	// Within is the business time allowed; zero means no target (the clock
	// measures, but never warns or breaches).
	Within time.Duration
	// Calendar names one of the policy's Calendars; "" is 24x7 in UTC.
	Calendar string
}

// targetJSON is the wire form of a Target: {"within": "4h", "calendar": "business"}.
type targetJSON struct {
	Within   string `json:"within,omitempty"`
	Calendar string `json:"calendar,omitempty"`
}

// MarshalJSON encodes the target with Within as duration text ("4h0m0s").
func (t Target) MarshalJSON() ([]byte, error) {
	return json.Marshal(targetJSON{Within: durationText(t.Within), Calendar: t.Calendar})
}

// UnmarshalJSON decodes a target; Within is duration text such as "4h" or
// "1h30m". Bad input yields a *itil.ValidationError naming the field
// ("within", "calendar"; "target" when b is not a JSON object), and leaves t
// unchanged; the calendar's name must be valid UTF-8 without NUL.
func (t *Target) UnmarshalJSON(b []byte) error {
	v, err := decodeTarget(b, "")
	if err == nil {
		*t = v
	}
	return err
}

// decodeTarget decodes a target; errors name their fields under path.
func decodeTarget(b []byte, path string) (Target, error) {
	var w struct {
		Within   json.RawMessage `json:"within"`
		Calendar json.RawMessage `json:"calendar"`
	}
	if err := decodeJSON(whole(path, "target"), b, &w, "an object with within and calendar"); err != nil {
		return Target{}, err
	}
	var t Target
	if len(w.Within) > 0 {
		var text string
		if err := decodeJSON(at(path, "within"), w.Within, &text, "a duration such as \"4h\" or \"1h30m\""); err != nil {
			return Target{}, err
		}
		d, err := parseDuration(at(path, "within"), text)
		if err != nil {
			return Target{}, err
		}
		t.Within = d
	}
	if len(w.Calendar) > 0 {
		name, err := decodeText(at(path, "calendar"), w.Calendar)
		if err != nil {
			return Target{}, err
		}
		t.Calendar = name
	}
	return t, nil
}

// DefaultPolicy returns a common setup, a new Policy on each call for the
// caller to adjust:
//
//	priority  respond within     resolve within     calendar
//	P1        15 minutes         4 hours            24x7
//	P2        1 hour             8 hours            business
//	P3        4 hours            24 hours           business
//	P4        8 hours            72 hours           business
//	P5        24 hours           120 hours          business
//
// Business hours are Monday to Friday, 08:00–17:00 in UTC, under the name
// BusinessCalendar; replace that calendar with the desk's own:
//
//	p := sla.DefaultPolicy()
//	p.Calendars[sla.BusinessCalendar] = officeHours
//
// Clocks warn at DefaultWarnPercent.
func DefaultPolicy() *Policy {
	biz := func(d time.Duration) Target { return Target{Within: d, Calendar: BusinessCalendar} }
	return &Policy{
		Calendars: map[string]*Calendar{BusinessCalendar: BusinessHours(time.UTC)},
		Targets: map[itil.Priority]Targets{
			itil.P1: {Response: Target{Within: 15 * time.Minute}, Resolution: Target{Within: 4 * time.Hour}},
			itil.P2: {Response: biz(time.Hour), Resolution: biz(8 * time.Hour)},
			itil.P3: {Response: biz(4 * time.Hour), Resolution: biz(24 * time.Hour)},
			itil.P4: {Response: biz(8 * time.Hour), Resolution: biz(72 * time.Hour)},
			itil.P5: {Response: biz(24 * time.Hour), Resolution: biz(120 * time.Hour)},
		},
	}
}

// Validate checks the policy and reports the first problem as a
// *itil.ValidationError naming the field: "calendars[business]",
// "targets.P2.resolution.within", "targets.P4", "warn_percent"; "calendars"
// or "targets.P2.response.calendar" for a calendar name that is not valid
// UTF-8 or holds NUL.
func (p *Policy) Validate() error {
	if p == nil {
		return &itil.ValidationError{Field: "policy", Reason: "required"}
	}
	if p.WarnPercent < 0 || p.WarnPercent > 100 {
		return &itil.ValidationError{Field: "warn_percent", Reason: fmt.Sprintf("%d is not between 1 and 100 (0 means %d)", p.WarnPercent, DefaultWarnPercent)}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Calendars)) {
		if err := itil.CheckText("calendars", name, 0); err != nil {
			return err
		}
		switch {
		case name == "":
			return &itil.ValidationError{Field: "calendars", Reason: "a calendar needs a name (\"\" is 24x7)"}
		case p.Calendars[name] == nil:
			return &itil.ValidationError{Field: "calendars[" + name + "]", Reason: "missing calendar"}
		}
	}
	for _, pr := range slices.Sorted(maps.Keys(p.Targets)) {
		if !pr.Valid() {
			return &itil.ValidationError{Field: "targets", Reason: fmt.Sprintf("%v is not a priority P1 to P5", pr)}
		}
	}
	for pr := itil.P1; pr <= itil.P5; pr++ {
		ts, ok := p.Targets[pr]
		if !ok {
			return &itil.ValidationError{Field: "targets." + pr.String(), Reason: "missing: every priority P1 to P5 needs targets"}
		}
		for _, t := range [...]struct {
			name string
			Target
		}{{"response", ts.Response}, {"resolution", ts.Resolution}} {
			field := "targets." + pr.String() + "." + t.name
			if t.Within < 0 {
				return &itil.ValidationError{Field: field + ".within", Reason: fmt.Sprintf("%v is negative", t.Within)}
			}
			if _, err := p.calendar(t.Calendar, field+".calendar"); err != nil {
				return err
			}
		}
	}
	return nil
}

// UnmarshalJSON decodes a policy and validates it. Bad input yields a
// *itil.ValidationError naming the field, with its path:
// "calendars[business].hours.monday[1]", "targets.P2.resolution.within",
// "targets" for an unknown priority, "policy" when b is not a JSON object.
// It leaves p unchanged.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var w struct {
		Calendars   json.RawMessage `json:"calendars"`
		Targets     json.RawMessage `json:"targets"`
		WarnPercent json.RawMessage `json:"warn_percent"`
	}
	if err := decodeJSON("policy", b, &w, "an object with calendars, targets and warn_percent"); err != nil {
		return err
	}
	var v Policy
	if len(w.Calendars) > 0 {
		cals, err := decodeObject("calendars", w.Calendars, "an object of names to calendars")
		if err != nil {
			return err
		}
		if cals != nil {
			v.Calendars = make(map[string]*Calendar, len(cals))
		}
		for _, name := range slices.Sorted(maps.Keys(cals)) {
			if string(cals[name]) == "null" {
				v.Calendars[name] = nil // Validate reports it missing
				continue
			}
			if v.Calendars[name], err = decodeCalendar(cals[name], "calendars["+name+"]"); err != nil {
				return err
			}
		}
	}
	if len(w.Targets) > 0 {
		targets, err := decodeObject("targets", w.Targets, "an object of priorities P1 to P5 to their targets")
		if err != nil {
			return err
		}
		if targets != nil {
			v.Targets = make(map[itil.Priority]Targets, len(targets))
		}
		seen := make(map[itil.Priority]string, len(targets))
		for _, key := range slices.Sorted(maps.Keys(targets)) {
			pr, err := itil.ParsePriority(key)
			if err != nil {
				return &itil.ValidationError{Field: "targets", Reason: reasonOf(err)}
			}
			field := "targets." + key
			if prev, ok := seen[pr]; ok {
				return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("repeats %q", prev)}
			}
			seen[pr] = key
			var tw struct {
				Response   json.RawMessage `json:"response"`
				Resolution json.RawMessage `json:"resolution"`
			}
			if err := decodeJSON(field, targets[key], &tw, "an object with response and resolution"); err != nil {
				return err
			}
			var ts Targets
			for _, t := range [...]struct {
				name string
				raw  json.RawMessage
				dst  *Target
			}{{"response", tw.Response, &ts.Response}, {"resolution", tw.Resolution, &ts.Resolution}} {
				if len(t.raw) == 0 {
					continue
				}
				if *t.dst, err = decodeTarget(t.raw, field+"."+t.name); err != nil {
					return err
				}
			}
			v.Targets[pr] = ts
		}
	}
	if len(w.WarnPercent) > 0 {
		if err := decodeJSON("warn_percent", w.WarnPercent, &v.WarnPercent, "a whole number of percent"); err != nil {
			return err
		}
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*p = v
	return nil
}

// For returns the targets of priority pr.
func (p *Policy) For(pr itil.Priority) (Targets, error) {
	if !pr.Valid() {
		return Targets{}, &itil.ValidationError{Field: "priority", Reason: fmt.Sprintf("%v is not a priority P1 to P5", pr)}
	}
	ts, ok := p.Targets[pr]
	if !ok {
		return Targets{}, &itil.ValidationError{Field: "priority", Reason: fmt.Sprintf("the policy has no targets for %v", pr)}
	}
	return ts, nil
}

// Calendar returns the calendar called name. For "" it returns a nil
// *Calendar, which is 24x7 in UTC.
func (p *Policy) Calendar(name string) (*Calendar, error) { return p.calendar(name, "calendar") }

// calendar returns the calendar called name, as Calendar does; field
// names it in errors. A caller on a hot path passes "" and names it, with
// inField, only when there is an error.
func (p *Policy) calendar(name, field string) (*Calendar, error) {
	if name == "" {
		return nil, nil
	}
	if err := itil.CheckText(field, name, 0); err != nil {
		return nil, err
	}
	c := p.Calendars[name]
	if c == nil {
		return nil, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("unknown calendar %q", name)}
	}
	return c, nil
}

// inField returns err, a *itil.ValidationError of calendar's with no field
// or any other error, naming field.
func inField(err error, field string) error {
	var ve *itil.ValidationError
	if errors.As(err, &ve) && ve.Field == "" {
		return &itil.ValidationError{Field: field, Reason: ve.Reason}
	}
	return err
}
