package approval_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

func TestNewRejectsBadRequests(t *testing.T) {
	t.Parallel()
	cab := approval.Group(approval.GroupCAB)
	tests := []struct {
		name  string
		req   approval.Request
		field string
	}{
		{"no slots", approval.Request{Policy: approval.Any(), At: t0}, "slots"},
		{"quorum 0", approval.Request{Policy: approval.Quorum(0), Slots: people(3), At: t0}, "policy.n"},
		{"negative quorum", approval.Request{Policy: approval.Quorum(-1), Slots: people(3), At: t0}, "policy.n"},
		{"quorum above slots", approval.Request{Policy: approval.Quorum(4), Slots: people(3), At: t0}, "policy.n"},
		{"count on majority", approval.Request{Policy: approval.Policy{Kind: approval.KindMajority, N: 2}, Slots: people(3), At: t0}, "policy.n"},
		{"unknown kind", approval.Request{Policy: approval.Policy{Kind: 7}, Slots: people(3), At: t0}, "policy.kind"},
		{"duplicate group", approval.Request{Slots: []approval.Slot{cab, approval.Person("olivia"), cab}, At: t0}, "slots[2]"},
		{"duplicate person", approval.Request{Slots: []approval.Slot{approval.Person("olivia"), approval.Person("olivia")}, At: t0}, "slots[1]"},
		{"empty slot", approval.Request{Slots: []approval.Slot{cab, {}}, At: t0}, "slots[1]"},
		{"slot with both", approval.Request{Slots: []approval.Slot{{Group: approval.GroupCAB, Person: "olivia"}}, At: t0}, "slots[0]"},
		{"slot with spaces", approval.Request{Slots: []approval.Slot{approval.Group(" cab")}, At: t0}, "slots[0]"},
		{"exclusion without actor", approval.Request{Slots: []approval.Slot{cab}, Excluded: []approval.Exclusion{{Role: approval.RoleRequester}}, At: t0}, "excluded[0].actor"},
		{"exclusion without role", approval.Request{Slots: []approval.Slot{cab}, Excluded: []approval.Exclusion{{Actor: "alice"}}, At: t0}, "excluded[0].role"},
		{"excluded person slot", approval.Request{
			Slots:    []approval.Slot{cab, approval.Person("alice")},
			Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}}, At: t0,
		}, "slots[1]"},
		{"no time", approval.Request{Slots: []approval.Slot{cab}}, "at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := approval.New(tt.req)
			requireInvalid(t, err, tt.field)
			assert.True(t, a.IsZero())
		})
	}
}

func TestNewCopiesItsInput(t *testing.T) {
	t.Parallel()
	slots := []approval.Slot{approval.Group(approval.GroupCAB)}
	a := mustNew(t, approval.Request{Slots: slots, At: t0})
	slots[0] = approval.Group("other")
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupCAB)}, a.Slots)
	assert.Equal(t, approval.Pending, a.Outcome())
	assert.Equal(t, t0, a.RequestedAt)
}

