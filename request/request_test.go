package request_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

func TestOrderApproveFulfilClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	assert.Equal(t, request.StateAwaitingApproval, r.State)
	assert.Regexp(t, `^REQ\d{7}$`, r.Number)
	assert.Equal(t, approval.Pending, r.Approval.Outcome())
	assert.Equal(t, []approval.Slot{approval.Group("managers")}, r.Approval.Pending())
	assert.Equal(t, map[string]int64{"EUR": 129900}, r.Total())
	assert.Equal(t, lifecycle.Paused, r.StateCategory, "the SLA waits for approval")

	f.clock.Advance(time.Hour)
	r, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve, Note: "budgeted"})
	require.NoError(t, err)
	assert.Equal(t, request.StateInFulfilment, r.State)
	assert.Equal(t, f.clock.Now(), r.ApprovedAt)
	require.Len(t, r.Tasks, 2)

	tasks := f.tasks(t, r.ID)
	require.Len(t, tasks, 2)
	assert.Equal(t, []string{request.TaskOpen, request.TaskPending}, states(tasks))
	assert.Regexp(t, `^TSK\d{7}$`, tasks[0].Number)

	f.doAll(t, r.ID)
	r = f.get(t, r.ID)
	assert.Equal(t, request.StateFulfilled, r.State)
	assert.Equal(t, sla.Stopped, r.SLA.Resolution.Status)

	r, err = f.desk.Close(ctx, request.Params{ID: r.ID, By: tom})
	require.NoError(t, err)
	assert.Equal(t, request.StateClosed, r.State)

	// The decision is journaled with its comment, shown to the requester.
	var decided bool
	for _, c := range journal(t, f.desk, r.ID) {
		if c.Event == request.EventApprove && c.Actor.ID == "mike" {
			decided = true
			assert.Equal(t, "budgeted", c.Note)
			assert.True(t, c.Public)
			assert.Contains(t, c.Fields, lifecycle.FieldChange{Field: "approval", Old: "0/1 approved, any one", New: "1/1 approved, any one (approved)"})
		}
	}
	assert.True(t, decided)
}

func TestOrderWithoutApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	r := f.order(t, "mouse", nil)
	assert.Equal(t, request.StateInFulfilment, r.State)
	assert.True(t, r.Approval.IsZero())
	f.doAll(t, r.ID)
	assert.Equal(t, request.StateFulfilled, f.get(t, r.ID).State)
}

func TestSegregationOfDuties(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r, err := f.desk.Order(ctx, request.Order{By: boss, Lines: []request.OrderLine{{Item: "laptop", Values: laptopValues()}}})
	require.NoError(t, err)
	before := len(journal(t, f.desk, r.ID))

	_, err = f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: boss, Verdict: approval.Approve, Note: "for me"})
	var se *approval.SegregationError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, lifecycle.ErrForbidden)
	assert.Equal(t, approval.RoleRequester, se.Role)

	_, err = f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: tom, Verdict: approval.Approve})
	assert.ErrorIs(t, err, approval.ErrNotApprover)
	assert.Len(t, journal(t, f.desk, r.ID), before, "refusals change nothing")

	assert.Empty(t, collect(t, f.desk.MyApprovals(ctx, boss)), "boss may not approve his own request")
	mine := collect(t, f.desk.MyApprovals(ctx, mike))
	require.Len(t, mine, 1)
	assert.Equal(t, r.ID, mine[0].ID)

	// The owner of a service cannot grant herself access to it.
	_, err = f.desk.Order(ctx, request.Order{By: olga, Lines: []request.OrderLine{{Item: "wiki-editor"}}})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "lines[0].approval", ve.Field)
}

