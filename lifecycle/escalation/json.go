package escalation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// The JSON form of a policy:
//
//	{"name": "p1-major",
//	 "levels": [
//	   {"targets": [{"schedule": "primary"}], "delay": "15m"},
//	   {"targets": [{"schedule": "secondary"}, {"user": "mia"}], "delay": "30m"},
//	   {"targets": [{"group": "network"}]}],
//	 "repeats": 1}
//
// Delays are Go durations ("15m", "1h30m"). The decoder reads each list
// element by itself, so that its errors name the element
// ("levels[1].targets[0]"), and refuses unknown members.

type policyJSON struct {
	Name    string            `json:"name"`
	Levels  []json.RawMessage `json:"levels"`
	Repeats int               `json:"repeats,omitempty"`
}

type levelJSON struct {
	Targets []json.RawMessage `json:"targets"`
	Delay   string            `json:"delay,omitempty"`
}

type targetJSON struct {
	Schedule string `json:"schedule,omitempty"`
	User     string `json:"user,omitempty"`
	Group    string `json:"group,omitempty"`
}

// MarshalJSON encodes the policy's configuration in the JSON form.
func (p *Policy) MarshalJSON() ([]byte, error) {
	w := policyJSON{Name: p.cfg.Name, Repeats: p.cfg.Repeats, Levels: []json.RawMessage{}}
	for _, l := range p.cfg.Levels {
		lj := levelJSON{Targets: []json.RawMessage{}}
		if l.Delay != 0 {
			lj.Delay = l.Delay.String()
		}
		for _, t := range l.Targets {
			b, err := json.Marshal(targetJSON(t))
			if err != nil {
				return nil, err
			}
			lj.Targets = append(lj.Targets, b)
		}
		b, err := json.Marshal(lj)
		if err != nil {
			return nil, err
		}
		w.Levels = append(w.Levels, b)
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes and validates a policy, as New does. Bad input
// yields a *itil.ValidationError naming the field ("levels[1].delay";
// "policy" when b is not one JSON object) and leaves p unchanged.
func (p *Policy) UnmarshalJSON(b []byte) error {
	cfg, err := decodeConfig(b)
	if err != nil {
		return err
	}
	built, err := New(cfg)
	if err != nil {
		return err
	}
	*p = *built
	return nil
}

// ParseJSON decodes and validates a policy from its JSON form.
func ParseJSON(b []byte) (*Policy, error) {
	p := new(Policy)
	if err := p.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeConfig reads the JSON form into a Config, without validating it.
func decodeConfig(b []byte) (Config, error) {
	if err := itil.CheckJSONText("policy", b); err != nil {
		return Config{}, err
	}
	var w policyJSON
	if err := decode("policy", b, &w); err != nil {
		return Config{}, err
	}
	if len(w.Levels) > MaxLevels {
		return Config{}, itil.Invalid("levels", fmt.Sprintf("%d levels, at most %d", len(w.Levels), MaxLevels))
	}
	cfg := Config{Name: w.Name, Repeats: w.Repeats}
	for i, raw := range w.Levels {
		path := fmt.Sprintf("levels[%d]", i)
		var lj levelJSON
		if err := decode(path, raw, &lj); err != nil {
			return Config{}, err
		}
		if len(lj.Targets) > MaxTargets {
			return Config{}, itil.Invalid(path+".targets", fmt.Sprintf("%d targets, at most %d", len(lj.Targets), MaxTargets))
		}
		var l Level
		if lj.Delay != "" {
			d, err := time.ParseDuration(lj.Delay)
			if err != nil {
				return Config{}, itil.Invalid(path+".delay", fmt.Sprintf("%q is not a duration such as \"15m\"", lj.Delay))
			}
			l.Delay = d
		}
		for j, raw := range lj.Targets {
			var tj targetJSON
			if err := decode(fmt.Sprintf("%s.targets[%d]", path, j), raw, &tj); err != nil {
				return Config{}, err
			}
			l.Targets = append(l.Targets, Target(tj))
		}
		cfg.Levels = append(cfg.Levels, l)
	}
	return cfg, nil
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
	case "int":
		return "a whole number"
	}
	return k
}