func TestDecideRefusals(t *testing.T) {
	t.Parallel()
	// A round of quorum 2 over the CAB and olivia, in which bob has
	// approved for the CAB; alice requested the change, ivan implements it.
	round := func(t *testing.T) approval.Approval {
		a := mustNew(t, approval.Request{
			Policy: approval.Quorum(2),
			Slots:  []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia"), approval.Person("pat")},
			Excluded: []approval.Exclusion{
				{Actor: "alice", Role: approval.RoleRequester},
				{Actor: "ivan", Role: approval.RoleImplementer},
			},
		})
		_, err := a.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
		require.NoError(t, err)
		return a
	}
	settled := func(t *testing.T) approval.Approval {
		a := round(t)
		_, err := a.Decide(person("olivia"), approval.Approve, "", at(2))
		require.NoError(t, err)
		return a
	}
	cancelled := func(t *testing.T) approval.Approval {
		a := round(t)
		require.NoError(t, a.Cancel("back to new", at(2)))
		return a
	}

	tests := []struct {
		name    string
		round   func(t *testing.T) approval.Approval
		actor   itil.Actor
		verdict approval.Verdict
		comment string
		at      time.Time
		field   string // a *itil.ValidationError on this field, or
		err     error  // an error matching this one
	}{
		{name: "stranger", round: round, actor: person("mallory", "network"), verdict: approval.Approve, at: at(2), err: approval.ErrNotApprover},
		{name: "double decision", round: round, actor: person("bob", approval.GroupCAB), verdict: approval.Approve, at: at(2), err: approval.ErrAlreadyDecided},
		{name: "group already decided", round: round, actor: person("carol", approval.GroupCAB), verdict: approval.Reject, comment: "no", at: at(2), err: approval.ErrAlreadyDecided},
		{name: "after approval", round: settled, actor: person("pat"), verdict: approval.Approve, at: at(3), err: approval.ErrClosed},
		{name: "after cancel", round: cancelled, actor: person("olivia"), verdict: approval.Approve, at: at(3), err: approval.ErrClosed},
		{name: "requester", round: round, actor: person("alice"), verdict: approval.Approve, at: at(2), err: approval.ErrSegregation},
		{name: "requester in the group", round: round, actor: person("alice", approval.GroupCAB), verdict: approval.Approve, at: at(2), err: approval.ErrSegregation},
		{name: "implementer in the group", round: round, actor: person("ivan", approval.GroupCAB), verdict: approval.Reject, comment: "mine", at: at(2), err: approval.ErrSegregation},
		{name: "rejection without comment", round: round, actor: person("olivia"), verdict: approval.Reject, comment: "  ", at: at(2), field: "comment"},
		{name: "no actor", round: round, actor: itil.Actor{Groups: []string{approval.GroupCAB}}, verdict: approval.Approve, at: at(2), field: "actor"},
		{name: "no verdict", round: round, actor: person("olivia"), at: at(2), field: "verdict"},
		{name: "unknown verdict", round: round, actor: person("olivia"), verdict: 9, at: at(2), field: "verdict"},
		{name: "no time", round: round, actor: person("olivia"), verdict: approval.Approve, field: "at"},
		{name: "not requested", round: func(*testing.T) approval.Approval { return approval.Approval{} }, actor: person("olivia"), verdict: approval.Approve, at: at(2), field: "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := tt.round(t)
			before := a.Clone()
			d, err := a.Decide(tt.actor, tt.verdict, tt.comment, tt.at)
			if tt.field != "" {
				requireInvalid(t, err, tt.field)
			} else {
				require.ErrorIs(t, err, tt.err)
			}
			assert.Zero(t, d)
			assert.Equal(t, before, a, "a refused decision changed the approval")
			if tt.err != nil {
				assert.False(t, a.Eligible(tt.actor), "Eligible agrees with Decide")
			}
		})
	}
}

func TestSegregation(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{
		Slots: []approval.Slot{approval.Group(approval.GroupCAB)},
		Excluded: []approval.Exclusion{
			{Actor: "alice", Role: approval.RoleRequester},
			{Actor: "ivan", Role: approval.RoleImplementer},
		},
	})
	tests := []struct {
		actor itil.Actor
		role  string
	}{
		{person("alice"), approval.RoleRequester},
		{person("alice", approval.GroupCAB), approval.RoleRequester},
		{person("ivan", approval.GroupCAB, "network"), approval.RoleImplementer},
	}
	for _, tt := range tests {
		_, err := a.Decide(tt.actor, approval.Approve, "", at(1))
		var se *approval.SegregationError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, tt.actor.ID, se.Actor)
		assert.Equal(t, tt.role, se.Role)
		assert.ErrorIs(t, err, approval.ErrSegregation)
		assert.ErrorIs(t, err, lifecycle.ErrForbidden, "segregation is a refusal the host maps like any other")
		assert.Contains(t, err.Error(), tt.role)
		assert.False(t, a.Eligible(tt.actor))
	}
	// Another CAB member may still decide.
	assert.True(t, a.Eligible(person("carol", approval.GroupCAB)))
	_, err := a.Decide(person("carol", approval.GroupCAB), approval.Approve, "", at(2))
	require.NoError(t, err)
	assert.Equal(t, approval.Approved, a.Outcome())
}

