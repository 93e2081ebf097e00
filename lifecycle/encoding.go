package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/looplab/fsm"

	"github.com/itil-go/itil"
)

// definitionJSON is the stored form of a Definition: its data, without the
// guards and hooks, which are code.
type definitionJSON struct {
	Name   string  `json:"name"`
	States []State `json:"states"`
	Events []Event `json:"events"`
}

// MarshalJSON encodes the definition's name, states and events. Guards and
// hooks are code and are not encoded; a process attaches its own again with
// With when it takes a loaded definition.
func (d *Definition) MarshalJSON() ([]byte, error) {
	return json.Marshal(definitionJSON{Name: d.name, States: d.states, Events: d.events})
}

// ParseDefinition decodes a definition written by MarshalJSON (or by hand)
// and validates it as NewDefinition does. Unknown fields are errors, so a
// misspelt "requires" is not silently ignored.
func ParseDefinition(data []byte, opts ...Option) (*Definition, error) {
	var dj definitionJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dj); err != nil {
		return nil, &itil.ValidationError{Field: "definition", Reason: err.Error()}
	}
	if dec.More() {
		return nil, &itil.ValidationError{Field: "definition", Reason: "trailing data after the JSON object"}
	}
	return NewDefinition(dj.Name, dj.States, dj.Events, opts...)
}

// UnmarshalJSON decodes and validates a definition in place, so that a
// *Definition can sit in a host's JSON configuration. The result has no
// guards or hooks.
func (d *Definition) UnmarshalJSON(data []byte) error {
	nd, err := ParseDefinition(data)
	if err != nil {
		return err
	}
	d.name, d.states, d.events, d.initial = nd.name, nd.states, nd.events, nd.initial
	d.byState, d.next, d.allowed = nd.byState, nd.next, nd.allowed
	d.guards, d.hooks = nil, nil
	d.build()
	return nil
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
