package lifecycle

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/looplab/fsm"

	"github.com/itil-go/itil"
)

// Reserved event names: every process records creation and plain field edits
// in the journal under these, so a definition may not declare them.
const (
	EventCreate = "create"
	EventUpdate = "update"
)

// State is one state of a lifecycle.
type State struct {
	// Name identifies the state: a letter, then letters, digits or '_'.
	Name string `json:"name"`
	// Category says what the state means for the work.
	Category Category `json:"category"`
	// Initial marks the state new records start in; exactly one state has it.
	Initial bool `json:"initial,omitempty"`
	// AllowExit declares that a Closed or Cancelled state has events out of
	// it (a problem re-analyzed after closing). Without it such a state is final.
	AllowExit bool `json:"allow_exit,omitempty"`
	// Requires lists the fields that must be set when a record enters the
	// state, such as "resolution_code". Names starting "fields." refer to the
	// record's custom Fields.
	Requires []string `json:"requires,omitempty"`
}

// Event is a named transition from one or more states to one state.
type Event struct {
	// Name identifies the event; the same rules as state names apply.
	Name string `json:"name"`
	// From lists the states the event may fire in.
	From []string `json:"from"`
	// To is the state the event leads to; it may be one of From (a
	// self-transition that only journals).
	To string `json:"to"`
	// Requires lists fields that must be set for the event to fire, in
	// addition to those its target state requires.
	Requires []string `json:"requires,omitempty"`
}

// Guard decides whether a transition may happen. It runs as a looplab/fsm
// before-event callback after the action's edits have been applied to the
// record, and refuses by returning an error (a *itil.ValidationError when a
// field is wrong). A guard must not keep f beyond the call.
type Guard func(ctx context.Context, f *Firing) error

// Hook runs when a record enters a new state, as a looplab/fsm enter-state
// callback, before the record is saved. It may edit the record through f
// (recording what it changed with f.Edit); an error aborts the transition and
// nothing is saved.
type Hook func(ctx context.Context, f *Firing) error

// Option attaches code to a Definition: guards and hooks.
type Option func(*Definition)

// WithGuard adds a guard that runs before every event. Guards that care about
// one event or category check f.Event or f.ToCategory themselves.
func WithGuard(g Guard) Option { return func(d *Definition) { d.guards = append(d.guards, g) } }

// WithHook adds a hook that runs whenever a record enters a new state.
func WithHook(h Hook) Option { return func(d *Definition) { d.hooks = append(d.hooks, h) } }

// Definition is a validated lifecycle: states, events, required fields, and
// the guards and hooks that a process attaches. It is immutable and safe for
// concurrent use; the looplab/fsm machines that run it are built once and
// pooled.
type Definition struct {
	name     string
	states   []State
	events   []Event
	initial  string
	byState  map[string]int            // state name → index in states
	next     map[[2]string]*transition // (event, from) → where and what it needs
	out      map[string][]outgoing     // from → its events, for firing
	allowed  map[string][]string       // from → events, in definition order
	guards   []Guard
	hooks    []Hook
	fields   []Field             // custom fields, declared or required
	fieldIdx map[string]int      // field name → index in fields
	entry    map[string][]string // state → what entering it requires
	bases    []base              // what a parsed definition may extend
	firings  sync.Pool           // of *firingTx, each with its fsm machine
	fsmDesc  fsm.Events
}

