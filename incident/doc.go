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
// # Paging
//
// With Config.Paging the desk pages people by escalation policies
// (lifecycle/escalation) over on-call schedules (lifecycle/oncall): the
// first of its rules that an incident matches, by priority, group and
// service, chooses the policy. The incident starts paging when it is
// opened, or when its priority is raised to one a rule matches: the first
// level's page goes out at once, and while nobody acknowledges, Sweep
// pages the next level after the level's delay, and the whole policy
// again as often as it repeats. A schedule target reaches the person on
// call at the instant the page is due. Acknowledge stops the paging;
// resolving, closing or cancelling the incident stops it too.
//
//	p1, err := escalation.New(escalation.Config{Name: "p1", Levels: []escalation.Level{
//		{Targets: []escalation.Target{{Schedule: "network"}}, Delay: 15 * time.Minute},
//		{Targets: []escalation.Target{{Schedule: "managers"}, {Group: "duty"}}},
//	}})
//	desk, err := incident.NewDesk(st, incident.Config{Paging: incident.Paging{
//		Policies:  []*escalation.Policy{p1},
//		Schedules: escalation.Schedules{"network": network, "managers": managers},
//		Rules:     []incident.PagingRule{{Priorities: []itil.Priority{itil.P1}, Policy: "p1"}},
//	}})
//	rep, err := desk.Sweep(ctx, now) // rep.Pages
//	inc, err = desk.Acknowledge(ctx, incident.Params{ID: inc.ID, By: ann})
//
// Each page is a change named "page" in the incident's journal, written
// once with compare-and-set however many desks sweep the store, and
// delivered through the outbox to the notifiers subscribed to it
// (escalation.PageOf reads the page from the change). The escalation
// lives in the incident (Incident.Paging), so a restarted desk pages the
// next level when it falls due, not the first again.
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
// # SLA definitions
//
// Config.SLADefinitions (sla.Definitions, from Go values or JSON) replaces
// the policy's response and resolution clocks with the clocks of SLA and
// OLA definitions, kept in Incident.SLATimers: conditions on priority,
// category, business services (Incident.Services) and CI classes (through
// Config.Classifier); start, pause and stop by state category or name;
// retroactive starts; a target per priority on a calendar; OLAs that run
// while their group holds the incident; and actions at thresholds.
// Policy.Definitions converts a policy, journaling as the policy does.
//
//	defs, err := sla.NewDefinitions(sla.DefinitionsConfig{Definitions: []sla.Definition{{
//		Name: "ola-network", Type: sla.OLA, Group: "network",
//		Stop:   sla.Condition{Categories: []lifecycle.Category{lifecycle.Resolved}},
//		Target: sla.Target{Within: 2 * time.Hour},
//		Thresholds: []sla.Threshold{{Percent: 75, Actions: []sla.Action{{Do: sla.Notify, To: "network-lead"}}},
//			{Percent: 100, Actions: []sla.Action{{Do: sla.Escalate, To: "network-2nd"}}}},
//	}}})
//	desk, err := incident.NewDesk(st, incident.Config{SLADefinitions: defs})
//
// The clocks follow the incident on Open, after every transition and on
// every Sweep. A change without a transition (a reassignment or an
// escalation of an incident in progress, CIs added) reaches them at the
// next transition or Sweep, which brings them the facts as of the
// incident's last update first. A clock's status is journaled as
// "sla.<name>.status" when it changes, and its outcome, once it stops, as
// "sla.<name>.outcome" → "met" or "breached": an OLA stops when its group
// hands the incident on, and runs on against the same target if the
// incident comes back. Each threshold is raised once per clock, by whichever change or
// sweep first sees it, across hosts (compare-and-set), journaled as
// "sla.<name>" → "warning" or "breach" with "sla.<name>.threshold" → "75",
// and its actions run in the same change: Notify journals
// "sla.<name>.<percent>.notify" → who is told, for a notifier to deliver;
// RaisePriority raises the priority one step, to P1 at most (impact and
// urgency stay), and the clocks follow the new priority's targets; Reassign hands the incident
// to the group, the assignee cleared and the reassignment counted;
// Escalate does what EscalateFunctional does, one tier up (at most
// Config.MaxTier), to the group. Actions but Notify run only while the
// incident is open or paused. SweepReport.Actions counts them. NewDesk
// refuses definitions naming a state the lifecycle lacks. Metrics still
// read the policy's clocks.
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
