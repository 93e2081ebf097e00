package approval

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Decision is one approver's verdict in a round: who decided, for which
// slot, what, why and when.
type Decision struct {
	// Slot is the slot the decision fills: the group decided for, or the
	// person's own slot.
	Slot Slot `json:"slot"`
	// By is the actor who decided, with the groups they had at the time.
	By itil.Actor `json:"by"`
	// Verdict is Approve or Reject.
	Verdict Verdict `json:"verdict"`
	// Comment is the approver's reason; a rejection always has one.
	Comment string `json:"comment,omitempty"`
	// At is when the decision was made.
	At time.Time `json:"at"`
}

// String describes the decision for a journal: "olivia approved for
// group:cab" or "olivia rejected for person:olivia: backout plan missing".
func (d Decision) String() string {
	verb := "approved"
	if d.Verdict != Approve {
		verb = "rejected"
		if d.Verdict != Reject {
			verb = d.Verdict.String()
		}
	}
	s := d.By.ID + " " + verb + " for " + d.Slot.String()
	if d.Comment != "" {
		s += ": " + d.Comment
	}
	return s
}

// clone returns a copy of d that shares no memory with it.
func (d Decision) clone() Decision {
	d.By.Groups = slices.Clone(d.By.Groups)
	return d
}

// check reports what Decide would not have recorded in d, whatever the
// round: a bad slot, a missing actor or one who may not fill the slot, an
// unset verdict, a rejection without a comment, a text that cannot be
// stored or a comment with surrounding spaces, a missing or unstorable time.
// Fields are prefix+"slot", prefix+"by.id" and so on.
func (d Decision) check(prefix string) error {
	if err := d.Slot.check(prefix + "slot"); err != nil {
		return err
	}
	if err := checkActor(prefix+"by.id", prefix+"by", d.By); err != nil {
		return err
	}
	if !d.Slot.Matches(d.By) {
		return &itil.ValidationError{Field: prefix + "by", Reason: fmt.Sprintf("%s may not decide for %s", d.By.ID, d.Slot)}
	}
	switch {
	case !d.Verdict.Valid():
		return &itil.ValidationError{Field: prefix + "verdict", Reason: "must be approve or reject"}
	case d.Verdict == Reject && strings.TrimSpace(d.Comment) == "":
		return &itil.ValidationError{Field: prefix + "comment", Reason: "required to reject"}
	}
	if err := checkTrimmed(prefix+"comment", d.Comment); err != nil {
		return err
	}
	return checkTime(prefix+"at", d.At)
}
