package problem_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// effect picks the journal entries of an incident that a reaction writes.
type effect struct {
	name string
	is   func(c lifecycle.Change) bool
}

var (
	workaroundComment = effect{"workaround comment", func(c lifecycle.Change) bool {
		return c.Public && strings.HasPrefix(c.Note, "Workaround from ")
	}}
	resolved = effect{"resolve", func(c lifecycle.Change) bool { return c.Event == incident.EventResolve }}
	fixNote  = effect{"work note of the fix", func(c lifecycle.Change) bool {
		return !c.Public && strings.HasPrefix(c.Note, "Problem ") && strings.Contains(c.Note, " resolved: ")
	}}
	fixComment = effect{"comment of the fix", func(c lifecycle.Change) bool {
		return c.Public && strings.HasPrefix(c.Note, "A permanent fix ")
	}}
)

// TestReactionsAreDurable makes the problem's change, then gets in the way
// of the work it sets in motion on the linked incidents, on every store:
// the caller's context ends right after the problem's commit, the desk
// fails for a while, and the host restarts halfway through. Once the
// dispatcher has drained the log, every open linked incident carries each
// effect exactly once, even when the change is delivered again, and the
// resolved one is left alone.
func TestReactionsAreDurable(t *testing.T) {
	t.Parallel()
	resolve := func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
		_, err := m.Resolve(ctx, problem.ResolveParams{ID: id, By: carol})
		return err
	}
	tests := []struct {
		name    string
		cfg     problem.Config
		change  func(ctx context.Context, m *problem.Manager, id uuid.UUID) error
		effects []effect
	}{
		{"workaround", problem.Config{}, func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.PublishWorkaround(ctx, problem.WorkaroundParams{ID: id, By: carol, Workaround: "reconnect through the web VPN portal"})
			return err
		}, []effect{workaroundComment}},
		{"resolve incidents", problem.Config{OnResolve: problem.ResolveIncidents}, resolve, []effect{resolved}},
		{"notify incidents", problem.Config{OnResolve: problem.NotifyIncidents}, resolve, []effect{fixNote, fixComment}},
	}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st := &flaky{Store: db.Host(t)}
				h := newHost(t, st, tt.cfg)
				open := []*incident.Incident{h.openIncident(t), h.openIncident(t), h.openIncident(t)}
				done := h.openIncident(t)
				_, err := h.desk.Resolve(t.Context(), incident.ResolveParams{ID: done.ID, By: bob, Code: "solved_workaround", Note: "rebooted"})
				require.NoError(t, err)
				p := h.linkedFixInProgress(t, append(incidentIDs(open), done.ID)...)

				// The caller's context ends as soon as the problem is saved.
				ctx, cancel := context.WithCancel(t.Context())
				st.committed = func(ch *lifecycle.Change) {
					if ch.RecordID == p.ID {
						cancel()
					}
				}
				require.NoError(t, tt.change(ctx, h.mgr, p.ID))
				require.Error(t, ctx.Err(), "the caller's context ended after the commit")
				st.committed = nil
				seq := lastSeq(t, h.store)
				assert.Empty(t, logChanges(t, h.store, seq), "nothing was done to the incidents in the caller's request")

				// The desk takes one write, then fails; the host stops at the
				// failure, before the dispatcher's retry.
				first, stop := context.WithCancel(t.Context())
				defer stop()
				st.arm(1, 1, stop)
				require.ErrorIs(t, dispatcher(t, h).Drain(first), context.Canceled)
				require.Equal(t, 1, st.failures())

				// Restarted, on a new connection to the store: the desk fails
				// twice more, and the dispatcher retries until it is done.
				st2 := &flaky{Store: db.Host(t)}
				st2.arm(0, 2, nil)
				h2 := newHost(t, st2, tt.cfg)
				require.NoError(t, dispatcher(t, h2).Drain(t.Context()))
				require.Equal(t, 2, st2.failures())
				check := func(t *testing.T) {
					t.Helper()
					for _, inc := range open {
						j := incidentJournal(t, h2.desk, inc.ID)
						for _, e := range tt.effects {
							n := 0
							for _, c := range j {
								if c.Seq > seq && e.is(c) {
									n++
								}
							}
							assert.Equal(t, 1, n, "%s of %s", e.name, inc.Number)
						}
					}
					for _, c := range incidentJournal(t, h2.desk, done.ID) {
						assert.Less(t, c.Seq, seq, "the resolved incident is left alone")
					}
				}
				check(t)
				if tt.effects[0].name == "resolve" {
					for _, inc := range open {
						got, err := h2.desk.Get(t.Context(), inc.ID)
						require.NoError(t, err)
						assert.Equal(t, incident.StateResolved, got.State)
						assert.Equal(t, "solved_permanently", got.Resolution.Code)
						assert.Contains(t, got.Resolution.Notes, fix.Description)
						assert.Equal(t, carol.ID, got.Resolution.By)
					}
				}

				// Delivered again, the change does nothing twice.
				var ch lifecycle.Change
				for c, err := range h2.mgr.Journal(t.Context(), p.ID) {
					require.NoError(t, err)
					ch = c
				}
				require.Equal(t, seq, ch.Seq)
				for _, s := range h2.mgr.Reactions() {
					require.NoError(t, s.Notifier.Notify(t.Context(), ch))
				}
				check(t)
			})
		}
	})
}

