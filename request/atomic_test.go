package request_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// refuser is an Authorizer that refuses one event on one kind of record,
// once armed: a step that fails half way through a command.
type refuser struct {
	mu          sync.Mutex
	kind, event string
}

var errRefused = fmt.Errorf("refused by the test: %w", lifecycle.ErrForbidden)

func (r *refuser) arm(kind, event string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kind, r.event = kind, event
}

func (r *refuser) Authorize(_ context.Context, req lifecycle.AuthRequest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Entity.Base().Kind == r.kind && req.Event == r.event {
		return errRefused
	}
	return nil
}

// TestCommandRefusedHalfWayWritesNothing refuses one step in the middle of
// each command that writes several records: the command fails and leaves
// the store byte for byte as it was, on every store.
func TestCommandRefusedHalfWayWritesNothing(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		auth := &refuser{}
		erp := erpItem()
		erp.Access.Days = 1 // expires before any SLA warns or request closes
		cat, err := request.NewCatalog(laptopItem(), mouseItem(), onboardingItem(), erp, wikiItem())
		require.NoError(t, err)
		h := newHosts(t, db, 1, request.Config{Authorizer: auth, Catalog: cat})
		d, st := h.desks[0], h.stores[0]

		// Ordering an item without approval creates its tasks: refusing
		// a task's creation refuses the order.
		auth.arm(request.TaskKind, lifecycle.EventCreate)
		before := snapshot(t, st)
		_, err = d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "onboarding"}}})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "no request without its tasks")

		// Refusing to open the tasks refuses the order too.
		auth.arm(request.TaskKind, request.TaskEventOpen)
		_, err = d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "onboarding"}}})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st))

		// The approval that completes a round starts the fulfilment: if it
		// cannot, the decision is not recorded.
		auth.arm("", "")
		r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "laptop", Values: laptopValues()}}})
		require.NoError(t, err)
		auth.arm(request.Kind, request.EventFulfil)
		before = snapshot(t, st)
		_, err = d.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "the request still awaits approval, without tasks")
		auth.arm("", "")
		r, err = d.Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
		require.NoError(t, err)
		assert.Equal(t, request.StateInFulfilment, r.State)

		// Completing a task opens the next one; completing the last one
		// fulfils the request. Either refused, the task stays as it was.
		tasks := tasksOf(t, d, r.ID)
		require.Len(t, tasks, 2)
		auth.arm(request.TaskKind, request.TaskEventOpen)
		before = snapshot(t, st)
		_, err = d.CompleteTask(ctx, request.TaskParams{ID: tasks[0].ID, By: tom})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "the first task is not done while the second cannot open")
		auth.arm("", "")
		_, err = d.CompleteTask(ctx, request.TaskParams{ID: tasks[0].ID, By: tom})
		require.NoError(t, err)
		auth.arm(request.Kind, request.EventComplete)
		before = snapshot(t, st)
		_, err = d.CompleteTask(ctx, request.TaskParams{ID: tasks[1].ID, By: tom})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "the last task is not done while its request cannot be fulfilled")

		// An access request is fulfilled with its grant, or not at all.
		auth.arm("", "")
		w, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "wiki-editor"}}})
		require.NoError(t, err)
		auth.arm(request.GrantKind, lifecycle.EventCreate)
		before = snapshot(t, st)
		_, err = d.Decide(ctx, request.DecideParams{ID: w.ID, By: olga, Verdict: approval.Approve})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "no fulfilled access request without its grant")
		auth.arm("", "")
		w, err = d.Decide(ctx, request.DecideParams{ID: w.ID, By: olga, Verdict: approval.Approve})
		require.NoError(t, err)
		require.Equal(t, request.StateFulfilled, w.State)

		// Revoking a grant opens its revocation request: refused, the
		// grant stays active.
		auth.arm(request.Kind, lifecycle.EventCreate)
		before = snapshot(t, st)
		_, err = d.Revoke(ctx, request.RevokeParams{ID: w.Lines[0].Grant, Note: "moved to sales", By: mike})
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st), "no revoking grant without its revocation request")
		g, err := d.GetGrant(ctx, w.Lines[0].Grant)
		require.NoError(t, err)
		assert.Equal(t, request.GrantActive, g.State)

		// The expiry sweep does the same, grant by grant.
		auth.arm("", "")
		e := grantERPOn(t, d)
		auth.arm(request.Kind, lifecycle.EventCreate)
		before = snapshot(t, st)
		_, err = d.Sweep(ctx, h.clock.Now().AddDate(0, 0, 2))
		require.ErrorIs(t, err, errRefused)
		assert.Equal(t, before, snapshot(t, st))
		auth.arm("", "")
		rep, err := d.Sweep(ctx, h.clock.Now().AddDate(0, 0, 2))
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Expired)
		revs := collect(t, d.Find(ctx, request.Query{Revokes: e}))
		require.Len(t, revs, 1)
		assert.Equal(t, request.StateInFulfilment, revs[0].State)
	})
}

