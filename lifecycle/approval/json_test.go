package approval_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// rounds returns one approval in each state.
func rounds(t *testing.T) map[string]approval.Approval {
	t.Helper()
	req := approval.Request{
		Policy:   approval.Quorum(2),
		Slots:    []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia"), approval.Group("security")},
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}, {Actor: "ivan", Role: approval.RoleImplementer}},
	}
	pending := mustNew(t, req)
	_, err := pending.Decide(person("bob", approval.GroupCAB, "network"), approval.Approve, "fine", at(1))
	require.NoError(t, err)

	approved := pending.Clone()
	_, err = approved.Decide(person("olivia"), approval.Approve, "", at(2))
	require.NoError(t, err)

	rejected := pending.Clone()
	_, err = rejected.Decide(person("olivia"), approval.Reject, "no backout plan", at(2))
	require.NoError(t, err)
	_, err = rejected.Decide(person("sue", "security"), approval.Reject, "no scan", at(3))
	require.NoError(t, err)

	cancelled := pending.Clone()
	require.NoError(t, cancelled.Cancel("change went back to new", at(4)))

	return map[string]approval.Approval{"pending": pending, "approved": approved, "rejected": rejected, "cancelled": cancelled}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for name, a := range rounds(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(a)
			require.NoError(t, err)
			var back approval.Approval
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, a, back)
			assert.Equal(t, name, back.Outcome().String())
		})
	}
}

func TestJSONForm(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(rounds(t)["approved"])
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"policy": {"kind": "quorum", "n": 2},
		"slots": ["group:cab", "person:olivia", "group:security"],
		"excluded": [{"actor": "alice", "role": "requester"}, {"actor": "ivan", "role": "implementer"}],
		"decisions": [
			{"slot": "group:cab", "by": {"id": "bob", "name": "bob", "groups": ["cab", "network"]},
			 "verdict": "approve", "comment": "fine", "at": "2025-03-10T09:01:00Z"},
			{"slot": "person:olivia", "by": {"id": "olivia", "name": "olivia"},
			 "verdict": "approve", "at": "2025-03-10T09:02:00Z"}
		],
		"state": "approved",
		"requested_at": "2025-03-10T09:00:00Z",
		"decided_at": "2025-03-10T09:02:00Z"
	}`, string(b))
}

func TestJSONZeroIsNull(t *testing.T) {
	t.Parallel()
	type change struct {
		Title    string            `json:"title"`
		Approval approval.Approval `json:"approval"`
		Optional approval.Approval `json:"optional,omitzero"`
	}
	b, err := json.Marshal(change{Title: "patch"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"title": "patch", "approval": null}`, string(b))

	var back change
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Approval.IsZero())
	assert.True(t, back.Optional.IsZero())
}