// TestReactionsLeaveLaterLinksAlone replays a workaround after another
// incident was linked, as a new subscription replays the whole log: only
// the incidents linked before the change get the comment.
func TestReactionsLeaveLaterLinksAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	before := f.openIncident(t)
	p := f.open(t, func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{before.ID} })
	_, err := f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "use the web VPN"})
	require.NoError(t, err)
	later := f.openIncident(t)
	_, err = f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: later.ID})
	require.NoError(t, err)

	f.drain(t)
	assert.Len(t, named(incidentJournal(t, f.desk, before.ID), "comment"), 1)
	assert.Empty(t, named(incidentJournal(t, f.desk, later.ID), "comment"), "linked after the workaround")
}

// TestReactionsSayWhatTheChangeSaid publishes two workarounds before the
// dispatcher runs: each incident gets both, each in the words it was
// published in, in order.
func TestReactionsSayWhatTheChangeSaid(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	inc := f.openIncident(t)
	p := f.open(t, func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{inc.ID} })
	for _, w := range []string{"use the web VPN", "use the backup gateway"} {
		_, err := f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: w})
		require.NoError(t, err)
	}
	f.drain(t)
	var notes []string
	for _, c := range named(incidentJournal(t, f.desk, inc.ID), "comment") {
		notes = append(notes, c.Note)
	}
	assert.Equal(t, []string{
		"Workaround from " + p.Number + " (" + p.Title + "): use the web VPN",
		"Workaround from " + p.Number + " (" + p.Title + "): use the backup gateway",
	}, notes)
}

// TestResolveNamesTheFixChange starts the fix with the change that delivers
// it and resolves without naming it again: the incidents are told which
// change delivered the fix.
func TestResolveNamesTheFixChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{OnResolve: problem.ResolveIncidents})
	ctx := t.Context()
	p, incs := f.linkedProblem(t, incident.StateInProgress)
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000042"}
	p = f.advance(t, p, problem.StateRootCauseAnalysis)
	p, err := f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
	require.NoError(t, err)
	p, err = f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: problem.Fix{Description: fix.Description, Change: chg}})
	require.NoError(t, err)
	assert.Equal(t, chg, p.FixChange)
	_, err = f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol})
	require.NoError(t, err)
	f.drain(t)
	assert.Equal(t, "Fixed by problem "+p.Number+": "+fix.Description+" (delivered by change:CHG0000042)",
		f.getIncident(t, incs[0].ID).Resolution.Notes)
}

// linkedFixInProgress opens a problem with the incidents linked and takes
// it to fix in progress.
func (h *host) linkedFixInProgress(t *testing.T, ids ...uuid.UUID) *problem.Problem {
	t.Helper()
	ctx := t.Context()
	dr := draft()
	dr.Incidents = ids
	p, err := h.mgr.Open(ctx, dr)
	require.NoError(t, err)
	for _, step := range []func() (*problem.Problem, error){
		func() (*problem.Problem, error) { return h.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}) },
		func() (*problem.Problem, error) { return h.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol}) },
		func() (*problem.Problem, error) {
			return h.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
		},
		func() (*problem.Problem, error) {
			return h.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix})
		},
	} {
		p, err = step()
		require.NoError(t, err)
	}
	return p
}

// dispatcher returns a dispatcher of h's reactions that retries at once. A
// restarted host keeps its holder name, so that it takes its own lease
// back without waiting for it to expire.
func dispatcher(t testing.TB, h *host) *lifecycle.Dispatcher {
	t.Helper()
	d, err := lifecycle.NewDispatcher(h.store, h.mgr.Reactions(), lifecycle.DispatcherConfig{
		Holder: "host-1", Logger: quiet, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
	})
	require.NoError(t, err)
	return d
}

// incidentIDs returns the IDs of incs.
func incidentIDs(incs []*incident.Incident) []uuid.UUID {
	out := make([]uuid.UUID, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}
