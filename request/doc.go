// Package request is ITIL request fulfilment: a service catalog that
// portals browse and search, orders of catalog items with typed variables,
// their approval, the fulfilment tasks that carry them out, and access
// management — grants of roles on services, their expiry and revocation.
//
//	cat, err := request.NewCatalog(laptop, erpAccess)   // items validated on Add
//	desk, err := request.NewDesk(memstore.New(memstore.Config{}), request.Config{Catalog: cat})
//	req, err := desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
//		{Item: "laptop", Values: map[string]string{"ram": "32", "os": "linux"}}}})
//	req, err = desk.Decide(ctx, request.DecideParams{ID: req.ID, Version: req.Version, By: manager,
//		Verdict: approval.Approve, Note: "budgeted"})
//	for t, err := range desk.Tasks(ctx, request.TaskQuery{Request: req.ID, Open: true}) { … }
//	_, err = desk.CompleteTask(ctx, request.TaskParams{ID: t.ID, By: tech})
//	req, err = desk.Close(ctx, request.Params{ID: req.ID, By: tech})
//
// # Commands
//
// Every command takes ctx and one params struct, and returns the record as
// stored: DecideParams, ReviseParams, AssignTaskParams, and Params (with
// its aliases CancelParams, ResubmitParams, TaskParams and RevokeParams)
// for the commands with no inputs of their own. Each starts with the same five
// fields: ID (the request, the task or the grant acted on), Version (the
// version the caller read; a record changed since fails with
// lifecycle.ErrConflict and nothing is written, while zero acts on the
// latest version), By, Note (a comment, a reason: journaled) and Fields
// (custom fields, as the lifecycle declares them; see ParseLifecycle).
// Order, the draft, has ID (optional), By, Note and Fields too. Fire fires
// an event a host added to the lifecycle, and Edit sets custom fields or
// journals a note. Get, GetByNumber and Journal read requests (and the
// journal of a task or grant, by its ID); GetTask and GetGrant read tasks
// and grants.
//
// A query's fields all hold, and the values given to one field are
// alternatives: Query{Open: true, Categories: {lifecycle.Resolved}}
// matches nothing.
//
// # Errors
//
// Every error is in one class of package lifecycle's: ErrRetired,
// ErrNotCancellable and ErrNotInFulfilment are refusals
// (lifecycle.ErrRefused); ErrUnknownUser and *LineError are invalid input
// (itil.ErrInvalid) and name the field.
//
// # Catalog
//
// A Catalog holds Items: category, description, Variables (text, number,
// boolean, choice, date, user; with required, min/max, pattern and
// choices), an approval.Rule, task templates (ordered or parallel, each for
// a group), SLA targets and a price in minor units. Items are validated when
// added and round-trip through JSON (ParseItem). Values arrive as text, as
// forms send them, and are parsed per kind; every error is a
// *itil.ValidationError on "variables[NAME]".
//
// # Requests
//
// The default lifecycle (DefaultLifecycle) is submitted → awaiting_approval
// → approved → in_fulfilment → fulfilled → closed; a rejected request may be
// revised and resubmitted for a new round, and the requester may cancel
// before fulfilment. A request's approval round is an approval.Approval
// kept in the record: the slots of its items' rules plus the service owner
// of access items, with the requester (and the user the request is for)
// excluded — segregation of duties. Each pending slot is indexed as
// attribute "approver", so MyApprovals reads only candidates.
//
// # Fulfilment
//
// Approval plans one Task (kind "task", numbered TSK…) per task template,
// fixing the tasks' IDs in the same write as the approval. Tasks start
// pending and open when their turn comes (TaskLifecycle): parallel ones at
// once, ordered ones after the task before them is done. When every task is
// done the request is fulfilled. A failed task holds the request, with a
// note in its journal, until it is retried (HoldOnFailure), or counts as
// finished (ContinueOnFailure); a failed task is retried only while its
// request is in fulfilment.
//
// Each command takes its request as far as it goes in one commit
// (lifecycle.Atomic) of every record it writes: an order with its tasks
// when no approval is needed, the approval that completes a round with the
// tasks and the move into fulfilment, a task's completion with the next
// task opened or the request fulfilled and its grants issued. The tasks
// and requests a command only reads are pinned in the commit, so that when
// another host changes one first, the command runs again on what that host
// wrote: two hosts completing a request's last two tasks fulfil it once,
// and an approval racing a cancellation leaves either a cancelled request
// without tasks or one in fulfilment with all of them. A command
// refused half way (by the Authorizer, say) writes nothing. This work is
// bounded by the records of one request, so it needs no outbox reaction,
// and the desk has no Reactions to run.
//
// # Assignment
//
// A task goes to its template's group, and to the template's assignee
// when it names one. With Config.Assignment (lifecycle/assign rules), the
// desk assigns the rest when it creates the tasks: a template without a
// group gets the group of the first rule its item meets — on the item's
// category, and for an access item the service it grants (requests carry
// no priority, channel or CIs, so rules on those match no task) — and a
// task with a group but no assignee gets the person the group's first
// rule chooses: round robin, taken in the store so that every host takes
// the members in one order, least loaded (a person's pending, open and
// in-progress tasks), or by skills. The tasks of one request that one rule
// assigns in the same commit share its choice: one round-robin turn, one
// person. The rule is named in the task's creation note ("assigned to
// deskside (ann) by rule hardware"). AssignTask hands a task to another
// group, and without an assignee lets that group's rule choose, journaled
// the same way. An order of an item whose template names no group, when
// no rule gives one, is refused (a *LineError on "tasks[N].group"), and so
// is such an item in the catalog NewDesk is given.
//
//	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
//		{Name: "hardware", When: assign.When{Categories: []string{"hardware"}}, Group: "deskside",
//			Strategy: assign.RoundRobin, Members: []string{"ann", "ben"}},
//	}})
//	desk, err := request.NewDesk(st, request.Config{Catalog: cat, Assignment: rules})
//	t, err := desk.AssignTask(ctx, request.AssignTaskParams{ID: id, By: lead, Group: "deskside"})
//
// # Input
//
// Every text the desk takes is refused, never altered, when it is not
// UTF-8 or holds a NUL character, and limits count characters, not bytes:
// MaxNameLength for names, IDs, groups, titles and labels, MaxTextLength
// for values, descriptions and notes. Bad input is a
// *itil.ValidationError naming the field ("by.id", "variables[ram]",
// "note", "fields.cost_centre"), a zero ID is refused as "id", and a
// refused command leaves every record, journal and the outbox as they
// were. Queries refuse unfit texts, undefined categories
// and unknown states the same way, as the first element they yield.
//
// # Access
//
// Items of kind access grant a role on a service. Fulfilling such a request
// creates a Grant (kind "grant", numbered GRT…): grants are records of their
// own so that Grants, "who has access to what", is an indexed query, and a
// grant's history is journaled. A grant may expire (Access.Days); the
// host's Sweep opens a revocation request for each expired grant exactly
// once, and Revoke opens one on demand, in the commit that marks the grant
// revoking. A revocation is a request that
// needs no approval, runs the item's revoke tasks, and marks the grant
// revoked when fulfilled.
//
// # SLA
//
// An item may name SLA targets (sla.Targets) on the desk's calendars. The
// request's clocks follow the targets of its line with the longest
// fulfilment target; they are applied in the lifecycle's enter hook, pause
// while the request awaits approval and stop when it is fulfilled. Sweep
// journals a warning or breach that falls due while nobody touches the
// request, as "sla_warning" or "sla_breach", through an sla.Sweeper.
package request
