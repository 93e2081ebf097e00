package problem_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

func TestLinkIncidentBothSides(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p := f.open(t)
	inc := f.openIncident(t)

	p, err := f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
	require.NoError(t, err)
	require.Len(t, p.Incidents, 1)
	assert.Equal(t, itil.Ref{Kind: incident.Kind, ID: inc.ID, Number: inc.Number}, p.Incidents[0])
	assert.True(t, p.HasIncident(inc.ID))
	inc = f.getIncident(t, inc.ID)
	assert.Equal(t, []itil.Ref{{Kind: problem.Kind, ID: p.ID, Number: p.Number}}, inc.Problems)

	pj := named(problemJournal(t, f.mgr, p.ID), "link_incident")
	require.Len(t, pj, 1)
	assert.Equal(t, []lifecycle.FieldChange{{Field: "incidents", New: "incident:" + inc.Number}}, pj[0].Fields)
	assert.Equal(t, carol.ID, pj[0].Actor.ID)
	ij := named(incidentJournal(t, f.desk, inc.ID), "link_problem")
	require.Len(t, ij, 1)
	assert.Equal(t, carol.ID, ij[0].Actor.ID)

	var linked []uuid.UUID
	for got, err := range f.mgr.Incidents(ctx, p.ID) {
		require.NoError(t, err)
		linked = append(linked, got.ID)
	}
	assert.Equal(t, []uuid.UUID{inc.ID}, linked)
	var found []*problem.Problem
	for got, err := range f.mgr.Find(ctx, problem.Query{Incident: inc.ID}) {
		require.NoError(t, err)
		found = append(found, got)
	}
	assert.Equal(t, []uuid.UUID{p.ID}, problemIDs(found))
}

func TestManyIncidentsToOneProblem(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	p := f.open(t)
	var want []uuid.UUID
	for _, st := range []string{incident.StateNew, incident.StateInProgress, incident.StateOnHold, incident.StateResolved} {
		inc := f.incidentIn(t, st)
		var err error
		p, err = f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
		require.NoError(t, err, "an incident %s may be linked", st)
		want = append(want, inc.ID)
	}
	assert.Equal(t, want, refIDs(p.Incidents))

	// One incident may be linked to several problems too.
	other := f.open(t)
	other, err := f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: other.ID, By: carol, Incident: want[0]})
	require.NoError(t, err)
	assert.Len(t, f.getIncident(t, want[0]).Problems, 2)
}

func TestLinkIncidentBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, f *fixture, p *problem.Problem) (uuid.UUID, itil.Actor)
		check func(t *testing.T, err error)
	}{
		{"twice", func(t *testing.T, f *fixture, p *problem.Problem) (uuid.UUID, itil.Actor) {
			inc := f.openIncident(t)
			_, err := f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
			require.NoError(t, err)
			return inc.ID, carol
		}, func(t *testing.T, err error) { requireValidation(t, err, "incident") }},
		{"closed incident", func(t *testing.T, f *fixture, _ *problem.Problem) (uuid.UUID, itil.Actor) {
			return f.incidentIn(t, incident.StateClosed).ID, carol
		}, func(t *testing.T, err error) { requireValidation(t, err, "incident") }},
		{"cancelled incident", func(t *testing.T, f *fixture, _ *problem.Problem) (uuid.UUID, itil.Actor) {
			return f.incidentIn(t, incident.StateCancelled).ID, carol
		}, func(t *testing.T, err error) { requireValidation(t, err, "incident") }},
		{"unknown incident", func(t *testing.T, f *fixture, _ *problem.Problem) (uuid.UUID, itil.Actor) {
			return uuid.Must(uuid.NewV7()), carol
		}, func(t *testing.T, err error) { require.ErrorIs(t, err, lifecycle.ErrNotFound) }},
		{"no actor", func(t *testing.T, f *fixture, _ *problem.Problem) (uuid.UUID, itil.Actor) {
			return f.openIncident(t).ID, itil.Actor{}
		}, func(t *testing.T, err error) { requireValidation(t, err, "by") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, problem.Config{})
			p := f.open(t)
			id, by := tt.setup(t, f, p)
			p = f.getProblem(t, p.ID)
			pn := len(problemJournal(t, f.mgr, p.ID))
			var inc *incident.Incident
			var in int
			if got, err := f.desk.Get(t.Context(), id); err == nil {
				inc, in = got, len(incidentJournal(t, f.desk, id))
			}

			_, err := f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: p.ID, By: by, Incident: id})
			tt.check(t, err)

			assert.Equal(t, p, f.getProblem(t, p.ID), "the problem is unchanged")
			assert.Len(t, problemJournal(t, f.mgr, p.ID), pn)
			if inc != nil {
				assert.Equal(t, inc, f.getIncident(t, id), "the incident is unchanged")
				assert.Len(t, incidentJournal(t, f.desk, id), in)
			}
		})
	}
}

func TestUnlinkIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p := f.open(t)
	inc := f.openIncident(t)
	_, err := f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
	require.NoError(t, err)

	p, err = f.mgr.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
	require.NoError(t, err)
	assert.Empty(t, p.Incidents)
	assert.Empty(t, f.getIncident(t, inc.ID).Problems)
	assert.Len(t, named(problemJournal(t, f.mgr, p.ID), "unlink_incident"), 1)
	assert.Len(t, named(incidentJournal(t, f.desk, inc.ID), "unlink_problem"), 1)

	_, err = f.mgr.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
	requireValidation(t, err, "incident")

	// Linking again after unlinking is fine.
	p, err = f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
	require.NoError(t, err)
	assert.Len(t, p.Incidents, 1)
}

// refuse is an Authorizer that refuses the named events while on is set.
type refuse struct {
	on     atomic.Bool
	events []string
}

func (r *refuse) Authorize(_ context.Context, req lifecycle.AuthRequest) error {
	for _, ev := range r.events {
		if r.on.Load() && req.Event == ev {
			return &lifecycle.ForbiddenError{Actor: req.Actor.ID, Event: ev, Reason: "refused by the test"}
		}
	}
	return nil
}

// TestRefusedLinkWritesNothing refuses a link or an unlink on either side,
// on every store: the refusal is returned, and the problem, the incident,
// their journals and the log are as they were.
func TestRefusedLinkWritesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		unlink bool
		// problem refuses on the problem's side, else the desk refuses.
		problem bool
		event   string
	}{
		{"link refused by the problem", false, true, "link_incident"},
		{"unlink refused by the problem", true, true, "unlink_incident"},
		{"link refused by the desk", false, false, "link_problem"},
		{"unlink refused by the desk", true, false, "unlink_problem"},
	}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				auth := &refuse{events: []string{tt.event}}
				var cfg problem.Config
				var dcfg incident.Config
				if tt.problem {
					cfg.Authorizer = auth
				} else {
					dcfg.Authorizer = auth
				}
				h := newHostWithDesk(t, db.Host(t), cfg, dcfg)
				ctx := t.Context()
				p, err := h.mgr.Open(ctx, draft())
				require.NoError(t, err)
				inc := h.openIncident(t)
				if tt.unlink {
					_, err = h.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
					require.NoError(t, err)
				}
				auth.on.Store(true)
				before := takeSnapshot(t, h.store, p.ID, inc.ID)

				if tt.unlink {
					_, err = h.mgr.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
				} else {
					_, err = h.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
				}
				require.ErrorIs(t, err, lifecycle.ErrForbidden)
				var fe *lifecycle.ForbiddenError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.event, fe.Event)
				after := takeSnapshot(t, h.store, p.ID, inc.ID)
				assert.Equal(t, before.records, after.records, "the records are unchanged")
				assert.Equal(t, before.journals, after.journals, "the journals are unchanged")
				assert.Equal(t, before.log, after.log, "nothing reached the outbox")

				got, err := h.desk.Get(ctx, inc.ID)
				require.NoError(t, err)
				assert.Equal(t, tt.unlink, len(got.Problems) == 1, "the incident's side is as it was")
			})
		}
	})
}

func TestLinkChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p := f.open(t)
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000001"}

	p, err := f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: chg})
	require.NoError(t, err)
	assert.Equal(t, []itil.Ref{chg}, p.Changes)
	_, err = f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: chg})
	requireValidation(t, err, "change")
	_, err = f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: itil.Ref{Kind: "incident", ID: chg.ID}})
	requireValidation(t, err, "change.kind")
	_, err = f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: itil.Ref{Kind: "change"}})
	requireValidation(t, err, "change.id")

	p, err = f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: chg, Remove: true})
	require.NoError(t, err)
	assert.Empty(t, p.Changes)
	_, err = f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Change: chg, Remove: true})
	requireValidation(t, err, "change")
}

// TestConcurrentLinks links many incidents to one problem at once, and the
// same incident many times: every incident ends up linked once, on both
// sides.
func TestConcurrentLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	p := f.open(t)
	incs := make([]*incident.Incident, 8)
	for i := range incs {
		incs[i] = f.openIncident(t)
	}
	var wg sync.WaitGroup
	var ok, dup atomic.Int32
	for _, inc := range incs {
		for range 3 {
			wg.Go(func() {
				_, err := f.mgr.LinkIncident(context.Background(), problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
				var ve *itil.ValidationError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &ve):
					dup.Add(1)
				default:
					t.Errorf("linking %s: %v", inc.Number, err)
				}
			})
		}
		wg.Go(func() {
			_, err := f.mgr.Search(context.Background(), problem.KnownErrorQuery{Text: "vpn"})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, len(incs), ok.Load())
	assert.EqualValues(t, 2*len(incs), dup.Load())
	p = f.getProblem(t, p.ID)
	assert.Len(t, p.Incidents, len(incs))
	for _, inc := range incs {
		assert.True(t, p.HasIncident(inc.ID))
		assert.Len(t, f.getIncident(t, inc.ID).Problems, 1)
	}
}

// TestConcurrentLinksOnTwoHosts links the same incidents to one problem
// from two hosts at once, on every store: each incident is linked once, on
// both sides, and every other attempt is told it is linked already.
func TestConcurrentLinksOnTwoHosts(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		a, b := newHost(t, db.Host(t), problem.Config{}), newHost(t, db.Host(t), problem.Config{})
		p, err := a.mgr.Open(t.Context(), draft())
		require.NoError(t, err)
		incs := make([]*incident.Incident, 6)
		for i := range incs {
			incs[i] = a.openIncident(t)
		}
		var wg sync.WaitGroup
		var ok, dup atomic.Int32
		for _, inc := range incs {
			for _, h := range []*host{a, b} {
				wg.Go(func() {
					_, err := h.mgr.LinkIncident(context.Background(), problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
					var ve *itil.ValidationError
					switch {
					case err == nil:
						ok.Add(1)
					case errors.As(err, &ve):
						dup.Add(1)
					default:
						t.Errorf("linking %s: %v", inc.Number, err)
					}
				})
			}
		}
		wg.Wait()
		assert.EqualValues(t, len(incs), ok.Load())
		assert.EqualValues(t, len(incs), dup.Load())
		got, err := b.mgr.Get(t.Context(), p.ID)
		require.NoError(t, err)
		assert.Len(t, got.Incidents, len(incs))
		for _, inc := range incs {
			i, err := b.desk.Get(t.Context(), inc.ID)
			require.NoError(t, err)
			assert.Equal(t, []uuid.UUID{p.ID}, refIDs(i.Problems))
			assert.Len(t, named(incidentJournal(t, b.desk, inc.ID), "link_problem"), 1)
		}
	})
}
