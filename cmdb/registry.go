package cmdb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Config configures a Registry. The zero value means the defaults.
type Config struct {
	// Groups overrides the default support group of a function (see
	// Function.DefaultGroup) for the CIs that name no owner group.
	Groups map[Function]string
	// Authorizer, when set, is asked before every change to a CI.
	Authorizer lifecycle.Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Retries is how many times a command is run again, on fresh copies of
	// the records it read, when a concurrent writer saved first. Default
	// 20; negative means never.
	Retries int
	// Poll is how often Run catches the graph up when the store announces
	// no writes. Default one second.
	Poll time.Duration
	// Logger receives what Run cannot return: a catch-up that failed and
	// is tried again. Default slog.Default().
	Logger *slog.Logger
}

// Registry is the configuration management service over a
// lifecycle.Store: it registers configuration items, relates them, moves
// them through their lifecycle (Lifecycle) and imports documents of many
// (Import). Every rule that spans several CIs (unique keys, no cycle of
// "contains", no relationship to a retired CI, a live cluster's quorum
// within its members) is checked in the same atomic commit that writes,
// so that it holds with any number of registries on one store. Its Graph
// follows the store's log. It is safe for concurrent use.
//
// Commands take ctx and a params struct whose first fields are those of
// lifecycle.Params. They return *itil.ValidationError for bad input
// (naming the field), *RuleError for a rule across CIs (matching ErrCycle,
// ErrRetired, ErrInUse or ErrQuorum), errors matching ErrDuplicateKey,
// lifecycle.ErrNotFound, *lifecycle.TransitionError,
// lifecycle.ErrForbidden and lifecycle.ErrConflict. A command that fails
// has written nothing.
type Registry struct {
	lifecycle.Records[*CI]

	proc  *lifecycle.Process[*CI]
	store lifecycle.Store
	cfg   Config
	graph *Graph
}

// NewRegistry returns a registry over st. It does no I/O: the graph reads
// the log at Start, or at its first question. It returns a
// *itil.ValidationError for a nil store, a group for an unknown function,
// or an empty or unstorable group.
func NewRegistry(st lifecycle.Store, cfg Config) (*Registry, error) {
	if st == nil || reflect.ValueOf(st).Kind() == reflect.Pointer && reflect.ValueOf(st).IsNil() {
		return nil, invalid("store", "required")
	}
	groups := make(map[Function]string, 4)
	for f := Facilities; f <= Service; f++ {
		groups[f] = f.DefaultGroup()
	}
	for f, g := range cfg.Groups {
		field := fmt.Sprintf("Groups[%d]", f)
		if !f.Valid() {
			return nil, invalid(field, "no such function")
		}
		if err := checkName(field, g); err != nil {
			return nil, err
		}
		groups[f] = g
	}
	cfg.Groups = groups
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Retries == 0 {
		cfg.Retries = 20
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	proc, err := lifecycle.NewProcess[CI](st, Lifecycle(), lifecycle.ProcessConfig{
		Prefix: "CI", Authorizer: cfg.Authorizer, Now: cfg.Now, Retries: cfg.Retries,
	})
	if err != nil {
		return nil, err
	}
	r := &Registry{Records: proc.Records(), proc: proc, store: st, cfg: cfg}
	r.graph = followGraph(st)
	return r, nil
}

// Start reads the graph from the store's log, so that its first question
// finds little to read. Calling it is optional.
func (r *Registry) Start(ctx context.Context) error {
	if err := r.graph.follow.CatchUp(ctx); err != nil {
		return fmt.Errorf("cmdb: reading the graph: %w", err)
	}
	return nil
}

// Run keeps the graph warm until ctx ends, catching up at every write the
// store announces and at least every Config.Poll; it returns nil then.
// Failures are logged and tried again. It is optional: every question to
// the graph catches up first.
func (r *Registry) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := r.graph.follow.CatchUp(ctx); err != nil && ctx.Err() == nil {
			r.cfg.Logger.WarnContext(ctx, "cmdb: catching the graph up", slog.Any("error", err))
		}
		var wake <-chan struct{}
		if w, ok := r.store.(lifecycle.Waker); ok {
			wake = w.Changed()
		}
		t := time.NewTimer(r.cfg.Poll)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// Graph returns the registry's map of CIs, which follows the store's log:
// every question to it first catches up, so that its answer holds every
// change committed before the question, on any host.
func (r *Registry) Graph() *Graph { return r.graph }

// Lifecycle returns the definition the registry runs.
func (r *Registry) Lifecycle() *lifecycle.Definition { return r.proc.Definition() }

// GetByKey returns the CI with the given key, retired or not, or an error
// wrapping lifecycle.ErrNotFound.
func (r *Registry) GetByKey(ctx context.Context, key string) (*CI, error) {
	if err := checkName("key", key); err != nil {
		return nil, err
	}
	for c, err := range r.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("key", key)}, Limit: 1}) {
		return c, err
	}
	return nil, fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
}

