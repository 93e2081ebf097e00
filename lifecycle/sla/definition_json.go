package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// definitionJSON is the wire form of a Definition. Names of kinds
// (type, categories, priorities, actions) travel as text and are parsed
// one by one, so that an unknown one is named with its path.
type definitionJSON struct {
	Name        string                     `json:"name"`
	Type        string                     `json:"type,omitempty"`
	Group       string                     `json:"group,omitempty"`
	When        *whenJSON                  `json:"when,omitempty"`
	Start       *conditionJSON             `json:"start,omitempty"`
	Pause       *conditionJSON             `json:"pause,omitempty"`
	Stop        *conditionJSON             `json:"stop,omitempty"`
	Final       bool                       `json:"final,omitempty"`
	Retroactive bool                       `json:"retroactive,omitempty"`
	Target      json.RawMessage            `json:"target,omitempty"`
	Targets     map[string]json.RawMessage `json:"targets,omitempty"`
	Thresholds  []thresholdJSON            `json:"thresholds,omitempty"`
}

type whenJSON struct {
	Priorities []string `json:"priorities,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Services   []string `json:"services,omitempty"`
	CIClasses  []string `json:"ci_classes,omitempty"`
}

type conditionJSON struct {
	Categories []string `json:"categories,omitempty"`
	States     []string `json:"states,omitempty"`
	Responded  bool     `json:"responded,omitempty"`
}

type thresholdJSON struct {
	Percent int          `json:"percent"`
	Actions []actionJSON `json:"actions,omitempty"`
}

type actionJSON struct {
	Do string `json:"do"`
	To string `json:"to,omitempty"`
}

// MarshalJSON encodes the definition; durations are Go duration text and
// kinds their names. Zero fields are left out:
//
//	{"name":"ola-network","type":"ola","group":"network",
//	 "stop":{"categories":["resolved","closed","cancelled"]},
//	 "target":{"within":"2h0m0s"},"thresholds":[{"percent":50}]}
func (d Definition) MarshalJSON() ([]byte, error) {
	w := definitionJSON{Name: d.Name, Group: d.Group, Final: d.Final, Retroactive: d.Retroactive}
	if d.Type != SLA {
		t, err := d.Type.MarshalText()
		if err != nil {
			return nil, err
		}
		w.Type = string(t)
	}
	if !whenEmpty(&d.When) {
		w.When = &whenJSON{Categories: d.When.Categories, Services: d.When.Services, CIClasses: d.When.CIClasses}
		for _, p := range d.When.Priorities {
			w.When.Priorities = append(w.When.Priorities, p.String())
		}
	}
	for _, c := range []struct {
		cond *Condition
		dst  **conditionJSON
	}{{&d.Start, &w.Start}, {&d.Pause, &w.Pause}, {&d.Stop, &w.Stop}} {
		if c.cond.empty() {
			continue
		}
		cj := &conditionJSON{States: c.cond.States, Responded: c.cond.Responded}
		for _, cat := range c.cond.Categories {
			cj.Categories = append(cj.Categories, cat.String())
		}
		*c.dst = cj
	}
	var err error
	if d.Target != (Target{}) {
		if w.Target, err = json.Marshal(d.Target); err != nil {
			return nil, err
		}
	}
	if len(d.Targets) > 0 {
		w.Targets = make(map[string]json.RawMessage, len(d.Targets))
		for pr, t := range d.Targets {
			if w.Targets[pr.String()], err = json.Marshal(t); err != nil {
				return nil, err
			}
		}
	}
	for _, th := range d.Thresholds {
		tj := thresholdJSON{Percent: th.Percent}
		for _, a := range th.Actions {
			tj.Actions = append(tj.Actions, actionJSON{Do: a.Do.String(), To: a.To})
		}
		w.Thresholds = append(w.Thresholds, tj)
	}
	return json.Marshal(w)
}

func whenEmpty(w *When) bool {
	return len(w.Priorities) == 0 && len(w.Categories) == 0 && len(w.Services) == 0 && len(w.CIClasses) == 0
}

// UnmarshalJSON decodes a definition, checking the names of its kinds but
// not the rest (NewDefinitions does, against the set's calendars). Bad
// input yields a *itil.ValidationError naming the field
// ("start.categories[1]", "thresholds[0].actions[0].do", "target.within";
// "definition" when b is not a JSON object), and leaves d unchanged.
func (d *Definition) UnmarshalJSON(b []byte) error {
	v, err := decodeDefinition(b, "")
	if err == nil {
		*d = v
	}
	return err
}

// decodeDefinition decodes a definition; errors name their fields under
// path.
func decodeDefinition(b []byte, path string) (Definition, error) {
	if badText(b) {
		return Definition{}, &itil.ValidationError{Field: whole(path, "definition"), Reason: "not valid UTF-8 (or an escape of half a surrogate pair)"}
	}
	var w definitionJSON
	if err := json.Unmarshal(b, &w); err != nil {
		field := whole(path, "definition")
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field = at(path, te.Field)
		}
		return Definition{}, jsonError(field, err, "a definition: an object with name, start, stop, target and thresholds")
	}
	d := Definition{Name: w.Name, Group: w.Group, Final: w.Final, Retroactive: w.Retroactive}
	if w.Type != "" {
		t, err := typeNames.ParseAt(at(path, "type"), w.Type)
		if err != nil {
			return Definition{}, err
		}
		d.Type = t
	}
	if w.When != nil {
		d.When = When{Categories: w.When.Categories, Services: w.When.Services, CIClasses: w.When.CIClasses}
		for j, s := range w.When.Priorities {
			pr, err := itil.ParsePriority(s)
			if err != nil {
				return Definition{}, &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", at(path, "when.priorities"), j), Reason: reasonOf(err)}
			}
			d.When.Priorities = append(d.When.Priorities, pr)
		}
	}
	for _, c := range []struct {
		name string
		src  *conditionJSON
		dst  *Condition
	}{{"start", w.Start, &d.Start}, {"pause", w.Pause, &d.Pause}, {"stop", w.Stop, &d.Stop}} {
		if c.src == nil {
			continue
		}
		c.dst.States, c.dst.Responded = c.src.States, c.src.Responded
		for j, s := range c.src.Categories {
			cat, err := lifecycle.ParseCategory(s)
			if err != nil {
				return Definition{}, &itil.ValidationError{Field: fmt.Sprintf("%s.categories[%d]", at(path, c.name), j), Reason: reasonOf(err)}
			}
			c.dst.Categories = append(c.dst.Categories, cat)
		}
	}
	if len(w.Target) > 0 && string(w.Target) != "null" {
		t, err := decodeTarget(w.Target, at(path, "target"))
		if err != nil {
			return Definition{}, err
		}
		d.Target = t
	}
	if len(w.Targets) > 0 {
		d.Targets = make(map[itil.Priority]Target, len(w.Targets))
		seen := make(map[itil.Priority]string, len(w.Targets))
		for _, key := range slices.Sorted(maps.Keys(w.Targets)) {
			pr, err := itil.ParsePriority(key)
			if err != nil {
				return Definition{}, &itil.ValidationError{Field: at(path, "targets"), Reason: reasonOf(err)}
			}
			field := at(path, "targets."+key)
			if prev, ok := seen[pr]; ok {
				return Definition{}, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("repeats %q", prev)}
			}
			seen[pr] = key
			if d.Targets[pr], err = decodeTarget(w.Targets[key], field); err != nil {
				return Definition{}, err
			}
		}
	}
	for j, tj := range w.Thresholds {
		th := Threshold{Percent: tj.Percent}
		for k, aj := range tj.Actions {
			kind, err := actionNames.ParseAt(fmt.Sprintf("%s[%d].actions[%d].do", at(path, "thresholds"), j, k), aj.Do)
			if err != nil {
				return Definition{}, err
			}
			th.Actions = append(th.Actions, Action{Do: kind, To: aj.To})
		}
		d.Thresholds = append(d.Thresholds, th)
	}
	return d, nil
}

// definitionsJSON is the wire form of Definitions.
type definitionsJSON struct {
	Calendars   map[string]*Calendar `json:"calendars,omitempty"`
	Definitions []Definition         `json:"definitions"`
}

// MarshalJSON encodes the set as it was configured:
//
//	{"calendars": {"business": {"zone": "Europe/Berlin", …}},
//	 "definitions": [{"name": "response", …}, {"name": "ola-network", "type": "ola", …}]}
func (ds *Definitions) MarshalJSON() ([]byte, error) {
	cfg := ds.Config()
	return json.Marshal(definitionsJSON{Calendars: cfg.Calendars, Definitions: cfg.Definitions})
}

// UnmarshalJSON decodes and compiles a set of definitions (see
// NewDefinitions). Bad input yields a *itil.ValidationError naming the
// field with its path ("definitions[1].thresholds[0].percent",
// "calendars[business].zone"; "definitions" when b is not a JSON object),
// and leaves ds unchanged. Like any decoding it writes to ds: decode into
// a set nobody uses yet.
func (ds *Definitions) UnmarshalJSON(b []byte) error {
	var w struct {
		Calendars   json.RawMessage `json:"calendars"`
		Definitions json.RawMessage `json:"definitions"`
	}
	if err := decodeJSON("definitions", b, &w, "an object with calendars and definitions"); err != nil {
		return err
	}
	var cfg DefinitionsConfig
	if len(w.Calendars) > 0 {
		cals, err := decodeObject("calendars", w.Calendars, "an object of names to calendars")
		if err != nil {
			return err
		}
		if cals != nil {
			cfg.Calendars = make(map[string]*Calendar, len(cals))
		}
		for _, name := range slices.Sorted(maps.Keys(cals)) {
			if string(cals[name]) == "null" {
				cfg.Calendars[name] = nil // NewDefinitions reports it missing
				continue
			}
			if cfg.Calendars[name], err = decodeCalendar(cals[name], "calendars["+name+"]"); err != nil {
				return err
			}
		}
	}
	var raws []json.RawMessage
	if len(w.Definitions) > 0 {
		if err := decodeJSON("definitions", w.Definitions, &raws, "a list of definitions"); err != nil {
			return err
		}
	}
	for i, raw := range raws {
		d, err := decodeDefinition(raw, fmt.Sprintf("definitions[%d]", i))
		if err != nil {
			return err
		}
		cfg.Definitions = append(cfg.Definitions, d)
	}
	built, err := NewDefinitions(cfg)
	if err != nil {
		return err
	}
	*ds = *built
	return nil
}
