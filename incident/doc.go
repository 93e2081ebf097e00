// Package incident is ITIL incident management: restore service as fast as
// possible. A Desk over a lifecycle.Store opens incidents with a priority
// from impact × urgency, assigns and escalates them, runs their response and
// resolution SLA clocks on business calendars, handles major incidents and
// parent/child outages, resolves, reopens and closes them, and measures the
// desk (MTTA, MTTR, SLA attainment, backlog, reopen and first-contact rates).
//
//	desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{})
//	inc, err := desk.Open(ctx, incident.Draft{Title: "VPN down", Caller: alice,
//		Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh, CIs: []string{"vpn-gw-1"}})
//	inc, err = desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: dispatcher,
//		Group: "network", Assignee: "bob"})
//	inc, err = desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, Version: inc.Version,
//		By: bob, Note: "restarted the gateway", Code: "solved_permanently"})
//
// Every command takes ctx and one params struct whose first fields are
// those of Params: ID, Version (non-zero: fail with lifecycle.ErrConflict
// and write nothing if the incident changed since), By, Note and Fields
// (custom fields the lifecycle declares). Get, GetByNumber and Journal
// read, Find queries: a Query's fields AND, the values of one field OR.
//
// The default lifecycle is new → assigned → in_progress ⇄ on_hold → resolved
// → closed, with reopen, cancel and first-contact resolution (see
// DefaultLifecycle). A host may extend it with its own states ("awaiting
// vendor"); the desk reasons about states by category — it pauses the SLA in
// any paused state, resolves through whichever event leads to a resolved
// state — so the host's states work without code. ParseLifecycle reads
// such an extension from JSON, with custom fields that its states may
// require; Desk.Fire fires its events, with the fields in
// lifecycle.FireParams.Fields.
//
// # Assignment rules
//
// With Config.Assignment (lifecycle/assign), an incident opened without a
// group goes to the group of the first rule it meets (category, the
// classes and services of its CIs through Config.Classifier, priority,
// channel), and to the person the rule's strategy chooses: round robin,
// taken in the store so that desks sharing it take turns in one order;
// the least loaded by open incidents; or the least loaded of those with
// the rule's skills. The creation's journal note names the rule. Assign
// to a group without an assignee asks the group's first rule.
//
// # Configuration items
//
// A CMDB tells the desk what an incident's CIs mean, through two small
// interfaces that package cmdb's Graph implements: Config.Services
// (ServiceImpact) records on the incident the business services its CIs'
// outage affects (Incident.Services, found by Query.Service), on Open and
// on AddCIs; Config.Owners assigns an incident opened without a group,
// which no assignment rule takes, to the group that supports its first
// known CI: facilities management for a cooling unit, technical management
// for a server, application management for a database, unless the CI
// names its own owner group.
//
//	g := registry.Graph()
//	desk, err := incident.NewDesk(st, incident.Config{Services: g, Owners: g, Classifier: g})
//
// # Errors
//
// Every error is in one class of lifecycle.Class: bad input is a
// *itil.ValidationError naming the field (itil.ErrInvalid); a stale
// Version is lifecycle.ErrConflict; a state that does not allow the
// command is a *lifecycle.TransitionError, and ErrCycle, ErrWindowPassed
// and *WindowError are lifecycle.ErrRefused; the Authorizer's refusal is
// lifecycle.ErrForbidden; a missing incident lifecycle.ErrNotFound.
//
// Every change is journaled by the kernel: who, when, what, which fields. Work
// notes and caller-visible comments are journal entries too (see Notes), so a
// record stays small however long its history. SLA warnings and breaches are
// raised once each, by the transition or the Sweep that first sees them, as
// fields "sla.response" or "sla.resolution" of that journal entry, valued
// "warning", "breach", or "warning+breach" when a sweep finds both due at
// once (it is then named "sla_breach": subscribe to both events).
//
// # Reactions
//
// Work that must follow a change to an incident runs from the log, not
// from the caller's request: Reactions returns the subscriptions for the
// host to run on a lifecycle.Dispatcher over the desk's store.
//
//	disp, err := lifecycle.NewDispatcher(st, desk.Reactions(), lifecycle.DispatcherConfig{})
//	go disp.Run(ctx) // or disp.Drain(ctx) after the writes of a command-line tool
//
// ReactionCascade resolves the open children of an incident that enters a
// resolved state. Resolve already does so in its own request, as far as it
// can; the reaction retries whatever failed there until it is done, after a
// restart too, and resolves each child once however often the parent's
// change is delivered. A host that runs no dispatcher keeps the fast path
// and Sweep, which resolves the children of resolved parents it finds open.
//
// # Text
//
// Every text the desk takes is refused, never altered, when it is not
// valid UTF-8, holds a NUL byte or is longer than its limit (MaxTitle,
// MaxText and the others), counted in characters: a *itil.ValidationError
// names the field.
package incident
