package problem

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// ResolvePolicy says what resolving a problem does to its open incidents.
type ResolvePolicy uint8

// The resolve policies. The zero value means NotifyIncidents.
const (
	// NotifyIncidents adds a work note and a caller-visible comment about
	// the fix to every open linked incident and leaves them to their desk.
	NotifyIncidents ResolvePolicy = iota + 1
	// ResolveIncidents resolves every open linked incident with
	// Config.IncidentResolutionCode and the fix as notes. An incident the
	// desk refuses to resolve for good (its state, its codes, its
	// Authorizer) is notified instead, and the refusal logged; one it fails
	// to resolve for the moment is retried.
	ResolveIncidents
)

// String returns "notify" or "resolve".
func (p ResolvePolicy) String() string {
	switch p {
	case NotifyIncidents:
		return "notify"
	case ResolveIncidents:
		return "resolve"
	}
	return fmt.Sprintf("policy(%d)", uint8(p))
}

// Config configures a Manager. The zero value means the defaults.
type Config struct {
	// Lifecycle is the problem lifecycle. Default DefaultLifecycle(). A
	// host's extended or loaded definition works as long as it keeps the
	// default's event names; the manager reasons about its states by
	// category.
	Lifecycle *lifecycle.Definition
	// Matrix derives priority from impact and urgency. Default
	// itil.DefaultMatrix().
	Matrix itil.PriorityMatrix
	// ResolutionCodes are the codes problems close with. Default
	// DefaultResolutionCodes.
	ResolutionCodes []string
	// OnResolve says what resolving a problem does to its open incidents
	// (through Reactions). Default NotifyIncidents.
	OnResolve ResolvePolicy
	// IncidentResolutionCode is the code ResolveIncidents resolves incidents
	// with; it must be one of the incident desk's codes. Default
	// "solved_permanently".
	IncidentResolutionCode string
	// Retries is how many times a change is run again, on fresh copies of
	// the records it reads, when a concurrent change to one of them saved
	// first (a version conflict): a change to a problem alone, or a link
	// written on both sides. Default 20; negative means never.
	Retries int
	// MatchWords is how many words of an incident's title and description
	// Match needs in common with a known error that shares none of its CIs
	// and not its category. Default 2.
	MatchWords int
	// Authorizer, when set, is asked before every change to a problem.
	Authorizer lifecycle.Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives what the manager cannot return, such as an incident
	// that a published workaround could not reach for good. Default
	// slog.Default().
	Logger *slog.Logger
}

// Manager is the problem management service over a lifecycle.Store, working
// with an incident desk whose incidents live in the same store. It keeps
// the known error database as an in-memory word index that follows the
// store's log (a lifecycle.Projection), so that every manager sharing the
// store answers from every known error committed before the question. Its
// work on linked incidents that follows a change to a problem runs from the
// log too, through the subscriptions of Reactions. It is safe for
// concurrent use.
//
// Methods return *itil.ValidationError for bad input (naming the field),
// *lifecycle.TransitionError when the problem's state does not allow the
// action, lifecycle.ErrNotFound, lifecycle.ErrForbidden from the Authorizer
// (the manager's, or the desk's for the incident's side of a link), and
// lifecycle.ErrConflict when a concurrent change won every retry. A method
// that fails has changed nothing: not the problem, not its incidents, not
// the log.
type Manager struct {
	proc  *lifecycle.Process[*Problem]
	def   *lifecycle.Definition
	desk  Desk
	cfg   Config
	codes map[string]bool
	index *wordIndex
	known *lifecycle.Projection // feeds index from the log
}

