package approval_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
)

const (
	A = approval.Approve
	R = approval.Reject

	P  = approval.Pending
	OK = approval.Approved
	NO = approval.Rejected
)

// TestPolicyOutcome plays sequences of verdicts by p1, p2, … and checks the
// state after every decision, so the step at which the outcome flips is
// pinned down.
func TestPolicyOutcome(t *testing.T) {
	t.Parallel()
	anyStrict := approval.Any()
	anyStrict.FirstRejectionRejects = true
	quorumStrict := approval.Quorum(2)
	quorumStrict.FirstRejectionRejects = true
	majorityStrict := approval.Majority()
	majorityStrict.FirstRejectionRejects = true
	allFlag := approval.All()
	allFlag.FirstRejectionRejects = true

	tests := []struct {
		name     string
		policy   approval.Policy
		slots    int
		verdicts []approval.Verdict
		states   []approval.State // after each verdict
	}{
		{"all approves on the last approval", approval.All(), 3, []approval.Verdict{A, A, A}, []approval.State{P, P, OK}},
		{"all rejects on the first rejection", approval.All(), 3, []approval.Verdict{A, R}, []approval.State{P, NO}},
		{"all with the flag behaves the same", allFlag, 3, []approval.Verdict{A, A, R}, []approval.State{P, P, NO}},
		{"zero policy is all", approval.Policy{}, 2, []approval.Verdict{A, A}, []approval.State{P, OK}},
		{"all of one", approval.All(), 1, []approval.Verdict{A}, []approval.State{OK}},

		{"any approves on the first approval", approval.Any(), 3, []approval.Verdict{A}, []approval.State{OK}},
		{"any outlives rejections", approval.Any(), 3, []approval.Verdict{R, R, A}, []approval.State{P, P, OK}},
		{"any rejects when all reject", approval.Any(), 3, []approval.Verdict{R, R, R}, []approval.State{P, P, NO}},
		{"any with first rejection rejects", anyStrict, 3, []approval.Verdict{R}, []approval.State{NO}},
		{"any with the flag still approves first", anyStrict, 3, []approval.Verdict{A}, []approval.State{OK}},

		{"quorum 2 of 3 approves on the second approval", approval.Quorum(2), 3, []approval.Verdict{A, A}, []approval.State{P, OK}},
		{"quorum 2 of 3 outlives one rejection", approval.Quorum(2), 3, []approval.Verdict{R, A, A}, []approval.State{P, P, OK}},
		{"quorum 2 of 3 approves after a split", approval.Quorum(2), 3, []approval.Verdict{A, R, A}, []approval.State{P, P, OK}},
		{"quorum 2 of 3 rejects on the second rejection", approval.Quorum(2), 3, []approval.Verdict{R, R}, []approval.State{P, NO}},
		{"quorum 2 of 3 rejects when the last one rejects", approval.Quorum(2), 3, []approval.Verdict{A, R, R}, []approval.State{P, P, NO}},
		{"quorum 2 of 3 with first rejection rejects", quorumStrict, 3, []approval.Verdict{A, R}, []approval.State{P, NO}},
		{"quorum 3 of 3 is all", approval.Quorum(3), 3, []approval.Verdict{A, A, R}, []approval.State{P, P, NO}},

		{"majority of 4 needs 3", approval.Majority(), 4, []approval.Verdict{A, A, A}, []approval.State{P, P, OK}},
		{"majority of 4 approves 3 to 1", approval.Majority(), 4, []approval.Verdict{A, R, A, A}, []approval.State{P, P, P, OK}},
		{"majority of 4 rejects on the second rejection", approval.Majority(), 4, []approval.Verdict{R, R}, []approval.State{P, NO}},
		{"majority of 4 rejects a tie", approval.Majority(), 4, []approval.Verdict{A, A, R, R}, []approval.State{P, P, P, NO}},
		{"majority of 5 needs 3", approval.Majority(), 5, []approval.Verdict{A, A, A}, []approval.State{P, P, OK}},
		{"majority of 5 approves 3 to 2", approval.Majority(), 5, []approval.Verdict{A, R, A, R, A}, []approval.State{P, P, P, P, OK}},
		{"majority of 5 rejects on the third rejection", approval.Majority(), 5, []approval.Verdict{R, A, R, A, R}, []approval.State{P, P, P, P, NO}},
		{"majority of 5 rejects three straight", approval.Majority(), 5, []approval.Verdict{R, R, R}, []approval.State{P, P, NO}},
		{"majority with first rejection rejects", majorityStrict, 5, []approval.Verdict{A, A, R}, []approval.State{P, P, NO}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Len(t, tt.states, len(tt.verdicts))
			a := mustNew(t, approval.Request{Policy: tt.policy, Slots: people(tt.slots)})
			for i, v := range tt.verdicts {
				id := fmt.Sprintf("p%d", i+1)
				d, err := a.Decide(person(id), v, "reason "+id, at(i+1))
				require.NoError(t, err, "decision %d", i+1)
				assert.Equal(t, approval.Person(id), d.Slot)
				assert.Equal(t, tt.states[i], a.Outcome(), "after decision %d (%s)", i+1, a.Summary())
				if tt.states[i] == P {
					assert.True(t, a.DecidedAt.IsZero(), "decided_at while pending")
				} else {
					assert.Equal(t, at(i+1), a.DecidedAt)
				}
			}
			if last := tt.states[len(tt.states)-1]; last != P && len(tt.verdicts) < tt.slots {
				before := a.Clone()
				_, err := a.Decide(person(fmt.Sprintf("p%d", tt.slots)), A, "", at(99))
				require.ErrorIs(t, err, approval.ErrClosed)
				assert.Equal(t, before, a, "refused decision changed the approval")
			}
		})
	}
}

func TestPolicyNeeded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy approval.Policy
		slots  int
		want   int
	}{
		{approval.All(), 3, 3},
		{approval.Any(), 3, 1},
		{approval.Quorum(2), 3, 2},
		{approval.Majority(), 1, 1},
		{approval.Majority(), 2, 2},
		{approval.Majority(), 4, 3},
		{approval.Majority(), 5, 3},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.policy.Needed(tt.slots), "%s of %d", tt.policy, tt.slots)
	}
}

func TestPolicyString(t *testing.T) {
	t.Parallel()
	strict := func(p approval.Policy) approval.Policy { p.FirstRejectionRejects = true; return p }
	tests := []struct {
		policy approval.Policy
		want   string
	}{
		{approval.All(), "all"},
		{strict(approval.All()), "all"},
		{approval.Any(), "any"},
		{strict(approval.Any()), "any, first rejection rejects"},
		{approval.Quorum(2), "quorum 2"},
		{approval.Majority(), "majority"},
		{approval.Policy{Kind: 9}, "policy.kind(9)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.policy.String())
	}
}
