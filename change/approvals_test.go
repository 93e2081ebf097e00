package change_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

var (
	p1 = itil.Actor{ID: "p1"}
	p2 = itil.Actor{ID: "p2"}
	p3 = itil.Actor{ID: "p3"}
)

// withLowRule returns a Config whose low-risk rule is policy over the
// person slots p1, p2 and p3.
func withLowRule(policy approval.Policy) change.Config {
	m := change.DefaultApprovals()
	m["low"] = approval.Rule{Policy: policy, Slots: []approval.Slot{approval.Person("p1"), approval.Person("p2"), approval.Person("p3")}}
	return change.Config{Approvals: m}
}

// TestApprovalPolicies decides rounds under each policy and checks where
// the change ends up: approved rounds may be scheduled, rejected ones send
// the change back to new.
func TestApprovalPolicies(t *testing.T) {
	t.Parallel()
	type vote struct {
		by      itil.Actor
		approve bool
	}
	yes := func(a itil.Actor) vote { return vote{a, true} }
	no := func(a itil.Actor) vote { return vote{a, false} }
	for _, tc := range []struct {
		name   string
		policy approval.Policy
		votes  []vote
		want   approval.State
	}{
		{"all/pending", approval.All(), []vote{yes(p1), yes(p2)}, approval.Pending},
		{"all/approved", approval.All(), []vote{yes(p1), yes(p2), yes(p3)}, approval.Approved},
		{"all/one rejection", approval.All(), []vote{yes(p1), no(p2)}, approval.Rejected},
		{"any/approved", approval.Any(), []vote{yes(p2)}, approval.Approved},
		{"any/pending after a rejection", approval.Any(), []vote{no(p1), no(p2)}, approval.Pending},
		{"any/all reject", approval.Any(), []vote{no(p1), no(p2), no(p3)}, approval.Rejected},
		{"any/first rejection rejects", approval.Policy{Kind: approval.KindAny, FirstRejectionRejects: true}, []vote{no(p1)}, approval.Rejected},
		{"quorum 2/pending", approval.Quorum(2), []vote{yes(p1), no(p2)}, approval.Pending},
		{"quorum 2/approved", approval.Quorum(2), []vote{yes(p1), no(p2), yes(p3)}, approval.Approved},
		{"quorum 2/rejected", approval.Quorum(2), []vote{no(p1), no(p3)}, approval.Rejected},
		{"quorum 2/first rejection rejects", approval.Policy{Kind: approval.KindQuorum, N: 2, FirstRejectionRejects: true}, []vote{yes(p1), no(p2)}, approval.Rejected},
		{"majority/approved", approval.Majority(), []vote{yes(p3), yes(p1)}, approval.Approved},
		{"majority/pending", approval.Majority(), []vote{yes(p3), no(p1)}, approval.Pending},
		{"majority/rejected", approval.Majority(), []vote{no(p3), no(p1)}, approval.Rejected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, withLowRule(tc.policy))
			c := f.toState(t, change.Normal, change.StateAuthorize)
			require.Equal(t, change.RiskLow, c.Risk)
			var err error
			for _, v := range tc.votes {
				p := change.DecideParams{ID: c.ID, By: v.by, Note: "because"}
				if v.approve {
					c, err = f.m.Approve(ctx, p)
				} else {
					c, err = f.m.Reject(ctx, p)
				}
				require.NoError(t, err, v.by.ID)
			}
			assert.Equal(t, tc.want, c.Approval().Outcome())
			j := f.journal(t, c.ID)
			last := j[len(j)-1]
			assert.Equal(t, "because", last.Note, "the comment is the journal's note")
			switch tc.want {
			case approval.Approved:
				assert.Equal(t, change.StateAuthorize, c.State)
				assert.Equal(t, change.EventDecide, last.Event)
				_, err := f.do(c.ID, "schedule")
				require.NoError(t, err)
			case approval.Rejected:
				assert.Equal(t, change.StateNew, c.State, "a rejected change goes back to new")
				assert.Equal(t, change.EventReject, last.Event)
			case approval.Pending:
				assert.Equal(t, change.StateAuthorize, c.State)
				_, err := f.do(c.ID, "schedule")
				var ae *change.ApprovalError
				require.ErrorAs(t, err, &ae)
				assert.ErrorIs(t, err, change.ErrNotApproved)
				assert.Equal(t, approval.Pending, ae.State)
			}
		})
	}
}

