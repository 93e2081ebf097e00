package approval

import (
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
// "matrix[high].policy.n". A label that is empty or has surrounding spaces
// is an error on "matrix[LABEL]"; one that is not storable text (see
// MaxNameLength) is an error on "matrix", quoting it.
func (m Matrix) Validate() error {
	for _, label := range slices.Sorted(maps.Keys(m)) {
		if err := checkName("matrix", label); err != nil {
			return &itil.ValidationError{Field: "matrix", Reason: fmt.Sprintf("label %.64q: %s", label, reasonOf(err))}
		}
		prefix := "matrix[" + label + "]"
		switch {
		case strings.TrimSpace(label) == "":
			return &itil.ValidationError{Field: prefix, Reason: "empty label"}
		case strings.TrimSpace(label) != label:
			return &itil.ValidationError{Field: prefix, Reason: "label has surrounding spaces"}
		}
		r := m[label]
		if err := checkRule(prefix+".", r.Policy, r.Slots); err != nil {
			return err
		}
	}
	return nil
}

// Rule returns a copy of the rule for label. An unknown label is a
// *itil.ValidationError on "label" that lists the known ones, as is a label
// that is not storable text.
func (m Matrix) Rule(label string) (Rule, error) {
	if err := checkName("label", label); err != nil {
		return Rule{}, err
	}
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

// UnmarshalJSON decodes a matrix and checks it with Validate. Every error is
// a *itil.ValidationError: on "matrix" for the document as a whole
// (malformed JSON, trailing data, not an object, a label that is not valid
// UTF-8), on "matrix[LABEL]" for a label given twice or a rule that is not
// an object or has an unknown member, else on the field Validate names. On
// error m is left as it was; null sets it to nil, as encoding/json does for
// a map.
func (m *Matrix) UnmarshalJSON(b []byte) error {
	if err := checkInput("matrix", "*Matrix", m == nil, b); err != nil {
		return err
	}
	label := func(name string) string { return "matrix[" + name + "]" }
	obj, err := readObject("matrix", label, b, nil)
	if err != nil {
		return err
	}
	var out Matrix
	if obj != nil {
		out = make(Matrix, len(obj))
		for _, name := range slices.Sorted(maps.Keys(obj)) {
			if err := checkName("matrix", name); err != nil {
				return &itil.ValidationError{Field: "matrix", Reason: fmt.Sprintf("label %.64q: %s", name, reasonOf(err))}
			}
			if out[name], err = decodeRule(label(name)+".", "", obj[name]); err != nil {
				return err
			}
		}
	}
	if err := out.Validate(); err != nil {
		return err
	}
	*m = out
	return nil
}

// MatrixOf returns the matrix that gives each key's rule to the label
// key.String(), so that a caller keys the rules by its own typed values
// and never writes the labels:
//
//	m := approval.MatrixOf(map[change.Risk]approval.Rule{
//		change.RiskLow:  {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupChangeManagers)}},
//		change.RiskHigh: {Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}},
//	})
//
// Two keys with the same String would share a label; Validate and the
// process that reads the matrix judge the labels.
func MatrixOf[K interface {
	comparable
	fmt.Stringer
}](rules map[K]Rule) Matrix {
	if rules == nil {
		return nil
	}
	m := make(Matrix, len(rules))
	for k, r := range rules {
		r.Slots = slices.Clone(r.Slots)
		m[k.String()] = r
	}
	return m
}

// RuleOf is Rule for the label key.String(): m.RuleOf(change.RiskHigh).
func (m Matrix) RuleOf(key fmt.Stringer) (Rule, error) {
	if key == nil {
		return Rule{}, &itil.ValidationError{Field: "label", Reason: "required"}
	}
	return m.Rule(key.String())
}
