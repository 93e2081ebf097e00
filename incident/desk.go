package incident

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/sla"
)

// DefaultResolutionCodes are the resolution codes a desk accepts when its
// Config names none.
var DefaultResolutionCodes = []string{
	"solved_permanently",
	"solved_workaround",
	"resolved_by_caller",
	"not_reproducible",
	"duplicate",
	"too_costly",
}

// Config configures a Desk. The zero value means the defaults.
type Config struct {
	// Lifecycle is the incident lifecycle. Default DefaultLifecycle(). A
	// host's extended or loaded definition (see ParseLifecycle) works as
	// long as it keeps the default's event names; the desk reasons about
	// its states by category. NewDesk refuses, with a
	// *itil.ValidationError naming "Lifecycle", one that lacks an event a
	// command fires: "assign" from the initial state, "start", "hold" into
	// a paused state, a way from the initial state to a cancelled one, from
	// an open state to a resolved one, from every paused state back to
	// work, and from every resolved state back to work and to a closed one.
	Lifecycle *lifecycle.Definition
	// Matrix derives priority from impact and urgency. Default
	// itil.DefaultMatrix().
	Matrix itil.PriorityMatrix
	// ResolutionCodes are the codes Resolve accepts. Default
	// DefaultResolutionCodes.
	ResolutionCodes []string
	// ReopenWindow is how long after resolution a caller or an analyst may
	// reopen an incident. Default 7 days.
	ReopenWindow time.Duration
	// AutoCloseAfter is how long a resolved incident waits before Sweep
	// closes it. Default 7 days; negative means never.
	AutoCloseAfter time.Duration
	// SLA is the SLA policy. Default sla.DefaultPolicy().
	SLA *sla.Policy
	// SLADefinitions, when set, replaces the policy's two clocks with the
	// clocks of these definitions (SLAs and OLAs, conditions, thresholds
	// and their actions: see sla.Definitions), kept in
	// Incident.SLATimers; Incident.SLA then stays idle. They follow the
	// incident after every transition and on every Sweep; see the package
	// documentation.
	SLADefinitions *sla.Definitions
	// EscalationLevels is the highest hierarchical escalation level.
	// Default 3 (team lead, service manager, head of IT).
	EscalationLevels int
	// MaxTier is the highest support tier. Default 3.
	MaxTier int
	// FirstContactWindow is how soon after opening an incident must be
	// resolved, straight from new or assigned and never reassigned nor
	// escalated, to count as resolved at first contact. Default 30 minutes.
	FirstContactWindow time.Duration
	// Retries is how many times an action is run again, on a fresh copy of
	// the incident, when a concurrent change to the same incident saved
	// first (a version conflict). Default 20; negative means never.
	Retries int
	// Assignment, when set, assigns an incident opened without a group by
	// the first of its rules that the incident meets (category, the
	// classes and services of its CIs as Classifier tells them, priority,
	// channel): its group and the person its strategy chooses, the rule
	// named in the creation's journal note. Assign to a group without an
	// assignee chooses the person by the group's first rule. The load of
	// least-loaded and skills strategies is a person's open incidents.
	Assignment *assign.Rules
	// Classifier tells Assignment what an incident's CIs are.
	Classifier assign.Classifier
	// Services, when set, tells the business services an outage of an
	// incident's CIs affects, recorded in Incident.Services on Open and on
	// AddCIs (a CMDB's graph implements it).
	Services ServiceImpact
	// Owners, when set, assigns an incident opened without a group, and
	// which no Assignment rule assigns, to the group that supports the
	// first of its CIs that has one (a CMDB's graph implements it: the
	// facilities, technical or application management group of the CI's
	// class), said in the creation's journal note.
	Owners Owners
	// Authorizer, when set, is asked before every change.
	Authorizer lifecycle.Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives what the desk cannot return, such as a child incident
	// that a parent's resolution could not resolve. Default slog.Default().
	Logger *slog.Logger
	// Paging, when it has rules, pages the incidents a rule matches by
	// the rule's escalation policy (package escalation): from when they
	// are opened, or when their priority is raised to one a rule matches,
	// until someone acknowledges them (Acknowledge) or they are resolved
	// or cancelled. Sweep sends the pages that fall due. NewDesk refuses,
	// with a *itil.ValidationError naming the field under "Paging", a
	// policy whose schedule targets Schedules lacks, two policies of one
	// name, and a rule naming no known policy.
	Paging Paging
}

// Desk is the incident management service over a lifecycle.Store. It is
// safe for concurrent use.
//
// Every command takes ctx and one params struct (Params, or the command's
// own, which begins with the same five fields) and returns the incident as
// stored. Methods return *itil.ValidationError for bad input (naming the
// field), *lifecycle.TransitionError when the incident's state does not
// allow the action, lifecycle.ErrNotFound, lifecycle.ErrForbidden from the
// Authorizer, and lifecycle.ErrConflict when the params' non-zero Version
// is not the incident's, or a concurrent change won every retry. A method
// that fails has changed nothing.
type Desk struct {
	// Records gives the desk its Get, GetByNumber and Journal.
	lifecycle.Records[*Incident]

	proc  *lifecycle.Process[*Incident]
	def   *lifecycle.Definition
	cfg   Config
	codes map[string]bool
	// initial is the lifecycle's initial state, read once: Definition.Initial
	// copies it on every call, and the hooks ask on every transition.
	initial lifecycle.State
	// drafts holds the templates Open builds for the kernel to copy.
	drafts sync.Pool
	// assignEvent is d.assignEvent, bound once rather than per Assign.
	assignEventFn func(*Incident) string
	// pager is the validated Config.Paging; nil pages nobody.
	pager *pager
}

