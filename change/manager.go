package change

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Manager is the change enablement service: it proposes, assesses,
// authorizes, schedules, implements, reviews and closes changes, keeps the
// change calendar, and answers whether a CI is in an approved window. It is
// safe for concurrent use.
type Manager struct {
	cfg       Config
	procs     [Emergency + 1]*lifecycle.Process[*Change] // by Type
	index     *index
	freezes   atomic.Pointer[[]freeze]
	templates map[string]Template
	rebuildMu sync.Mutex // one Rebuild at a time
}

var _ lifecycle.Notifier = (*Manager)(nil)

// NewManager returns a Manager over st. It checks cfg (see Config for the
// defaults) and reads the store's active changes into its calendar index.
//
// Errors: a *itil.ValidationError naming the bad Config field, such as
// "templates[0].backout_plan", "approvals[high]" or "freezes[1].rrule"; the
// store's errors from reading the calendar.
func NewManager(st lifecycle.Store, cfg Config) (*Manager, error) {
	if st == nil {
		return nil, &itil.ValidationError{Field: "store", Reason: "required"}
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Manager{cfg: cfg, index: newIndex(), templates: make(map[string]Template, len(cfg.Templates))}
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
	if err := m.Rebuild(context.Background()); err != nil {
		return nil, err
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
func (m *Manager) GetByNumber(ctx context.Context, number string) (*Change, error) {
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
	// of the slots; SlotsOf(actor) lists an actor's.
	Awaiting []approval.Slot
	// Link selects the changes linked to the record.
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
	if !q.Link.IsZero() {
		eq("link", q.Link.Kind+":"+q.Link.ID.String())
	}
	return where, nil
}

// Find yields the changes that match q, in creation order. A bad query
// yields one *itil.ValidationError.
func (m *Manager) Find(ctx context.Context, q Query) iter.Seq2[*Change, error] {
	where, err := q.conds()
	if err != nil {
		return func(yield func(*Change, error) bool) { yield(nil, err) }
	}
	return m.procs[Normal].Find(ctx, lifecycle.Query{Where: where, After: q.After, Limit: q.Limit})
}

// fire runs the action that build makes for the change's lifecycle through
// the process of the change's type, then brings the calendar up to date.
// The type never changes, so the process picked on a first read is the one
// for every retry.
func (m *Manager) fire(ctx context.Context, id uuid.UUID, build func(def *lifecycle.Definition) lifecycle.Action[*Change]) (*Change, error) {
	cur, err := m.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := m.process(cur)
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

// Rebuild reads the store's active changes into the calendar index again.
// NewManager does it once; a host whose store is shared by several
// Managers keeps each one current by subscribing it to the store's outbox
// (the Manager is a lifecycle.Notifier), or calls Rebuild now and then.
// Writes that finish while Rebuild runs are kept.
func (m *Manager) Rebuild(ctx context.Context) error {
	m.rebuildMu.Lock()
	defer m.rebuildMu.Unlock()
	x := newIndex()
	m.index.rebuilding()
	q := lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}
	for c, err := range m.procs[Normal].Find(ctx, q) {
		if err != nil {
			m.index.replace(nil)
			return fmt.Errorf("change: rebuilding the calendar: %w", err)
		}
		x.put(c, m.live(c))
	}
	m.index.replace(x)
	m.cfg.Logger.Debug("change calendar rebuilt", "changes", m.index.len())
	return nil
}

// Notify keeps the calendar index current with changes written by other
// Managers over the same store: subscribe each Manager to the outbox with a
// lifecycle.Dispatcher under a name of its own. Changes of other kinds, and
// changes the index has seen, are skipped.
func (m *Manager) Notify(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind || m.index.seen(ch.RecordID, ch.Version) {
		return nil
	}
	c, err := m.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	m.index.put(c, m.live(c))
	return nil
}