// NewManager returns a manager over st, linking problems to the incidents
// of desk, whose incidents must live in st too. It does no I/O: the known
// error index is read from the log at Start, or at the first Search or
// Match.
func NewManager(st lifecycle.Store, desk Desk, cfg Config) (*Manager, error) {
	if desk == nil || reflect.ValueOf(desk).Kind() == reflect.Pointer && reflect.ValueOf(desk).IsNil() {
		return nil, &itil.ValidationError{Field: "desk", Reason: "required"}
	}
	if cfg.Lifecycle == nil {
		cfg.Lifecycle = DefaultLifecycle()
	}
	if cfg.Lifecycle.Name() != Kind {
		return nil, &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("lifecycle is named %q, want %q", cfg.Lifecycle.Name(), Kind)}
	}
	if _, err := cfg.Matrix.Priority(itil.ImpactHigh, itil.UrgencyHigh); err != nil {
		cfg.Matrix = itil.DefaultMatrix()
	}
	if cfg.ResolutionCodes == nil {
		cfg.ResolutionCodes = DefaultResolutionCodes
	}
	if len(cfg.ResolutionCodes) == 0 {
		return nil, &itil.ValidationError{Field: "ResolutionCodes", Reason: "at least one code is required"}
	}
	if cfg.OnResolve == 0 {
		cfg.OnResolve = NotifyIncidents
	}
	if cfg.OnResolve != NotifyIncidents && cfg.OnResolve != ResolveIncidents {
		return nil, &itil.ValidationError{Field: "OnResolve", Reason: fmt.Sprintf("unknown policy %d", cfg.OnResolve)}
	}
	if cfg.IncidentResolutionCode == "" {
		cfg.IncidentResolutionCode = "solved_permanently"
	}
	if err := itil.CheckText("IncidentResolutionCode", cfg.IncidentResolutionCode, MaxName); err != nil {
		return nil, err
	}
	if cfg.Retries == 0 {
		cfg.Retries = 20
	}
	if cfg.MatchWords == 0 {
		cfg.MatchWords = 2
	}
	if cfg.MatchWords < 1 {
		return nil, &itil.ValidationError{Field: "MatchWords", Reason: "must be at least 1"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	m := &Manager{desk: desk, cfg: cfg, codes: make(map[string]bool), index: newWordIndex()}
	for i, c := range cfg.ResolutionCodes {
		if c == "" {
			return nil, &itil.ValidationError{Field: fmt.Sprintf("ResolutionCodes[%d]", i), Reason: "empty code"}
		}
		if err := itil.CheckText(fmt.Sprintf("ResolutionCodes[%d]", i), c, MaxName); err != nil {
			return nil, err
		}
		m.codes[c] = true
	}
	def, err := cfg.Lifecycle.With(lifecycle.WithGuard(m.guard), lifecycle.WithHook(m.enter))
	if err != nil {
		return nil, err
	}
	m.def = def
	m.proc, err = lifecycle.NewProcess[Problem](st, def, lifecycle.ProcessConfig{
		Prefix: "PRB", Authorizer: cfg.Authorizer, Now: cfg.Now, Retries: cfg.Retries,
	})
	if err != nil {
		return nil, err
	}
	m.known = lifecycle.NewProjection(st, m.indexChange)
	return m, nil
}

// Start reads the known error index from the store's log, so that the
// first Search or Match finds little left to read. Calling it is optional:
// every Search and Match catches up with the log first anyway.
func (m *Manager) Start(ctx context.Context) error {
	if err := m.known.CatchUp(ctx); err != nil {
		return fmt.Errorf("problem: reading the known errors: %w", err)
	}
	return nil
}

// Lifecycle returns the definition the manager runs, with its guards and
// hooks.
func (m *Manager) Lifecycle() *lifecycle.Definition { return m.def }

// Get returns the problem with the given ID.
func (m *Manager) Get(ctx context.Context, id uuid.UUID) (*Problem, error) {
	return m.proc.Get(ctx, id)
}

// GetByNumber returns the problem with the given number (PRB0000001).
func (m *Manager) GetByNumber(ctx context.Context, number string) (*Problem, error) {
	return m.proc.GetByNumber(ctx, number)
}

// Journal yields the problem's changes, oldest first.
func (m *Manager) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error] {
	return m.proc.Journal(ctx, id)
}

// Incidents yields the incidents linked to the problem, as the incident
// desk holds them.
func (m *Manager) Incidents(ctx context.Context, id uuid.UUID) iter.Seq2[*incident.Incident, error] {
	return m.desk.Find(ctx, incident.Query{Problem: id})
}

// fire runs an action on a problem.
func (m *Manager) fire(ctx context.Context, id uuid.UUID, a lifecycle.Action[*Problem]) (*Problem, error) {
	return m.proc.Fire(ctx, id, a)
}

// atomic runs fn in a lifecycle.Tx over the manager's store and commits
// it, running it again on fresh copies after a conflict, up to
// Config.Retries times.
func (m *Manager) atomic(ctx context.Context, fn func(tx *lifecycle.Tx) error) error {
	st := m.proc.Store()
	if m.cfg.Retries < 0 { // lifecycle.Atomic always retries: commit once by hand
		tx := lifecycle.NewTx(st)
		tx.SetClock(m.cfg.Now)
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	return lifecycle.Atomic(ctx, st, m.cfg.Retries, func(tx *lifecycle.Tx) error {
		tx.SetClock(m.cfg.Now)
		return fn(tx)
	})
}

// ref returns a link to the problem.
func ref(p *Problem) itil.Ref { return itil.Ref{Kind: Kind, ID: p.ID, Number: p.Number} }
