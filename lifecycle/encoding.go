package lifecycle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/looplab/fsm"

	"github.com/itil-go/itil"
)

// definitionJSON is the stored form of a Definition: its data, without the
// guards and hooks, which are code.
type definitionJSON struct {
	Extends string  `json:"extends,omitempty"`
	Name    string  `json:"name"`
	States  []State `json:"states"`
	Events  []Event `json:"events"`
	Fields  []Field `json:"fields,omitempty"`
}

// MarshalJSON encodes the definition's name, states and events. Guards and
// hooks are code and are not encoded; a process attaches its own again with
// With when it takes a loaded definition.
func (d *Definition) MarshalJSON() ([]byte, error) {
	return json.Marshal(definitionJSON{Name: d.name, States: d.states, Events: d.events, Fields: d.declared()})
}

// ParseDefinition decodes a definition written by MarshalJSON (or by hand)
// and validates it as NewDefinition does. Keys match the field names in any
// case, as with encoding/json; unknown fields and keys given twice are
// errors, so that a misspelt "requires" is not silently ignored, and text
// that is not UTF-8 is refused, never replaced.
//
// Every error is a *itil.ValidationError whose Field is the path of the
// part that is wrong, in the document's terms: "states[1].category" for an
// unknown category, "events[0].from[2]" for an unknown source state,
// "states[0].require" for an unknown field, "states" when no state is
// initial, and "definition" for the document as a whole (not JSON, not an
// object, trailing data).
//
// A document with "extends" names a base definition, given with WithBase
// (or WithNamedBase),
// and holds only what it adds to it, as Definition.Extend adds: states,
// events (an event that exists gains source states) and fields. Its "name",
// when given, must be the base's.
//
//	{"extends": "incident",
//	 "states": [{"name": "awaiting_vendor", "category": "paused"}],
//	 "events": [{"name": "wait_vendor", "from": ["in_progress"], "to": "awaiting_vendor"},
//	            {"name": "vendor_replied", "from": ["awaiting_vendor"], "to": "in_progress"}],
//	 "fields": [{"name": "vendor_ticket", "required_in": ["awaiting_vendor"]}]}
func ParseDefinition(data []byte, opts ...Option) (*Definition, error) {
	dj, err := decodeDefinition(data)
	if err != nil {
		return nil, err
	}
	if dj.Extends == "" {
		return NewDefinition(dj.Name, dj.States, dj.Events, append(opts, WithFields(dj.Fields...))...)
	}
	var scratch Definition
	for i, o := range opts {
		if o == nil {
			return nil, invalid(fmt.Sprintf("options[%d]", i), "nil option")
		}
		o(&scratch)
	}
	var from *Definition
	var known []string
	for _, b := range scratch.bases {
		if b.def == nil {
			continue
		}
		known = append(known, b.name)
		if b.name == dj.Extends {
			from = b.def
		}
	}
	switch {
	case from == nil && len(known) == 0:
		return nil, invalid("extends", "no base lifecycle %q is known here", dj.Extends)
	case from == nil:
		return nil, invalid("extends", "no base lifecycle %q is known here (want %s)", dj.Extends, itil.Alternatives(known))
	case dj.Name != "" && dj.Name != from.name:
		return nil, invalid("name", "%q differs from the base lifecycle's name %q", dj.Name, from.name)
	}
	d, err := from.Extend(dj.States, dj.Events, append(opts, WithFields(dj.Fields...))...)
	if err != nil {
		return nil, inDocument(err, len(from.states), len(from.events), len(from.declared()))
	}
	return d, nil
}

