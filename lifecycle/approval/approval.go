package approval

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Exclusion bars an actor from deciding in a round because of the role they
// play in the record: segregation of duties.
type Exclusion struct {
	// Actor is the excluded actor's ID.
	Actor string `json:"actor"`
	// Role is why: RoleRequester, RoleImplementer or a host's own word.
	Role string `json:"role"`
}

// Request is what New builds a round from.
type Request struct {
	// Policy says how many approvals are needed; the zero value is All.
	Policy Policy
	// Slots are the votes the round waits for; at least one, no duplicates.
	Slots []Slot
	// Excluded are the actors who may not decide, with their roles: the
	// requester and implementer of a change, the requester of a request.
	// They stay excluded when they belong to an approver group.
	Excluded []Exclusion
	// At is when approval is requested.
	At time.Time
}

// Approval is one round of approval: the policy, the slots that may decide,
// the decisions so far and the outcome. It is a plain value that lives in
// the record that needs it and marshals to JSON with it.
//
// Change it only through Decide and Cancel, which either apply completely or
// return an error and leave it exactly as it was. Decoding from JSON and
// Validate check that the fields agree with one another: the state is the
// one the decisions lead to under the policy.
//
// The zero value is "no round requested": it marshals to JSON as null and
// every decision on it is refused.
type Approval struct {
	// Policy says how many approvals are needed.
	Policy Policy `json:"policy"`
	// Slots are the votes the round waits for.
	Slots []Slot `json:"slots"`
	// Excluded are the actors barred from deciding.
	Excluded []Exclusion `json:"excluded,omitempty"`
	// Decisions are the verdicts given, in order.
	Decisions []Decision `json:"decisions,omitempty"`
	// State is Pending until the round is approved, rejected or cancelled.
	State State `json:"state"`
	// RequestedAt is when the round began.
	RequestedAt time.Time `json:"requested_at"`
	// DecidedAt is when the round left Pending: the decision that settled
	// it, or the cancellation.
	DecidedAt time.Time `json:"decided_at,omitzero"`
	// Reason is why the round was cancelled.
	Reason string `json:"reason,omitempty"`
}

// New starts a pending round. It fails with a *itil.ValidationError naming
// the field when the request is bad:
//
//   - "policy.kind": an undefined kind;
//   - "slots": no slots; "slots[i]": a slot with neither or both of group
//     and person set, a duplicate, or a person who is also excluded;
//   - "policy.n": a quorum below 1 or above the number of slots, or a count
//     on a policy other than quorum;
//   - "excluded[i].actor", "excluded[i].role": missing;
//   - "at": missing.
func New(r Request) (Approval, error) {
	if err := checkRule("", r.Policy, r.Slots); err != nil {
		return Approval{}, err
	}
	if err := checkExcluded(r.Excluded); err != nil {
		return Approval{}, err
	}
	for i, s := range r.Slots {
		if x, ok := excluded(r.Excluded, s.Person); ok {
			return Approval{}, &itil.ValidationError{
				Field:  fmt.Sprintf("slots[%d]", i),
				Reason: fmt.Sprintf("%s is excluded as the %s and may not approve", s.Person, x.Role),
			}
		}
	}
	if r.At.IsZero() {
		return Approval{}, &itil.ValidationError{Field: "at", Reason: "required"}
	}
	return Approval{
		Policy:      r.Policy,
		Slots:       slices.Clone(r.Slots),
		Excluded:    slices.Clone(r.Excluded),
		State:       Pending,
		RequestedAt: r.At,
	}, nil
}

// Decide records actor's verdict on the slot the actor fills and settles the
// outcome when the policy says so. An actor decides at most once per round;
// a personal slot is filled before a group slot, and group slots in the
// order given. The comment is kept with surrounding spaces trimmed. It
// returns the recorded decision.
//
// Errors, on which the approval is left as it was:
//   - *itil.ValidationError on "actor" (no ID), "verdict" (unset), "comment"
//     (a rejection without one) or "at" (zero), or naming the field of an
//     approval that fails Validate;
//   - ErrClosed when the round is no longer pending;
//   - *SegregationError when actor is excluded, even as a group member;
//   - ErrAlreadyDecided when actor has decided in this round, or every slot
//     actor could fill is decided;
//   - ErrNotApprover when actor holds no slot.
func (a *Approval) Decide(actor itil.Actor, v Verdict, comment string, at time.Time) (Decision, error) {
	if err := a.Validate(); err != nil {
		return Decision{}, err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case actor.ID == "":
		return Decision{}, &itil.ValidationError{Field: "actor", Reason: "required"}
	case !v.Valid():
		return Decision{}, &itil.ValidationError{Field: "verdict", Reason: "must be approve or reject"}
	case v == Reject && comment == "":
		return Decision{}, &itil.ValidationError{Field: "comment", Reason: "required to reject"}
	case at.IsZero():
		return Decision{}, &itil.ValidationError{Field: "at", Reason: "required"}
	}
	i, err := a.slotFor(actor)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Slot: a.Slots[i], By: actor, Verdict: v, Comment: comment, At: at}
	a.Decisions = append(a.Decisions, d.clone())
	approved, rejected := a.tally()
	if a.State = a.Policy.outcome(len(a.Slots), approved, rejected); a.State != Pending {
		a.DecidedAt = at
	}
	return d.clone(), nil
}