// Query selects CIs for Find. Its zero value selects every CI; each field
// set narrows the selection.
type Query struct {
	// Key, when set, selects the CI of that key.
	Key string
	// Class, when set, selects CIs of that class.
	Class Class
	// Function, when set, selects CIs whose class belongs to it.
	Function Function
	// State, when set, selects CIs in that state ("live").
	State string
	// Group selects CIs owned by the group.
	Group string
	// RelatedTo selects CIs that store a relationship to the CI of that
	// key; MemberOf the members of the cluster of that key.
	RelatedTo string
	MemberOf  string
	// After and Limit page the results, in creation order: pass the last
	// ID of a page to get the next.
	After uuid.UUID
	Limit int
}

// Find yields the CIs that match q, in creation order. A bad query yields
// one *itil.ValidationError.
func (r *Registry) Find(ctx context.Context, q Query) iter.Seq2[*CI, error] {
	var where []lifecycle.Cond
	var err error
	add := func(field, key, v string) {
		if v == "" || err != nil {
			return
		}
		if err = checkName(field, v); err == nil {
			where = append(where, lifecycle.Eq(key, v))
		}
	}
	if q.Class != 0 {
		if !q.Class.Valid() {
			err = invalidf("Class", "no class %d", q.Class)
		}
		add("Class", "class", q.Class.String())
	}
	if q.Function != 0 {
		if !q.Function.Valid() {
			err = invalidf("Function", "no function %d", q.Function)
		}
		add("Function", "function", q.Function.String())
	}
	add("Key", "key", q.Key)
	add("State", "state", q.State)
	add("Group", "group", q.Group)
	add("RelatedTo", "to", q.RelatedTo)
	add("MemberOf", "member_of", q.MemberOf)
	if err != nil {
		return func(yield func(*CI, error) bool) { yield(nil, err) }
	}
	return r.proc.Find(ctx, lifecycle.Query{Where: where, After: q.After, Limit: q.Limit})
}

// atomic runs fn in a lifecycle.Tx over the store and commits it, running
// it again on fresh reads after a conflict, up to Config.Retries times.
func (r *Registry) atomic(ctx context.Context, fn func(tx *lifecycle.Tx) error) error {
	if r.cfg.Retries < 0 {
		tx := lifecycle.NewTx(r.store)
		tx.SetClock(r.cfg.Now)
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	return lifecycle.Atomic(ctx, r.store, r.cfg.Retries, func(tx *lifecycle.Tx) error {
		tx.SetClock(r.cfg.Now)
		return fn(tx)
	})
}

// keyLock is the key of the lock that claims a CI key. Its holder is the
// CI. Every write that adds or removes a relationship to a CI, retires it
// or changes what its quorum counts takes it, so that such writes on one
// CI are serialised across hosts.
func keyLock(key string) string { return "cmdb.key/" + key }

func newLock() lifecycle.Entity { return new(lifecycle.Lock) }

// ciIn reads a CI through tx, which pins the version read.
func ciIn(ctx context.Context, tx *lifecycle.Tx, id uuid.UUID) (*CI, error) {
	e, err := tx.Get(ctx, id, newCI)
	if err != nil {
		return nil, err
	}
	c, ok := e.(*CI)
	if !ok || c.Kind != Kind {
		return nil, fmt.Errorf("cmdb: CI %s: %w", id, lifecycle.ErrNotFound)
	}
	return c, nil
}

// idOf returns the ID of the CI that holds key, or an error wrapping
// lifecycle.ErrNotFound. A key's holder never changes once committed, so
// the lock is read from the store, not pinned.
func (r *Registry) idOf(ctx context.Context, key string) (uuid.UUID, error) {
	e, err := r.store.Get(ctx, lifecycle.LockID(keyLock(key)), newLock)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return uuid.Nil, fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
	}
	if err != nil {
		return uuid.Nil, err
	}
	l, ok := e.(*lifecycle.Lock)
	if !ok || l.Holder == uuid.Nil {
		return uuid.Nil, fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
	}
	return l.Holder, nil
}

// byKeyIn reads the CI of key through tx.
func (r *Registry) byKeyIn(ctx context.Context, tx *lifecycle.Tx, key string) (*CI, error) {
	id, err := r.idOf(ctx, key)
	if err != nil {
		return nil, err
	}
	return ciIn(ctx, tx, id)
}

// members counts the CIs that are members of the cluster of key, as
// committed.
func (r *Registry) members(ctx context.Context, key string) (int, error) {
	n := 0
	for _, err := range r.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("member_of", key)}}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// inService reports whether a CI in state counts its quorum: a live
// cluster or one in maintenance.
func inService(state string) bool { return state == StateLive || state == StateMaintenance }

// checkName checks a key, group or attribute name: not empty nor blank,
// storable, at most MaxKey characters.
func checkName(field, s string) error {
	if s == "" {
		return invalid(field, "required")
	}
	if err := itil.CheckText(field, s, MaxKey); err != nil {
		return err
	}
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return nil
		}
	}
	return invalid(field, "blank")
}
