package change

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Manager is the change enablement service: it proposes, assesses,
// authorizes, schedules, implements, reviews and closes changes, keeps the
// change calendar, and answers whether a CI is in an approved window. It is
// safe for concurrent use, and several Managers (on several hosts) may
// share one store: the calendar follows the store's log (see Start).
type Manager struct {
	// Records gives the Manager its Get, GetByNumber (CHG0000001) and
	// Journal: every transition, decision and edit of a change with who,
	// when, the note and the fields changed, oldest first.
	lifecycle.Records[*Change]

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
	if isNil(st) {
		return nil, &itil.ValidationError{Field: "store", Reason: "required"}
	}
	if cfg.Topology != nil && isNil(cfg.Topology) {
		return nil, &itil.ValidationError{Field: "topology", Reason: "a nil pointer: leave it unset for no topology"}
	}
	if cfg.Services != nil && isNil(cfg.Services) {
		return nil, &itil.ValidationError{Field: "services", Reason: "a nil pointer: leave it unset for no service impact"}
	}
	if cfg.Authorizer != nil && isNil(cfg.Authorizer) {
		return nil, &itil.ValidationError{Field: "authorizer", Reason: "a nil pointer: leave it unset for no authorizer"}
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
	m.Records = m.procs[Normal].Records()
	return m, nil
}

// isNil reports whether v is nil or holds a nil pointer, map, slice, func
// or channel, which would fail when called.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return r.IsNil()
	}
	return false
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
