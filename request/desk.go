package request

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/sla"
)

// Directory tells whether a user exists, for variables of kind user.
// Implementations must be safe for concurrent use.
type Directory interface {
	// UserExists reports whether id names a user. An error aborts the
	// order; it is not taken for "no such user".
	UserExists(ctx context.Context, id string) (bool, error)
}

// FailurePolicy says what a failed fulfilment task does to its request.
type FailurePolicy int8

// failurePolicyNames are the policies' names, for String and Valid.
var failurePolicyNames = itil.Names[FailurePolicy]{Field: "OnTaskFailure", List: []string{"hold", "continue"}}

// String returns "hold" or "continue".
func (p FailurePolicy) String() string { return failurePolicyNames.String(p) }

// Valid reports whether p is one of the defined policies.
func (p FailurePolicy) Valid() bool { return failurePolicyNames.Valid(p) }

// The failure policies.
const (
	// HoldOnFailure keeps the request in fulfilment, with a note in its
	// journal, until the failed task is retried and done. The zero value.
	HoldOnFailure FailurePolicy = iota
	// ContinueOnFailure counts a failed task as finished: the tasks after
	// it open, and the request is fulfilled with a note naming the failed
	// tasks.
	ContinueOnFailure
)

// Params is what a command with no inputs of its own takes (Close, Edit):
// the record acted on, the version read, who acts, a note and custom
// fields. Every params struct of the desk starts with these five fields.
type Params = lifecycle.Params

// Config configures a Desk. The zero value means the defaults.
type Config struct {
	// Catalog is the service catalog orders are made from. Default an
	// empty catalog, for the host to fill through Desk.Catalog.
	Catalog *Catalog
	// Lifecycle is the request lifecycle. Default DefaultLifecycle(). A
	// host's extended definition works as long as it keeps the default's
	// states and events.
	Lifecycle *lifecycle.Definition
	// Calendars are the calendars that items' SLA targets name. A target
	// with no calendar runs 24x7 in UTC.
	Calendars map[string]*sla.Calendar
	// WarnPercent is the share of an SLA target after which it warns;
	// default sla.DefaultWarnPercent.
	WarnPercent int
	// Directory, when set, checks the users that variables of kind user
	// name.
	Directory Directory
	// OnTaskFailure says what a failed task does; default HoldOnFailure.
	OnTaskFailure FailurePolicy
	// Assignment, when set, assigns fulfilment tasks when they are
	// created: a task whose template names no group goes to the group of
	// the first rule its request line meets (the item's category, and for
	// an access item the service it grants; requests carry no priority,
	// channel or CIs, so rules on those never match a task), and a task
	// with a group but no assignee to the person the group's first rule
	// chooses. AssignTask to a group without an assignee asks the group's
	// rule too. The rule is named in the task's journal note; the load of
	// least-loaded and skills strategies is a person's unfinished
	// (pending, open or in progress) tasks.
	Assignment *assign.Rules
	// AutoCloseAfter is how long a fulfilled request waits before Sweep
	// closes it. Default 5 days; negative means never.
	AutoCloseAfter time.Duration
	// RepairAfter is how long a request may sit between two steps
	// (submitted, approved) before Sweep takes the next step itself. The
	// desk takes such steps in one commit, so only a store written by an
	// earlier release, which took them one commit at a time, holds such
	// requests. Default one minute.
	RepairAfter time.Duration
	// Authorizer, when set, is asked before every change of requests,
	// tasks and grants.
	Authorizer lifecycle.Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives what Sweep repairs: a request or grant it found
	// left between two steps. Default slog.Default().
	Logger *slog.Logger
}

// Desk is request fulfilment over a lifecycle.Store: orders from the
// catalog, their approval, their fulfilment tasks, and the access grants
// they issue. It is safe for concurrent use.
//
// Commands take a params struct whose first fields are those of Params
// (see the package documentation). Methods return *itil.ValidationError
// for bad input (naming the field), *lifecycle.TransitionError when the
// record's state does not allow the action and the desk's own refusals
// (ErrRetired, ErrNotCancellable, ErrNotInFulfilment), all of class
// lifecycle.ErrRefused; lifecycle.ErrNotFound; lifecycle.ErrForbidden
// (from the Authorizer, segregation of duties, or an actor who is not the
// requester); and lifecycle.ErrConflict for a Version that is not the
// record's, or when a concurrent change won every retry. A method that
// fails has changed nothing.
type Desk struct {
	// Records gives the desk its Get and Journal: the Journal of a task
	// or a grant too, by its ID.
	lifecycle.Records[*Request]

	cfg    Config
	def    *lifecycle.Definition
	proc   *lifecycle.Process[*Request]
	tasks  *lifecycle.Process[*Task]
	grants *lifecycle.Process[*Grant]
	sys    itil.Actor
	// sweeper is who Sweep acts as.
	sweeper itil.Actor
}