// NewDefinition builds and validates a lifecycle named name (the record kind,
// such as "incident"). It fails with a *itil.ValidationError naming the bad
// state or event when: a name is empty, malformed, reserved or repeated;
// there is not exactly one initial state; a category is unknown; an event
// leaves from or leads to an unknown state; an event fires twice from one
// state; a state cannot be reached from the initial state; a Closed or
// Cancelled state has a way out without AllowExit; a required field's name
// is empty, not UTF-8 or holds a NUL character; or an option, guard or
// hook is nil ("options[1]", "guards[0]", "hooks[2]").
func NewDefinition(name string, states []State, events []Event, opts ...Option) (*Definition, error) {
	d := &Definition{
		name:   name,
		states: cloneStates(states),
		events: cloneEvents(events),
	}
	for i, o := range opts {
		if o == nil {
			return nil, invalid(fmt.Sprintf("options[%d]", i), "nil option")
		}
		o(d)
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	d.build()
	return d, nil
}

func cloneStates(in []State) []State {
	out := slices.Clone(in)
	for i := range out {
		out[i].Requires = slices.Clone(out[i].Requires)
	}
	return out
}

func cloneEvents(in []Event) []Event {
	out := slices.Clone(in)
	for i := range out {
		out[i].From = slices.Clone(out[i].From)
		out[i].Requires = slices.Clone(out[i].Requires)
	}
	return out
}

func validName(s string) bool {
	if s == "" {
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

func invalid(field, format string, args ...any) error {
	return &itil.ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func (d *Definition) validate() error {
	if !validName(d.name) {
		return invalid("name", "%q is not a valid lifecycle name", d.name)
	}
	for i, g := range d.guards {
		if g == nil {
			return invalid(fmt.Sprintf("guards[%d]", i), "nil guard")
		}
	}
	for i, h := range d.hooks {
		if h == nil {
			return invalid(fmt.Sprintf("hooks[%d]", i), "nil hook")
		}
	}
	if len(d.states) == 0 {
		return invalid("states", "at least one state is required")
	}
	d.byState = make(map[string]int, len(d.states))
	for i, s := range d.states {
		field := fmt.Sprintf("states[%d]", i)
		if !validName(s.Name) {
			return invalid(field+".name", "%q is not a valid state name", s.Name)
		}
		if _, dup := d.byState[s.Name]; dup {
			return invalid(field+".name", "state %q is declared twice", s.Name)
		}
		if !s.Category.Valid() {
			return invalid(field+".category", "state %q has no valid category", s.Name)
		}
		if s.AllowExit && !s.Category.Terminal() {
			return invalid(field+".allow_exit", "state %q is not closed or cancelled", s.Name)
		}
		if err := checkRequires(field, s.Requires); err != nil {
			return err
		}
		d.byState[s.Name] = i
		if s.Initial {
			if d.initial != "" {
				return invalid(field+".initial", "states %q and %q are both initial", d.initial, s.Name)
			}
			d.initial = s.Name
		}
	}
	if d.initial == "" {
		return invalid("states", "no initial state")
	}
	if err := d.validateFields(); err != nil {
		return err
	}
	d.next = make(map[[2]string]*transition)
	d.allowed = make(map[string][]string)
	d.out = make(map[string][]outgoing)
	for i, e := range d.events {
		field := fmt.Sprintf("events[%d]", i)
		if !validName(e.Name) {
			return invalid(field+".name", "%q is not a valid event name", e.Name)
		}
		if e.Name == EventCreate || e.Name == EventUpdate {
			return invalid(field+".name", "%q is reserved", e.Name)
		}
		if _, ok := d.byState[e.To]; !ok {
			return invalid(field+".to", "event %q leads to unknown state %q", e.Name, e.To)
		}
		if len(e.From) == 0 {
			return invalid(field+".from", "event %q has no source state", e.Name)
		}
		if err := checkRequires(field, e.Requires); err != nil {
			return err
		}
		for j, from := range e.From {
			si, ok := d.byState[from]
			if !ok {
				return invalid(fmt.Sprintf("%s.from[%d]", field, j), "event %q leaves from unknown state %q", e.Name, from)
			}
			if s := d.states[si]; s.Category.Terminal() && !s.AllowExit {
				return invalid(fmt.Sprintf("%s.from[%d]", field, j),
					"event %q leaves %s state %q, which does not allow exit", e.Name, s.Category, from)
			}
			key := [2]string{e.Name, from}
			if _, dup := d.next[key]; dup {
				return invalid(fmt.Sprintf("%s.from[%d]", field, j), "event %q is declared twice from state %q", e.Name, from)
			}
			tr := &transition{to: e.To, requires: e.Requires}
			d.next[key] = tr
			d.allowed[from] = append(d.allowed[from], e.Name)
			d.out[from] = append(d.out[from], outgoing{e.Name, tr})
		}
	}
	// Every state must be reachable from the initial one.
	seen := map[string]bool{d.initial: true}
	queue := []string{d.initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, ev := range d.allowed[s] {
			to := d.next[[2]string{ev, s}].to
			if !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
	}
	for i, s := range d.states {
		if !seen[s.Name] {
			return invalid(fmt.Sprintf("states[%d]", i), "state %q cannot be reached from initial state %q", s.Name, d.initial)
		}
	}
	for key, tr := range d.next {
		target := d.states[d.byState[tr.to]]
		tr.toCat = target.Category
		tr.fromCat = d.states[d.byState[key[1]]].Category
		if tr.to != key[1] { // a state's own fields are required on entry only
			tr.requires = append(slices.Clone(d.entry[target.Name]), tr.requires...)
		}
	}
	return nil
}

// checkRequires reports the first required field name of the state or
// event at field that is empty, not UTF-8 or holds a NUL character.
func checkRequires(field string, requires []string) error {
	for j, r := range requires {
		f := fmt.Sprintf("%s.requires[%d]", field, j)
		if r == "" {
			return invalid(f, "empty field name")
		}
		if err := itil.CheckText(f, r, 0); err != nil {
			return err
		}
	}
	return nil
}

// transition is one (event, source state) pair of a definition, resolved:
// where it leads and which fields it requires (the event's and, on entry,
// the target state's).
type transition struct {
	to             string
	fromCat, toCat Category
	requires       []string
}

// build prepares the looplab/fsm description and its pool. Machines are
// created lazily, once each, and reused for every firing.
func (d *Definition) build() {
	d.fsmDesc = make(fsm.Events, 0, len(d.events))
	for _, e := range d.events {
		d.fsmDesc = append(d.fsmDesc, fsm.EventDesc{Name: e.Name, Src: slices.Clone(e.From), Dst: e.To})
	}
	d.firings.New = d.newFiringTx
}

// Name returns the lifecycle's name, which is the kind of its records.
func (d *Definition) Name() string { return d.name }

// Initial returns the initial state.
func (d *Definition) Initial() State { return d.State(d.initial) }

// States returns a copy of the states in declaration order.
func (d *Definition) States() []State { return cloneStates(d.states) }

// Events returns a copy of the events in declaration order.
func (d *Definition) Events() []Event { return cloneEvents(d.events) }

// State returns the state named name, or the zero State if there is none.
func (d *Definition) State(name string) State {
	i, ok := d.byState[name]
	if !ok {
		return State{}
	}
	s := d.states[i]
	s.Requires = slices.Clone(s.Requires)
	return s
}

// Category returns the category of state name, or 0 if there is no such state.
func (d *Definition) Category(name string) Category {
	if i, ok := d.byState[name]; ok {
		return d.states[i].Category
	}
	return 0
}

// outgoing is an event that may fire in some state, and its transition.
type outgoing struct {
	event string
	tr    *transition
}

// transition returns the transition of event from state from. A state has
// few events, so one lookup of the state and a scan of its events cost
// less than hashing both names.
func (d *Definition) transition(event, from string) (*transition, bool) {
	for _, o := range d.out[from] {
		if o.event == event {
			return o.tr, true
		}
	}
	return nil, false
}

// Target returns the state that event leads to from state from, and whether
// the event is allowed there.
func (d *Definition) Target(event, from string) (string, bool) {
	tr, ok := d.next[[2]string{event, from}]
	if !ok {
		return "", false
	}
	return tr.to, true
}

// Allowed returns the events that may fire in state, in declaration order.
func (d *Definition) Allowed(state string) []string { return slices.Clone(d.allowed[state]) }

// StatesIn returns the names of the states in any of the given categories.
func (d *Definition) StatesIn(cats ...Category) []string {
	var out []string
	for _, s := range d.states {
		if slices.Contains(cats, s.Category) {
			out = append(out, s.Name)
		}
	}
	return out
}

// EventsTo returns the names of the events that may lead from state from to
// a state of category cat, in declaration order. Processes use it to act by
// category: "resolve this incident" fires whichever event leads from its
// current state to a Resolved state.
func (d *Definition) EventsTo(from string, cat Category) []string {
	var out []string
	for _, ev := range d.allowed[from] {
		if d.next[[2]string{ev, from}].toCat == cat {
			out = append(out, ev)
		}
	}
	return out
}

// EventToward returns the event that leads from state to a state of
// category cat: preferred when the state allows it and it leads there, else
// the first such event in declaration order. ok is false when there is none.
func (d *Definition) EventToward(state string, cat Category, preferred string) (event string, ok bool) {
	if tr, ok := d.next[[2]string{preferred, state}]; ok && tr.toCat == cat {
		return preferred, true
	}
	if evs := d.EventsTo(state, cat); len(evs) > 0 {
		return evs[0], true
	}
	return "", false
}

// TransitionError returns the *TransitionError for event in state, with the
// events the state allows.
func (d *Definition) TransitionError(event, state string) error {
	return &TransitionError{Kind: d.name, Event: event, State: state, Allowed: d.Allowed(state)}
}

// With returns a new Definition with the same states and events and the
// given guards and hooks added to the existing ones. Processes use it to
// attach their code to a definition a host loaded from JSON.
func (d *Definition) With(opts ...Option) (*Definition, error) {
	return d.Extend(nil, nil, opts...)
}

// Extend returns a new, validated Definition with states and events added:
// a host's "awaiting_vendor" state and the events in and out of it. An added
// event whose name already exists adds source states to it. Guards, hooks
// and custom fields are kept and opts may add more (WithFields for fields).
// The receiver is unchanged.
func (d *Definition) Extend(states []State, events []Event, opts ...Option) (*Definition, error) {
	all := append(slices.Clone(d.states), states...)
	evs := append(slices.Clone(d.events), events...)
	keep := make([]Option, 0, len(d.guards)+len(d.hooks)+len(opts))
	for _, g := range d.guards {
		keep = append(keep, WithGuard(g))
	}
	for _, h := range d.hooks {
		keep = append(keep, WithHook(h))
	}
	if fs := d.declared(); len(fs) > 0 {
		keep = append(keep, WithFields(fs...))
	}
	return NewDefinition(d.name, all, evs, append(keep, opts...)...)
}
