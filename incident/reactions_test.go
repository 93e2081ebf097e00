package incident_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// errUnavailable is the failure a failingStore injects.
var errUnavailable = errors.New("store unavailable")

// failingStore is a store whose writes of some records fail a number of
// times before they go through, as a database that is briefly unreachable.
type failingStore struct {
	lifecycle.Store
	mu     sync.Mutex
	left   map[uuid.UUID]int // record → writes still to fail
	failed int
}

// failFor makes the next n writes of each record in ids fail.
func (s *failingStore) failFor(n int, ids ...uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.left == nil {
		s.left = map[uuid.UUID]int{}
	}
	for _, id := range ids {
		s.left[id] = n
	}
}

// failures returns how many writes failed.
func (s *failingStore) failures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// fail reports whether a write of the records ids fails, counting it.
func (s *failingStore) fail(ids ...uuid.UUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if s.left[id] > 0 {
			s.left[id]--
			s.failed++
			return true
		}
	}
	return false
}

func (s *failingStore) Update(ctx context.Context, e lifecycle.Entity, expect int64, ch *lifecycle.Change) error {
	if s.fail(e.Base().ID) {
		return errUnavailable
	}
	return s.Store.Update(ctx, e, expect, ch)
}

func (s *failingStore) Commit(ctx context.Context, b lifecycle.Batch) error {
	ids := make([]uuid.UUID, 0, len(b.Writes))
	for _, w := range b.Writes {
		if w.Entity != nil {
			ids = append(ids, w.Entity.Base().ID)
		}
	}
	if s.fail(ids...) {
		return errUnavailable
	}
	return s.Store.Commit(ctx, b)
}

// drain delivers everything pending to the desk's reactions, retrying
// quickly.
func drain(t testing.TB, st lifecycle.Store, desk *incident.Desk) {
	t.Helper()
	disp, err := lifecycle.NewDispatcher(st, desk.Reactions(), lifecycle.DispatcherConfig{
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Logger: teststores.Quiet,
	})
	require.NoError(t, err)
	require.NoError(t, disp.Drain(t.Context()))
}

// TestCascadeIsDurable resolves a parent while its children's writes fail,
// on every store: Resolve succeeds and leaves the children open, and once
// the dispatcher has drained the log every child is resolved with the
// parent's resolution, with one resolve entry each, also after a restart
// and a redelivery; a child reopened on purpose stays open, and a child
// resolved or cancelled before the parent is left alone.
func TestCascadeIsDurable(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := &failingStore{Store: db.Host(t)}
		desk := newHostDesk(t, st)
		parent, err := desk.Open(ctx, draft())
		require.NoError(t, err)
		_, err = desk.Assign(ctx, incident.AssignParams{ID: parent.ID, By: bob, Group: "network", Assignee: "bob"})
		require.NoError(t, err)
		var children []*incident.Incident
		for range 3 {
			dr := draft()
			dr.Parent, dr.Group = parent.ID, "network"
			c, err := desk.Open(ctx, dr)
			require.NoError(t, err)
			children = append(children, c)
		}
		dr := draft()
		dr.Parent = parent.ID
		early, err := desk.Open(ctx, dr)
		require.NoError(t, err)
		_, err = desk.Resolve(ctx, incident.ResolveParams{ID: early.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
		require.NoError(t, err)
		dr.Group = "network"
		cancelled, err := desk.Open(ctx, dr)
		require.NoError(t, err)
		_, err = desk.Cancel(ctx, incident.Params{ID: cancelled.ID, By: bob, Note: "logged twice"})
		require.NoError(t, err)
		nEarly, nCancelled := len(journal(t, desk, early.ID)), len(journal(t, desk, cancelled.ID))

		// Every child's writes fail three times: the request's own cascade
		// and the first deliveries fail.
		st.failFor(3, children[0].ID, children[1].ID, children[2].ID)
		ctx, cancel := context.WithCancel(ctx)
		_, err = desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
		cancel()
		require.NoError(t, err, "the parent's resolution does not depend on its children")
		for _, c := range children {
			got, err := desk.Get(t.Context(), c.ID)
			require.NoError(t, err)
			require.Equal(t, incident.StateNew, got.State, "the cascade failed in the request")
		}

		drain(t, st, desk)
		assert.Equal(t, 9, st.failures(), "every injected failure was met")
		resolves := func(t *testing.T, desk *incident.Desk) {
			t.Helper()
			for _, c := range children {
				got, err := desk.Get(t.Context(), c.ID)
				require.NoError(t, err)
				assert.Equal(t, incident.StateResolved, got.State, c.Number)
				assert.Equal(t, resolution.Code, got.Resolution.Code, c.Number)
				assert.Len(t, changesNamed(t, desk, c.ID, incident.EventResolve), 1, "one resolve entry for %s", c.Number)
			}
			assert.Len(t, journal(t, desk, early.ID), nEarly, "a child resolved before is left alone")
			assert.Len(t, journal(t, desk, cancelled.ID), nCancelled, "a cancelled child is left alone")
		}
		resolves(t, desk)

		// Restarted on a new handle of the store: nothing is done twice,
		// neither from the cursor nor from a redelivery of the change.
		desk2 := newHostDesk(t, db.Host(t))
		drain(t, db.Host(t), desk2)
		resolves(t, desk2)
		resolved := changesNamed(t, desk2, parent.ID, incident.EventResolve)
		require.Len(t, resolved, 1)
		cascade := desk2.Reactions()[0]
		require.Equal(t, incident.ReactionCascade, cascade.Name)
		require.NoError(t, cascade.Notifier.Notify(t.Context(), resolved[0]))
		resolves(t, desk2)

		// A child reopened on purpose is not resolved again by a redelivery.
		_, err = desk2.Reopen(t.Context(), incident.Params{ID: children[0].ID, By: alice, Note: "still broken for me"})
		require.NoError(t, err)
		require.NoError(t, cascade.Notifier.Notify(t.Context(), resolved[0]))
		got, err := desk2.Get(t.Context(), children[0].ID)
		require.NoError(t, err)
		assert.Equal(t, incident.StateInProgress, got.State)
	})
}

// TestCascadeSkipsLastingRefusals: a child whose state allows no
// resolution is logged and skipped, and the rest of the cascade goes on.
func TestCascadeSkipsLastingRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: vendorLifecycle(t, false), Logger: teststores.Quiet})
	ctx := t.Context()
	parent := f.toState(t, incident.StateInProgress)
	stuck := f.toState(t, incident.StateInProgress)
	_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: stuck.ID, By: bob, Parent: parent.ID})
	require.NoError(t, err)
	waitVendor(t, f, stuck.ID)
	st := &failingStore{Store: f.store}
	desk, err := incident.NewDesk(st, f.cfg)
	require.NoError(t, err)
	child := f.open(t, func(dr *incident.Draft) { dr.Parent = parent.ID })
	st.failFor(1, child.ID)

	_, err = desk.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	drain(t, st, desk)
	got, err := f.desk.Get(ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StateResolved, got.State)
	got, err = f.desk.Get(ctx, stuck.ID)
	require.NoError(t, err)
	assert.Equal(t, stateAwaitingVendor, got.State, "left for the sweep")
}
