package incident_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

func TestParentResolvesOpenChildren(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	parent := f.toState(t, incident.StateInProgress)
	linked := f.open(t)
	held := f.toState(t, incident.StateOnHold)
	opened := f.open(t, func(dr *incident.Draft) { dr.Parent = parent.ID })
	closed := f.toState(t, incident.StateInProgress)
	cancelled := f.open(t)
	for _, c := range []*incident.Incident{linked, held, closed, cancelled} {
		got, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: c.ID, By: bob, Parent: parent.ID})
		require.NoError(t, err)
		assert.Equal(t, parent.ID, got.Parent)
	}
	_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: closed.ID, By: bob, Note: "same outage", Code: "duplicate"})
	require.NoError(t, err)
	_, err = f.desk.Close(ctx, incident.Params{ID: closed.ID, By: bob})
	require.NoError(t, err)
	_, err = f.desk.Cancel(ctx, incident.Params{ID: cancelled.ID, By: bob, Note: "logged in error"})
	require.NoError(t, err)
	assert.Len(t, changesNamed(t, f.desk, linked.ID, "link_parent"), 1)
	assert.Equal(t, "child of "+parent.Number, changesNamed(t, f.desk, linked.ID, "link_parent")[0].Note)

	children := collect(t, f.desk.Children(ctx, parent.ID))
	assert.Len(t, children, 5)
	nClosed, nCancelled := len(journal(t, f.desk, closed.ID)), len(journal(t, f.desk, cancelled.ID))

	f.clock.Advance(10 * time.Minute)
	_, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)

	for _, c := range []*incident.Incident{linked, held, opened} {
		got, err := f.desk.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, incident.StateResolved, got.State, c.Number)
		assert.Equal(t, resolution.Code, got.Resolution.Code, "the parent's resolution")
		assert.Equal(t, resolution.Notes, got.Resolution.Notes)
		j := journal(t, f.desk, c.ID)
		assert.Equal(t, "resolved with parent "+parent.Number, j[len(j)-1].Note)
		assert.True(t, j[len(j)-1].Actor.System)
	}
	got, err := f.desk.Get(ctx, closed.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateClosed, got.State)
	assert.Equal(t, "duplicate", got.Resolution.Code, "a closed child keeps its own resolution")
	assert.Len(t, journal(t, f.desk, closed.ID), nClosed)
	got, err = f.desk.Get(ctx, cancelled.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateCancelled, got.State)
	assert.Len(t, journal(t, f.desk, cancelled.ID), nCancelled)
}

func TestUnlinkParent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	parent, child := f.open(t), f.open(t)
	_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: parent.ID})
	require.NoError(t, err)
	got, err := f.desk.UnlinkParent(ctx, incident.Params{ID: child.ID, By: bob})
	require.NoError(t, err)
	assert.Zero(t, got.Parent)
	assert.Empty(t, collect(t, f.desk.Children(ctx, parent.ID)))
	_, err = f.desk.UnlinkParent(ctx, incident.Params{ID: child.ID, By: bob})
	requireValidation(t, err, "parent")
}

func TestParentCycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	a, b, c := f.open(t), f.open(t), f.open(t)
	_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: b.ID, By: bob, Parent: a.ID}) // A ← B
	require.NoError(t, err)
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: c.ID, By: bob, Parent: b.ID}) // B ← C
	require.NoError(t, err)
	a, err = f.desk.Get(ctx, a.ID)
	require.NoError(t, err)
	n := len(journal(t, f.desk, a.ID))

	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: a.ID, By: bob, Parent: c.ID})
	require.ErrorIs(t, err, incident.ErrCycle, "A as a child of C")
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: a.ID, By: bob, Parent: b.ID})
	require.ErrorIs(t, err, incident.ErrCycle, "A as a child of B")
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: a.ID, By: bob, Parent: a.ID})
	require.ErrorIs(t, err, incident.ErrCycle, "A as its own child")

	after, err := f.desk.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, after)
	assert.Len(t, journal(t, f.desk, a.ID), n)
}

func TestLinkParentRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	child := f.open(t)
	closed := f.toState(t, incident.StateClosed)
	resolved := f.toState(t, incident.StateResolved)

	_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: closed.ID})
	requireValidation(t, err, "parent")
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: resolved.ID})
	requireValidation(t, err, "parent")
	_, err = f.desk.Open(ctx, incident.Draft{Title: "x", Caller: alice, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow, Parent: closed.ID})
	requireValidation(t, err, "parent")
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: itil.Actor{}, Parent: f.open(t).ID})
	requireValidation(t, err, "by")
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: resolved.ID, By: bob, Parent: child.ID})
	requireTransition(t, err)
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: f.toState(t, incident.StateResolved).Parent})
	requireValidation(t, err, "parent") // no parent named
	_, err = f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: uuid.Must(uuid.NewV7())})
	require.ErrorIs(t, err, lifecycle.ErrNotFound)
}

// TestConcurrentOppositeLinks links two incidents to each other at the same
// time, many times over: one link wins, the other is a cycle.
func TestConcurrentOppositeLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	for range 100 {
		x, y := f.open(t), f.open(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { _, errs[0] = f.desk.LinkParent(ctx, incident.ParentParams{ID: x.ID, By: bob, Parent: y.ID}) })
		wg.Go(func() { _, errs[1] = f.desk.LinkParent(ctx, incident.ParentParams{ID: y.ID, By: carol, Parent: x.ID}) })
		wg.Wait()
		failed := 0
		for _, err := range errs {
			if err != nil {
				require.ErrorIs(t, err, incident.ErrCycle)
				failed++
			}
		}
		require.Equal(t, 1, failed, "exactly one of the links wins")
		x, err := f.desk.Get(ctx, x.ID)
		require.NoError(t, err)
		y, err = f.desk.Get(ctx, y.ID)
		require.NoError(t, err)
		require.False(t, x.Parent == y.ID && y.Parent == x.ID, "a cycle")
	}
}

// TestSweepResolvesMissedChildren: a child that could not be resolved with
// its parent (its state allowed no resolution then) is resolved by a later
// sweep.
func TestSweepResolvesMissedChildren(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, false), Logger: slog.New(slog.DiscardHandler)})
	ctx := t.Context()
	parent := f.toState(t, incident.StateInProgress)
	child := f.toState(t, incident.StateInProgress)
	_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: parent.ID})
	require.NoError(t, err)
	waitVendor(t, f, child.ID)

	_, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	got, err := f.desk.Get(ctx, child.ID)
	require.NoError(t, err)
	require.Equal(t, stateAwaitingVendor, got.State, "left for the sweep")

	_, err = f.desk.Resume(ctx, incident.Params{ID: child.ID, By: bob, Note: "vendor replied"})
	require.NoError(t, err)
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Children)
	got, err = f.desk.Get(ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, got.State)
	assert.Equal(t, resolution.Code, got.Resolution.Code)
}

// TestSweepLeavesReopenedChild: a child resolved with its parent and then
// reopened by its caller stays in work; the sweep does not resolve it again.
func TestSweepLeavesReopenedChild(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	parent := f.toState(t, incident.StateInProgress)
	child := f.open(t, func(dr *incident.Draft) { dr.Parent, dr.Group = parent.ID, "network" })
	_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	f.clock.Advance(10 * time.Minute)
	_, err = f.desk.Reopen(ctx, incident.Params{ID: child.ID, By: alice, Note: "still broken for me"})
	require.NoError(t, err)

	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep.Children)
	got, err := f.desk.Get(ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, got.State)
}
