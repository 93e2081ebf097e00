package change

import (
	"context"
	"fmt"
	"iter"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Manager is the change enablement service: it proposes, assesses,
// authorizes, schedules, implements, reviews and closes changes, keeps the
// change calendar, and answers whether a CI is in an approved window. It is
// safe for concurrent use, and several Managers (on several hosts) may
// share one store: the calendar follows the store's log (see Start).
type Manager struct {
	cfg       Config
	store     lifecycle.Store
	procs     [Emergency + 1]*lifecycle.Process[*Change] // by Type
	index     *index
	calendar  *lifecycle.Projection // feeds index from the log
	freezes   atomic.Pointer[[]freeze]
	templates map[string]Template
}

// NewManager returns a Manager over st. It checks cfg (see Config for the
// defaults) and reads nothing: the calendar is read from the store's log
// by Start, or else at the first question that needs it.
//
// Errors: a *itil.ValidationError naming the bad Config field, such as
// "templates[0].backout_plan", "approvals[high]" or "freezes[1].rrule".
func NewManager(st lifecycle.Store, cfg Config) (*Manager, error) {
	if st == nil {
		return nil, &itil.ValidationError{Field: "store", Reason: "required"}
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Manager{cfg: cfg, store: st, index: newIndex(), templates: make(map[string]Template, len(cfg.Templates))}
	m.calendar = lifecycle.NewProjection(st, m.follow)
	for _, t := range cfg.Templates {
		m.templates[t.Name] = t
	}
	if err := m.SetFreezes(cfg.Freezes); err != nil {
		return nil, err
	}
	for t, def := range []*lifecycle.Definition{Normal: cfg.Normal, Standard: cfg.Standard, Emergency: cfg.Emergency} {
		if def == nil {
			continue
		}
		t := Type(t)
		def, err := def.With(lifecycle.WithGuard(m.guard), lifecycle.WithHook(m.enter))
		if err != nil {
			return nil, renameField("", t.String()+".", err)
		}
		p, err := lifecycle.NewProcess[Change](st, def, lifecycle.ProcessConfig{
			Prefix:     "CHG",
			Authorizer: cfg.Authorizer,
			Now:        cfg.Now,
		})
		if err != nil {
			return nil, renameField("", t.String()+".", err)
		}
		m.procs[t] = p
	}
	return m, nil
}

// Definition returns the lifecycle that changes of type t follow, with the
// Manager's guards and hooks, or nil for an unknown type. Its Mermaid method
// draws it.
func (m *Manager) Definition(t Type) *lifecycle.Definition {
	if !t.Valid() {
		return nil
	}
	return m.procs[t].Definition()
}

// process returns the process for t, or an error for a record whose type is
// unknown.
func (m *Manager) process(c *Change) (*lifecycle.Process[*Change], error) {
	if !c.Type.Valid() {
		return nil, &itil.ValidationError{Field: "type", Reason: fmt.Sprintf("change %s has no valid type", c.Number)}
	}
	return m.procs[c.Type], nil
}

// Get returns the change with the given ID, or an error wrapping
// lifecycle.ErrNotFound.
func (m *Manager) Get(ctx context.Context, id uuid.UUID) (*Change, error) {
	return m.procs[Normal].Get(ctx, id)
}

// GetByNumber returns the change with the given number (CHG0000001).
//
// Errors: a *itil.ValidationError on "number" for a text that cannot be a
// number; lifecycle.ErrNotFound.
func (m *Manager) GetByNumber(ctx context.Context, number string) (*Change, error) {
	if err := checkName("number", number); err != nil {
		return nil, err
	}
	return m.procs[Normal].GetByNumber(ctx, number)
}

// Journal yields the change's journal, oldest first: every transition,
// decision and edit with who, when, the note and the fields changed.
func (m *Manager) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error] {
	return m.procs[Normal].Journal(ctx, id)
}

// Query selects changes for Find. Its conditions must all hold; the zero
// Query selects every change.
type Query struct {
	// Type, Risk, Template, Category, Requester and Implementer, when set,
	// must equal the change's.
	Type Type
	// States lists states, any of which matches.
	States []string
	// Open selects changes still in progress (open or paused states).
	Open bool
	// CI selects the changes that touch the CI.
	CI          string
	Requester   string
	Implementer string
	Risk        Risk
	Template    string
	Category    string
	// Awaiting selects the changes whose current round still waits for any
	// of the slots; SlotsOf(actor) lists an actor's. Each slot names one
	// group or person.
	Awaiting []approval.Slot
	// Link selects the changes linked to the record; it needs the
	// record's kind and ID.
	Link itil.Ref
	// After is the cursor: only changes created after the one with this ID.
	After uuid.UUID
	// Limit caps the number of changes; zero means no cap.
	Limit int
}

// conds translates q into store conditions.
func (q Query) conds() ([]lifecycle.Cond, error) {
	var where []lifecycle.Cond
	eq := func(key, v string) {
		if v != "" {
			where = append(where, lifecycle.Eq(key, v))
		}
	}
	for _, k := range []struct{ field, v string }{
		{"ci", q.CI}, {"requester", q.Requester}, {"implementer", q.Implementer},
		{"template", q.Template}, {"category", q.Category},
	} {
		if err := checkKey(k.field, k.v); err != nil {
			return nil, err
		}
	}
	for i, st := range q.States {
		field := fmt.Sprintf("states[%d]", i)
		if st == "" {
			return nil, &itil.ValidationError{Field: field, Reason: "empty state name"}
		}
		if err := checkKey(field, st); err != nil {
			return nil, err
		}
	}
	for i, sl := range q.Awaiting {
		if err := checkSlot(fmt.Sprintf("awaiting[%d]", i), sl); err != nil {
			return nil, err
		}
	}
	if q.Link != (itil.Ref{}) {
		if err := q.Link.Validate("link"); err != nil {
			return nil, err
		}
		if err := checkRef("link", q.Link); err != nil {
			return nil, err
		}
	}
	switch {
	case q.Type != 0 && !q.Type.Valid():
		return nil, &itil.ValidationError{Field: "type", Reason: fmt.Sprintf("undefined value %d", int8(q.Type))}
	case q.Risk != 0 && !q.Risk.Valid():
		return nil, &itil.ValidationError{Field: "risk", Reason: fmt.Sprintf("undefined value %d", int8(q.Risk))}
	}
	if q.Type != 0 {
		eq("type", q.Type.String())
	}
	if q.Risk != 0 {
		eq("risk", q.Risk.String())
	}
	if len(q.States) > 0 {
		where = append(where, lifecycle.Eq("state", q.States...))
	}
	if q.Open {
		where = append(where, lifecycle.Active())
	}
	eq("ci", q.CI)
	eq("requester", q.Requester)
	eq("implementer", q.Implementer)
	eq("template", q.Template)
	eq("category", q.Category)
	if len(q.Awaiting) > 0 {
		vals := make([]string, len(q.Awaiting))
		for i, s := range q.Awaiting {
			vals[i] = s.String()
		}
		where = append(where, lifecycle.Eq("awaiting", vals...))
	}
	if q.Link != (itil.Ref{}) {
		eq("link", q.Link.Kind+":"+q.Link.ID.String())
	}
	return where, nil
}

// Find yields the changes that match q, in creation order. A bad query
// yields one *itil.ValidationError naming the field: an undefined "type"
// or "risk", a blank or unstorable name ("ci", "states[1]"), an approval
// slot that names neither or both of a group and a person ("awaiting[0]"),
// a "link" without its kind or ID.
func (m *Manager) Find(ctx context.Context, q Query) iter.Seq2[*Change, error] {
	where, err := q.conds()
	if err != nil {
		return func(yield func(*Change, error) bool) { yield(nil, err) }
	}
	return m.procs[Normal].Find(ctx, lifecycle.Query{Where: where, After: q.After, Limit: q.Limit})
}

// fire runs the action that build makes for the change's lifecycle through
// the process of the change's type, then brings this Manager's calendar up
// to date at once (the other hosts' follow the log). The type never
// changes, so the process picked on a first read is the one for every
// retry.
func (m *Manager) fire(ctx context.Context, id uuid.UUID, build func(def *lifecycle.Definition) lifecycle.Action[*Change]) (*Change, error) {
	p, err := m.processOf(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := p.Fire(ctx, id, build(p.Definition()))
	if err != nil {
		return nil, err
	}
	m.index.put(c, m.live(c))
	return c, nil
}

// fireAtomic is fire for the actions that put a change on the calendar or
// move it: the action runs in a lifecycle.Atomic, and build gets its Tx,
// in which the action's Apply takes the calendar locks it needs (see
// calendarLocks). When another writer takes one of those locks first, the
// whole action runs again on fresh copies.
func (m *Manager) fireAtomic(ctx context.Context, id uuid.UUID, build func(def *lifecycle.Definition, tx *lifecycle.Tx) lifecycle.Action[*Change]) (*Change, error) {
	p, err := m.processOf(ctx, id)
	if err != nil {
		return nil, err
	}
	var c *Change
	err = lifecycle.Atomic(ctx, m.store, calendarRetries, func(tx *lifecycle.Tx) error {
		var err error
		c, err = p.FireIn(ctx, tx, id, build(p.Definition(), tx))
		return err
	})
	if err != nil {
		return nil, err
	}
	m.index.put(c, m.live(c))
	return c, nil
}

// processOf returns the process of the stored change id's type.
func (m *Manager) processOf(ctx context.Context, id uuid.UUID) (*lifecycle.Process[*Change], error) {
	cur, err := m.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return m.process(cur)
}

// live reports whether c's window is an approved implementation window: c
// is approved, and scheduled (it may be implemented next) or being
// implemented (it may be completed next).
func (m *Manager) live(c *Change) bool {
	if !c.Type.Valid() || !c.Approved() {
		return false
	}
	def := m.procs[c.Type].Definition()
	_, scheduled := def.Target(EventImplement, c.State)
	_, implementing := def.Target(EventComplete, c.State)
	return scheduled || implementing
}
