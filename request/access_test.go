package request_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// grantERP orders ERP access for alice, has olga approve and the ERP
// admins fulfil it, and returns the request.
func (f *fixture) grantERP(t testing.TB) *request.Request {
	t.Helper()
	ctx := t.Context()
	r := f.order(t, "erp-ap-clerk", map[string]string{"justification": "covering for Bob in AP"})
	assert.Equal(t, []approval.Slot{approval.Person("olga")}, r.Approval.Pending(), "the service owner approves")
	_, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: olga, Verdict: approval.Approve, Note: "ok for a month"})
	require.NoError(t, err)
	f.doAll(t, r.ID)
	return f.get(t, r.ID)
}

func TestAccessGrant(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.grantERP(t)
	assert.Equal(t, request.StateFulfilled, r.State)
	require.NotZero(t, r.Lines[0].Grant)

	gs := collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice"}))
	require.Len(t, gs, 1)
	g := gs[0]
	assert.Equal(t, r.Lines[0].Grant, g.ID)
	assert.Regexp(t, `^GRT\d{7}$`, g.Number)
	assert.Equal(t, "erp", g.Service)
	assert.Equal(t, "ap-clerk", g.Role)
	assert.Equal(t, r.ID, g.Request)
	assert.Equal(t, g.GrantedAt.AddDate(0, 0, 30), g.ExpiresAt)

	assert.Len(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{Service: "erp", Role: "ap-clerk"})), 1)
	assert.Empty(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{Service: "wiki"})))
	assert.Empty(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice", At: g.ExpiresAt})),
		"an expired grant is no longer access, even before the sweep")

	// Access with no tasks is granted as soon as the owner approves.
	w := f.order(t, "wiki-editor", nil)
	w, err := f.desk.Decide(ctx, request.DecideParams{ID: w.ID, By: olga, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, request.StateFulfilled, w.State)
	wg := collect(t, f.desk.Grants(ctx, request.GrantQuery{Service: "wiki"}))
	require.Len(t, wg, 1)
	assert.True(t, wg[0].ExpiresAt.IsZero(), "permanent")
	assert.Len(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice"})), 2)
}

func TestAccessExpirySweep(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.grantERP(t)
	gid := r.Lines[0].Grant

	rep, err := f.desk.Sweep(ctx, f.clock.Now().Add(29*24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, rep.Expired, "not expired yet")

	now := f.clock.Advance(31 * 24 * time.Hour)
	rep, err = f.desk.Sweep(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Expired)
	rep, err = f.desk.Sweep(ctx, now)
	require.NoError(t, err)
	assert.Zero(t, rep.Expired, "exactly once")

	g, err := f.desk.GetGrant(ctx, gid)
	require.NoError(t, err)
	assert.Equal(t, request.GrantRevoking, g.State)
	revs := collect(t, f.desk.Find(ctx, request.Query{Revokes: gid}))
	require.Len(t, revs, 1)
	rev := revs[0]
	assert.Equal(t, g.Revocation, rev.ID)
	assert.True(t, rev.Revocation())
	assert.Equal(t, request.StateInFulfilment, rev.State, "revocations need no approval")
	assert.Equal(t, "alice", rev.For)

	_, err = f.desk.Cancel(ctx, request.CancelParams{ID: rev.ID, By: rev.Requester})
	assert.ErrorIs(t, err, lifecycle.ErrTransition, "a revocation runs to its end")

	f.doAll(t, rev.ID)
	assert.Equal(t, request.StateFulfilled, f.get(t, rev.ID).State)
	g, err = f.desk.GetGrant(ctx, gid)
	require.NoError(t, err)
	assert.Equal(t, request.GrantRevoked, g.State)
	assert.Equal(t, now, g.RevokedAt)
	assert.Empty(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice", At: monday9.Add(time.Hour)})),
		"a revoked grant is access no more")
}

// TestSweepConcurrent runs sweeps side by side: each expired grant still
// gets exactly one revocation request.
func TestSweepConcurrent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.grantERP(t)
	now := f.clock.Advance(31 * 24 * time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	expired := 0
	for range 4 {
		wg.Go(func() {
			rep, err := f.desk.Sweep(ctx, now)
			assert.NoError(t, err)
			mu.Lock()
			expired += rep.Expired
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, 1, expired)
	assert.Len(t, collect(t, f.desk.Find(ctx, request.Query{Revokes: r.Lines[0].Grant})), 1)
}

func TestRevokeOnDemand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.grantERP(t)
	gid := r.Lines[0].Grant

	rev, err := f.desk.Revoke(ctx, request.RevokeParams{ID: gid, Note: "moved to sales", By: mike})
	require.NoError(t, err)
	assert.Equal(t, gid, rev.Revokes)
	assert.Equal(t, "mike", rev.Requester.ID)
	_, err = f.desk.Revoke(ctx, request.RevokeParams{ID: gid, Note: "again", By: mike})
	assert.ErrorIs(t, err, lifecycle.ErrTransition, "one revocation at a time")

	assert.Len(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice"})), 1, "access holds until revoked")
	f.doAll(t, rev.ID)
	assert.Empty(t, collect(t, f.desk.Grants(ctx, request.GrantQuery{User: "alice"})))

	rep, err := f.desk.Sweep(ctx, f.clock.Advance(60*24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, rep.Expired, "a revoked grant does not expire")
	assert.Equal(t, 2, rep.Closed, "fulfilled requests close after AutoCloseAfter")
}
