package request_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

func TestOrderedTasksOpenInTurn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	_, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)

	ts := f.tasks(t, r.ID)
	assert.Equal(t, []string{request.TaskOpen, request.TaskPending}, states(ts))
	assert.Equal(t, "imaging", ts[0].Group)
	assert.True(t, ts[1].Ordered)

	_, err = f.desk.StartTask(ctx, request.TaskParams{ID: ts[1].ID, By: tom})
	assert.ErrorIs(t, err, lifecycle.ErrTransition, "the second task waits for the first")

	tk, err := f.desk.StartTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom})
	require.NoError(t, err)
	assert.Equal(t, "tom", tk.Assignee)
	assert.Equal(t, []string{request.TaskInProgress, request.TaskPending}, states(f.tasks(t, r.ID)))

	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom, Note: "imaged"})
	require.NoError(t, err)
	assert.Equal(t, []string{request.TaskDone, request.TaskOpen}, states(f.tasks(t, r.ID)))
	assert.Equal(t, request.StateInFulfilment, f.get(t, r.ID).State)

	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: ts[1].ID, By: tom})
	require.NoError(t, err)
	assert.Equal(t, request.StateFulfilled, f.get(t, r.ID).State)
}

func TestParallelTasksOpenAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "onboarding", nil)
	ts := f.tasks(t, r.ID)
	assert.Equal(t, []string{request.TaskOpen, request.TaskOpen, request.TaskOpen}, states(ts))
	for i, tk := range ts {
		_, err := f.desk.CompleteTask(ctx, request.TaskParams{ID: tk.ID, By: tom})
		require.NoError(t, err)
		want := request.StateInFulfilment
		if i == len(ts)-1 {
			want = request.StateFulfilled
		}
		assert.Equal(t, want, f.get(t, r.ID).State)
	}
}

// TestMultiLineOrder checks that the lines of one request are fulfilled
// side by side, each in its own order, and that the request is fulfilled
// when both are.
func TestMultiLineOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r, err := f.desk.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{
		{Item: "laptop", Values: laptopValues()},
		{Item: "mouse", Quantity: 2},
	}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"EUR": 129900 + 2*2500}, r.Total())
	_, err = f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, []string{request.TaskOpen, request.TaskPending, request.TaskOpen}, states(f.tasks(t, r.ID)))
	f.doAll(t, r.ID)
	assert.Equal(t, request.StateFulfilled, f.get(t, r.ID).State)
}

func TestFailedTaskHoldsRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	_, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	ts := f.tasks(t, r.ID)

	_, err = f.desk.FailTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "note", ve.Field)

	tk, err := f.desk.FailTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom, Note: "image server down"})
	require.NoError(t, err)
	assert.Equal(t, "image server down", tk.Failure)
	assert.Equal(t, []string{request.TaskFailed, request.TaskPending}, states(f.tasks(t, r.ID)))
	assert.Equal(t, request.StateInFulfilment, f.get(t, r.ID).State)
	js := journal(t, f.desk, r.ID)
	assert.Equal(t, "task_failed", js[len(js)-1].Event)
	assert.Contains(t, js[len(js)-1].Note, "image server down")

	_, err = f.desk.RetryTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom})
	require.NoError(t, err)
	f.doAll(t, r.ID)
	assert.Equal(t, request.StateFulfilled, f.get(t, r.ID).State)
}

func TestFailedTaskContinues(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{OnTaskFailure: request.ContinueOnFailure})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	_, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	ts := f.tasks(t, r.ID)
	_, err = f.desk.FailTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom, Note: "no image needed"})
	require.NoError(t, err)
	assert.Equal(t, []string{request.TaskFailed, request.TaskOpen}, states(f.tasks(t, r.ID)))
	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: ts[1].ID, By: tom})
	require.NoError(t, err)
	r = f.get(t, r.ID)
	assert.Equal(t, request.StateFulfilled, r.State)
	js := journal(t, f.desk, r.ID)
	assert.Contains(t, js[len(js)-1].Note, ts[0].Number)
}
