package approval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// The decoders here read the JSON the package writes, strictly, and report
// every way a document differs from it as a *itil.ValidationError naming the
// field at fault ("decisions[2].by.id"): malformed JSON, trailing data, a
// member the type lacks or given twice, a value of the wrong JSON type, a
// string encoding/json would silently alter (invalid UTF-8, a lone UTF-16
// surrogate escape), an unknown name. What they return is then validated as
// the live API validates it.

// Member names of each type, as tagged.
var (
	approvalMembers  = []string{"policy", "slots", "excluded", "decisions", "state", "requested_at", "decided_at", "reason"}
	policyMembers    = []string{"kind", "n", "first_rejection_rejects"}
	ruleMembers      = []string{"policy", "slots"}
	exclusionMembers = []string{"actor", "role"}
	decisionMembers  = []string{"slot", "by", "verdict", "comment", "at"}
	actorMembers     = []string{"id", "name", "groups", "system"}
)

// object is a JSON object read by readObject: its members by name.
type object map[string]json.RawMessage

// readObject reads b as one JSON object. self names the object in errors
// about it as a whole; member returns the field of a member, for a member
// given twice. known lists the member names allowed, nil allowing any. It
// returns a nil object for null.
// An absent member (no bytes at all) reads as null.
func readObject(self string, member func(string) string, b []byte, known []string) (object, error) {
	if len(b) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, malformed(self, err)
	}
	var obj object
	switch tok {
	case nil:
	case json.Delim('{'):
		obj = object{}
		for dec.More() {
			start := dec.InputOffset()
			tok, err := dec.Token()
			if err != nil {
				return nil, malformed(self, err)
			}
			name, _ := tok.(string)
			if itil.CheckJSONText(self, bytes.TrimLeft(b[start:dec.InputOffset()], " \t\r\n,")) != nil {
				return nil, &itil.ValidationError{Field: self, Reason: "a member name is not valid UTF-8"}
			}
			if err := itil.CheckText(self, name, MaxNameLength); err != nil {
				return nil, &itil.ValidationError{Field: self, Reason: "a member name is " + reasonOf(err)}
			}
			if known != nil && !slices.Contains(known, name) {
				return nil, &itil.ValidationError{Field: self, Reason: fmt.Sprintf("unknown field %.64q", name)}
			}
			if _, dup := obj[name]; dup {
				return nil, &itil.ValidationError{Field: member(name), Reason: "given twice"}
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, malformed(self, err)
			}
			obj[name] = raw
		}
		if _, err := dec.Token(); err != nil {
			return nil, malformed(self, err)
		}
	default:
		return nil, &itil.ValidationError{Field: self, Reason: "want a JSON object, got " + tokenType(tok)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &itil.ValidationError{Field: self, Reason: "trailing data after the JSON value"}
	}
	return obj, nil
}

// members returns the member function of readObject for fields prefix+name.
func members(prefix string) func(string) string {
	return func(name string) string { return prefix + name }
}

// self names an object whose members are prefix+name: the prefix without
// its dot, or root at the top.
func self(prefix, root string) string {
	if prefix == "" {
		return root
	}
	return prefix[:len(prefix)-1]
}

// malformed reports JSON that does not parse.
func malformed(field string, err error) error {
	if err == io.EOF {
		return &itil.ValidationError{Field: field, Reason: "malformed JSON: no value"}
	}
	return &itil.ValidationError{Field: field, Reason: "malformed JSON: " + err.Error()}
}

// reasonOf returns the reason of a *itil.ValidationError, else its text.
func reasonOf(err error) string {
	if ve, ok := err.(*itil.ValidationError); ok {
		return ve.Reason
	}
	return err.Error()
}

