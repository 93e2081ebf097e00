package change_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// TestErrorClasses: every exported error of the package, as declared and
// as the Manager returns it, is in exactly one class; so are approval's
// as they come through the Manager.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	cold := newFixture(t, change.Config{Freezes: []change.Freeze{yearEnd}})
	std := cold.toState(t, change.Standard, change.StateNew)
	_, frozen := cold.m.Schedule(ctx, change.ScheduleParams{ID: std.ID, By: alice, Window: window(30, 1), Implementer: bob.ID})
	f := newFixture(t, change.Config{RefuseConflicts: true})
	first := f.toState(t, change.Standard, change.StateScheduled)
	second := f.toState(t, change.Standard, change.StateNew)
	_, conflicts := f.m.Schedule(ctx, change.ScheduleParams{ID: second.ID, By: alice, Window: first.Planned, Implementer: "zoe"})
	authorizing := f.toState(t, change.Normal, change.StateAuthorize)
	_, notApproved := f.m.Schedule(ctx, change.ScheduleParams{ID: authorizing.ID, By: alice, Window: window(200, 1), Implementer: bob.ID})
	_, segregated := f.m.Approve(ctx, change.DecideParams{ID: authorizing.ID, By: alice})
	_, notApprover := f.m.Approve(ctx, change.DecideParams{ID: authorizing.ID, By: dave})
	_, stale := f.m.Implement(ctx, change.Params{ID: first.ID, Version: first.Version - 1, By: bob})
	_, transition := f.m.Close(ctx, change.Params{ID: first.ID, By: bob})

	tests := []struct {
		name  string
		err   error
		class string
	}{
		{"ErrFrozen", change.ErrFrozen, "refused"},
		{"ErrNotApproved", change.ErrNotApproved, "refused"},
		{"ErrConflicts", change.ErrConflicts, "refused"},
		{"*FreezeError", &change.FreezeError{Number: "CHG0000001"}, "refused"},
		{"*ApprovalError", &change.ApprovalError{Number: "CHG0000001", Event: change.EventSchedule}, "refused"},
		{"*ConflictError", &change.ConflictError{Number: "CHG0000001"}, "refused"},
		{"Schedule into a freeze", frozen, "refused"},
		{"Schedule over another change", conflicts, "refused"},
		{"Schedule unapproved", notApproved, "refused"},
		{"Approve as the requester", segregated, "forbidden"},
		{"Approve as no approver", notApprover, "forbidden"},
		{"a stale version", stale, "conflict"},
		{"an event the state refuses", transition, "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Error(t, tc.err)
			lifecycletest.AssertClass(t, tc.err, tc.class)
		})
	}
	assert.ErrorIs(t, frozen, change.ErrFrozen)
	assert.ErrorIs(t, conflicts, change.ErrConflicts)
	assert.ErrorIs(t, notApproved, change.ErrNotApproved)
	assert.ErrorIs(t, segregated, approval.ErrSegregation)
	assert.ErrorIs(t, notApprover, approval.ErrNotApprover)
	assert.NotErrorIs(t, conflicts, lifecycle.ErrConflict, "a window conflict is not a version conflict")
}