func TestNotApproverIsForbidden(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB)}})
	_, err := a.Decide(person("mallory"), approval.Approve, "", at(1))
	require.ErrorIs(t, err, approval.ErrNotApprover)
	assert.ErrorIs(t, err, lifecycle.ErrForbidden)
	assert.Contains(t, err.Error(), "mallory")
	assert.NotErrorIs(t, err, approval.ErrSegregation)
}

func TestGroupSlots(t *testing.T) {
	t.Parallel()
	t.Run("first member decides for the group", func(t *testing.T) {
		t.Parallel()
		a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security")}})
		d, err := a.Decide(person("bob", approval.GroupCAB), approval.Reject, "backout plan missing", at(1))
		require.NoError(t, err)
		assert.Equal(t, approval.Decision{
			Slot: approval.Group(approval.GroupCAB), By: person("bob", approval.GroupCAB), Verdict: approval.Reject,
			Comment: "backout plan missing", At: at(1),
		}, d)
		assert.Equal(t, approval.Rejected, a.Outcome(), "all of cab and security: one rejection rejects")
	})
	t.Run("a member of two groups fills one", func(t *testing.T) {
		t.Parallel()
		a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security")}})
		d, err := a.Decide(person("sam", "security", approval.GroupCAB), approval.Approve, "", at(1))
		require.NoError(t, err)
		assert.Equal(t, approval.Group(approval.GroupCAB), d.Slot, "groups are filled in the order of the slots")
		assert.Equal(t, []approval.Slot{approval.Group("security")}, a.Pending())
		_, err = a.Decide(person("sam", "security", approval.GroupCAB), approval.Approve, "", at(2))
		require.ErrorIs(t, err, approval.ErrAlreadyDecided)
		assert.False(t, a.Eligible(person("sam", "security", approval.GroupCAB)))
		assert.True(t, a.Eligible(person("sue", "security")))
		_, err = a.Decide(person("sue", "security"), approval.Approve, "", at(3))
		require.NoError(t, err)
		assert.Equal(t, approval.Approved, a.Outcome())
		assert.Equal(t, at(3), a.DecidedAt)
	})
	t.Run("a personal slot comes before a group", func(t *testing.T) {
		t.Parallel()
		a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")}})
		d, err := a.Decide(person("olivia", approval.GroupCAB), approval.Approve, "as service owner", at(1))
		require.NoError(t, err)
		assert.Equal(t, approval.Person("olivia"), d.Slot)
		assert.Equal(t, []approval.Slot{approval.Group(approval.GroupCAB)}, a.Pending())
	})
	t.Run("members counted one by one as person slots", func(t *testing.T) {
		t.Parallel()
		a := mustNew(t, approval.Request{Policy: approval.Majority(), Slots: people(3)})
		for i, id := range []string{"p1", "p2"} {
			_, err := a.Decide(person(id, approval.GroupCAB), approval.Approve, "", at(i+1))
			require.NoError(t, err)
		}
		assert.Equal(t, approval.Approved, a.Outcome())
	})
}

func TestPendingAndEligible(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{
		Policy: approval.Quorum(2),
		Slots:  []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia"), approval.Group("security")},
	})
	assert.Equal(t, a.Slots, a.Pending())
	assert.True(t, a.Eligible(person("olivia")))
	assert.False(t, a.Eligible(person("mallory")))
	assert.False(t, a.Eligible(itil.Actor{Groups: []string{approval.GroupCAB}}), "an actor without ID")

	_, err := a.Decide(person("olivia"), approval.Approve, "", at(1))
	require.NoError(t, err)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security")}, a.Pending())
	assert.False(t, a.Eligible(person("olivia")))

	_, err = a.Decide(person("sue", "security"), approval.Approve, "", at(2))
	require.NoError(t, err)
	assert.Empty(t, a.Pending(), "nobody waits on a settled round")
	assert.False(t, a.Eligible(person("bob", approval.GroupCAB)))
}