func TestRejectReviseResubmit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())

	_, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Reject})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "note", ve.Field, "a rejection needs a note")

	r, err = f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Reject, Note: "32 GB is too much"})
	require.NoError(t, err)
	assert.Equal(t, request.StateRejected, r.State)
	assert.Empty(t, collect(t, f.desk.MyApprovals(ctx, mike)))

	_, err = f.desk.Revise(ctx, request.ReviseParams{ID: r.ID, Values: map[string]string{"os": "linux", "ram": "16"}, By: mike})
	assert.ErrorIs(t, err, lifecycle.ErrForbidden, "only the requester revises")
	_, err = f.desk.Revise(ctx, request.ReviseParams{ID: r.ID, Values: map[string]string{"os": "linux", "ram": "1"}, By: alice})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "variables[ram]", ve.Field)

	r, err = f.desk.Revise(ctx, request.ReviseParams{ID: r.ID, Values: map[string]string{"os": "linux", "ram": "16"}, By: alice, Note: "16 GB then"})
	require.NoError(t, err)
	assert.Equal(t, "16", r.Lines[0].Values["ram"])

	r, err = f.desk.Resubmit(ctx, request.ResubmitParams{ID: r.ID, By: alice})
	require.NoError(t, err)
	assert.Equal(t, request.StateAwaitingApproval, r.State)
	assert.Equal(t, 2, r.Rounds)
	assert.Equal(t, approval.Pending, r.Approval.Outcome(), "a new round")

	r, err = f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, request.StateInFulfilment, r.State)
}

func TestCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	_, err := f.desk.Cancel(ctx, request.CancelParams{ID: r.ID, By: mike})
	assert.ErrorIs(t, err, lifecycle.ErrForbidden, "only the requester cancels")

	r, err = f.desk.Cancel(ctx, request.CancelParams{ID: r.ID, By: alice, Note: "found a spare one"})
	require.NoError(t, err)
	assert.Equal(t, request.StateCancelled, r.State)
	assert.Equal(t, approval.Cancelled, r.Approval.Outcome())
	assert.Empty(t, collect(t, f.desk.MyApprovals(ctx, mike)))

	// Once fulfilment started, the requester can no longer cancel.
	m := f.order(t, "mouse", nil)
	_, err = f.desk.Cancel(ctx, request.CancelParams{ID: m.ID, By: alice})
	assert.ErrorIs(t, err, lifecycle.ErrTransition)
}

func TestPortalQueries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	a := f.order(t, "laptop", laptopValues())
	b := f.order(t, "mouse", nil)
	c, err := f.desk.Order(ctx, request.Order{By: tom, Lines: []request.OrderLine{{Item: "laptop", Values: laptopValues()}}})
	require.NoError(t, err)

	assert.Len(t, collect(t, f.desk.MyRequests(ctx, "alice", false)), 2)
	assert.Len(t, collect(t, f.desk.MyRequests(ctx, "tom", true)), 1)
	assert.Empty(t, collect(t, f.desk.MyRequests(ctx, "", false)))

	waiting := collect(t, f.desk.Find(ctx, request.Query{States: []string{request.StateAwaitingApproval}}))
	assert.Len(t, waiting, 2)
	assert.Equal(t, []string{a.Number, c.Number}, []string{waiting[0].Number, waiting[1].Number})
	inf := collect(t, f.desk.Find(ctx, request.Query{States: []string{request.StateInFulfilment}}))
	require.Len(t, inf, 1)
	assert.Equal(t, b.ID, inf[0].ID)
	assert.Len(t, collect(t, f.desk.Find(ctx, request.Query{Item: "laptop"})), 2)
	assert.Len(t, collect(t, f.desk.Find(ctx, request.Query{CatalogCategory: "hardware", Requester: "alice"})), 2)

	assert.Len(t, collect(t, f.desk.MyApprovals(ctx, mike)), 2)
	_, err = f.desk.Decide(ctx, request.DecideParams{ID: a.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Len(t, collect(t, f.desk.MyApprovals(ctx, mike)), 1)
	assert.Len(t, collect(t, f.desk.Tasks(ctx, request.TaskQuery{Group: "imaging", Open: true})), 1)
}

func TestNewDeskConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	for _, cfg := range []request.Config{
		{WarnPercent: 101},
		{RepairAfter: -1},
		{OnTaskFailure: 9},
		{Lifecycle: request.TaskLifecycle()},
	} {
		_, err := request.NewDesk(f.store, cfg)
		assert.ErrorIs(t, err, itil.ErrInvalid)
	}
	d, err := request.NewDesk(f.store, request.Config{})
	require.NoError(t, err)
	assert.NotNil(t, d.Catalog(), "the zero config has an empty catalog")
}
