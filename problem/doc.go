// Package problem is ITIL problem management: find and remove the causes of
// incidents. A Manager over a lifecycle.Store works with an incident desk
// (Desk, which *incident.Desk implements) over the same store: it logs
// problems, links them to incidents (many incidents to one problem,
// journaled on both sides), records root causes and workarounds, keeps the
// known error database, finds recurring incidents that no problem covers
// yet, and resolves or notifies the incidents when a problem's fix is
// delivered.
//
//	mgr, err := problem.NewManager(st, desk, problem.Config{OnResolve: problem.ResolveIncidents})
//	disp, err := lifecycle.NewDispatcher(st, mgr.Reactions(), lifecycle.DispatcherConfig{})
//	go disp.Run(ctx)  // the work on incidents that follows a change
//	p, err := mgr.Open(ctx, problem.Draft{Title: "VPN gateway drops tunnels",
//		Impact: itil.ImpactHigh, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"},
//		Incidents: []uuid.UUID{inc.ID}, By: carol})
//	p, err = mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol,
//		Workaround: "reconnect with the web VPN"})
//	p, err = mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol,
//		Cause: problem.Cause{RootCause: "memory leak in firmware 4.2"}})
//	p, err = mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, Version: p.Version, By: carol,
//		Fix: problem.Fix{Description: "firmware 4.3", Change: chg}})
//	p, err = mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
//
// # Calling the manager
//
// Every command takes ctx and one params struct: Params, the kernel's
// lifecycle.Params, for a command with no inputs of its own (Assess,
// Analyze, AcceptRisk, Cancel, Reanalyze, Edit), else XxxParams, which
// starts with the same five fields. ID is the problem; Version, when not
// zero, the version the caller read, so that a problem changed since fails
// with lifecycle.ErrConflict and nothing is written (zero acts on the
// latest version, retrying after a concurrent change); By is who acts;
// Note is journaled with the change (it is the reason of AcceptRisk,
// Cancel and Reanalyze); Fields sets custom fields. Get, GetByNumber,
// Journal and Find read.
//
// # Errors
//
// Every error is in exactly one of the kernel's classes, matched with
// errors.Is (lifecycle.Class tells which): itil.ErrInvalid for bad input
// (a *itil.ValidationError naming the field), lifecycle.ErrForbidden from
// the manager's or the desk's Authorizer, lifecycle.ErrNotFound for an
// unknown problem or incident, lifecycle.ErrConflict for a stale Version
// or a concurrent change that won every retry, and lifecycle.ErrRefused
// for what the problem's state does not allow (*lifecycle.TransitionError).
// The package declares no error of its own.
//
// # Lifecycle
//
// The default lifecycle is new → assess → root_cause_analysis →
// fix_in_progress → resolved → closed; a problem under assessment may be
// closed as a duplicate, one under analysis by accepting the risk, and a
// resolved or closed one goes back to analysis when its incidents come back
// (see DefaultLifecycle). Closing needs a resolution code: fix_applied,
// risk_accepted, duplicate or canceled by default. A host may extend the
// lifecycle with its own states ("awaiting_change") and custom fields, in
// code (Definition.Extend) or in JSON that "extends": "problem"
// (ParseLifecycle), and fire its own events with Fire; the manager reasons
// about states by category — it resolves through whichever event leads to a
// resolved state, refuses to resolve without a root cause in any resolved
// state, and takes workarounds only while a problem is open or paused — so
// the host's states work without code.
//
// # Known errors
//
// A problem becomes a known error as soon as its root cause or a workaround
// is recorded, before the fix. Known errors are searched by words of the
// symptom, CI and category (Search), and an incident desk asks Match when an
// incident opens: "is there a known error for this?" — then LinkIncident
// links the incident, and PublishWorkaround later reaches it as a comment its
// caller sees. The search runs on an in-memory word index that follows the
// store's log (a lifecycle.Projection): every Search and Match first reads
// what the log gained since the last one, so a known error recorded on one
// host is found on every host sharing the store at once. NewManager reads
// nothing; Start reads the log ahead of the first question, which is
// optional.
//
// # Recurring incidents
//
// Recurring finds incidents that share a CI, a category or an affected
// business service (as the incident desk records them from a CMDB, see
// incident.Config.Services), at least N in a time window, that no problem covers yet, and proposes a problem for each
// group; OpenProposal opens one and links its incidents, ProposeAll opens
// them all.
//
// # Assignment rules
//
// With Config.Assignment (lifecycle/assign), a problem opened without a
// group goes to the group of the first rule it meets (category, the
// classes and services of its CIs through Config.Classifier, priority),
// and to the owner the rule's strategy chooses — round robin taken in the
// store, least loaded by open problems, or by skills — named in the
// creation's journal note; Assign to a group without an owner asks the
// group's first rule.
//
// # Linking both sides
//
// A link lives on the problem (Problem.Incidents) and on the incident
// (incident.Incident.Problems), each journaled by its own process, and both
// are saved in one commit (lifecycle.Atomic, with the desk's LinkIn): a
// refusal or a failure on either side writes nothing at all. Open saves a
// new problem and the links of its draft's incidents in one commit too.
//
// # Reactions
//
// Work on incidents that follows a change to a problem — a comment with a
// published workaround, resolving or notifying them when the fix is
// delivered — is not done in the caller's request. Reactions returns the
// subscription that does it from the store's log (ReactionIncidents,
// "problem.incidents"), for the host's lifecycle.Dispatcher: it starts
// after the problem's commit whatever becomes of the caller's context, is
// retried while the desk fails, resumes after a restart, and applies each
// effect once however often a change is delivered. A host that runs no
// dispatcher in the background calls Dispatcher.Drain after its writes.
//
// # Input
//
// Every text the manager takes is refused, with a *itil.ValidationError
// naming the field, when it is not valid UTF-8, holds a NUL character, or
// is longer than its limit in characters (MaxTitle, MaxName, MaxText); it
// is kept as it was given otherwise. A refused call leaves the problem, its
// incidents, their journals and the log as they were.
package problem