func TestJSONRefusesInconsistentApprovals(t *testing.T) {
	t.Parallel()
	const head = `"policy": {"kind": "quorum", "n": 2}, "slots": ["group:cab", "person:olivia", "person:pat"], "requested_at": "2025-03-10T09:00:00Z"`
	const bob = `{"slot": "group:cab", "by": {"id": "bob", "groups": ["cab"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}`
	const olivia = `{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve", "at": "2025-03-10T09:02:00Z"}`
	tests := []struct {
		name  string
		json  string
		field string
	}{
		{"no state", `{` + head + `}`, "state"},
		{"unknown state", `{` + head + `, "state": "open"}`, "state"},
		{"unknown kind", `{"policy": {"kind": "most"}, "slots": ["group:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "policy.kind"},
		{"quorum above slots", `{"policy": {"kind": "quorum", "n": 4}, "slots": ["group:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "policy.n"},
		{"no slots", `{"policy": {"kind": "any"}, "slots": [], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "slots"},
		{"bad slot", `{"policy": {"kind": "any"}, "slots": ["group:cab", "team:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "slots[1]"},
		{"duplicate slot", `{"policy": {"kind": "any"}, "slots": ["group:cab", "group:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "slots[1]"},
		{"no requested_at", `{"policy": {"kind": "any"}, "slots": ["group:cab"], "state": "pending"}`, "requested_at"},
		{"exclusion without role", `{` + head + `, "excluded": [{"actor": "alice"}], "state": "pending"}`, "excluded[0].role"},
		{"approved without decisions", `{` + head + `, "state": "approved", "decided_at": "2025-03-10T09:05:00Z"}`, "state"},
		{"pending with quorum reached", `{` + head + `, "decisions": [` + bob + `, ` + olivia + `], "state": "pending"}`, "state"},
		{"approved without decided_at", `{` + head + `, "decisions": [` + bob + `, ` + olivia + `], "state": "approved"}`, "decided_at"},
		{"decided_at while pending", `{` + head + `, "decisions": [` + bob + `], "state": "pending", "decided_at": "2025-03-10T09:05:00Z"}`, "decided_at"},
		{"cancelled without reason", `{` + head + `, "state": "cancelled", "decided_at": "2025-03-10T09:05:00Z"}`, "reason"},
		{"reason while pending", `{` + head + `, "state": "pending", "reason": "why"}`, "reason"},
		{"decision for a foreign slot", `{` + head + `, "decisions": [{"slot": "group:ops", "by": {"id": "x", "groups": ["ops"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].slot"},
		{"decision by a non-member", `{` + head + `, "decisions": [{"slot": "group:cab", "by": {"id": "x"}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by"},
		{"decision without actor", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by.id"},
		{"slot decided twice", `{` + head + `, "decisions": [` + bob + `, ` + strings.Replace(bob, `"bob"`, `"carol"`, 1) + `], "state": "approved", "decided_at": "2025-03-10T09:05:00Z"}`, "decisions[1].slot"},
		{"actor decided twice", `{"policy": {"kind": "all"}, "slots": ["group:cab", "group:ops"], "requested_at": "2025-03-10T09:00:00Z", "decisions": [` + bob + `, {"slot": "group:ops", "by": {"id": "bob", "groups": ["cab", "ops"]}, "verdict": "approve", "at": "2025-03-10T09:02:00Z"}], "state": "approved", "decided_at": "2025-03-10T09:05:00Z"}`, "decisions[1].by"},
		{"rejection without comment", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"decision without time", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve"}], "state": "pending"}`, "decisions[0].at"},
		{"decision after the outcome", `{"policy": {"kind": "any"}, "slots": ["group:cab", "person:olivia"], "requested_at": "2025-03-10T09:00:00Z", "decisions": [` + bob + `, ` + olivia + `], "state": "approved", "decided_at": "2025-03-10T09:02:00Z"}`, "decisions[1]"},

		// Segregation of duties, as Decide and New enforce it.
		{"decision by the excluded implementer in the group", `{` + head + `, "excluded": [{"actor": "bob", "role": "implementer"}], "decisions": [` + bob + `], "state": "pending"}`, "decisions[0].by"},
		{"person slot of an excluded actor", `{` + head + `, "excluded": [{"actor": "pat", "role": "requester"}], "state": "pending"}`, "slots[2]"},
		{"exclusion with surrounding spaces", `{` + head + `, "excluded": [{"actor": "bob ", "role": "requester"}], "state": "pending"}`, "excluded[0].actor"},

		// The slot Decide would have filled.
		{"group slot while the personal one is open", `{` + head + `, "decisions": [{"slot": "group:cab", "by": {"id": "olivia", "groups": ["cab"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].slot"},
		{"second group before the first", `{"policy": {"kind": "any"}, "slots": ["group:cab", "group:ops"], "requested_at": "2025-03-10T09:00:00Z", "decisions": [{"slot": "group:ops", "by": {"id": "sam", "groups": ["cab", "ops"]}, "verdict": "reject", "comment": "no", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].slot"},
		{"actor with surrounding spaces", `{` + head + `, "decisions": [{"slot": "group:cab", "by": {"id": " bob", "groups": ["cab"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by.id"},

		// Times in the order Decide and Cancel take them.
		{"decision before the request", `{` + head + `, "decisions": [` + strings.Replace(bob, "09:01", "08:59", 1) + `], "state": "pending"}`, "decisions[0].at"},
		{"decisions out of order", `{"policy": {"kind": "all"}, "slots": ["group:cab", "person:olivia", "person:pat"], "requested_at": "2025-03-10T09:00:00Z", "decisions": [` + olivia + `, ` + bob + `], "state": "pending"}`, "decisions[1].at"},
		{"decided_at other than the settling decision", `{` + head + `, "decisions": [` + bob + `, ` + olivia + `], "state": "approved", "decided_at": "2025-03-10T09:05:00Z"}`, "decided_at"},
		{"cancelled before the last decision", `{` + head + `, "decisions": [` + bob + `], "state": "cancelled", "decided_at": "2025-03-10T09:00:30Z", "reason": "back to new"}`, "decided_at"},
		{"cancelled before the request", `{` + head + `, "state": "cancelled", "decided_at": "2025-03-10T08:00:00Z", "reason": "back to new"}`, "decided_at"},

		// Texts kept as Decide and Cancel keep them.
		{"comment with surrounding spaces", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": " no ", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"reason with surrounding spaces", `{` + head + `, "state": "cancelled", "decided_at": "2025-03-10T09:05:00Z", "reason": "back to new "}`, "reason"},
		{"NUL in a comment", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": "no\u0000", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"invalid UTF-8 in a comment", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": "no` + "\xff" + `", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"lone surrogate in a comment", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": "no\ud800", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"comment too long", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": "` + strings.Repeat("€", approval.MaxTextLength+1) + `", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].comment"},
		{"NUL in a group name", `{"policy": {"kind": "any"}, "slots": ["group:c\u0000ab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "slots[0]"},
		{"NUL in an actor's group", `{` + head + `, "decisions": [{"slot": "group:cab", "by": {"id": "bob", "groups": ["cab", "x\u0000"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by.groups[1]"},
		{"actor name too long", `{` + head + `, "decisions": [{"slot": "group:cab", "by": {"id": "bob", "name": "` + strings.Repeat("b", approval.MaxNameLength+1) + `", "groups": ["cab"]}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by.name"},
		{"role with invalid UTF-8", `{` + head + `, "excluded": [{"actor": "alice", "role": "` + "\xfe" + `"}], "state": "pending"}`, "excluded[0].role"},

		// Names and shapes the encoder never writes, at their path.
		{"unknown verdict", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "abstain", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].verdict"},
		{"unknown slot in a decision", `{` + head + `, "decisions": [{"slot": "team:cab", "by": {"id": "olivia"}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].slot"},
		{"bad time", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve", "at": "yesterday"}], "state": "pending"}`, "decisions[0].at"},
		{"unknown field", `{` + head + `, "state": "pending", "approved_by": "mallory"}`, "approval"},
		{"unknown field in a decision", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve", "at": "2025-03-10T09:01:00Z", "override": true}], "state": "pending"}`, "decisions[0]"},
		{"field given twice", `{` + head + `, "state": "pending", "state": "approved"}`, "state"},
		{"field in another case", `{` + head + `, "State": "pending"}`, "approval"},
		{"wrong type", `{` + head + `, "state": "pending", "decisions": {"0": {}}}`, "decisions"},
		{"wrong type deep", `{` + head + `, "decisions": [{"slot": "person:olivia", "by": {"id": 7}, "verdict": "approve", "at": "2025-03-10T09:01:00Z"}], "state": "pending"}`, "decisions[0].by.id"},
		{"fractional count", `{"policy": {"kind": "quorum", "n": 1.5}, "slots": ["group:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "policy.n"},
		{"not an object", `["pending"]`, "approval"},
		{"malformed", `{"state": "pending",`, "approval"},
		{"trailing data", `{` + head + `, "state": "pending"} {}`, "approval"},
		{"empty input", ``, "approval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := []byte(tt.json)
			a := rounds(t)["pending"]
			before := a.Clone()
			requireInvalid(t, a.UnmarshalJSON(doc), tt.field)
			assert.Equal(t, before, a, "a failed decode changed the target")
			if json.Valid(doc) {
				// Nested in a record, through encoding/json.
				var rec struct{ Approval approval.Approval }
				err := json.Unmarshal([]byte(`{"Approval": `+string(doc)+`}`), &rec)
				requireInvalid(t, err, tt.field)
			}
		})
	}
}

func TestMarshalRefusesInconsistentApprovals(t *testing.T) {
	t.Parallel()
	a := rounds(t)["pending"]
	a.State = approval.Approved
	_, err := json.Marshal(a)
	requireInvalid(t, err, "state")
}

func TestTextNames(t *testing.T) {
	t.Parallel()
	type texter interface {
		MarshalText() ([]byte, error)
	}
	tests := []struct {
		value texter
		text  string
		parse func(string) (texter, error)
	}{
		{approval.KindAll, "all", func(s string) (texter, error) { return approval.ParseKind(s) }},
		{approval.KindAny, "any", func(s string) (texter, error) { return approval.ParseKind(s) }},
		{approval.KindQuorum, "quorum", func(s string) (texter, error) { return approval.ParseKind(s) }},
		{approval.KindMajority, "majority", func(s string) (texter, error) { return approval.ParseKind(s) }},
		{approval.Pending, "pending", func(s string) (texter, error) { return approval.ParseState(s) }},
		{approval.Approved, "approved", func(s string) (texter, error) { return approval.ParseState(s) }},
		{approval.Rejected, "rejected", func(s string) (texter, error) { return approval.ParseState(s) }},
		{approval.Cancelled, "cancelled", func(s string) (texter, error) { return approval.ParseState(s) }},
		{approval.Approve, "approve", func(s string) (texter, error) { return approval.ParseVerdict(s) }},
		{approval.Reject, "reject", func(s string) (texter, error) { return approval.ParseVerdict(s) }},
		{approval.Group(approval.GroupCAB), "group:cab", func(s string) (texter, error) { return approval.ParseSlot(s) }},
		{approval.Person("dom:olivia"), "person:dom:olivia", func(s string) (texter, error) { return approval.ParseSlot(s) }},
	}
	for _, tt := range tests {
		b, err := tt.value.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tt.text, string(b))
		back, err := tt.parse(tt.text)
		require.NoError(t, err)
		assert.Equal(t, tt.value, back)
	}
}

func TestTextNamesRefuseUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   func() error
		field string
	}{
		{"kind", func() error { _, err := approval.ParseKind("most"); return err }, "policy.kind"},
		{"state", func() error { _, err := approval.ParseState(""); return err }, "state"},
		{"verdict", func() error { _, err := approval.ParseVerdict("abstain"); return err }, "verdict"},
		{"slot kind", func() error { _, err := approval.ParseSlot("team:cab"); return err }, "slot"},
		{"slot name", func() error { _, err := approval.ParseSlot("group:"); return err }, "slot"},
		{"slot text", func() error { _, err := approval.ParseSlot(approval.GroupCAB); return err }, "slot"},
		{"unset state", func() error { _, err := approval.State(0).MarshalText(); return err }, "state"},
		{"unset verdict", func() error { _, err := approval.Verdict(0).MarshalText(); return err }, "verdict"},
		{"unknown kind", func() error { _, err := approval.Kind(9).MarshalText(); return err }, "policy.kind"},
		{"empty slot", func() error { _, err := approval.Slot{}.MarshalText(); return err }, "slot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireInvalid(t, tt.err(), tt.field)
		})
	}
	assert.Equal(t, "verdict(0)", approval.Verdict(0).String())
	assert.Equal(t, `slot(group "cab", person "olivia")`, approval.Slot{Group: approval.GroupCAB, Person: "olivia"}.String())
	var ve *itil.ValidationError
	_, err := approval.ParseVerdict("abstain")
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "approve or reject")
}

// TestJSONRefusesBadValues decodes each of the package's other types from
// documents its encoder never writes: every one is refused with a
// *itil.ValidationError on the field at fault and leaves the target as it
// was.
func TestJSONRefusesBadValues(t *testing.T) {
	t.Parallel()
	const at1 = `"at": "2025-03-10T09:01:00Z"`
	tests := []struct {
		name   string
		target func() json.Unmarshaler // a valid value to decode onto
		json   string
		field  string
	}{
		{"matrix: unknown kind", matrixTarget, `{"high": {"policy": {"kind": "most"}, "slots": ["group:cab"]}}`, "matrix[high].policy.kind"},
		{"matrix: bad slot", matrixTarget, `{"high": {"policy": {"kind": "any"}, "slots": ["group:cab", "team:x"]}}`, "matrix[high].slots[1]"},
		{"matrix: unknown field", matrixTarget, `{"high": {"policy": {"kind": "any"}, "slots": ["group:cab"], "quorum": 2}}`, "matrix[high]"},
		{"matrix: label twice", matrixTarget, `{"high": {"slots": ["group:cab"]}, "high": {"slots": ["group:ops"]}}`, "matrix[high]"},
		{"matrix: label with NUL", matrixTarget, `{"hi\u0000gh": {"slots": ["group:cab"]}}`, "matrix"},
		{"matrix: label with a lone surrogate", matrixTarget, `{"\udc00": {"slots": ["group:cab"]}}`, "matrix"},
		{"matrix: label with spaces", matrixTarget, `{" high": {"slots": ["group:cab"]}}`, "matrix[ high]"},
		{"matrix: rule of the wrong type", matrixTarget, `{"high": ["group:cab"]}`, "matrix[high]"},
		{"matrix: not an object", matrixTarget, `[]`, "matrix"},
		{"matrix: malformed", matrixTarget, `{"high": `, "matrix"},

		{"rule: no slots", ruleTarget, `{"policy": {"kind": "any"}, "slots": []}`, "slots"},
		{"rule: zero", ruleTarget, `{}`, "slots"},
		{"rule: quorum above slots", ruleTarget, `{"policy": {"kind": "quorum", "n": 2}, "slots": ["group:cab"]}`, "policy.n"},
		{"rule: duplicate slot", ruleTarget, `{"slots": ["group:cab", "group:cab"]}`, "slots[1]"},
		{"rule: unknown field", ruleTarget, `{"slots": ["group:cab"], "excluded": []}`, "rule"},
		{"rule: trailing data", ruleTarget, `{"slots": ["group:cab"]}]`, "rule"},

		{"policy: unknown kind", policyTarget, `{"kind": "most"}`, "policy.kind"},
		{"policy: quorum 0", policyTarget, `{"kind": "quorum"}`, "policy.n"},
		{"policy: count on all", policyTarget, `{"kind": "all", "n": 2}`, "policy.n"},
		{"policy: count as text", policyTarget, `{"kind": "quorum", "n": "2"}`, "policy.n"},
		{"policy: flag as text", policyTarget, `{"kind": "any", "first_rejection_rejects": "yes"}`, "policy.first_rejection_rejects"},
		{"policy: unknown field", policyTarget, `{"kind": "any", "strict": true}`, "policy"},

		{"decision: no slot", decisionTarget, `{"by": {"id": "olivia"}, "verdict": "approve", ` + at1 + `}`, "slot"},
		{"decision: not the slot's", decisionTarget, `{"slot": "group:cab", "by": {"id": "olivia"}, "verdict": "approve", ` + at1 + `}`, "by"},
		{"decision: no actor", decisionTarget, `{"slot": "person:olivia", "verdict": "approve", ` + at1 + `}`, "by.id"},
		{"decision: unknown actor field", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia", "role": "boss"}, "verdict": "approve", ` + at1 + `}`, "by"},
		{"decision: no verdict", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia"}, ` + at1 + `}`, "verdict"},
		{"decision: rejection without comment", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", ` + at1 + `}`, "comment"},
		{"decision: comment with NUL", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "reject", "comment": "\u0000", ` + at1 + `}`, "comment"},
		{"decision: no time", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve"}`, "at"},
		{"decision: time as a number", decisionTarget, `{"slot": "person:olivia", "by": {"id": "olivia"}, "verdict": "approve", "at": 1741597260}`, "at"},
		{"decision: groups as text", decisionTarget, `{"slot": "group:cab", "by": {"id": "bob", "groups": "cab"}, "verdict": "approve", ` + at1 + `}`, "by.groups"},

		{"exclusion: no actor", exclusionTarget, `{"role": "requester"}`, "actor"},
		{"exclusion: no role", exclusionTarget, `{"actor": "alice", "role": " "}`, "role"},
		{"exclusion: actor with spaces", exclusionTarget, `{"actor": "alice ", "role": "requester"}`, "actor"},
		{"exclusion: actor too long", exclusionTarget, `{"actor": "` + strings.Repeat("a", approval.MaxNameLength+1) + `", "role": "requester"}`, "actor"},
		{"exclusion: unknown field", exclusionTarget, `{"actor": "alice", "role": "requester", "until": "2026"}`, "exclusion"},
		{"exclusion: not an object", exclusionTarget, `"alice"`, "exclusion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := tt.target()
			before := tt.target()
			requireInvalid(t, v.UnmarshalJSON([]byte(tt.json)), tt.field)
			assert.Equal(t, before, v, "a failed decode changed the target")
		})
	}
}

func matrixTarget() json.Unmarshaler { m := riskMatrix(); return &m }

func ruleTarget() json.Unmarshaler {
	return &approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}}
}

func policyTarget() json.Unmarshaler { p := approval.Quorum(2); return &p }

func decisionTarget() json.Unmarshaler {
	return &approval.Decision{Slot: approval.Group(approval.GroupCAB), By: person("bob", approval.GroupCAB), Verdict: approval.Approve, At: at(1)}
}

func exclusionTarget() json.Unmarshaler {
	return &approval.Exclusion{Actor: "alice", Role: approval.RoleRequester}
}

// TestJSONRoundTripOfValues encodes values the live API builds and decodes
// them back to equal values.
func TestJSONRoundTripOfValues(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{
		Slots:    []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")},
		Excluded: []approval.Exclusion{},
	})
	d, err := a.Decide(itil.Actor{ID: "bob", Groups: []string{approval.GroupCAB}, System: true}, approval.Reject, "no backout", at(1))
	require.NoError(t, err)
	quorum := approval.Quorum(2)
	quorum.FirstRejectionRejects = true
	tests := []struct {
		name  string
		value any
		back  func() any
	}{
		{"approval with empty lists", a, func() any { return new(approval.Approval) }},
		{"fresh approval with empty exclusions", mustNew(t, approval.Request{Slots: people(1), Excluded: []approval.Exclusion{}}), func() any { return new(approval.Approval) }},
		{"decision", d, func() any { return new(approval.Decision) }},
		{"decision of an actor without groups", mustDecide(t, itil.Actor{ID: "p1", Groups: []string{}}), func() any { return new(approval.Decision) }},
		{"exclusion", approval.Exclusion{Actor: "alice", Role: "requester"}, func() any { return new(approval.Exclusion) }},
		{"policy", quorum, func() any { return new(approval.Policy) }},
		{"rule", approval.Rule{Policy: quorum, Slots: people(3)}, func() any { return new(approval.Rule) }},
		{"matrix", riskMatrix(), func() any { return new(approval.Matrix) }},
		{"characters, not bytes", approval.Exclusion{Actor: strings.Repeat("€", approval.MaxNameLength), Role: "requester"}, func() any { return new(approval.Exclusion) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.value)
			require.NoError(t, err)
			back := tt.back()
			require.NoError(t, json.Unmarshal(b, back))
			assert.Equal(t, tt.value, reflectElem(back))
		})
	}
}

// mustDecide returns actor's decision on a fresh round of one person slot.
func mustDecide(t *testing.T, actor itil.Actor) approval.Decision {
	t.Helper()
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Person(actor.ID)}})
	d, err := a.Decide(actor, approval.Approve, "", at(1))
	require.NoError(t, err)
	return d
}

// reflectElem returns the value p points to.
func reflectElem(p any) any {
	switch p := p.(type) {
	case *approval.Approval:
		return *p
	case *approval.Decision:
		return *p
	case *approval.Exclusion:
		return *p
	case *approval.Policy:
		return *p
	case *approval.Rule:
		return *p
	case *approval.Matrix:
		return *p
	}
	panic("unexpected type")
}

// TestJSONDecodesEveryActorField guards the decoder of a decision's actor
// against a field added to itil.Actor: every field set is read back.
func TestJSONDecodesEveryActorField(t *testing.T) {
	t.Parallel()
	var actor itil.Actor
	v := reflect.ValueOf(&actor).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(approval.GroupCAB)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{approval.GroupCAB}))
		default:
			t.Fatalf("itil.Actor.%s: a field of kind %s the test does not fill", v.Type().Field(i).Name, f.Kind())
		}
	}
	d := approval.Decision{Slot: approval.Group(approval.GroupCAB), By: actor, Verdict: approval.Approve, At: at(1)}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	var back approval.Decision
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back)
}