// inDocument renames the field of a *itil.ValidationError from a position
// in a base's definition extended by a document ("events[9].from[0]") to
// the position in the document ("events[0].from[0]"), given how many states,
// events and fields the base has before the document's.
func inDocument(err error, states, events, fields int) error {
	var ve *itil.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for _, list := range []struct {
		name string
		base int
	}{{"states", states}, {"events", events}, {"fields", fields}} {
		rest, ok := strings.CutPrefix(ve.Field, list.name+"[")
		if !ok {
			continue
		}
		end := strings.IndexByte(rest, ']')
		i, convErr := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || convErr != nil || i < list.base {
			return err
		}
		return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]%s", list.name, i-list.base, rest[end+1:]), Reason: ve.Reason}
	}
	return err
}

// WithBase makes the definitions bases that ParseDefinition may extend,
// named by their Name: {"extends": "incident", …}. It has no effect on
// NewDefinition.
func WithBase(bases ...*Definition) Option {
	return func(d *Definition) {
		for _, b := range bases {
			if b != nil {
				d.bases = append(d.bases, base{name: b.name, def: b})
			}
		}
	}
}

// WithNamedBase makes def a base that ParseDefinition may extend under
// name, for lifecycles of one kind that differ ({"extends": "emergency"}
// for a change lifecycle named "change"). The result keeps def's name.
func WithNamedBase(name string, def *Definition) Option {
	return func(d *Definition) { d.bases = append(d.bases, base{name: name, def: def}) }
}

// base is a definition that a parsed document may extend, and the name the
// document calls it by.
type base struct {
	name string
	def  *Definition
}

// UnmarshalJSON decodes and validates a definition in place, so that a
// *Definition can sit in a host's JSON configuration. The result has no
// guards or hooks. On error d is unchanged.
func (d *Definition) UnmarshalJSON(data []byte) error {
	nd, err := ParseDefinition(data)
	if err != nil {
		return err
	}
	d.name, d.states, d.events, d.initial = nd.name, nd.states, nd.events, nd.initial
	d.byState, d.next, d.out, d.allowed = nd.byState, nd.next, nd.out, nd.allowed
	d.fields, d.fieldIdx, d.entry = nd.fields, nd.fieldIdx, nd.entry
	d.guards, d.hooks = nil, nil
	d.firings = sync.Pool{} // machines of what d was before are not reused
	d.build()
	return nil
}

