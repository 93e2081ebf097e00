package approval_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// TestErrorClasses: every exported error of the package, as declared and
// as Decide and Cancel return it, is in exactly one class.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	round := mustNew(t, approval.Request{
		Slots:    []approval.Slot{approval.Group(approval.GroupCAB)},
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}},
	})
	r1, r2 := round.Clone(), round.Clone()
	_, notApprover := r1.Decide(person("zed"), approval.Approve, "", at(1))
	_, segregated := r2.Decide(person("alice", approval.GroupCAB), approval.Approve, "", at(1))
	decided := round.Clone()
	_, err := decided.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
	require.NoError(t, err)
	_, closed := decided.Decide(person("carol", approval.GroupCAB), approval.Approve, "", at(2))
	alreadyDecided := func() error {
		r := mustNew(t, approval.Request{Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")}})
		_, err := r.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(1))
		require.NoError(t, err)
		_, err = r.Decide(person("carol", approval.GroupCAB), approval.Approve, "", at(2))
		return err
	}()
	cancelled := round.Clone()
	require.NoError(t, cancelled.Cancel("withdrawn", at(1)))
	cancelAgain := cancelled.Cancel("again", at(2))

	tests := []struct {
		name  string
		err   error
		class string
	}{
		{"ErrNotApprover", approval.ErrNotApprover, "forbidden"},
		{"ErrSegregation", approval.ErrSegregation, "forbidden"},
		{"*SegregationError", &approval.SegregationError{Actor: "alice", Role: approval.RoleRequester}, "forbidden"},
		{"ErrAlreadyDecided", approval.ErrAlreadyDecided, "refused"},
		{"ErrClosed", approval.ErrClosed, "refused"},
		{"Decide by a non-approver", notApprover, "forbidden"},
		{"Decide by the requester", segregated, "forbidden"},
		{"Decide on a settled round", closed, "refused"},
		{"Decide for a slot decided", alreadyDecided, "refused"},
		{"Cancel of a cancelled round", cancelAgain, "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Error(t, tc.err)
			lifecycletest.AssertClass(t, tc.err, tc.class)
		})
	}
	assert.ErrorIs(t, segregated, approval.ErrSegregation)
	assert.ErrorIs(t, closed, approval.ErrClosed)
	assert.ErrorIs(t, alreadyDecided, approval.ErrAlreadyDecided)
	assert.ErrorIs(t, notApprover, approval.ErrNotApprover)
}
