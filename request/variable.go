package request

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/itil-go/itil"
)

// VarKind is the type of a catalog variable, which says how its value is
// parsed and checked.
type VarKind string

// The variable kinds.
const (
	// VarText is free text; Min and Max bound its length in characters and
	// Pattern, when set, must match the whole value.
	VarText VarKind = "text"
	// VarNumber is a decimal number ("16", "-2.5"); Min and Max bound it.
	VarNumber VarKind = "number"
	// VarBoolean is "true" or "false" (in any case).
	VarBoolean VarKind = "boolean"
	// VarChoice is one of Choices.
	VarChoice VarKind = "choice"
	// VarDate is a day written YYYY-MM-DD; Min and Max bound it in days
	// from the day of the order (Min 0: not in the past).
	VarDate VarKind = "date"
	// VarUser is the ID of a user in the host's directory (see Directory).
	VarUser VarKind = "user"
)

var varKinds = []VarKind{VarText, VarNumber, VarBoolean, VarChoice, VarDate, VarUser}

// Variable is one question a catalog item asks when it is ordered: the RAM
// of a laptop, the role of an access grant, the date it is needed by.
// Values arrive as text, from forms or JSON, and are parsed per Kind.
type Variable struct {
	// Name identifies the variable in values and errors: a letter, then
	// letters, digits or '_', at most 64.
	Name string `json:"name"`
	// Label is what a form shows; default the name.
	Label string `json:"label,omitempty"`
	// Help is a hint a form shows beside the field.
	Help string `json:"help,omitempty"`
	// Kind is how the value is parsed.
	Kind VarKind `json:"kind"`
	// Required variables must have a value (or a default).
	Required bool `json:"required,omitempty"`
	// Min and Max bound a number's value, a text's length in characters or
	// a date in days from the day of the order. Other kinds take neither.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Pattern is a regular expression (RE2 syntax) that a text value must
	// match as a whole.
	Pattern string `json:"pattern,omitempty"`
	// Choices are the values a choice variable accepts; required for that
	// kind, refused for others.
	Choices []string `json:"choices,omitempty"`
	// Default is the value used when none is given; it must be valid.
	Default string `json:"default,omitempty"`
}

// Float returns a pointer to v, for Variable.Min and Variable.Max.
func Float(v float64) *float64 { return &v }

// clone returns a deep copy of v.
func (v Variable) clone() Variable {
	if v.Min != nil {
		v.Min = Float(*v.Min)
	}
	if v.Max != nil {
		v.Max = Float(*v.Max)
	}
	v.Choices = slices.Clone(v.Choices)
	return v
}

// field returns "variables[NAME]", the field that errors about the
// variable and its value name.
func (v Variable) field() string { return "variables[" + v.Name + "]" }

// validName reports whether s is a letter, then letters, digits or '_', at
// most max long.
func validName(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// validate checks the variable's definition; errors name
// "variables[NAME].<attribute>".
func (v Variable) validate() error {
	f := v.field()
	if err := checkTexts(text{f + ".label", v.Label, MaxNameLength}, text{f + ".help", v.Help, MaxTextLength},
		text{f + ".pattern", v.Pattern, MaxTextLength}); err != nil {
		return err
	}
	if !slices.Contains(varKinds, v.Kind) {
		return &itil.ValidationError{Field: f + ".kind", Reason: fmt.Sprintf("unknown kind %q (want text, number, boolean, choice, date or user)", v.Kind)}
	}
	bounded := v.Kind == VarText || v.Kind == VarNumber || v.Kind == VarDate
	for _, b := range [...]struct {
		name string
		p    *float64
	}{{"min", v.Min}, {"max", v.Max}} {
		if b.p == nil {
			continue
		}
		switch x := *b.p; {
		case !bounded:
			return &itil.ValidationError{Field: f + "." + b.name, Reason: fmt.Sprintf("a %s variable has no bounds", v.Kind)}
		case math.IsNaN(x) || math.IsInf(x, 0):
			return &itil.ValidationError{Field: f + "." + b.name, Reason: "must be a finite number"}
		case v.Kind != VarNumber && x != math.Trunc(x):
			return &itil.ValidationError{Field: f + "." + b.name, Reason: "must be a whole number for a " + string(v.Kind) + " variable"}
		case v.Kind == VarText && x < 0:
			return &itil.ValidationError{Field: f + "." + b.name, Reason: "a length must not be negative"}
		case v.Kind == VarText && x > MaxTextLength:
			return &itil.ValidationError{Field: f + "." + b.name, Reason: fmt.Sprintf("a length must not exceed %d", MaxTextLength)}
		case v.Kind == VarDate && math.Abs(x) > 100*366:
			return &itil.ValidationError{Field: f + "." + b.name, Reason: "must be within 100 years"}
		}
	}
	if v.Min != nil && v.Max != nil && *v.Min > *v.Max {
		return &itil.ValidationError{Field: f + ".max", Reason: fmt.Sprintf("%v is less than min %v", *v.Max, *v.Min)}
	}
	if v.Pattern != "" {
		if v.Kind != VarText {
			return &itil.ValidationError{Field: f + ".pattern", Reason: "only a text variable takes a pattern"}
		}
		if _, err := compilePattern(v.Pattern); err != nil {
			return &itil.ValidationError{Field: f + ".pattern", Reason: err.Error()}
		}
	}
	if v.Kind == VarChoice {
		if len(v.Choices) == 0 {
			return &itil.ValidationError{Field: f + ".choices", Reason: "a choice variable needs at least one choice"}
		}
		for i, c := range v.Choices {
			if err := itil.CheckText(fmt.Sprintf("%s.choices[%d]", f, i), c, MaxNameLength); err != nil {
				return err
			}
			switch {
			case strings.TrimSpace(c) == "":
				return &itil.ValidationError{Field: fmt.Sprintf("%s.choices[%d]", f, i), Reason: "empty choice"}
			case slices.Contains(v.Choices[:i], c):
				return &itil.ValidationError{Field: fmt.Sprintf("%s.choices[%d]", f, i), Reason: fmt.Sprintf("%q listed twice", c)}
			}
		}
	} else if len(v.Choices) > 0 {
		return &itil.ValidationError{Field: f + ".choices", Reason: "only a choice variable takes choices"}
	}
	if v.Default != "" {
		// Date bounds are relative to the order, so only the format of a
		// date's default is checked here.
		probe := v
		if v.Kind == VarDate {
			probe.Min, probe.Max = nil, nil
		}
		if _, err := probe.parse(v.Default, zeroDay); err != nil {
			var ve *itil.ValidationError
			reason := err.Error()
			if asValidation(err, &ve) {
				reason = ve.Reason
			}
			return &itil.ValidationError{Field: f + ".default", Reason: reason}
		}
	}
	return nil
}

// compilePattern compiles pattern so that it matches whole values.
func compilePattern(pattern string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?:` + pattern + `)$`)
}
