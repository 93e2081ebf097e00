package oncall

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/itil-go/itil"
)

// The JSON form of a schedule:
//
//	{"zone": "Europe/Berlin",
//	 "layers": [
//	   {"name": "primary", "users": ["ann", "bob"], "start": "2026-01-05T09:00:00+01:00",
//	    "turn": "weekly", "end": "2027-01-04T09:00:00+01:00",
//	    "restrictions": [
//	      {"type": "daily", "days": ["monday", "friday"], "start": "09:00", "end": "17:00"},
//	      {"type": "weekly", "start_day": "friday", "start": "17:00", "end_day": "monday", "end": "09:00"}]}],
//	 "overrides": [{"user": "cem", "from": "2026-02-01T00:00:00Z", "until": "2026-02-02T00:00:00Z"}]}
//
// The decoder reads each list element by itself, so that its errors name
// the element ("layers[1].restrictions[0].start").

type scheduleJSON struct {
	Zone      string            `json:"zone,omitempty"`
	Layers    []json.RawMessage `json:"layers"`
	Overrides []json.RawMessage `json:"overrides,omitempty"`
}

type layerJSON struct {
	Name         string            `json:"name,omitempty"`
	Users        []string          `json:"users"`
	Start        string            `json:"start"`
	Turn         string            `json:"turn"`
	End          string            `json:"end,omitempty"`
	Restrictions []json.RawMessage `json:"restrictions,omitempty"`
}

type restrictionJSON struct {
	Type     string   `json:"type,omitempty"`
	Days     []string `json:"days,omitempty"`
	StartDay string   `json:"start_day,omitempty"`
	Start    string   `json:"start"`
	EndDay   string   `json:"end_day,omitempty"`
	End      string   `json:"end"`
}

type overrideJSON struct {
	User  string `json:"user"`
	From  string `json:"from"`
	Until string `json:"until"`
}

// MarshalJSON encodes the schedule's configuration (see the package
// documentation for the form).
func (s *Schedule) MarshalJSON() ([]byte, error) {
	w := scheduleJSON{Zone: s.cfg.Zone, Layers: []json.RawMessage{}}
	for _, l := range s.cfg.Layers {
		lj := layerJSON{Name: l.Name, Users: l.Users, Start: timeText(l.Start), Turn: l.Turn.String(), End: timeText(l.End)}
		for _, r := range l.Restrictions {
			rj := restrictionJSON{Type: "daily", Start: clockText(r.Start), End: clockText(r.End)}
			if r.Kind == WeeklyRestriction {
				rj.Type, rj.StartDay, rj.EndDay = "weekly", weekdayName(r.StartDay), weekdayName(r.EndDay)
			}
			for _, d := range r.Days {
				rj.Days = append(rj.Days, weekdayName(d))
			}
			b, err := json.Marshal(rj)
			if err != nil {
				return nil, err
			}
			lj.Restrictions = append(lj.Restrictions, b)
		}
		b, err := json.Marshal(lj)
		if err != nil {
			return nil, err
		}
		w.Layers = append(w.Layers, b)
	}
	for _, o := range s.cfg.Overrides {
		b, err := json.Marshal(overrideJSON{User: o.User, From: timeText(o.From), Until: timeText(o.Until)})
		if err != nil {
			return nil, err
		}
		w.Overrides = append(w.Overrides, b)
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes and validates a schedule. Unknown members are
// refused, so that a misspelt "restrictions" does not silently drop them.
// Bad input yields a *itil.ValidationError naming the field ("zone",
// "layers[1].turn"; "schedule" when b is not one JSON object) and leaves s
// unchanged.
func (s *Schedule) UnmarshalJSON(b []byte) error {
	cfg, err := decodeConfig(b)
	if err != nil {
		return err
	}
	built, err := New(cfg)
	if err != nil {
		return err
	}
	*s = *built
	return nil
}

// decodeConfig reads the JSON form into a Config, without validating it.
func decodeConfig(b []byte) (Config, error) {
	var w scheduleJSON
	if err := decode("schedule", b, &w); err != nil {
		return Config{}, err
	}
	cfg := Config{Zone: w.Zone}
	for i, raw := range w.Layers {
		path := fmt.Sprintf("layers[%d]", i)
		var lj layerJSON
		if err := decode(path, raw, &lj); err != nil {
			return Config{}, err
		}
		l := Layer{Name: lj.Name, Users: lj.Users}
		var err error
		if lj.Start != "" {
			if l.Start, err = parseTime(path+".start", lj.Start); err != nil {
				return Config{}, err
			}
		}
		if l.Turn, err = parseTurn(path+".turn", lj.Turn); err != nil {
			return Config{}, err
		}
		if lj.End != "" {
			if l.End, err = parseTime(path+".end", lj.End); err != nil {
				return Config{}, err
			}
		}
		for j, raw := range lj.Restrictions {
			r, err := decodeRestriction(fmt.Sprintf("%s.restrictions[%d]", path, j), raw)
			if err != nil {
				return Config{}, err
			}
			l.Restrictions = append(l.Restrictions, r)
		}
		cfg.Layers = append(cfg.Layers, l)
	}
	for i, raw := range w.Overrides {
		path := fmt.Sprintf("overrides[%d]", i)
		var oj overrideJSON
		if err := decode(path, raw, &oj); err != nil {
			return Config{}, err
		}
		o := Override{User: oj.User}
		var err error
		if oj.From != "" {
			if o.From, err = parseTime(path+".from", oj.From); err != nil {
				return Config{}, err
			}
		}
		if oj.Until != "" {
			if o.Until, err = parseTime(path+".until", oj.Until); err != nil {
				return Config{}, err
			}
		}
		cfg.Overrides = append(cfg.Overrides, o)
	}
	return cfg, nil
}

func decodeRestriction(path string, raw []byte) (Restriction, error) {
	var rj restrictionJSON
	if err := decode(path, raw, &rj); err != nil {
		return Restriction{}, err
	}
	var r Restriction
	switch strings.ToLower(rj.Type) {
	case "", "daily":
		if rj.StartDay != "" || rj.EndDay != "" {
			return r, itil.Invalid(path+".type", `start_day and end_day need "type": "weekly"`)
		}
		for k, name := range rj.Days {
			d, err := parseWeekday(fmt.Sprintf("%s.days[%d]", path, k), name)
			if err != nil {
				return r, err
			}
			r.Days = append(r.Days, d)
		}
	case "weekly":
		r.Kind = WeeklyRestriction
		if len(rj.Days) > 0 {
			return r, itil.Invalid(path+".days", "only for a daily window (a weekly one has start_day and end_day)")
		}
		var err error
		if r.StartDay, err = parseWeekday(path+".start_day", rj.StartDay); err != nil {
			return r, err
		}
		if r.EndDay, err = parseWeekday(path+".end_day", rj.EndDay); err != nil {
			return r, err
		}
	default:
		return r, itil.Invalid(path+".type", fmt.Sprintf(`unknown type %q (want "daily" or "weekly")`, rj.Type))
	}
	var err error
	if r.Start, err = parseClock(path+".start", rj.Start); err != nil {
		return r, err
	}
	if r.End, err = parseClock(path+".end", rj.End); err != nil {
		return r, err
	}
	return r, nil
}

// decode reads exactly one JSON object from b into v, refusing unknown
// members; errors name fields under path.
func decode(path string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ):
			field := path
			if typ.Field != "" {
				field += "." + typ.Field
			}
			return itil.Invalid(field, fmt.Sprintf("want %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value))
		case errors.As(err, &syn):
			return itil.Invalid(path, "not valid JSON: "+strings.TrimPrefix(syn.Error(), "json: "))
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return itil.Invalid(path, "truncated or empty JSON")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return itil.Invalid(path, strings.TrimPrefix(err.Error(), "json: "))
		default:
			return itil.Invalid(path, strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return itil.Invalid(path, "more than one JSON value")
	}
	return nil
}

// jsonKind names a Go kind the way JSON would.
func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return k
}
