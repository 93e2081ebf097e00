package problem

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"reflect"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// ResolvePolicy says what resolving a problem does to its open incidents.
// Its text form, for a host's configuration files, is "notify" or
// "resolve".
type ResolvePolicy int8

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

// policyNames is the text form of ResolvePolicy.
var policyNames = itil.Names[ResolvePolicy]{Field: "policy", List: []string{"", "notify", "resolve"}}

// String returns "notify" or "resolve", or "policy(N)" for a value
// that is no policy.
func (p ResolvePolicy) String() string { return policyNames.String(p) }

// MarshalText returns "notify" or "resolve"; any other value is a
// *itil.ValidationError.
func (p ResolvePolicy) MarshalText() ([]byte, error) { return policyNames.Marshal(p) }

// UnmarshalText decodes "notify" or "resolve"; any other text is a
// *itil.ValidationError naming "policy", and leaves p as it was.
func (p *ResolvePolicy) UnmarshalText(b []byte) error { return policyNames.Unmarshal(p, b) }

// Config configures a Manager. The zero value means the defaults.
type Config struct {
	// Lifecycle is the problem lifecycle. Default DefaultLifecycle(). A
	// host's extended or loaded definition (ParseLifecycle) works as long
	// as it keeps the default's events, each leading to a state of the
	// same category; resolve, close and reanalyze may be named otherwise,
	// since the manager finds them by category. NewManager checks it.
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
	// Assignment, when set, assigns a problem opened without a group by
	// the first of its rules that the problem meets (category, the classes
	// and services of its CIs as Classifier tells them, priority): its
	// group and the person its strategy chooses, the rule named in the
	// creation's journal note. Assign to a group without an assignee
	// chooses the person by the group's first rule. The load of
	// least-loaded and skills strategies is a person's open problems.
	Assignment *assign.Rules
	// Classifier tells Assignment what a problem's CIs are.
	Classifier assign.Classifier
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
// Its commands take a params struct whose first fields are those of
// Params: the problem (ID), the version the caller read (Version), who acts
// (By), the note journaled with the change (Note) and custom fields set
// with it (Fields). Get, GetByNumber and Journal come from the embedded
// lifecycle.Records.
//
// Commands return *itil.ValidationError for bad input (naming the field),
// *lifecycle.TransitionError when the problem's state does not allow the
// action, lifecycle.ErrNotFound, lifecycle.ErrForbidden from the Authorizer
// (the manager's, or the desk's for the incident's side of a link), and
// lifecycle.ErrConflict when Version is stale or a concurrent change won
// every retry. A command that fails has changed nothing: not the problem,
// not its incidents, not the log.
type Manager struct {
	lifecycle.Records[*Problem]

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
//
// It checks all it is given, with a *itil.ValidationError naming what is
// wrong: a nil store or desk, a Config.Lifecycle of another name or one
// lacking an event the manager fires (or whose event leads to a state of
// the wrong category: resolve to a resolved state, close to a closed one),
// an unknown OnResolve, empty or overlong resolution codes, a MatchWords
// below 1.
func NewManager(st lifecycle.Store, desk Desk, cfg Config) (*Manager, error) {
	if isNil(st) {
		return nil, &itil.ValidationError{Field: "store", Reason: "required"}
	}
	if isNil(desk) {
		return nil, &itil.ValidationError{Field: "desk", Reason: "required"}
	}
	if cfg.Lifecycle == nil {
		cfg.Lifecycle = DefaultLifecycle()
	}
	if cfg.Lifecycle.Name() != Kind {
		return nil, &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("lifecycle is named %q, want %q", cfg.Lifecycle.Name(), Kind)}
	}
	if err := checkEvents(cfg.Lifecycle); err != nil {
		return nil, err
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
	if !policyNames.Valid(cfg.OnResolve) {
		return nil, &itil.ValidationError{Field: "OnResolve", Reason: fmt.Sprintf("unknown policy %d (want %s)", cfg.OnResolve, policyNames.Want())}
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
	m.Records = m.proc.Records()
	m.known = lifecycle.NewProjection(st, m.indexChange)
	return m, nil
}

// isNil reports whether v is nil, or an interface holding a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// categories is a set of state categories, as a command of the manager
// needs them, with words for an error.
type categories struct {
	has  func(lifecycle.Category) bool
	word string
}

var (
	catActive   = categories{lifecycle.Category.Active, "an open or paused state"}
	catResolved = categories{func(c lifecycle.Category) bool { return c == lifecycle.Resolved }, "a resolved state"}
	catTerminal = categories{lifecycle.Category.Terminal, "a closed or cancelled state"}
	catFinished = categories{func(c lifecycle.Category) bool { return c == lifecycle.Resolved || c.Terminal() }, "a resolved or closed state"}
	catNamed    = categories{} // the event is fired by its name only
)

// fired lists the events the manager fires, with the categories of state
// each must lead to and the command that fires it. An event with from set
// is one the command finds by category when the lifecycle names it
// otherwise: any event from a state of from to a state of to does.
var fired = []struct {
	event    string
	from, to categories
	command  string
}{
	{EventAssess, catNamed, catActive, "Assess"},
	{EventAnalyze, catNamed, catActive, "Analyze"},
	{EventStartFix, catNamed, catActive, "StartFix"},
	{EventResolve, catActive, catResolved, "Resolve"},
	{EventClose, catResolved, catTerminal, "Close"},
	{EventMarkDuplicate, catNamed, catTerminal, "MarkDuplicate"},
	{EventAcceptRisk, catNamed, catTerminal, "AcceptRisk"},
	{EventCancel, catNamed, catTerminal, "Cancel"},
	{EventReanalyze, catFinished, catActive, "Reanalyze"},
}

// checkEvents reports, as a *itil.ValidationError naming "Lifecycle", an
// event the manager fires that def lacks, or that leads to a state of
// another category than the manager's command means.
func checkEvents(def *lifecycle.Definition) error {
	events := def.Events()
	for _, f := range fired {
		i := slices.IndexFunc(events, func(e lifecycle.Event) bool { return e.Name == f.event })
		if i >= 0 {
			if to := def.Category(events[i].To); !f.to.has(to) {
				return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("event %q leads to %q, a state of category %s; %s needs %s",
					f.event, events[i].To, to, f.command, f.to.word)}
			}
			continue
		}
		if f.from.has == nil {
			return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("no event %q, which %s fires", f.event, f.command)}
		}
		if !slices.ContainsFunc(events, func(e lifecycle.Event) bool {
			return f.to.has(def.Category(e.To)) && slices.ContainsFunc(e.From, func(s string) bool { return f.from.has(def.Category(s)) })
		}) {
			return &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("no event %q, nor any other from %s to %s, which %s fires",
				f.event, f.from.word, f.to.word, f.command)}
		}
	}
	return nil
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

// Incidents yields the incidents linked to the problem, as the incident
// desk holds them.
func (m *Manager) Incidents(ctx context.Context, id uuid.UUID) iter.Seq2[*incident.Incident, error] {
	return m.desk.Find(ctx, incident.Query{Problem: id})
}

// run checks what every command carries in p, puts it in a (the note
// unless a has its own) and runs a on the problem p.ID.
func (m *Manager) run(ctx context.Context, p Params, a lifecycle.Action[*Problem]) (*Problem, error) {
	if err := checkParams(p); err != nil {
		return nil, err
	}
	a.Version, a.Actor, a.Fields = p.Version, p.By, p.Fields
	if a.Note == "" {
		a.Note = p.Note
	}
	return m.proc.Fire(ctx, p.ID, a)
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
