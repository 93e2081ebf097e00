package approval

import (
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Validate reports the first way in which a's fields disagree, or in which a
// differs from every approval New, Decide and Cancel can produce, as a
// *itil.ValidationError naming the field:
//
//   - "state": undefined, or other than the one the decisions lead to under
//     the policy;
//   - the policy, slots and exclusions as New checks them, including a
//     person slot naming an excluded actor;
//   - "requested_at": missing or not storable;
//   - "decisions[i]": made after the round was settled;
//     "decisions[i].slot": a slot the round lacks, a slot decided twice, or
//     another slot than the one Decide fills for the actor (their personal
//     slot first, then their groups in the order of the slots);
//     "decisions[i].by", ".by.id", ".by.name", ".by.groups[j]": no actor, an
//     actor who may not fill the slot, an excluded actor (segregation of
//     duties), an actor deciding twice, or a text that cannot be stored;
//     "decisions[i].verdict", ".comment": no verdict, a rejection without a
//     comment, a comment Decide would not keep as it is (surrounding spaces,
//     not storable); "decisions[i].at": missing, not storable, before the
//     request or before the previous decision;
//   - "decided_at": set while pending, missing once settled, other than the
//     time of the decision that settled the round, or a cancellation before
//     the round's last event;
//   - "reason": missing once cancelled, set otherwise, or not kept as Cancel
//     keeps it.
//
// Approvals built by New and changed only by Decide and Cancel are valid.
func (a Approval) Validate() error {
	if a.State == 0 {
		return &itil.ValidationError{Field: "state", Reason: "unset: no round was requested"}
	}
	if !a.State.Valid() {
		return &itil.ValidationError{Field: "state", Reason: fmt.Sprintf("undefined value %d", int8(a.State))}
	}
	if err := checkRule("", a.Policy, a.Slots); err != nil {
		return err
	}
	if err := checkExcluded(a.Excluded); err != nil {
		return err
	}
	xs := exclusions(a.Excluded)
	if err := checkExcludedSlots(a.Slots, xs); err != nil {
		return err
	}
	if err := checkTime("requested_at", a.RequestedAt); err != nil {
		return err
	}
	if err := a.checkDecisions(xs); err != nil {
		return err
	}
	switch {
	case a.State == Pending && !a.DecidedAt.IsZero():
		return &itil.ValidationError{Field: "decided_at", Reason: "set while pending"}
	case a.State != Pending && a.DecidedAt.IsZero():
		return &itil.ValidationError{Field: "decided_at", Reason: "required once " + a.State.String()}
	case a.State != Pending:
		if err := checkTime("decided_at", a.DecidedAt); err != nil {
			return err
		}
	}
	last := a.latest()
	switch {
	case (a.State == Approved || a.State == Rejected) && !a.DecidedAt.Equal(last):
		return &itil.ValidationError{Field: "decided_at", Reason: fmt.Sprintf("%s, but the decision that settled the round was at %s",
			a.DecidedAt.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))}
	case a.State == Cancelled && a.DecidedAt.Before(last):
		return &itil.ValidationError{Field: "decided_at", Reason: fmt.Sprintf("cancelled at %s, before the round's last event at %s",
			a.DecidedAt.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))}
	}
	switch {
	case a.State == Cancelled && strings.TrimSpace(a.Reason) == "":
		return &itil.ValidationError{Field: "reason", Reason: "required once cancelled"}
	case a.State != Cancelled && a.Reason != "":
		return &itil.ValidationError{Field: "reason", Reason: "only a cancelled round has one"}
	}
	return checkTrimmed("reason", a.Reason)
}

// checkDecisions replays the decisions under the policy and checks each one
// and the state they lead to; xs indexes the exclusions.
func (a Approval) checkDecisions(xs map[string]Exclusion) error {
	index := make(map[Slot]int, len(a.Slots))
	for i, s := range a.Slots {
		index[s] = i
	}
	bySlot := make(map[Slot]int, len(a.Decisions))
	byActor := make(map[string]int, len(a.Decisions))
	state, approved, rejected := Pending, 0, 0
	prev := a.RequestedAt
	for i, d := range a.Decisions {
		prefix := fmt.Sprintf("decisions[%d].", i)
		if state != Pending {
			return &itil.ValidationError{Field: prefix[:len(prefix)-1], Reason: "made after the round was " + state.String()}
		}
		if _, ok := index[d.Slot]; !ok {
			return &itil.ValidationError{Field: prefix + "slot", Reason: d.Slot.String() + " is not a slot of the round"}
		}
		if j, dup := bySlot[d.Slot]; dup {
			return &itil.ValidationError{Field: prefix + "slot", Reason: fmt.Sprintf("%s already decided in decisions[%d]", d.Slot, j)}
		}
		if err := d.check(prefix); err != nil {
			return err
		}
		if x, ok := xs[d.By.ID]; ok {
			return &itil.ValidationError{Field: prefix + "by", Reason: (&SegregationError{Actor: d.By.ID, Role: x.Role}).Error()}
		}
		if j, dup := byActor[d.By.ID]; dup {
			return &itil.ValidationError{Field: prefix + "by", Reason: fmt.Sprintf("%s already decided in decisions[%d]", d.By.ID, j)}
		}
		if w := fill(index, bySlot, d.By); w < 0 || a.Slots[w] != d.Slot {
			want := "no slot"
			if w >= 0 {
				want = a.Slots[w].String()
			}
			return &itil.ValidationError{Field: prefix + "slot", Reason: fmt.Sprintf("%s, but %s decides for %s first", d.Slot, d.By.ID, want)}
		}
		if d.At.Before(prev) {
			what := "the round was requested"
			if i > 0 {
				what = fmt.Sprintf("decisions[%d]", i-1)
			}
			return &itil.ValidationError{Field: prefix + "at", Reason: fmt.Sprintf("%s is before %s, at %s",
				d.At.Format(time.RFC3339Nano), what, prev.Format(time.RFC3339Nano))}
		}
		prev = d.At
		bySlot[d.Slot], byActor[d.By.ID] = i, i
		if d.Verdict == Approve {
			approved++
		} else {
			rejected++
		}
		state = a.Policy.outcome(len(a.Slots), approved, rejected)
	}
	want := a.State
	if want == Cancelled {
		want = Pending // only a pending round can be cancelled
	}
	if state != want {
		return &itil.ValidationError{Field: "state", Reason: fmt.Sprintf("%s, but the decisions leave the round %s", a.State, state)}
	}
	return nil
}

// fill returns the index of the slot Decide fills for actor, as slotFor
// chooses it, given the slots decided so far: the actor's personal slot when
// it is open, else the first open group slot the actor belongs to in the
// order of the slots; -1 when there is none. index maps each slot to its
// position.
func fill(index, decided map[Slot]int, actor itil.Actor) int {
	if i, ok := index[Person(actor.ID)]; ok && actor.ID != "" {
		if _, done := decided[Person(actor.ID)]; !done {
			return i
		}
	}
	best := -1
	for _, g := range actor.Groups {
		s := Group(g)
		i, ok := index[s]
		if _, done := decided[s]; !ok || done || g == "" {
			continue
		}
		if best < 0 || i < best {
			best = i
		}
	}
	return best
}