func TestDecisionJournal(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withLowRule(approval.Quorum(2)))
	c := f.toState(t, change.Normal, change.StateAuthorize)
	_, err := f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: p1, Note: "backout tested"})
	require.NoError(t, err)
	j := f.journal(t, c.ID)
	last := j[len(j)-1]
	assert.Equal(t, change.EventDecide, last.Event)
	assert.Equal(t, p1.ID, last.Actor.ID)
	assert.Equal(t, "backout tested", last.Note)
	assert.Equal(t, []lifecycle.FieldChange{
		{Field: "decision", New: "p1 approved for person:p1: backout tested"},
		{Field: "approval", Old: "0/3 approved, quorum 2", New: "1/3 approved, quorum 2"},
	}, last.Fields)
}

func TestSegregationOfDuties(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	d := draft(change.Normal)
	d.Implementer = bob.ID
	c, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	c, err = f.do(c.ID, "assess")
	require.NoError(t, err)
	c, err = f.do(c.ID, "request_approval")
	require.NoError(t, err)
	assert.Equal(t, []approval.Exclusion{{Actor: "alice", Role: "requester"}, {Actor: "bob", Role: "implementer"}}, c.Approval().Excluded)

	// alice and bob are change managers, whom the low-risk rule asks, but
	// neither may approve a change of their own.
	for _, tc := range []struct {
		who  itil.Actor
		role string
	}{{alice, approval.RoleRequester}, {bob, approval.RoleImplementer}} {
		_, err := f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: tc.who, Note: "mine"})
		var se *approval.SegregationError
		require.ErrorAs(t, err, &se, tc.who.ID)
		assert.Equal(t, tc.role, se.Role)
		assert.ErrorIs(t, err, approval.ErrSegregation)
		assert.ErrorIs(t, err, lifecycle.ErrForbidden)
		f.unchanged(t, c)
	}

	// Someone who decided may not become the implementer afterwards.
	c, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol})
	require.NoError(t, err)
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: carol.ID})
	var se *approval.SegregationError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "carol", se.Actor)
	f.unchanged(t, c)
}

func TestApprovalRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateAuthorize)

	_, err := f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: dave}) // cab, not a change manager
	assert.ErrorIs(t, err, approval.ErrNotApprover)
	assert.ErrorIs(t, err, lifecycle.ErrForbidden)
	_, err = f.m.Reject(ctx, change.DecideParams{ID: c.ID, By: carol})
	assertInvalid(t, err, "note")
	_, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID})
	assertInvalid(t, err, "by")
	f.unchanged(t, c)

	c, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol, Note: "ok"})
	require.NoError(t, err)
	_, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: erin})
	assert.ErrorIs(t, err, approval.ErrClosed, "the round is settled")
}

// TestRiskPicksPolicy: high risk needs the CAB and a change manager, two
// people; a CAB member who is also a change manager fills one slot.
func TestRiskPicksPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c, err := f.m.Propose(ctx, draft(change.Normal))
	require.NoError(t, err)
	c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Impact: itil.ImpactHigh, Likelihood: change.LikelihoodHigh})
	require.NoError(t, err)
	require.Equal(t, change.RiskHigh, c.Risk)
	c, err = f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
	require.NoError(t, err)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers)}, c.Approval().Slots)

	c, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol})
	require.NoError(t, err)
	assert.Equal(t, approval.Pending, c.Approval().Outcome())
	_, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: dave})
	assert.ErrorIs(t, err, approval.ErrAlreadyDecided, "carol decided for the CAB")
	c, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: erin})
	require.NoError(t, err)
	assert.True(t, c.Approved())
}

func TestEmergencyCAB(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Emergency, change.StateAuthorize)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupECAB)}, c.Approval().Slots)
	_, err := f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: carol})
	assert.ErrorIs(t, err, approval.ErrNotApprover, "the CAB is not the emergency CAB")
	c, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: erin})
	require.NoError(t, err)
	assert.True(t, c.Approved())
}

func TestExtraApprovers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateAssess)
	_, err := f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice, Approvers: []approval.Slot{approval.Person("alice")}})
	assertInvalid(t, err, "approvers[0]")
	_, err = f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice, Approvers: []approval.Slot{{}}})
	assertInvalid(t, err, "approvers[0]")
	f.unchanged(t, c)

	c, err = f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice, Approvers: []approval.Slot{approval.Person("olivia"), approval.Group(approval.GroupChangeManagers)}})
	require.NoError(t, err)
	assert.Equal(t, []approval.Slot{approval.Group(approval.GroupChangeManagers), approval.Person("olivia")}, c.Approval().Slots)
}