// NewDesk returns a desk over st.
func NewDesk(st lifecycle.Store, cfg Config) (*Desk, error) {
	if cfg.Lifecycle == nil {
		cfg.Lifecycle = DefaultLifecycle()
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
	if cfg.ReopenWindow == 0 {
		cfg.ReopenWindow = 7 * 24 * time.Hour
	}
	if cfg.ReopenWindow < 0 {
		return nil, &itil.ValidationError{Field: "ReopenWindow", Reason: "must not be negative"}
	}
	if cfg.AutoCloseAfter == 0 {
		cfg.AutoCloseAfter = 7 * 24 * time.Hour
	}
	if cfg.SLA == nil {
		cfg.SLA = sla.DefaultPolicy()
	}
	if err := cfg.SLA.Validate(); err != nil {
		return nil, err
	}
	if err := checkSLADefinitions(cfg.SLADefinitions, cfg.Lifecycle); err != nil {
		return nil, err
	}
	if cfg.FirstContactWindow == 0 {
		cfg.FirstContactWindow = 30 * time.Minute
	}
	if cfg.FirstContactWindow < 0 {
		return nil, &itil.ValidationError{Field: "FirstContactWindow", Reason: "must not be negative"}
	}
	if cfg.EscalationLevels == 0 {
		cfg.EscalationLevels = 3
	}
	if cfg.MaxTier == 0 {
		cfg.MaxTier = 3
	}
	if cfg.EscalationLevels < 1 {
		return nil, &itil.ValidationError{Field: "EscalationLevels", Reason: "levels start at 1"}
	}
	if cfg.MaxTier < 1 {
		return nil, &itil.ValidationError{Field: "MaxTier", Reason: "tiers start at 1"}
	}
	if cfg.Retries == 0 {
		cfg.Retries = 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Lifecycle.Name() != Kind {
		return nil, &itil.ValidationError{Field: "Lifecycle", Reason: fmt.Sprintf("lifecycle is named %q, want %q", cfg.Lifecycle.Name(), Kind)}
	}
	if err := checkLifecycle(cfg.Lifecycle); err != nil {
		return nil, err
	}
	d := &Desk{cfg: cfg, codes: make(map[string]bool)}
	d.drafts.New = func() any { return new(Incident) }
	d.assignEventFn = d.assignEvent
	pr, err := newPager(cfg.Paging)
	if err != nil {
		return nil, err
	}
	d.pager = pr
	for i, c := range cfg.ResolutionCodes {
		if c == "" {
			return nil, &itil.ValidationError{Field: fmt.Sprintf("ResolutionCodes[%d]", i), Reason: "empty code"}
		}
		d.codes[c] = true
	}
	def, err := cfg.Lifecycle.With(lifecycle.WithGuard(d.guard), lifecycle.WithHook(d.enter), lifecycle.WithHook(d.stopPaging))
	if err != nil {
		return nil, err
	}
	d.def = def
	d.initial = def.Initial()
	d.proc, err = lifecycle.NewProcess[Incident](st, def, lifecycle.ProcessConfig{
		Prefix: "INC", Authorizer: cfg.Authorizer, Now: cfg.Now, Retries: cfg.Retries,
	})
	if err != nil {
		return nil, err
	}
	d.Records = d.proc.Records()
	return d, nil
}

// ResolutionCodes returns the codes Resolve accepts.
func (d *Desk) ResolutionCodes() []string { return slices.Clone(d.cfg.ResolutionCodes) }

// Lifecycle returns the definition the desk runs, with its guards and hooks.
func (d *Desk) Lifecycle() *lifecycle.Definition { return d.def }

// Note is a work note or a caller-visible comment, read from the journal.
type Note struct {
	At     time.Time
	By     itil.Actor
	Text   string
	Public bool // a comment the caller sees; otherwise a work note
}

// Notes yields the incident's notes, oldest first: every journaled change
// that carries text. With public set, only caller-visible comments.
func (d *Desk) Notes(ctx context.Context, id uuid.UUID, public bool) iter.Seq2[Note, error] {
	return func(yield func(Note, error) bool) {
		for c, err := range d.proc.Journal(ctx, id) {
			if err != nil {
				yield(Note{}, err)
				return
			}
			if c.Note == "" || (public && !c.Public) {
				continue
			}
			if !yield(Note{At: c.At, By: c.Actor, Text: c.Note, Public: c.Public}, nil) {
				return
			}
		}
	}
}

// now returns the desk's current time.
func (d *Desk) now() time.Time { return d.cfg.Now() }