// Cancel calls the round off, as when a change goes back to new. Errors:
// *itil.ValidationError on "reason" or "at" when missing; ErrClosed when the
// round is no longer pending.
func (a *Approval) Cancel(reason string, at time.Time) error {
	if err := a.Validate(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return &itil.ValidationError{Field: "reason", Reason: "required"}
	case at.IsZero():
		return &itil.ValidationError{Field: "at", Reason: "required"}
	case a.State != Pending:
		return fmt.Errorf("%w: %s", ErrClosed, a.State)
	}
	a.State, a.DecidedAt, a.Reason = Cancelled, at, reason
	return nil
}

// Outcome returns the round's state: Pending until it is approved, rejected
// or cancelled.
func (a Approval) Outcome() State { return a.State }

// Pending returns the slots that still have to act, in order; none once the
// round is settled.
func (a Approval) Pending() []Slot {
	if a.State != Pending {
		return nil
	}
	var out []Slot
	for _, s := range a.Slots {
		if !slices.ContainsFunc(a.Decisions, func(d Decision) bool { return d.Slot == s }) {
			out = append(out, s)
		}
	}
	return out
}

// Eligible reports whether actor may decide now: the round is pending, actor
// is not excluded, has not decided yet, and holds an undecided slot in
// person or through a group.
func (a Approval) Eligible(actor itil.Actor) bool {
	if actor.ID == "" || a.Validate() != nil {
		return false
	}
	_, err := a.slotFor(actor)
	return err == nil
}

// Summary describes the round for a journal: "2/3 approved, quorum 2",
// "1/4 approved, 2 rejected, majority 3 (rejected)", "0/1 approved, all
// required (cancelled: back to new)".
func (a Approval) Summary() string {
	if a.IsZero() {
		return "no approval requested"
	}
	approved, rejected := a.tally()
	s := fmt.Sprintf("%d/%d approved", approved, len(a.Slots))
	if rejected > 0 {
		s += fmt.Sprintf(", %d rejected", rejected)
	}
	s += ", " + a.Policy.rule(len(a.Slots))
	switch a.State {
	case Pending:
	case Cancelled:
		s += " (cancelled: " + a.Reason + ")"
	default:
		s += " (" + a.State.String() + ")"
	}
	return s
}

// Clone returns a deep copy of a, for entities' Clone methods.
func (a Approval) Clone() Approval {
	a.Slots = slices.Clone(a.Slots)
	a.Excluded = slices.Clone(a.Excluded)
	if a.Decisions != nil {
		ds := make([]Decision, len(a.Decisions))
		for i, d := range a.Decisions {
			ds[i] = d.clone()
		}
		a.Decisions = ds
	}
	return a
}

// IsZero reports whether a is the zero value: no round requested. It lets a
// record's field carry the `json:",omitzero"` option.
func (a Approval) IsZero() bool {
	return a.Policy == Policy{} && len(a.Slots) == 0 && len(a.Excluded) == 0 &&
		len(a.Decisions) == 0 && a.State == 0 && a.RequestedAt.IsZero() &&
		a.DecidedAt.IsZero() && a.Reason == ""
}

// slotFor returns the index of the slot actor's decision would fill, or the
// error that refuses it.
func (a Approval) slotFor(actor itil.Actor) (int, error) {
	if a.State != Pending {
		return -1, fmt.Errorf("%w: %s", ErrClosed, a.State)
	}
	if x, ok := excluded(a.Excluded, actor.ID); ok {
		return -1, &SegregationError{Actor: actor.ID, Role: x.Role}
	}
	decidedBy := make(map[Slot]string, len(a.Decisions))
	for _, d := range a.Decisions {
		if d.By.ID == actor.ID {
			return -1, fmt.Errorf("%w: %s decided for %s", ErrAlreadyDecided, actor.ID, d.Slot)
		}
		decidedBy[d.Slot] = d.By.ID
	}
	taken := -1
	for _, personal := range [...]bool{true, false} {
		for i, s := range a.Slots {
			if (s.Person != "") != personal || !s.Matches(actor) {
				continue
			}
			if _, done := decidedBy[s]; !done {
				return i, nil
			}
			if taken < 0 {
				taken = i
			}
		}
	}
	if taken >= 0 {
		s := a.Slots[taken]
		return -1, fmt.Errorf("%w: %s by %s", ErrAlreadyDecided, s, decidedBy[s])
	}
	return -1, fmt.Errorf("%w: %s", ErrNotApprover, actor.ID)
}

// tally counts the approvals and rejections given.
func (a Approval) tally() (approved, rejected int) {
	for _, d := range a.Decisions {
		switch d.Verdict {
		case Approve:
			approved++
		case Reject:
			rejected++
		}
	}
	return approved, rejected
}

// excluded returns the exclusion of actor id, if any.
func excluded(xs []Exclusion, id string) (Exclusion, bool) {
	if id == "" {
		return Exclusion{}, false
	}
	for _, x := range xs {
		if x.Actor == id {
			return x, true
		}
	}
	return Exclusion{}, false
}

// checkExcluded reports the first exclusion without an actor or a role.
func checkExcluded(xs []Exclusion) error {
	for i, x := range xs {
		switch {
		case strings.TrimSpace(x.Actor) == "":
			return &itil.ValidationError{Field: fmt.Sprintf("excluded[%d].actor", i), Reason: "required"}
		case strings.TrimSpace(x.Role) == "":
			return &itil.ValidationError{Field: fmt.Sprintf("excluded[%d].role", i), Reason: "required"}
		}
	}
	return nil
}
