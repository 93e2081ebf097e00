// Package approval decides approval rounds: the CAB's approval of a change,
// a manager's approval of a request. It is pure value logic with no storage
// of its own: an Approval is a plain struct that lives inside the record
// that needs it and marshals to JSON with it.
//
// A round has a Policy — All, Any, Quorum(n) or Majority, optionally
// rejecting on the first rejection — and slots, the votes it waits for: a
// Person by actor ID (the service owner) or a Group (the CAB), for which the
// first member to act decides. The round is approved as soon as the policy's
// approvals are reached and rejected as soon as they no longer can be.
// Segregation of duties bars excluded actors, such as the requester and the
// implementer of a change, from deciding, even when they belong to an
// approver group.
//
//	a, err := approval.New(approval.Request{
//		Policy:   approval.Quorum(2),
//		Slots:    []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security"), approval.Person("olivia")},
//		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}},
//		At:       now,
//	})
//	d, err := a.Decide(bob, approval.Approve, "looks safe", now)   // bob decides for the CAB
//	a.Outcome()  // approval.Pending
//	a.Summary()  // "1/3 approved, quorum 2"
//	a.Pending()  // [group:security person:olivia]
//
// A process package calls Decide and Cancel inside a lifecycle.Action's
// Apply, on the copy of the record being changed, and journals the round's
// Summary before and after as a field change. Both methods either apply
// completely or return an error and change nothing, so returning their error
// from Apply aborts the action cleanly. Refusals wrap ErrClosed,
// ErrAlreadyDecided, ErrNotApprover or come as a *SegregationError, each
// in one of the kernel's classes: ErrNotApprover and *SegregationError
// match lifecycle.ErrForbidden, ErrClosed and ErrAlreadyDecided
// lifecycle.ErrRefused.
//
// The groups of the library's default rules are constants: GroupCAB,
// GroupChangeManagers and GroupECAB.
//
// Choices made here:
//
//   - A group slot is one vote, cast by the first member who acts, as
//     ServiceNow's group approvals do by default. To count members one by
//     one, list them as Person slots.
//   - An actor decides once per round. A member of two approver groups, or
//     the named person who is also a CAB member, fills one slot (their
//     personal slot first, then groups in the order given); the other needs
//     someone else. This keeps "all of CAB and security" meaning two people.
//   - Excluded actors may neither approve nor reject: a requester who no
//     longer wants the change withdraws it instead. A person slot naming an
//     excluded actor is refused by New.
//   - What a round keeps comes from outside, so every text must be valid
//     UTF-8 without a NUL character and at most MaxNameLength or
//     MaxTextLength characters long, and every time must be storable as
//     RFC 3339; a bad one is refused, never altered. JSON is decoded
//     strictly (no unknown or repeated members, no string that
//     encoding/json would silently repair) and then validated, so a stored
//     round can bypass none of the rules Decide enforces.
//   - Matrix, the mapping from a label such as a change's risk to a Rule,
//     lives here rather than in package change: it holds nothing but
//     policies and slots, and package request can key it by its own labels.
package approval