// tokenType names the JSON type of a token of json.Decoder.
func tokenType(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// rawType names the JSON type of the valid JSON value raw.
func rawType(raw []byte) string {
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// wrongType reports a value of another JSON type than want.
func wrongType(field, want string, raw []byte) error {
	return &itil.ValidationError{Field: field, Reason: "want a JSON " + want + ", got " + rawType(raw)}
}

// isNull reports whether the valid JSON value raw is null (or absent).
func isNull(raw []byte) bool { return len(raw) == 0 || raw[0] == 'n' }

// decodeString decodes a JSON string; null or absent is "".
func decodeString(field string, raw []byte) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	if raw[0] != '"' {
		return "", wrongType(field, "string", raw)
	}
	if itil.CheckJSONText(field, raw) != nil {
		return "", &itil.ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", malformed(field, err)
	}
	return s, nil
}

// decodeInt decodes a JSON integer; null or absent is 0.
func decodeInt(field string, raw []byte) (int, error) {
	if isNull(raw) {
		return 0, nil
	}
	if rawType(raw) != "number" {
		return 0, wrongType(field, "number", raw)
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%.32s is not an integer", raw)}
	}
	return n, nil
}

// decodeBool decodes a JSON boolean; null or absent is false.
func decodeBool(field string, raw []byte) (bool, error) {
	if isNull(raw) {
		return false, nil
	}
	if rawType(raw) != "boolean" {
		return false, wrongType(field, "boolean", raw)
	}
	return raw[0] == 't', nil
}

// decodeTime decodes an RFC 3339 time in a JSON string; null or absent is
// the zero time.
func decodeTime(field string, raw []byte) (time.Time, error) {
	if isNull(raw) {
		return time.Time{}, nil
	}
	s, err := decodeString(field, raw)
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if err := t.UnmarshalText([]byte(s)); err != nil {
		return time.Time{}, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%.40q is not an RFC 3339 time", s)}
	}
	return t, nil
}

// decodeArray decodes a JSON array into its elements; null, absent or empty
// is nil.
func decodeArray(field string, raw []byte) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '[' {
		return nil, wrongType(field, "array", raw)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, malformed(field, err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	return items, nil
}

// decodeEach decodes each element of a JSON array with decode, naming them
// field[i]; null, absent or empty is nil.
func decodeEach[T any](field string, raw []byte, decode func(field string, raw []byte) (T, error)) ([]T, error) {
	items, err := decodeArray(field, raw)
	if err != nil || items == nil {
		return nil, err
	}
	out := make([]T, len(items))
	for i, item := range items {
		if out[i], err = decode(fmt.Sprintf("%s[%d]", field, i), item); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeSlot decodes a slot written as text.
func decodeSlot(field string, raw []byte) (Slot, error) {
	if isNull(raw) {
		return Slot{}, nil
	}
	s, err := decodeString(field, raw)
	if err != nil {
		return Slot{}, err
	}
	return parseSlot(field, s)
}

// decodeName decodes an enumeration's value by name; null or absent is the
// zero value.
func decodeName[T ~int8](n itil.Names[T], field string, raw []byte) (T, error) {
	if isNull(raw) {
		return 0, nil
	}
	s, err := decodeString(field, raw)
	if err != nil {
		return 0, err
	}
	return n.ParseAt(field, s)
}

// decodePolicy decodes a policy's members, named prefix+"kind" and so on.
func decodePolicy(prefix, root string, raw []byte) (Policy, error) {
	obj, err := readObject(self(prefix, root), members(prefix), raw, policyMembers)
	if err != nil {
		return Policy{}, err
	}
	var p Policy
	if p.Kind, err = decodeName(kindNames, prefix+"kind", obj["kind"]); err != nil {
		return Policy{}, err
	}
	if p.N, err = decodeInt(prefix+"n", obj["n"]); err != nil {
		return Policy{}, err
	}
	if p.FirstRejectionRejects, err = decodeBool(prefix+"first_rejection_rejects", obj["first_rejection_rejects"]); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// decodeRule decodes a rule's members, named prefix+"policy" and so on.
func decodeRule(prefix, root string, raw []byte) (Rule, error) {
	obj, err := readObject(self(prefix, root), members(prefix), raw, ruleMembers)
	if err != nil {
		return Rule{}, err
	}
	var r Rule
	if r.Policy, err = decodePolicy(prefix+"policy.", "", obj["policy"]); err != nil {
		return Rule{}, err
	}
	if r.Slots, err = decodeEach(prefix+"slots", obj["slots"], decodeSlot); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// decodeExclusion decodes an exclusion's members, named prefix+"actor" and
// prefix+"role".
func decodeExclusion(prefix, root string, raw []byte) (Exclusion, error) {
	obj, err := readObject(self(prefix, root), members(prefix), raw, exclusionMembers)
	if err != nil {
		return Exclusion{}, err
	}
	var x Exclusion
	if x.Actor, err = decodeString(prefix+"actor", obj["actor"]); err != nil {
		return Exclusion{}, err
	}
	if x.Role, err = decodeString(prefix+"role", obj["role"]); err != nil {
		return Exclusion{}, err
	}
	return x, nil
}

// decodeActor decodes an itil.Actor's members, named prefix+"id" and so on.
func decodeActor(prefix string, raw []byte) (itil.Actor, error) {
	obj, err := readObject(self(prefix, ""), members(prefix), raw, actorMembers)
	if err != nil {
		return itil.Actor{}, err
	}
	var a itil.Actor
	if a.ID, err = decodeString(prefix+"id", obj["id"]); err != nil {
		return itil.Actor{}, err
	}
	if a.Name, err = decodeString(prefix+"name", obj["name"]); err != nil {
		return itil.Actor{}, err
	}
	if a.Groups, err = decodeEach(prefix+"groups", obj["groups"], decodeString); err != nil {
		return itil.Actor{}, err
	}
	if a.System, err = decodeBool(prefix+"system", obj["system"]); err != nil {
		return itil.Actor{}, err
	}
	return a, nil
}

// decodeDecision decodes a decision's members, named prefix+"slot" and so
// on.
func decodeDecision(prefix, root string, raw []byte) (Decision, error) {
	obj, err := readObject(self(prefix, root), members(prefix), raw, decisionMembers)
	if err != nil {
		return Decision{}, err
	}
	var d Decision
	if d.Slot, err = decodeSlot(prefix+"slot", obj["slot"]); err != nil {
		return Decision{}, err
	}
	if d.By, err = decodeActor(prefix+"by.", obj["by"]); err != nil {
		return Decision{}, err
	}
	if d.Verdict, err = decodeName(verdictNames, prefix+"verdict", obj["verdict"]); err != nil {
		return Decision{}, err
	}
	if d.Comment, err = decodeString(prefix+"comment", obj["comment"]); err != nil {
		return Decision{}, err
	}
	if d.At, err = decodeTime(prefix+"at", obj["at"]); err != nil {
		return Decision{}, err
	}
	return d, nil
}

// decodeApproval decodes an approval's members; it returns ok false for
// null.
func decodeApproval(raw []byte) (a Approval, ok bool, err error) {
	obj, err := readObject("approval", members(""), raw, approvalMembers)
	if err != nil || obj == nil {
		return Approval{}, false, err
	}
	if a.Policy, err = decodePolicy("policy.", "", obj["policy"]); err != nil {
		return Approval{}, false, err
	}
	if a.Slots, err = decodeEach("slots", obj["slots"], decodeSlot); err != nil {
		return Approval{}, false, err
	}
	if a.Excluded, err = decodeEach("excluded", obj["excluded"], func(field string, raw []byte) (Exclusion, error) {
		return decodeExclusion(field+".", "", raw)
	}); err != nil {
		return Approval{}, false, err
	}
	if a.Decisions, err = decodeEach("decisions", obj["decisions"], func(field string, raw []byte) (Decision, error) {
		return decodeDecision(field+".", "", raw)
	}); err != nil {
		return Approval{}, false, err
	}
	if a.State, err = decodeName(stateNames, "state", obj["state"]); err != nil {
		return Approval{}, false, err
	}
	if a.RequestedAt, err = decodeTime("requested_at", obj["requested_at"]); err != nil {
		return Approval{}, false, err
	}
	if a.DecidedAt, err = decodeTime("decided_at", obj["decided_at"]); err != nil {
		return Approval{}, false, err
	}
	if a.Reason, err = decodeString("reason", obj["reason"]); err != nil {
		return Approval{}, false, err
	}
	return a, true, nil
}

// checkInput refuses input to an UnmarshalJSON method called with no bytes
// at all, which encoding/json never does, or on a nil receiver.
func checkInput(root, typ string, isNil bool, b []byte) error {
	if isNil {
		return nilReceiver(root, typ)
	}
	if len(b) == 0 {
		return &itil.ValidationError{Field: root, Reason: "malformed JSON: no value"}
	}
	return nil
}

// isNullInput reports whether b, a valid JSON value, is null.
func isNullInput(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }
