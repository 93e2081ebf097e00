package request

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// decimal is the syntax a number variable accepts: no exponents, no hex,
// no separators, no NaN or infinity.
var decimal = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)

// zeroDay stands for "no order date" when a default is checked.
var zeroDay time.Time

func asValidation(err error, target **itil.ValidationError) bool { return errors.As(err, target) }

// Parse checks one value of the variable, given as text, for an order made
// at at (date bounds count days from at's day in UTC), and returns it in
// canonical form: numbers without redundant zeros ("16.50" → "16.5"),
// booleans and dates as "true"/"false" and YYYY-MM-DD, users trimmed. An
// empty value is refused when the variable is required and is returned as
// "" otherwise; the default is the caller's business (see Item.Values).
// Every value must be UTF-8 without NUL characters and at most
// MaxTextLength characters long. Errors are *itil.ValidationError on
// "variables[NAME]".
func (v Variable) Parse(value string, at time.Time) (string, error) {
	if strings.TrimSpace(value) == "" {
		if v.Required {
			return "", v.invalid("required")
		}
		return "", nil
	}
	return v.parse(value, at)
}

func (v Variable) invalid(format string, args ...any) error {
	return &itil.ValidationError{Field: v.field(), Reason: fmt.Sprintf(format, args...)}
}

func (v Variable) parse(value string, at time.Time) (string, error) {
	if err := itil.CheckText(v.field(), value, MaxTextLength); err != nil {
		return "", err
	}
	switch v.Kind {
	case VarText:
		n := float64(utf8.RuneCountInString(value))
		if v.Min != nil && n < *v.Min {
			return "", v.invalid("shorter than %v characters", *v.Min)
		}
		if v.Max != nil && n > *v.Max {
			return "", v.invalid("longer than %v characters", *v.Max)
		}
		if v.Pattern != "" {
			re, err := compilePattern(v.Pattern)
			if err != nil {
				return "", v.invalid("the variable's pattern does not compile: %v", err)
			}
			if !re.MatchString(value) {
				return "", v.invalid("%q does not match the pattern %s", value, v.Pattern)
			}
		}
		return value, nil
	case VarNumber:
		s := strings.TrimSpace(value)
		if len(s) > 40 || !decimal.MatchString(s) {
			return "", v.invalid("%q is not a decimal number", value)
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", v.invalid("%q is out of range", value)
		}
		if v.Min != nil && x < *v.Min {
			return "", v.invalid("%s is less than the minimum %v", s, *v.Min)
		}
		if v.Max != nil && x > *v.Max {
			return "", v.invalid("%s is more than the maximum %v", s, *v.Max)
		}
		if x == 0 {
			x = 0 // no "-0"
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case VarBoolean:
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return "", v.invalid("%q is not true or false", value)
	case VarChoice:
		if !slices.Contains(v.Choices, value) {
			return "", v.invalid("%q is not one of %s", value, strings.Join(v.Choices, ", "))
		}
		return value, nil
	case VarDate:
		s := strings.TrimSpace(value)
		day, err := time.Parse(time.DateOnly, s)
		if err != nil || len(s) != len(time.DateOnly) {
			return "", v.invalid("%q is not a date written YYYY-MM-DD", value)
		}
		if !at.IsZero() {
			today := at.UTC().Truncate(24 * time.Hour)
			days := day.Sub(today).Hours() / 24
			if v.Min != nil && days < *v.Min {
				return "", v.invalid("%s is before %s", s, today.AddDate(0, 0, int(*v.Min)).Format(time.DateOnly))
			}
			if v.Max != nil && days > *v.Max {
				return "", v.invalid("%s is after %s", s, today.AddDate(0, 0, int(*v.Max)).Format(time.DateOnly))
			}
		}
		return day.Format(time.DateOnly), nil
	case VarUser:
		s := strings.TrimSpace(value)
		if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return "", v.invalid("%q is not a user ID", value)
		}
		return s, nil
	}
	return "", v.invalid("unknown kind %q", v.Kind)
}

// Values checks the values given for the item's variables, for an order
// made at at, and returns them in canonical form (see Variable.Parse) with
// defaults filled in; variables with neither value nor default are left
// out. The input is not modified. Errors are *itil.ValidationError on
// "variables[NAME]", for the first bad variable in the item's order, then
// for names the item does not have, in sorted order.
func (it *Item) Values(in map[string]string, at time.Time) (map[string]string, error) {
	out := make(map[string]string, len(it.Variables))
	for _, v := range it.Variables {
		raw, ok := in[v.Name]
		if !ok || strings.TrimSpace(raw) == "" {
			raw = v.Default
		}
		val, err := v.Parse(raw, at)
		if err != nil {
			return nil, err
		}
		if val != "" {
			out[v.Name] = val
		}
	}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		if !validName(name, 64) {
			return nil, &itil.ValidationError{Field: "variables", Reason: fmt.Sprintf("%q is not a variable name", name)}
		}
		if !slices.ContainsFunc(it.Variables, func(v Variable) bool { return v.Name == name }) {
			return nil, &itil.ValidationError{Field: "variables[" + name + "]", Reason: fmt.Sprintf("item %s has no such variable", it.ID)}
		}
	}
	return out, nil
}
