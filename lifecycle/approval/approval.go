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
// Validate check that it is an approval New, Decide and Cancel can produce:
// the fields agree with one another, the state is the one the decisions
// lead to under the policy, no excluded actor decided, each decision fills
// the slot Decide would have filled, times run in order, and every text is
// kept as those calls keep it.
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
//     and person set, a name that is not storable text (see
//     MaxNameLength) or has surrounding spaces, a duplicate, or a person who
//     is also excluded;
//   - "policy.n": a quorum below 1 or above the number of slots, or a count
//     on a policy other than quorum;
//   - "excluded[i].actor", "excluded[i].role": missing or not storable text,
//     or an actor with surrounding spaces;
//   - "at": missing, or a time that cannot be stored (see Validate).
func New(r Request) (Approval, error) {
	if err := checkRule("", r.Policy, r.Slots); err != nil {
		return Approval{}, err
	}
	if err := checkExcluded(r.Excluded); err != nil {
		return Approval{}, err
	}
	if err := checkExcludedSlots(r.Slots, exclusions(r.Excluded)); err != nil {
		return Approval{}, err
	}
	if err := checkTime("at", r.At); err != nil {
		return Approval{}, err
	}
	a := Approval{
		Policy:      r.Policy,
		Slots:       slices.Clone(r.Slots),
		State:       Pending,
		RequestedAt: r.At,
	}
	if len(r.Excluded) > 0 { // none is nil, as it decodes
		a.Excluded = slices.Clone(r.Excluded)
	}
	return a, nil
}

// Decide records actor's verdict on the slot the actor fills and settles the
// outcome when the policy says so. An actor decides at most once per round;
// a personal slot is filled before a group slot, and group slots in the
// order given. The comment is kept with surrounding spaces trimmed. It
// returns the recorded decision.
//
// Errors, on which the approval is left as it was:
//   - *itil.ValidationError on "approval" (a nil receiver), "actor" (no ID,
//     an ID with surrounding spaces), "actor.name" or "actor.groups[i]",
//     "verdict" (unset), "comment" (a rejection without one), "at" (zero,
//     before the round was requested or before its last decision, or not
//     storable), or naming the field of an approval that fails Validate;
//     every text must be storable (see MaxNameLength and MaxTextLength);
//   - ErrClosed when the round is no longer pending;
//   - *SegregationError when actor is excluded, even as a group member;
//   - ErrAlreadyDecided when actor has decided in this round, or every slot
//     actor could fill is decided;
//   - ErrNotApprover when actor holds no slot.
func (a *Approval) Decide(actor itil.Actor, v Verdict, comment string, at time.Time) (Decision, error) {
	if a == nil {
		return Decision{}, nilReceiver("approval", "*Approval")
	}
	if err := a.Validate(); err != nil {
		return Decision{}, err
	}
	if err := checkActor("actor", "actor", actor); err != nil {
		return Decision{}, err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case !v.Valid():
		return Decision{}, &itil.ValidationError{Field: "verdict", Reason: "must be approve or reject"}
	case v == Reject && comment == "":
		return Decision{}, &itil.ValidationError{Field: "comment", Reason: "required to reject"}
	}
	if err := itil.CheckText("comment", comment, MaxTextLength); err != nil {
		return Decision{}, err
	}
	if err := a.checkNext("at", at); err != nil {
		return Decision{}, err
	}
	i, err := a.slotFor(actor)
	if err != nil {
		return Decision{}, err
	}
	if len(actor.Groups) == 0 {
		actor.Groups = nil // none is nil, as it decodes
	}
	d := Decision{Slot: a.Slots[i], By: actor, Verdict: v, Comment: comment, At: at}
	// A fresh array: a shallow copy of a, sharing its spare capacity, must
	// not see this decision or overwrite it with its own.
	a.Decisions = append(slices.Clip(a.Decisions), d.clone())
	approved, rejected := a.tally()
	if a.State = a.Policy.outcome(len(a.Slots), approved, rejected); a.State != Pending {
		a.DecidedAt = at
	}
	return d.clone(), nil
}

