// Package change is ITIL change enablement: changes proposed, assessed for
// risk, authorized by the approvers their risk calls for, scheduled around
// freeze windows and one another, implemented, reviewed and closed; the
// change calendar and its iCalendar export; and the view that tells package
// event whether a CI is in an approved implementation window.
//
//	g := registry.Graph() // package cmdb's
//	m, err := change.NewManager(st, change.Config{Topology: g, Services: g})
//	c, err := m.Propose(ctx, change.Draft{By: alice, Title: "Upgrade PostgreSQL 16 → 17",
//		CIs: []string{"db-1"}, Impact: itil.ImpactMedium,
//		ImplementationPlan: "…", BackoutPlan: "…"})
//	c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodMedium})
//	c, err = m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
//	c, err = m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol, Note: "tested on staging"})
//	res, err := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: w, Implementer: "bob"})
//	c, err = m.Implement(ctx, change.Params{ID: c.ID, By: bob})
//	c, err = m.RecordOutcome(ctx, change.OutcomeParams{ID: c.ID, By: bob, Outcome: change.Successful})
//	c, err = m.Close(ctx, change.Params{ID: c.ID, Version: c.Version, By: bob})
//
// # Calling the Manager
//
// Every command takes ctx and one params struct, and returns the change
// as stored (Schedule returns it in a ScheduleResult, with the conflicts
// and freezes it found). Every params struct starts with the same five
// fields: ID (the change), Version (the version the caller read: a
// change changed since fails with lifecycle.ErrConflict and nothing is
// written; zero acts on the latest, retrying after a concurrent write), By
// (who acts), Note (journaled with the step; an approver's comment, a
// cancellation's reason) and Fields (custom fields, as the type's
// lifecycle declares them). Params, the kernel's lifecycle.Params, is all
// that Implement, Close, Cancel, RevertToNew and Edit take. A Draft
// carries ID (optional), By, Note and Fields too. Get, GetByNumber and
// Journal come from the embedded lifecycle.Records; Find takes a Query,
// whose fields AND and whose values of one field OR.
//
// A host adds states, events and custom fields to a type's lifecycle in
// JSON that extends the default by the type's name (ParseLifecycle), and
// fires its own events with Fire.
//
// # Types and their lifecycles
//
// Every change is a record of kind "change", numbered CHG0000001 from one
// sequence, but each Type follows its own lifecycle.Definition:
//
//	normal     new → assess → authorize → scheduled → implement → review → closed
//	standard   new → scheduled → implement → review → closed   (a Template pre-approves it)
//	emergency  new → authorize → scheduled → implement → review → closed   (the emergency CAB)
//
// The Manager runs one lifecycle.Process per type over the one store and
// picks the process by the record's type, which never changes. One
// definition holding every state, with guards per type, was the other
// choice; separate definitions keep each type's diagram what its people
// see, and an event a type does not have fails as a *lifecycle.TransitionError
// rather than as a guard's refusal. Hosts extend a type's definition (a
// "peer_review" state for normal changes, say) and pass it in Config; the
// Manager works by event names and state categories, so extended states do
// not break it.
//
// Changes are cancelled before implementation. Reverting to new from
// assess or authorize cancels a pending approval round; a rejected round
// sends the change back to new as well. An implementation ends with an
// Outcome — successful, failed or backed out — and the change goes to
// review; a failed or backed-out change and every emergency change must
// pass Review before Close.
//
// # Risk and approval
//
// Assess turns a questionnaire's weighted answers (Config.Questionnaire), or
// impact × likelihood (Config.RiskMatrix), into low, moderate or high risk.
// The risk picks the approval rule from Config.Approvals, an
// approval.Matrix keyed by risk (approval.MatrixOf a map[Risk]approval.Rule);
// emergency changes use Config.EmergencyApprovals. The default rules name
// the groups approval.GroupChangeManagers, approval.GroupCAB and
// approval.GroupECAB. Rounds
// are decided by package approval: all, any, quorum or majority, optionally
// rejected on the first rejection, with approver groups and segregation of
// duties — the requester and the implementer may not decide
// (*approval.SegregationError). Each decision is journaled with its
// comment. Schedule and Implement refuse an unapproved change with an
// *ApprovalError.
//
// The business services a change puts at risk count, as a change manager
// reads them off the CMDB: with Config.Services the change records the
// services an outage of its CIs would affect (Change.Services, journaled,
// found by Query.Service) when it is proposed, when its CIs change and at
// every assessment, and the Assessment records them too. When the
// ServiceImpact also tells criticality (Criticality), the widest impact an
// outage of the change's CIs has is a floor: the matrix reads the wider of
// the change's impact and that, and whatever the method the risk is at
// least what the matrix gives that impact at low likelihood
// (Assessment.Floor). With the default matrix, a change whose CIs take
// down a business service of high criticality is never low risk.
//
// # Schedule, freezes and conflicts
//
// Freeze windows are one-off or recur by an iCalendar RRULE (Weekly is the
// common case), for every CI, for some, or for the CIs under some business
// services: a freeze that names services (Freeze.Services) covers every CI
// whose outage would affect one of them, as Config.Services tells it when
// a window is judged, and its hits name the services (FreezeHit.Services).
// Schedule refuses a normal or standard change inside one with a
// *FreezeError and lets an emergency change in with a warning, which it
// returns, logs and keeps in Change.Warnings. CheckFreezes (and Start)
// refuse a freeze naming a service the CMDB does not know; one that gets
// used all the same covers every change.
//
// Schedule also reports conflicts: other changes whose windows overlap on
// the same CI, on a CI upstream or downstream of it (through the host's
// Topology) or with the same implementer double-booked;
// Config.RefuseConflicts turns them into a *ConflictError. A plain
// Topology relates a CI to its direct parents and children only. One that
// is also a Dependencies (Ancestors and Descendants, found by a type
// assertion; cmdb.Graph is one) relates it to everything it depends on and
// everything that depends on it, however many hops away: a change to a
// rack's power conflicts with a change to an application on a VM on a
// server in the rack. ConflictParent and ConflictChild keep their names for
// upstream and downstream; Conflict.Transitive and Conflict.String tell a
// parent ("on parent vm-1 of app-1") from an ancestor ("on rack-1
// upstream of app-1").
//
// The calendar is a lifecycle.Projection of the store's log: every active
// change with a window, in interval trees by CI and by implementer, in the
// Manager's memory, replayed from the log and caught up with it before
// every answer from it (Conflicts, Calendar, Windows, Schedule), so that a
// change any host scheduled is on every host's calendar at once. A
// conflict check costs O(log n + k) for k conflicts, whatever the
// calendar's size, plus reading what the log gained since the last one.
// NewManager reads nothing; Start reads the log at start-up (optional: the
// first answer does it otherwise), and Run keeps the calendar warm.
//
// Conflicts are refused in the store, not in memory: Schedule judges the
// window and saves the change in one commit that takes a calendar lock
// (lifecycle.Lock) for each CI it looks in (the change's own CIs, and
// every CI the Topology relates to them, however far) and for the
// implementer, and every write that puts a change on the calendar or
// moves it takes the locks of its own CIs and implementer. Of two changes
// scheduled over each other at once, on one host or on several, one
// commits first and the other runs again and sees it: under
// Config.RefuseConflicts exactly one of them is scheduled. The guarantee
// is relative to the topology as each Schedule reads it; the more a
// change looks in, the more it locks.
//
// Calendar lists the changes in a range, by CI or implementer; WriteICS
// writes them, with the freezes, as an .ics file. Recurrence rules are
// expanded by github.com/teambition/rrule-go and the file is written by
// github.com/emersion/go-ical, which is built on it. Windows().Active answers
// "is this CI, or a CI it depends on (a parent, or with Dependencies every
// ancestor), in an approved change's window now?" and names
// the change; package event asks the same through its own ChangeWindows
// interface (InChangeWindow, which *Windows has) to suppress the alerts a
// change causes.
//
// # Errors
//
// Every error is in one of the kernel's classes (lifecycle.Class, and
// lifecycle.HTTPStatus to answer it). Refused, lifecycle.ErrRefused: a
// *FreezeError (ErrFrozen), an *ApprovalError (ErrNotApproved), a
// *ConflictError (ErrConflicts, a window over other changes' windows, not
// a stale version), the kernel's *lifecycle.TransitionError, and
// approval.ErrClosed and approval.ErrAlreadyDecided. Forbidden,
// lifecycle.ErrForbidden: *approval.SegregationError (approval.ErrSegregation)
// and approval.ErrNotApprover. Conflict: lifecycle.ErrConflict. Not found:
// lifecycle.ErrNotFound. Invalid, itil.ErrInvalid: a *itil.ValidationError
// naming the bad field. Compare with errors.Is and errors.As. A refused
// step changes nothing: not the record, not its journal, not the log.
//
// # Texts
//
// Every text the Manager takes (titles, descriptions, plans, CIs, names,
// notes, comments, queries, templates, freezes, questionnaires) must be
// valid UTF-8 without a NUL character, and no longer than its limit in
// characters: MaxTitleLength, MaxNameLength, MaxNoteLength or
// MaxTextLength. A text that is not is refused with a *itil.ValidationError
// naming its field, the same way on every store, never altered. A query
// value that names something (a CI, a state, an approval slot, a link)
// must name it: a blank one is refused rather than matched against
// nothing.
package change