// tasksOf returns the tasks of request id, in creation order.
func tasksOf(t testing.TB, d *request.Desk, id uuid.UUID) []*request.Task {
	t.Helper()
	return collect(t, d.Tasks(t.Context(), request.TaskQuery{Request: id}))
}

// grantERPOn has alice granted the ERP role on d and returns the grant.
func grantERPOn(t testing.TB, d *request.Desk) uuid.UUID {
	t.Helper()
	ctx := t.Context()
	r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "erp-ap-clerk",
		Values: map[string]string{"justification": "covering for Bob in AP"}}}})
	require.NoError(t, err)
	r, err = d.Decide(ctx, request.DecideParams{ID: r.ID, By: olga, Verdict: approval.Approve})
	require.NoError(t, err)
	for _, tk := range tasksOf(t, d, r.ID) {
		_, err := d.CompleteTask(ctx, request.TaskParams{ID: tk.ID, By: tom})
		require.NoError(t, err)
	}
	r, err = d.Get(ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, request.StateFulfilled, r.State)
	return r.Lines[0].Grant
}

// crewItem runs eight parallel tasks: as many completions to race.
func crewItem() request.Item {
	it := request.Item{ID: "crew", Name: "Crew kit", Category: "people", TaskOrder: request.Parallel}
	for i := range 8 {
		it.Tasks = append(it.Tasks, request.TaskTemplate{Title: fmt.Sprintf("Step %d", i), Group: "crew"})
	}
	return it
}

// TestHostsRaceToFinishTasks completes the eight parallel tasks of a
// request at once, from two hosts: every task is done, and the request is
// fulfilled exactly once.
func TestHostsRaceToFinishTasks(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		cat, err := request.NewCatalog(crewItem())
		require.NoError(t, err)
		h := newHosts(t, db, 2, request.Config{Catalog: cat})
		r, err := h.desks[0].Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "crew"}}})
		require.NoError(t, err)
		require.Len(t, r.Tasks, 8)
		var wg sync.WaitGroup
		for i, ref := range r.Tasks {
			wg.Go(func() {
				_, err := h.desks[i%2].CompleteTask(ctx, request.TaskParams{ID: ref.ID, By: tom})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		for _, tk := range tasksOf(t, h.desks[1], r.ID) {
			assert.Equal(t, request.TaskDone, tk.State, tk.Number)
		}
		r, err = h.desks[1].Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, request.StateFulfilled, r.State)
		completes := 0
		for _, ev := range events(t, h.desks[0], r.ID) {
			if ev == request.EventComplete {
				completes++
			}
		}
		assert.Equal(t, 1, completes, "fulfilled once")
	})
}

// TestHostsRaceApprovalAndCancel has one host approve a request while
// another cancels it: either the request is cancelled and has no tasks, or
// it is in fulfilment with each of its tasks once.
func TestHostsRaceApprovalAndCancel(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		h := newHosts(t, db, 2, request.Config{})
		for round := range 6 {
			r, err := h.desks[0].Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: "laptop", Values: laptopValues()}}})
			require.NoError(t, err)
			var wg sync.WaitGroup
			wg.Go(func() {
				_, err := h.desks[round%2].Decide(ctx, request.DecideParams{ID: r.ID, By: mike, Verdict: approval.Approve})
				if err != nil {
					assert.ErrorIs(t, err, lifecycle.ErrTransition)
				}
			})
			wg.Go(func() {
				_, err := h.desks[(round+1)%2].Cancel(ctx, request.CancelParams{ID: r.ID, By: alice})
				if err != nil {
					assert.ErrorIs(t, err, lifecycle.ErrTransition)
				}
			})
			wg.Wait()
			r, err = h.desks[0].Get(ctx, r.ID)
			require.NoError(t, err)
			tasks := tasksOf(t, h.desks[1], r.ID)
			switch r.State {
			case request.StateCancelled:
				assert.Empty(t, tasks, "a cancelled request has no tasks")
			case request.StateInFulfilment:
				assert.Len(t, tasks, 2)
				assert.Equal(t, []string{request.TaskOpen, request.TaskPending}, states(tasks))
			default:
				t.Errorf("round %d: request %s is %s", round, r.Number, r.State)
			}
		}
	})
}

