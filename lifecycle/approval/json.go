package approval

import "encoding/json"

// wire is Approval without its methods, for encoding/json.
type wire Approval

// MarshalJSON encodes the approval with its fields as tagged; the zero
// Approval encodes as null. An approval that fails Validate is an error,
// so that what is written can be read back.
func (a Approval) MarshalJSON() ([]byte, error) {
	if a.IsZero() {
		return []byte("null"), nil
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(wire(a))
}

// UnmarshalJSON decodes an approval written by MarshalJSON and checks it
// with Validate, so that it yields only approvals New, Decide and Cancel can
// produce. Every error is a *itil.ValidationError naming the field at fault,
// "decisions[2].by" say, or "approval" for the document as a whole:
// malformed JSON or trailing data, an unknown member or one given twice, a
// value of the wrong JSON type, a string that is not valid UTF-8 (lone
// surrogate escapes included), an unknown name, then whatever Validate
// reports. On error, and for null, a is left as it was.
func (a *Approval) UnmarshalJSON(b []byte) error {
	if err := checkInput("approval", "*Approval", a == nil, b); err != nil {
		return err
	}
	v, ok, err := decodeApproval(b)
	if err != nil || !ok {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*a = v
	return nil
}

// UnmarshalJSON decodes a policy written by encoding/json, strictly as
// Approval.UnmarshalJSON does, and checks what can be checked without the
// slots: errors are *itil.ValidationError on "policy" (the document),
// "policy.kind" (an unknown kind), "policy.n" (not an integer, a quorum
// below 1, a count on another kind) or "policy.first_rejection_rejects". On
// error, and for null, p is left as it was.
func (p *Policy) UnmarshalJSON(b []byte) error {
	if err := checkInput("policy", "*Policy", p == nil, b); err != nil {
		return err
	}
	v, err := decodePolicy("policy.", "", b)
	if err != nil || isNullInput(b) {
		return err
	}
	if err := v.check("policy."); err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalJSON decodes a rule written by encoding/json, strictly as
// Approval.UnmarshalJSON does, and checks it as New checks a request's
// policy and slots: errors are *itil.ValidationError on "rule" (the
// document), "policy.kind", "policy.n", "slots" or "slots[i]". On error, and
// for null, r is left as it was.
func (r *Rule) UnmarshalJSON(b []byte) error {
	if err := checkInput("rule", "*Rule", r == nil, b); err != nil {
		return err
	}
	v, err := decodeRule("", "rule", b)
	if err != nil || isNullInput(b) {
		return err
	}
	if err := checkRule("", v.Policy, v.Slots); err != nil {
		return err
	}
	*r = v
	return nil
}

// UnmarshalJSON decodes a decision written by encoding/json, strictly as
// Approval.UnmarshalJSON does, and checks what Decide guarantees of every
// decision it returns: errors are *itil.ValidationError on "decision" (the
// document), "slot", "by" (an actor who may not decide for the slot),
// "by.id", "by.name", "by.groups[i]", "verdict", "comment" or "at". On
// error, and for null, d is left as it was.
func (d *Decision) UnmarshalJSON(b []byte) error {
	if err := checkInput("decision", "*Decision", d == nil, b); err != nil {
		return err
	}
	v, err := decodeDecision("", "decision", b)
	if err != nil || isNullInput(b) {
		return err
	}
	if err := v.check(""); err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalJSON decodes an exclusion written by encoding/json, strictly as
// Approval.UnmarshalJSON does, and checks it as New does: errors are
// *itil.ValidationError on "exclusion" (the document), "actor" or "role".
// On error, and for null, x is left as it was.
func (x *Exclusion) UnmarshalJSON(b []byte) error {
	if err := checkInput("exclusion", "*Exclusion", x == nil, b); err != nil {
		return err
	}
	v, err := decodeExclusion("", "exclusion", b)
	if err != nil || isNullInput(b) {
		return err
	}
	if err := v.check(""); err != nil {
		return err
	}
	*x = v
	return nil
}
