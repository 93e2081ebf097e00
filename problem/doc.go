// Package problem is ITIL problem management: find and remove the causes of
// incidents. A Manager over a lifecycle.Store works with an incident.Desk: it
// logs problems, links them to incidents (many incidents to one problem,
// journaled on both sides), records root causes and workarounds, keeps the
// known error database, finds recurring incidents that no problem covers yet,
// and resolves or notifies the incidents when a problem's fix is delivered.
//
//	mgr, err := problem.NewManager(st, desk, problem.Config{OnResolve: problem.ResolveIncidents})
//	p, err := mgr.Open(ctx, problem.Draft{Title: "VPN gateway drops tunnels",
//		Impact: itil.ImpactHigh, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"},
//		Incidents: []uuid.UUID{inc.ID}, By: carol})
//	p, err = mgr.PublishWorkaround(ctx, p.ID, "reconnect with the web VPN", carol)
//	p, err = mgr.RecordCause(ctx, p.ID, problem.Cause{RootCause: "memory leak in firmware 4.2"}, carol)
//	p, err = mgr.StartFix(ctx, p.ID, problem.Fix{Description: "firmware 4.3", Change: chg}, carol)
//	p, err = mgr.Resolve(ctx, p.ID, problem.Fix{}, carol)
//
// # Lifecycle
//
// The default lifecycle is new → assess → root_cause_analysis →
// fix_in_progress → resolved → closed; a problem under assessment may be
// closed as a duplicate, one under analysis by accepting the risk, and a
// resolved or closed one goes back to analysis when its incidents come back
// (see DefaultLifecycle). Closing needs a resolution code: fix_applied,
// risk_accepted, duplicate or canceled by default. A host may extend the
// lifecycle with its own states ("awaiting_change"); the manager reasons
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
// caller sees. The search runs on an in-memory word index that the manager
// builds from the store when it starts and keeps up to date with every change
// it makes; hosts where several managers share a store call Reindex.
//
// # Recurring incidents
//
// Recurring finds incidents that share a CI or a category, at least N in a
// time window, that no problem covers yet, and proposes a problem for each
// group; OpenProposal opens one and links its incidents, ProposeAll opens
// them all.
//
// # Linking both sides
//
// A link lives on the problem (Problem.Incidents) and on the incident
// (incident.Incident.Problems), each journaled by its own process. The
// incident's side is written first; if the problem's side then fails, the
// incident's is undone, so that a failure leaves no one-sided link. Work on
// incidents that follows a change to the problem — comments with a
// workaround, resolving or notifying them on resolution — is best effort:
// the problem's change stands, and what fails is logged.
package problem