// decodeDefinition reads the JSON form of a definition token by token, so
// that an error names the path where it is found.
func decodeDefinition(data []byte) (definitionJSON, error) {
	doc := &jsonDoc{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	var dj definitionJSON
	tok, _, err := doc.next("")
	if err != nil {
		return dj, err
	}
	if tok != json.Delim('{') {
		return dj, invalid(rootField, "must be a JSON object, not %s", kindOf(tok))
	}
	err = doc.members("", []string{"extends", "name", "states", "events", "fields"}, func(key, path string) error {
		switch key {
		case "extends":
			return doc.str(path, &dj.Extends)
		case "name":
			return doc.str(path, &dj.Name)
		case "fields":
			return doc.array(path, func(path string) error {
				var f Field
				err := doc.object(path, []string{"name", "kind", "choices", "max_length", "required_in"}, func(key, path string) error {
					switch key {
					case "name":
						return doc.str(path, &f.Name)
					case "kind":
						var k string
						err := doc.str(path, &k)
						f.Kind = FieldKind(k)
						return err
					case "choices":
						return doc.strs(path, &f.Choices)
					case "max_length":
						return doc.integer(path, &f.MaxLength)
					default: // required_in
						return doc.strs(path, &f.RequiredIn)
					}
				})
				dj.Fields = append(dj.Fields, f)
				return err
			})
		case "states":
			return doc.array(path, func(path string) error {
				var s State
				err := doc.object(path, []string{"name", "category", "initial", "allow_exit", "requires"}, func(key, path string) error {
					switch key {
					case "name":
						return doc.str(path, &s.Name)
					case "category":
						var name string
						if err := doc.str(path, &name); err != nil {
							return err
						}
						c, err := categoryNames.ParseAt(path, name)
						if err != nil {
							return err
						}
						s.Category = c
						return nil
					case "initial":
						return doc.boolean(path, &s.Initial)
					case "allow_exit":
						return doc.boolean(path, &s.AllowExit)
					default: // requires
						return doc.strs(path, &s.Requires)
					}
				})
				dj.States = append(dj.States, s)
				return err
			})
		default: // events
			return doc.array(path, func(path string) error {
				var e Event
				err := doc.object(path, []string{"name", "from", "to", "requires"}, func(key, path string) error {
					switch key {
					case "name":
						return doc.str(path, &e.Name)
					case "from":
						return doc.strs(path, &e.From)
					case "to":
						return doc.str(path, &e.To)
					default: // requires
						return doc.strs(path, &e.Requires)
					}
				})
				dj.Events = append(dj.Events, e)
				return err
			})
		}
	})
	if err != nil {
		return dj, err
	}
	if _, err := doc.dec.Token(); err != io.EOF {
		return dj, invalid(rootField, "trailing data after the JSON object")
	}
	return dj, nil
}

// rootField names the document as a whole in errors.
const rootField = "definition"

// jsonDoc is a JSON document read one token at a time, keeping the bytes
// each token came from.
type jsonDoc struct {
	data []byte
	dec  *json.Decoder
}

// field returns path, or rootField for the document itself.
func field(path string) string {
	if path == "" {
		return rootField
	}
	return path
}

// next reads the next token, and the bytes it was read from (with the
// separators before it).
func (doc *jsonDoc) next(path string) (json.Token, []byte, error) {
	from := doc.dec.InputOffset()
	tok, err := doc.dec.Token()
	var syntax *json.SyntaxError
	switch {
	case err == nil:
		return tok, doc.data[from:doc.dec.InputOffset()], nil
	case errors.As(err, &syntax):
		return nil, nil, invalid(field(path), "not valid JSON at byte %d: %v", syntax.Offset, err)
	case (err == io.EOF || err == io.ErrUnexpectedEOF) && from == 0 && path == "":
		return nil, nil, invalid(rootField, "empty document")
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return nil, nil, invalid(field(path), "the document ends here")
	}
	return nil, nil, invalid(field(path), "%v", err)
}

// object reads an object at path, or null, calling member for each of its
// keys, which must be one of known.
func (doc *jsonDoc) object(path string, known []string, member func(key, path string) error) error {
	tok, _, err := doc.next(path)
	switch {
	case err != nil:
		return err
	case tok == nil:
		return nil
	case tok != json.Delim('{'):
		return invalid(field(path), "must be an object, not %s", kindOf(tok))
	}
	return doc.members(path, known, member)
}

// members reads the members of an object whose '{' has been read, up to
// and including its '}'. A key matches a known field name exactly or, as
// with encoding/json, without regard to case.
func (doc *jsonDoc) members(path string, known []string, member func(key, path string) error) error {
	seen := make(map[string]bool, len(known))
	for doc.dec.More() {
		tok, _, err := doc.next(path)
		if err != nil {
			return err
		}
		key, _ := tok.(string) // the decoder only returns strings here
		name := ""
		for _, k := range known {
			if k == key || name == "" && strings.EqualFold(k, key) {
				name = k
			}
		}
		sub := name
		if path != "" {
			sub = path + "." + name
		}
		switch {
		case name == "" && plainKey(key):
			if path != "" {
				key = path + "." + key
			}
			return invalid(key, "unknown field")
		case name == "":
			return invalid(field(path), "unknown field %q", key)
		case seen[name]:
			return invalid(sub, "given twice")
		}
		seen[name] = true
		if err := member(name, sub); err != nil {
			return err
		}
	}
	_, _, err := doc.next(path) // '}'
	return err
}

// plainKey reports whether key is letters, digits and '_', fit to stand in
// a path.
func plainKey(key string) bool {
	return key != "" && !strings.ContainsFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	})
}

