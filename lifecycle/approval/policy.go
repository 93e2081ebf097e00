package approval

import (
	"fmt"
	"strconv"

	"github.com/itil-go/itil"
)

// Kind is how a Policy counts approvals. The zero value is KindAll, the
// strictest rule, so that a zero Policy asks every approver.
type Kind int8

// The policy kinds.
const (
	// KindAll needs an approval from every slot.
	KindAll Kind = iota
	// KindAny needs one approval.
	KindAny
	// KindQuorum needs Policy.N approvals.
	KindQuorum
	// KindMajority needs approvals from more than half of the slots.
	KindMajority
)

var kindNames = itil.Names[Kind]{Field: "policy.kind", List: []string{"all", "any", "quorum", "majority"}}

// String returns "all", "any", "quorum" or "majority", or "policy.kind(N)"
// for other values.
func (k Kind) String() string { return kindNames.String(k) }

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return kindNames.Valid(k) }

// ParseKind returns the kind named s: "all", "any", "quorum" or "majority".
// Any other text is a *itil.ValidationError on "policy.kind".
func ParseKind(s string) (Kind, error) { return kindNames.Parse(s) }

// MarshalText encodes the kind by name; an unknown value is an error.
func (k Kind) MarshalText() ([]byte, error) { return kindNames.Marshal(k) }

// UnmarshalText decodes a kind by name. An unknown name or a nil receiver is
// a *itil.ValidationError, and leaves the value as it was.
func (k *Kind) UnmarshalText(b []byte) error { return kindNames.Unmarshal(k, b) }

// Policy says how many approvals a round needs and when it is rejected. The
// zero value is All: every slot must approve.
//
// A round is approved as soon as it has the approvals it needs, and rejected
// as soon as those approvals can no longer be reached because too many slots
// rejected. With FirstRejectionRejects, one rejection is enough. For KindAll
// the two are the same, since one rejection already makes approval
// impossible.
//
// It marshals to JSON with the kind by name:
//
//	{"kind": "quorum", "n": 2, "first_rejection_rejects": true}
type Policy struct {
	// Kind is how approvals are counted.
	Kind Kind `json:"kind"`
	// N is the number of approvals a KindQuorum policy needs: at least 1 and
	// at most the number of slots. Other kinds leave it zero.
	N int `json:"n,omitempty"`
	// FirstRejectionRejects rejects the round on its first rejection rather
	// than when approval can no longer be reached.
	FirstRejectionRejects bool `json:"first_rejection_rejects,omitempty"`
}

// All returns the policy that needs an approval from every slot.
func All() Policy { return Policy{Kind: KindAll} }

// Any returns the policy that needs one approval. It rejects only when every
// slot has rejected, unless FirstRejectionRejects is set.
func Any() Policy { return Policy{Kind: KindAny} }

// Quorum returns the policy that needs n approvals.
func Quorum(n int) Policy { return Policy{Kind: KindQuorum, N: n} }

// Majority returns the policy that needs approvals from more than half of
// the slots: 3 of 4, 3 of 5.
func Majority() Policy { return Policy{Kind: KindMajority} }

// String describes the policy: "all", "any", "quorum 2", "majority", with
// ", first rejection rejects" where that flag changes the outcome.
func (p Policy) String() string {
	s := p.Kind.String()
	if p.Kind == KindQuorum {
		s += " " + strconv.Itoa(p.N)
	}
	if p.FirstRejectionRejects && p.Kind != KindAll {
		s += ", first rejection rejects"
	}
	return s
}

// Needed returns how many approvals the policy needs from slots slots.
func (p Policy) Needed(slots int) int {
	switch p.Kind {
	case KindAny:
		return 1
	case KindQuorum:
		return p.N
	case KindMajority:
		return slots/2 + 1
	default:
		return slots
	}
}

// outcome is the state of a round of slots slots with approved approvals and
// rejected rejections.
func (p Policy) outcome(slots, approved, rejected int) State {
	need := p.Needed(slots)
	switch {
	case approved >= need:
		return Approved
	case slots-rejected < need:
		return Rejected
	case rejected > 0 && p.FirstRejectionRejects:
		return Rejected
	}
	return Pending
}

// rule describes what the policy needs of slots slots, for summaries.
func (p Policy) rule(slots int) string {
	switch p.Kind {
	case KindAll:
		return "all required"
	case KindAny:
		return "any one"
	case KindQuorum:
		return fmt.Sprintf("quorum %d", p.N)
	case KindMajority:
		return fmt.Sprintf("majority %d", p.Needed(slots))
	}
	return p.Kind.String()
}

// checkRule validates policy p against slots; field names are prefixed with
// prefix ("" or "matrix[high].").
func checkRule(prefix string, p Policy, slots []Slot) error {
	if !p.Kind.Valid() {
		return &itil.ValidationError{Field: prefix + "policy.kind", Reason: fmt.Sprintf("undefined value %d", int8(p.Kind))}
	}
	if len(slots) == 0 {
		return &itil.ValidationError{Field: prefix + "slots", Reason: "at least one approver is required"}
	}
	seen := make(map[Slot]int, len(slots))
	for i, s := range slots {
		field := fmt.Sprintf("%sslots[%d]", prefix, i)
		if err := s.check(field); err != nil {
			return err
		}
		if j, dup := seen[s]; dup {
			return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s is already slots[%d]", s, j)}
		}
		seen[s] = i
	}
	switch {
	case p.Kind == KindQuorum && p.N < 1:
		return &itil.ValidationError{Field: prefix + "policy.n", Reason: "a quorum needs at least 1 approval"}
	case p.Kind == KindQuorum && p.N > len(slots):
		return &itil.ValidationError{Field: prefix + "policy.n", Reason: fmt.Sprintf("quorum %d exceeds the %d approvers", p.N, len(slots))}
	case p.Kind != KindQuorum && p.N != 0:
		return &itil.ValidationError{Field: prefix + "policy.n", Reason: "only a quorum policy takes a count"}
	}
	return nil
}

// check validates what can be validated of p without the slots: a defined
// kind, a quorum of at least 1, no count on another kind. Field names are
// prefixed with prefix ("policy.").
func (p Policy) check(prefix string) error {
	switch {
	case !p.Kind.Valid():
		return &itil.ValidationError{Field: prefix + "kind", Reason: fmt.Sprintf("undefined value %d", int8(p.Kind))}
	case p.Kind == KindQuorum && p.N < 1:
		return &itil.ValidationError{Field: prefix + "n", Reason: "a quorum needs at least 1 approval"}
	case p.Kind != KindQuorum && p.N != 0:
		return &itil.ValidationError{Field: prefix + "n", Reason: "only a quorum policy takes a count"}
	}
	return nil
}
