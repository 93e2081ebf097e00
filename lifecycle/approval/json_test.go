package approval_test

import (
	"encoding/json"
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
		Slots:    []approval.Slot{approval.Group("cab"), approval.Person("olivia"), approval.Group("security")},
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}, {Actor: "ivan", Role: approval.RoleImplementer}},
	}
	pending := mustNew(t, req)
	_, err := pending.Decide(person("bob", "cab", "network"), approval.Approve, "fine", at(1))
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
		{"bad slot", `{"policy": {"kind": "any"}, "slots": ["team:cab"], "state": "pending", "requested_at": "2025-03-10T09:00:00Z"}`, "slot"},
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
		{"decision after the outcome", `{"policy": {"kind": "any"}, "slots": ["group:cab", "person:olivia"], "requested_at": "2025-03-10T09:00:00Z", "decisions": [` + bob + `, ` + olivia + `], "state": "approved", "decided_at": "2025-03-10T09:05:00Z"}`, "decisions[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := rounds(t)["pending"]
			before := a.Clone()
			err := json.Unmarshal([]byte(tt.json), &a)
			requireInvalid(t, err, tt.field)
			assert.Equal(t, before, a, "a failed decode changed the target")
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
		{approval.Group("cab"), "group:cab", func(s string) (texter, error) { return approval.ParseSlot(s) }},
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
		{"slot text", func() error { _, err := approval.ParseSlot("cab"); return err }, "slot"},
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
	assert.Equal(t, `slot(group "cab", person "olivia")`, approval.Slot{Group: "cab", Person: "olivia"}.String())
	var ve *itil.ValidationError
	_, err := approval.ParseVerdict("abstain")
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "approve or reject")
}