func TestCancel(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB)}})
	before := a.Clone()
	requireInvalid(t, a.Cancel(" ", at(1)), "reason")
	requireInvalid(t, a.Cancel("back to new", time.Time{}), "at")
	assert.Equal(t, before, a)

	require.NoError(t, a.Cancel("change went back to new", at(1)))
	assert.Equal(t, approval.Cancelled, a.Outcome())
	assert.Equal(t, at(1), a.DecidedAt)
	assert.Equal(t, "change went back to new", a.Reason)
	assert.Empty(t, a.Pending())
	require.NoError(t, a.Validate())

	after := a.Clone()
	require.ErrorIs(t, a.Cancel("again", at(2)), approval.ErrClosed)
	assert.Equal(t, after, a)

	var none approval.Approval
	requireInvalid(t, none.Cancel("nothing to cancel", at(1)), "state")
	assert.True(t, none.IsZero())

	settled := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB)}})
	_, err := settled.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
	require.NoError(t, err)
	require.ErrorIs(t, settled.Cancel("too late", at(2)), approval.ErrClosed)
	assert.Equal(t, approval.Approved, settled.Outcome())
}

func TestSummary(t *testing.T) {
	t.Parallel()
	type step struct {
		id      string
		verdict approval.Verdict
	}
	tests := []struct {
		name   string
		policy approval.Policy
		slots  int
		steps  []step
		cancel string
		want   string
	}{
		{"fresh quorum", approval.Quorum(2), 3, nil, "", "0/3 approved, quorum 2"},
		{"quorum under way", approval.Quorum(2), 3, []step{{"p1", A}}, "", "1/3 approved, quorum 2"},
		{"quorum reached", approval.Quorum(2), 3, []step{{"p1", A}, {"p3", A}}, "", "2/3 approved, quorum 2 (approved)"},
		{"all rejected", approval.All(), 2, []step{{"p1", A}, {"p2", R}}, "", "1/2 approved, 1 rejected, all required (rejected)"},
		{"any", approval.Any(), 2, []step{{"p2", R}}, "", "0/2 approved, 1 rejected, any one"},
		{"majority", approval.Majority(), 4, []step{{"p1", R}, {"p2", R}}, "", "0/4 approved, 2 rejected, majority 3 (rejected)"},
		{"cancelled", approval.All(), 1, nil, "back to new", "0/1 approved, all required (cancelled: back to new)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := mustNew(t, approval.Request{Policy: tt.policy, Slots: people(tt.slots)})
			for i, s := range tt.steps {
				_, err := a.Decide(person(s.id), s.verdict, "because", at(i+1))
				require.NoError(t, err)
			}
			if tt.cancel != "" {
				require.NoError(t, a.Cancel(tt.cancel, at(9)))
			}
			assert.Equal(t, tt.want, a.Summary())
		})
	}
	assert.Equal(t, "no approval requested", approval.Approval{}.Summary())
}

func TestDecisionString(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")}})
	d1, err := a.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
	require.NoError(t, err)
	d2, err := a.Decide(person("olivia"), approval.Reject, " backout plan missing ", at(2))
	require.NoError(t, err)
	assert.Equal(t, "bob approved for group:cab", d1.String())
	assert.Equal(t, "olivia rejected for person:olivia: backout plan missing", d2.String())
}

func TestCloneSharesNothing(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{
		Slots:    []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security")},
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}},
	})
	bob := person("bob", approval.GroupCAB)
	d, err := a.Decide(bob, approval.Approve, "", at(1))
	require.NoError(t, err)
	bob.Groups[0] = "changed"
	d.By.Groups[0] = "changed"
	assert.Equal(t, []string{approval.GroupCAB}, a.Decisions[0].By.Groups, "the decision keeps its own copy of the groups")

	c := a.Clone()
	c.Slots[0] = approval.Group("other")
	c.Excluded[0].Actor = "other"
	c.Decisions[0].By.Groups[0] = "other"
	assert.Equal(t, approval.Group(approval.GroupCAB), a.Slots[0])
	assert.Equal(t, "alice", a.Excluded[0].Actor)
	assert.Equal(t, []string{approval.GroupCAB}, a.Decisions[0].By.Groups)
}

func TestErrorsWrapContext(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security")}})
	_, err := a.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
	require.NoError(t, err)
	_, err = a.Decide(person("carol", approval.GroupCAB), approval.Approve, "", at(2))
	require.ErrorIs(t, err, approval.ErrAlreadyDecided)
	assert.Equal(t, "approval: already decided: group:cab by bob", err.Error())
	assert.False(t, errors.Is(err, lifecycle.ErrForbidden), "a decided slot is not a refusal of the actor")
}