// array reads an array at path, or null, calling elem for each element
// with its path.
func (doc *jsonDoc) array(path string, elem func(path string) error) error {
	tok, _, err := doc.next(path)
	switch {
	case err != nil:
		return err
	case tok == nil:
		return nil
	case tok != json.Delim('['):
		return invalid(path, "must be an array, not %s", kindOf(tok))
	}
	for i := 0; doc.dec.More(); i++ {
		if err := elem(fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	_, _, err = doc.next(path) // ']'
	return err
}

// str reads a string, or null, at path into dst. Text that is not UTF-8,
// in bytes or in \u escapes, and NUL characters are refused.
func (doc *jsonDoc) str(path string, dst *string) error {
	tok, raw, err := doc.next(path)
	if err != nil {
		return err
	}
	switch s := tok.(type) {
	case nil:
		return nil
	case string:
		if itil.CheckJSONText(path, raw) != nil {
			return invalid(path, "not valid UTF-8")
		}
		if err := itil.CheckText(path, s, 0); err != nil {
			return err
		}
		*dst = s
		return nil
	}
	return invalid(path, "must be a string, not %s", kindOf(tok))
}

// strs reads an array of strings, or null, at path into dst.
func (doc *jsonDoc) strs(path string, dst *[]string) error {
	return doc.array(path, func(path string) error {
		var s string
		err := doc.str(path, &s)
		*dst = append(*dst, s)
		return err
	})
}

// boolean reads true, false or null at path into dst.
func (doc *jsonDoc) boolean(path string, dst *bool) error {
	tok, _, err := doc.next(path)
	if err != nil {
		return err
	}
	switch b := tok.(type) {
	case nil:
		return nil
	case bool:
		*dst = b
		return nil
	}
	return invalid(path, "must be true or false, not %s", kindOf(tok))
}

// integer reads a whole number from 0 to 1<<30, or null, at path into dst.
func (doc *jsonDoc) integer(path string, dst *int) error {
	tok, _, err := doc.next(path)
	if err != nil {
		return err
	}
	switch n := tok.(type) {
	case nil:
		return nil
	case float64:
		if n != float64(int(n)) || n < 0 || n > 1<<30 {
			return invalid(path, "must be a whole number from 0 to %d", 1<<30)
		}
		*dst = int(n)
		return nil
	}
	return invalid(path, "must be a number, not %s", kindOf(tok))
}

// kindOf names the kind of JSON value tok starts.
func kindOf(tok json.Token) string {
	switch tok {
	case json.Delim('{'):
		return "an object"
	case json.Delim('['):
		return "an array"
	case nil:
		return "null"
	}
	switch tok.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// Mermaid renders the lifecycle as a Mermaid state diagram, through
// looplab/fsm's visualizer, with the final states marked and the states
// styled by category. The output is stable: the same definition always gives
// the same text.
func (d *Definition) Mermaid() string {
	m := fsm.NewFSM(d.initial, d.fsmDesc, nil)
	// The visualizer fails only for an unknown diagram type.
	out, _ := fsm.VisualizeForMermaidWithGraphType(m, fsm.StateDiagram)
	var b strings.Builder
	b.WriteString(out)
	for _, s := range d.states {
		if s.Category.Terminal() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.Name)
		}
	}
	b.WriteString("    classDef pausedState fill:#fff3cd,stroke:#b58900\n")
	b.WriteString("    classDef resolvedState fill:#d4edda,stroke:#2e7d32\n")
	b.WriteString("    classDef finalState fill:#e2e3e5,stroke:#6c757d\n")
	for _, c := range []struct {
		class string
		cats  []Category
	}{{"pausedState", []Category{Paused}}, {"resolvedState", []Category{Resolved}}, {"finalState", []Category{Closed, Cancelled}}} {
		if names := d.StatesIn(c.cats...); len(names) > 0 {
			fmt.Fprintf(&b, "    class %s %s\n", strings.Join(names, ","), c.class)
		}
	}
	return b.String()
}
