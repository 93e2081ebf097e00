package lifecycle

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// FieldKind is the kind of a custom field's value. Values are kept as text
// in Record.Fields; the kind says which texts are allowed.
type FieldKind string

// The kinds of custom fields.
const (
	// FieldText holds any text up to the field's MaxLength.
	FieldText FieldKind = "text"
	// FieldNumber holds a decimal number, as strconv.ParseFloat reads it
	// ("12", "-0.5", "1e3"); not NaN or an infinity.
	FieldNumber FieldKind = "number"
	// FieldBool holds "true" or "false".
	FieldBool FieldKind = "bool"
	// FieldDate holds a calendar date, "2026-12-03".
	FieldDate FieldKind = "date"
	// FieldTime holds an instant in RFC 3339, "2026-12-03T17:00:00Z".
	FieldTime FieldKind = "time"
	// FieldChoice holds one of the field's Choices.
	FieldChoice FieldKind = "choice"
)

// DefaultFieldLength is a text field's MaxLength when it sets none, in
// characters.
const DefaultFieldLength = 4096

// Field declares a custom field of a lifecycle's records: a vendor's ticket
// number, a contract reference. Commands and drafts set custom fields by
// name (the Fields of every service's params), the kernel checks each value
// against its declaration, and a state can require the field on entry.
type Field struct {
	// Name identifies the field, with the rules of state names. It is
	// stored in Record.Fields under Name, and journaled and required as
	// "fields.NAME".
	Name string `json:"name"`
	// Kind is the kind of value; default FieldText.
	Kind FieldKind `json:"kind,omitempty"`
	// Choices lists the values a FieldChoice field may take.
	Choices []string `json:"choices,omitempty"`
	// MaxLength caps a text field, in characters. Default
	// DefaultFieldLength.
	MaxLength int `json:"max_length,omitempty"`
	// RequiredIn names the states a record may enter only with the field
	// set, like "fields.NAME" in their Requires.
	RequiredIn []string `json:"required_in,omitempty"`

	// implicit marks a field declared by a "fields.NAME" requirement only;
	// it is not encoded.
	implicit bool
}

func (f Field) clone() Field {
	f.Choices = slices.Clone(f.Choices)
	f.RequiredIn = slices.Clone(f.RequiredIn)
	return f
}

// WithFields declares custom fields for the definition's records. A name
// that a state or event requires as "fields.NAME" without a declaration is
// declared as a text field.
func WithFields(fields ...Field) Option {
	return func(d *Definition) {
		for _, f := range fields {
			d.fields = append(d.fields, f.clone())
		}
	}
}

// validateFields checks the declared fields and indexes them; it runs after
// the states are indexed. Names required as "fields.NAME" but not declared
// become text fields.
func (d *Definition) validateFields() error {
	d.fieldIdx = make(map[string]int, len(d.fields))
	for i, f := range d.fields {
		field := fmt.Sprintf("fields[%d]", i)
		if !validName(f.Name) {
			return invalid(field+".name", "%q is not a valid field name", f.Name)
		}
		if _, dup := d.fieldIdx[f.Name]; dup {
			return invalid(field+".name", "field %q is declared twice", f.Name)
		}
		if f.Kind == "" {
			d.fields[i].Kind = FieldText
		}
		switch d.fields[i].Kind {
		case FieldText, FieldNumber, FieldBool, FieldDate, FieldTime:
			if len(f.Choices) > 0 {
				return invalid(field+".choices", "only a choice field has choices")
			}
		case FieldChoice:
			if len(f.Choices) == 0 {
				return invalid(field+".choices", "a choice field needs at least one choice")
			}
			for j, c := range f.Choices {
				if c == "" {
					return invalid(fmt.Sprintf("%s.choices[%d]", field, j), "empty choice")
				}
				if err := itil.CheckText(fmt.Sprintf("%s.choices[%d]", field, j), c, DefaultFieldLength); err != nil {
					return err
				}
				if slices.Index(f.Choices, c) != j {
					return invalid(fmt.Sprintf("%s.choices[%d]", field, j), "choice %q is listed twice", c)
				}
			}
		default:
			return invalid(field+".kind", "unknown kind %q (want text, number, bool, date, time or choice)", f.Kind)
		}
		if f.MaxLength < 0 {
			return invalid(field+".max_length", "must not be negative")
		}
		if f.MaxLength == 0 {
			d.fields[i].MaxLength = DefaultFieldLength
		}
		for j, s := range f.RequiredIn {
			if _, ok := d.byState[s]; !ok {
				return invalid(fmt.Sprintf("%s.required_in[%d]", field, j), "unknown state %q", s)
			}
		}
		d.fieldIdx[f.Name] = i
	}
	declare := func(requires []string) {
		for _, r := range requires {
			name, ok := strings.CutPrefix(r, "fields.")
			if _, known := d.fieldIdx[name]; ok && !known && validName(name) {
				d.fieldIdx[name] = len(d.fields)
				d.fields = append(d.fields, Field{Name: name, Kind: FieldText, MaxLength: DefaultFieldLength, implicit: true})
			}
		}
	}
	for _, s := range d.states {
		declare(s.Requires)
	}
	for _, e := range d.events {
		declare(e.Requires)
	}
	d.entry = make(map[string][]string, len(d.states))
	for _, s := range d.states {
		req := slices.Clone(s.Requires)
		for _, f := range d.fields {
			if slices.Contains(f.RequiredIn, s.Name) && !slices.Contains(req, "fields."+f.Name) {
				req = append(req, "fields."+f.Name)
			}
		}
		d.entry[s.Name] = req
	}
	return nil
}