// NewDesk returns a desk over st. It checks all of cfg, and reports the
// first problem as a *itil.ValidationError naming the field: a lifecycle
// of another name, without a state of the default, with another initial
// state, or lacking a transition the desk fires (approve from submitted,
// say); a WarnPercent outside 0 to 100; a calendar without a name or a
// value; an item of the catalog whose SLA names a calendar not in
// Calendars; an item with a task template that names no group and that
// no rule of Assignment gives one ("Catalog[ID].tasks[N].group"); an
// undefined OnTaskFailure; a negative RepairAfter. It does no I/O.
func NewDesk(st lifecycle.Store, cfg Config) (*Desk, error) {
	if cfg.Catalog == nil {
		cfg.Catalog = &Catalog{}
	}
	if cfg.Lifecycle == nil {
		cfg.Lifecycle = DefaultLifecycle()
	}
	if err := checkLifecycle(cfg.Lifecycle); err != nil {
		return nil, err
	}
	if cfg.WarnPercent < 0 || cfg.WarnPercent > 100 {
		return nil, &itil.ValidationError{Field: "WarnPercent", Reason: "must be between 1 and 100 (0 means the default)"}
	}
	for name, c := range cfg.Calendars {
		if name == "" || c == nil {
			return nil, &itil.ValidationError{Field: "Calendars[" + name + "]", Reason: "a calendar needs a name and a value"}
		}
	}
	for it := range cfg.Catalog.Browse("") {
		if it.SLA == nil {
			continue
		}
		for _, t := range [...]struct{ clock, calendar string }{{"response", it.SLA.Response.Calendar}, {"resolution", it.SLA.Resolution.Calendar}} {
			if _, ok := cfg.Calendars[t.calendar]; t.calendar != "" && !ok {
				return nil, &itil.ValidationError{Field: "Catalog[" + it.ID + "].sla." + t.clock + ".calendar",
					Reason: fmt.Sprintf("no calendar %q in Calendars", t.calendar)}
			}
		}
	}
	for it := range cfg.Catalog.Browse("") {
		if err := checkAssignable(cfg.Assignment, &it); err != nil {
			return nil, prefixed("Catalog["+it.ID+"].", err)
		}
	}
	if !cfg.OnTaskFailure.Valid() {
		return nil, &itil.ValidationError{Field: "OnTaskFailure", Reason: fmt.Sprintf("undefined policy %d", cfg.OnTaskFailure)}
	}
	if cfg.AutoCloseAfter == 0 {
		cfg.AutoCloseAfter = 5 * 24 * time.Hour
	}
	if cfg.RepairAfter == 0 {
		cfg.RepairAfter = time.Minute
	}
	if cfg.RepairAfter < 0 {
		return nil, &itil.ValidationError{Field: "RepairAfter", Reason: "must not be negative"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	d := &Desk{cfg: cfg, sys: itil.System("request-desk"), sweeper: itil.System("request-sweep")}
	def, err := cfg.Lifecycle.With(lifecycle.WithGuard(d.guard), lifecycle.WithHook(d.enter))
	if err != nil {
		return nil, err
	}
	d.def = def
	pc := lifecycle.ProcessConfig{Authorizer: cfg.Authorizer, Now: cfg.Now}
	pc.Prefix = "REQ"
	if d.proc, err = lifecycle.NewProcess[Request](st, def, pc); err != nil {
		return nil, err
	}
	d.Records = d.proc.Records()
	taskDef, err := TaskLifecycle().With(lifecycle.WithHook(enterTask))
	if err != nil {
		return nil, err
	}
	pc.Prefix = "TSK"
	if d.tasks, err = lifecycle.NewProcess[Task](st, taskDef, pc); err != nil {
		return nil, err
	}
	grantDef, err := GrantLifecycle().With(lifecycle.WithHook(enterGrant))
	if err != nil {
		return nil, err
	}
	pc.Prefix = "GRT"
	if d.grants, err = lifecycle.NewProcess[Grant](st, grantDef, pc); err != nil {
		return nil, err
	}
	return d, nil
}

// Catalog returns the desk's catalog.
func (d *Desk) Catalog() *Catalog { return d.cfg.Catalog }

// Lifecycle returns the request lifecycle the desk runs, with its guards
// and hooks.
func (d *Desk) Lifecycle() *lifecycle.Definition { return d.def }

func (d *Desk) now() time.Time { return d.cfg.Now() }
