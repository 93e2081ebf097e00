package approval

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/itil-go/itil"
)

// Rule is the approval a class of records needs: the policy and the slots.
type Rule struct {
	// Policy says how many approvals are needed.
	Policy Policy `json:"policy"`
	// Slots are the approvers, usually groups such as "cab"; people that
	// depend on the record, such as the owner of the affected service, are
	// added when the round is requested.
	Slots []Slot `json:"slots"`
}

// Matrix maps a label to the Rule for records that carry it: a change's risk
// ("low", "moderate", "high"), a request's cost band. The process that owns
// the label computes it; the matrix only says what approval follows.
//
// It marshals to JSON as an object keyed by label, and decoding validates
// every rule:
//
//	{"high": {"policy": {"kind": "all"}, "slots": ["group:cab", "group:change-managers"]}}
type Matrix map[string]Rule

// Validate reports the first bad entry, by label in sorted order, as a
// *itil.ValidationError on "matrix[LABEL]" or one of its fields, such as
// "matrix[high].policy.n".
func (m Matrix) Validate() error {
	for _, label := range slices.Sorted(maps.Keys(m)) {
		prefix := "matrix[" + label + "]"
		if strings.TrimSpace(label) == "" {
			return &itil.ValidationError{Field: prefix, Reason: "empty label"}
		}
		r := m[label]
		if err := checkRule(prefix+".", r.Policy, r.Slots); err != nil {
			return err
		}
	}
	return nil
}

// Rule returns a copy of the rule for label. An unknown label is a
// *itil.ValidationError on "label" that lists the known ones.
func (m Matrix) Rule(label string) (Rule, error) {
	r, ok := m[label]
	if !ok {
		known := strings.Join(slices.Sorted(maps.Keys(m)), ", ")
		if known == "" {
			known = "none"
		}
		return Rule{}, &itil.ValidationError{Field: "label", Reason: fmt.Sprintf("no approval rule for %q (known: %s)", label, known)}
	}
	r.Slots = slices.Clone(r.Slots)
	return r, nil
}

// UnmarshalJSON decodes a matrix and checks it with Validate; on error m is
// left as it was.
func (m *Matrix) UnmarshalJSON(b []byte) error {
	var raw map[string]Rule
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := Matrix(raw).Validate(); err != nil {
		return err
	}
	*m = raw
	return nil
}