// TestRevertCancelsPendingApprovals: going back to new cancels the pending
// round; the next request starts a new one.
func TestRevertCancelsPendingApprovals(t *testing.T) {
	t.Parallel()
	for _, typ := range []change.Type{change.Normal, change.Emergency} {
		t.Run(typ.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, change.Config{})
			c := f.toState(t, typ, change.StateAuthorize)
			c, err := f.m.RevertToNew(ctx, change.Params{ID: c.ID, By: alice, Note: "scope grew"})
			require.NoError(t, err)
			assert.Equal(t, change.StateNew, c.State)
			require.Len(t, c.Approvals, 1)
			assert.Equal(t, approval.Cancelled, c.Approval().Outcome())
			assert.Equal(t, "scope grew", c.Approval().Reason)
			j := f.journal(t, c.ID)
			assert.Equal(t, change.EventRevert, j[len(j)-1].Event)
			assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "approval", Old: "0/1 approved, any one", New: "0/1 approved, any one (cancelled: scope grew)"})

			_, err = f.m.Approve(ctx, change.DecideParams{ID: c.ID, By: vic})
			var te *lifecycle.TransitionError
			require.ErrorAs(t, err, &te, "no decisions outside authorization")

			if typ == change.Normal {
				_, err = f.do(c.ID, "assess")
				require.NoError(t, err)
			}
			c, err = f.do(c.ID, "request_approval")
			require.NoError(t, err)
			require.Len(t, c.Approvals, 2)
			assert.Equal(t, approval.Pending, c.Approval().Outcome())
		})
	}
}

func TestCancelCancelsPendingApprovals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateAuthorize)
	c, err := f.m.Cancel(ctx, change.Params{ID: c.ID, By: alice, Note: "vendor patch withdrawn"})
	require.NoError(t, err)
	assert.Equal(t, change.StateCancelled, c.State)
	assert.Equal(t, approval.Cancelled, c.Approval().Outcome())
}

// TestImplementWithoutApproval: a host lifecycle with a fast track from
// authorize to implement still cannot implement an unapproved change.
func TestImplementWithoutApproval(t *testing.T) {
	t.Parallel()
	def, err := change.NormalLifecycle().Extend(nil, []lifecycle.Event{
		{Name: change.EventImplement, From: []string{change.StateAuthorize}, To: change.StateImplement},
	})
	require.NoError(t, err)
	f := newFixture(t, change.Config{Normal: def})
	c := f.toState(t, change.Normal, change.StateAuthorize)
	_, err = f.m.Implement(ctx, change.Params{ID: c.ID, By: bob})
	var ae *change.ApprovalError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, change.ErrNotApproved)
	assert.Equal(t, change.EventImplement, ae.Event)
	assert.Equal(t, approval.Pending, ae.State)
	assert.Contains(t, err.Error(), "its approval is pending")
	f.unchanged(t, c)

	// The default lifecycle does not even offer it.
	g := newFixture(t, change.Config{})
	c = g.toState(t, change.Normal, change.StateAuthorize)
	_, err = g.m.Implement(ctx, change.Params{ID: c.ID, By: bob})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
}

func TestAwaitingQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	low := f.toState(t, change.Normal, change.StateAuthorize)
	em := f.toState(t, change.Emergency, change.StateAuthorize)
	f.toState(t, change.Normal, change.StateAssess)

	ids := func(q change.Query) []string {
		var out []string
		for c, err := range f.m.Find(ctx, q) {
			require.NoError(t, err)
			out = append(out, c.Number)
		}
		return out
	}
	assert.Equal(t, []string{low.Number}, ids(change.Query{Awaiting: change.SlotsOf(carol)}))
	assert.Equal(t, []string{low.Number, em.Number}, ids(change.Query{Awaiting: change.SlotsOf(erin)}))
	assert.Empty(t, ids(change.Query{Awaiting: change.SlotsOf(dave)}))

	_, err := f.m.Approve(ctx, change.DecideParams{ID: low.ID, By: carol})
	require.NoError(t, err)
	assert.Empty(t, ids(change.Query{Awaiting: change.SlotsOf(carol)}), "a settled round waits for no one")
}