// declared returns the fields declared with WithFields, without those only
// required.
func (d *Definition) declared() []Field {
	var out []Field
	for _, f := range d.fields {
		if !f.implicit {
			out = append(out, f.clone())
		}
	}
	return out
}

// Fields returns a copy of the declared custom fields, those declared
// through a state's or event's Requires included.
func (d *Definition) Fields() []Field {
	out := make([]Field, len(d.fields))
	for i, f := range d.fields {
		out[i] = f.clone()
	}
	return out
}

// Field returns the declaration of the custom field name, and whether there
// is one.
func (d *Definition) Field(name string) (Field, bool) {
	i, ok := d.fieldIdx[name]
	if !ok {
		return Field{}, false
	}
	return d.fields[i].clone(), true
}

// Requires returns the fields a record must have set to enter state: the
// state's Requires and the custom fields required in it, as "fields.NAME".
// An event may require more (Event.Requires).
func (d *Definition) Requires(state string) []string { return slices.Clone(d.entry[state]) }

// CheckField reports whether value may be stored in the custom field name:
// a *itil.ValidationError naming "fields.NAME" when the lifecycle declares
// no such field or the value does not fit its kind. The empty value, which
// unsets a field, always fits.
func (d *Definition) CheckField(name, value string) error {
	path := "fields." + name
	i, ok := d.fieldIdx[name]
	if !ok {
		if err := itil.CheckText("fields", name, maxFieldName); err != nil {
			return err
		}
		return invalid(path, "the %s lifecycle declares no field %q", d.name, name)
	}
	if value == "" {
		return nil
	}
	f := &d.fields[i]
	if err := itil.CheckText(path, value, f.MaxLength); err != nil {
		return err
	}
	switch f.Kind {
	case FieldNumber:
		if v, err := strconv.ParseFloat(value, 64); err != nil || v != v || v > maxFloat || v < -maxFloat {
			return invalid(path, "%q is not a number", value)
		}
	case FieldBool:
		if value != "true" && value != "false" {
			return invalid(path, "%q is not true or false", value)
		}
	case FieldDate:
		if _, err := time.Parse(time.DateOnly, value); err != nil {
			return invalid(path, "%q is not a date like 2026-12-03", value)
		}
	case FieldTime:
		if _, err := time.Parse(time.RFC3339Nano, value); err != nil {
			return invalid(path, "%q is not a time in RFC 3339, like 2026-12-03T17:00:00Z", value)
		}
	case FieldChoice:
		if !slices.Contains(f.Choices, value) {
			return invalid(path, "%q is not one of %s", value, strings.Join(f.Choices, ", "))
		}
	}
	return nil
}

// maxFloat is the largest finite float64.
const maxFloat = 1.7976931348623157e308

// maxFieldName caps the length of a custom field name in an error message.
const maxFieldName = 128

// CheckFields checks every value of fields with CheckField, in name order,
// and returns the first error.
func (d *Definition) CheckFields(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if err := d.CheckField(name, fields[name]); err != nil {
			return err
		}
	}
	return nil
}

// setFields checks fields and writes them into rec's custom fields,
// recording each change as "fields.NAME" in ed; an empty value deletes the
// field. On error rec is unchanged.
func (d *Definition) setFields(rec *Record, fields map[string]string, ed *Edit) error {
	if len(fields) == 0 {
		return nil
	}
	if err := d.CheckFields(fields); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		old, v := rec.Fields[name], fields[name]
		if old == v {
			continue
		}
		ed.Field("fields."+name, old, v)
		if v == "" {
			delete(rec.Fields, name)
			continue
		}
		if rec.Fields == nil {
			rec.Fields = make(map[string]string, len(fields))
		}
		rec.Fields[name] = v
	}
	if len(rec.Fields) == 0 {
		rec.Fields = nil
	}
	return nil
}