// Cancel calls the round off, as when a change goes back to new. The reason
// is kept with surrounding spaces trimmed. Errors, on which the approval is
// left as it was: *itil.ValidationError on "approval" (a nil receiver),
// "reason" (missing or not storable text, see MaxTextLength) or "at"
// (missing, before the round was requested or before its last decision, or
// not storable), or naming the field of an approval that fails Validate;
// ErrClosed when the round is no longer pending.
func (a *Approval) Cancel(reason string, at time.Time) error {
	if a == nil {
		return nilReceiver("approval", "*Approval")
	}
	if err := a.Validate(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &itil.ValidationError{Field: "reason", Reason: "required"}
	}
	if err := itil.CheckText("reason", reason, MaxTextLength); err != nil {
		return err
	}
	if err := a.checkNext("at", at); err != nil {
		return err
	}
	if a.State != Pending {
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
// is not excluded, has not decided yet, holds an undecided slot in person or
// through a group, and has an ID, name and groups that Decide accepts.
func (a Approval) Eligible(actor itil.Actor) bool {
	if checkActor("actor", "actor", actor) != nil || a.Validate() != nil {
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

// checkExcluded reports the first bad exclusion, as checkExclusion does.
func checkExcluded(xs []Exclusion) error {
	for i, x := range xs {
		if err := x.check(fmt.Sprintf("excluded[%d].", i)); err != nil {
			return err
		}
	}
	return nil
}

// check reports an exclusion without an actor or a role, with a text that
// cannot be stored, or with an actor with surrounding spaces, who would
// never match the actor it means to bar. Fields are prefix+"actor" and
// prefix+"role".
func (x Exclusion) check(prefix string) error {
	switch {
	case strings.TrimSpace(x.Actor) == "":
		return &itil.ValidationError{Field: prefix + "actor", Reason: "required"}
	case strings.TrimSpace(x.Role) == "":
		return &itil.ValidationError{Field: prefix + "role", Reason: "required"}
	}
	if err := checkID(prefix+"actor", x.Actor); err != nil {
		return err
	}
	return checkName(prefix+"role", x.Role)
}

// exclusions indexes xs by actor, the first exclusion of an actor winning
// as it does for excluded.
func exclusions(xs []Exclusion) map[string]Exclusion {
	m := make(map[string]Exclusion, len(xs))
	for _, x := range xs {
		if _, ok := m[x.Actor]; !ok && x.Actor != "" {
			m[x.Actor] = x
		}
	}
	return m
}

// checkExcludedSlots reports the first person slot naming an actor of xs, an
// index built by exclusions.
func checkExcludedSlots(slots []Slot, xs map[string]Exclusion) error {
	for i, s := range slots {
		if x, ok := xs[s.Person]; ok && s.Person != "" {
			return &itil.ValidationError{
				Field:  fmt.Sprintf("slots[%d]", i),
				Reason: fmt.Sprintf("%s is excluded as the %s and may not approve", s.Person, x.Role),
			}
		}
	}
	return nil
}

// nilReceiver refuses a call on a nil pointer of type typ, naming field.
func nilReceiver(field, typ string) error {
	return &itil.ValidationError{Field: field, Reason: "called on a nil " + typ}
}

// latest returns the time of the last event of the round before it was
// settled: its last decision, or its request.
func (a Approval) latest() time.Time {
	if n := len(a.Decisions); n > 0 {
		return a.Decisions[n-1].At
	}
	return a.RequestedAt
}

// checkNext reports a *itil.ValidationError on field unless at is a
// storable time no earlier than the round's latest event.
func (a Approval) checkNext(field string, at time.Time) error {
	if err := checkTime(field, at); err != nil {
		return err
	}
	if last := a.latest(); at.Before(last) {
		what := "the round was requested"
		if len(a.Decisions) > 0 {
			what = "the round's last decision"
		}
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is before %s, at %s", at.Format(time.RFC3339Nano), what, last.Format(time.RFC3339Nano))}
	}
	return nil
}
