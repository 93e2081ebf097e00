package approval

import (
	"fmt"
	"strings"

	"github.com/itil-go/itil"
)

// Validate reports the first way in which a's fields disagree, as a
// *itil.ValidationError naming the field: an undefined state, a bad policy
// or slot (as New checks them), a decision for a slot the round lacks, by an
// actor who may not fill it, twice for one slot or by one actor, after the
// round was settled, or a state other than the one the decisions lead to.
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
	if a.RequestedAt.IsZero() {
		return &itil.ValidationError{Field: "requested_at", Reason: "required"}
	}
	if err := a.checkDecisions(); err != nil {
		return err
	}
	switch {
	case a.State == Pending && !a.DecidedAt.IsZero():
		return &itil.ValidationError{Field: "decided_at", Reason: "set while pending"}
	case a.State != Pending && a.DecidedAt.IsZero():
		return &itil.ValidationError{Field: "decided_at", Reason: "required once " + a.State.String()}
	case a.State == Cancelled && strings.TrimSpace(a.Reason) == "":
		return &itil.ValidationError{Field: "reason", Reason: "required once cancelled"}
	case a.State != Cancelled && a.Reason != "":
		return &itil.ValidationError{Field: "reason", Reason: "only a cancelled round has one"}
	}
	return nil
}

// checkDecisions replays the decisions under the policy and checks each one
// and the state they lead to.
func (a Approval) checkDecisions() error {
	inRound := make(map[Slot]bool, len(a.Slots))
	for _, s := range a.Slots {
		inRound[s] = true
	}
	bySlot := make(map[Slot]int, len(a.Decisions))
	byActor := make(map[string]int, len(a.Decisions))
	state, approved, rejected := Pending, 0, 0
	for i, d := range a.Decisions {
		field := fmt.Sprintf("decisions[%d]", i)
		if state != Pending {
			return &itil.ValidationError{Field: field, Reason: "made after the round was " + state.String()}
		}
		if !inRound[d.Slot] {
			return &itil.ValidationError{Field: field + ".slot", Reason: d.Slot.String() + " is not a slot of the round"}
		}
		if j, dup := bySlot[d.Slot]; dup {
			return &itil.ValidationError{Field: field + ".slot", Reason: fmt.Sprintf("%s already decided in decisions[%d]", d.Slot, j)}
		}
		if d.By.ID == "" {
			return &itil.ValidationError{Field: field + ".by.id", Reason: "required"}
		}
		if j, dup := byActor[d.By.ID]; dup {
			return &itil.ValidationError{Field: field + ".by", Reason: fmt.Sprintf("%s already decided in decisions[%d]", d.By.ID, j)}
		}
		if !d.Slot.Matches(d.By) {
			return &itil.ValidationError{Field: field + ".by", Reason: fmt.Sprintf("%s may not decide for %s", d.By.ID, d.Slot)}
		}
		switch {
		case !d.Verdict.Valid():
			return &itil.ValidationError{Field: field + ".verdict", Reason: "must be approve or reject"}
		case d.Verdict == Reject && strings.TrimSpace(d.Comment) == "":
			return &itil.ValidationError{Field: field + ".comment", Reason: "required to reject"}
		case d.At.IsZero():
			return &itil.ValidationError{Field: field + ".at", Reason: "required"}
		}
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