// TestHostsRaceToRevoke has two hosts revoke one grant at once: one
// revocation request is opened, and the other host is told the grant is
// being revoked.
func TestHostsRaceToRevoke(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		h := newHosts(t, db, 2, request.Config{})
		g := grantERPOn(t, h.desks[0])
		var wg sync.WaitGroup
		var mu sync.Mutex
		opened := 0
		for i := range 4 {
			wg.Go(func() {
				_, err := h.desks[i%2].Revoke(ctx, request.RevokeParams{ID: g, Note: "moved to sales", By: itil.Actor{ID: fmt.Sprintf("boss%d", i)}})
				if err != nil {
					assert.ErrorIs(t, err, lifecycle.ErrTransition)
					return
				}
				mu.Lock()
				opened++
				mu.Unlock()
			})
		}
		wg.Wait()
		assert.Equal(t, 1, opened)
		revs := collect(t, h.desks[1].Find(ctx, request.Query{Revokes: g}))
		require.Len(t, revs, 1)
		gr, err := h.desks[1].GetGrant(ctx, g)
		require.NoError(t, err)
		assert.Equal(t, request.GrantRevoking, gr.State)
		assert.Equal(t, revs[0].ID, gr.Revocation)
		assert.Len(t, tasksOf(t, h.desks[0], revs[0].ID), 1)
	})
}

// TestHostsSweepAtOnce runs the expiry sweep on two hosts at once: the
// expired grant gets one revocation request.
func TestHostsSweepAtOnce(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		h := newHosts(t, db, 2, request.Config{})
		g := grantERPOn(t, h.desks[0])
		now := h.clock.Now().AddDate(0, 0, 31)
		var wg sync.WaitGroup
		var mu sync.Mutex
		expired := 0
		for i := range 4 {
			wg.Go(func() {
				rep, err := h.desks[i%2].Sweep(ctx, now)
				assert.NoError(t, err)
				mu.Lock()
				expired += rep.Expired
				mu.Unlock()
			})
		}
		wg.Wait()
		assert.Equal(t, 1, expired)
		assert.Len(t, collect(t, h.desks[1].Find(ctx, request.Query{Revokes: g})), 1)
	})
}

// TestRetryTaskOfFinishedRequest checks that a failed task may be retried
// only while its request is in fulfilment: retrying one of a request
// fulfilled under ContinueOnFailure would open work nobody follows.
func TestRetryTaskOfFinishedRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{OnTaskFailure: request.ContinueOnFailure})
	ctx := t.Context()
	r := f.order(t, "onboarding", nil)
	ts := f.tasks(t, r.ID)
	_, err := f.desk.FailTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom, Note: "no account needed"})
	require.NoError(t, err)
	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: ts[1].ID, By: tom})
	require.NoError(t, err)
	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: ts[2].ID, By: tom})
	require.NoError(t, err)
	require.Equal(t, request.StateFulfilled, f.get(t, r.ID).State)
	before := snapshot(t, f.store)
	_, err = f.desk.RetryTask(ctx, request.TaskParams{ID: ts[0].ID, By: tom})
	require.ErrorIs(t, err, request.ErrNotInFulfilment)
	assert.Equal(t, lifecycle.ErrRefused, lifecycle.Class(err))
	assert.Equal(t, before, snapshot(t, f.store))
}

// TestSweepResumesRequestsLeftBetweenSteps stores requests as an earlier
// release could leave them after a failure, one step short (submitted but
// not sent for approval, approved without tasks), and checks that Sweep
// takes each on, in one commit per request.
func TestSweepResumesRequestsLeftBetweenSteps(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	raw, err := lifecycle.NewProcess[request.Request](f.store, request.DefaultLifecycle(), lifecycle.ProcessConfig{Prefix: "REQ", Now: f.clock.Now})
	require.NoError(t, err)
	submitted, err := raw.Create(ctx, &request.Request{Requester: alice, For: "alice",
		Lines: []request.Line{{Item: laptopItem(), Quantity: 1, Values: laptopValues()}}}, alice, "")
	require.NoError(t, err)
	approved := &request.Request{Requester: alice, For: "alice", Lines: []request.Line{{Item: onboardingItem(), Quantity: 1}}}
	for step := range 3 {
		approved.Tasks = append(approved.Tasks, request.TaskRef{ID: uuid.Must(uuid.NewV7()), Line: 0, Step: step})
	}
	approved, err = raw.Create(ctx, approved, alice, "")
	require.NoError(t, err)
	_, err = raw.Fire(ctx, approved.ID, lifecycle.Action[*request.Request]{Event: request.EventApprove, Actor: alice})
	require.NoError(t, err)

	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Resumed, "not before Config.RepairAfter")

	rep, err = f.desk.Sweep(ctx, f.clock.Advance(2*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Resumed)
	r := f.get(t, submitted.ID)
	assert.Equal(t, request.StateAwaitingApproval, r.State)
	assert.Equal(t, []approval.Slot{approval.Group("managers")}, r.Approval.Pending())
	r = f.get(t, approved.ID)
	assert.Equal(t, request.StateInFulfilment, r.State)
	assert.Equal(t, []string{request.TaskOpen, request.TaskOpen, request.TaskOpen}, states(f.tasks(t, r.ID)))

	rep, err = f.desk.Sweep(ctx, f.clock.Advance(2*time.Minute))
	require.NoError(t, err)
	assert.Zero(t, rep.Resumed, "once")
}
