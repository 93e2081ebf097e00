package change_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle/approval"
)

// scanConflicts is the plain answer the index must match: every active
// change in the store whose window overlaps probe's on a shared CI or with
// the same implementer, as "number/kind/ci".
func scanConflicts(t *testing.T, f *fixture, probe *change.Change) []string {
	t.Helper()
	var out []string
	for c, err := range f.m.Find(ctx, change.Query{Open: true}) {
		require.NoError(t, err)
		if c.ID == probe.ID || c.Planned.IsZero() || !c.Planned.Overlaps(probe.Planned) {
			continue
		}
		for _, ci := range probe.CIs {
			if slices.Contains(c.CIs, ci) {
				out = append(out, c.Number+"/ci/"+ci)
			}
		}
		if probe.Implementer != "" && c.Implementer == probe.Implementer {
			out = append(out, c.Number+"/implementer/")
		}
	}
	return out
}

func indexConflicts(t *testing.T, f *fixture, probe *change.Change) []string {
	t.Helper()
	got, err := f.m.Conflicts(ctx, probe)
	require.NoError(t, err)
	var out []string
	for _, c := range got {
		out = append(out, c.With.Number+"/"+c.Kind.String()+"/"+c.CI)
	}
	return out
}

// TestIndexMatchesScan schedules, moves, cancels and completes changes at
// random and checks, after each step, that the interval index finds exactly
// what a scan of the store finds — through inserts, removals and
// rebalancing — and that a new Manager, reading the log, agrees.
func TestIndexMatchesScan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	f := newFixture(t, change.Config{})
	cis := []string{"a", "b", "c", "d"}
	people := []string{"p", "q", "r"}
	randWindow := func() change.Window {
		start := t0.Add(time.Duration(rng.IntN(200)) * 15 * time.Minute)
		return change.Window{Start: start, End: start.Add(time.Duration(1+rng.IntN(8)) * 15 * time.Minute)}
	}
	randProbe := func() *change.Change {
		return &change.Change{CIs: []string{cis[rng.IntN(len(cis))]}, Implementer: people[rng.IntN(len(people))], Planned: randWindow()}
	}
	var live []*change.Change
	for step := range 400 {
		switch op := rng.IntN(10); {
		case op < 5 || len(live) == 0: // a new standard change
			c, err := f.m.Propose(ctx, change.Draft{Template: "restart-web", CIs: []string{cis[rng.IntN(len(cis))]}, By: alice})
			require.NoError(t, err)
			res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: randWindow(), Implementer: people[rng.IntN(len(people))]})
			require.NoError(t, err)
			live = append(live, res.Change)
		case op < 7: // move one
			i := rng.IntN(len(live))
			res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: live[i].ID, By: alice, Window: randWindow()})
			require.NoError(t, err)
			live[i] = res.Change
		case op < 8: // cancel one
			i := rng.IntN(len(live))
			_, err := f.m.Cancel(ctx, change.Params{ID: live[i].ID, By: alice, Note: "random"})
			require.NoError(t, err)
			live = slices.Delete(live, i, i+1)
		default: // implement and complete one
			i := rng.IntN(len(live))
			_, err := f.do(live[i].ID, "implement")
			require.NoError(t, err)
			_, err = f.do(live[i].ID, "complete")
			require.NoError(t, err)
			live = slices.Delete(live, i, i+1)
		}
		probe := randProbe()
		if step%5 == 0 && len(live) > 0 {
			probe = live[rng.IntN(len(live))] // a stored change is not its own conflict
		}
		require.ElementsMatch(t, scanConflicts(t, f, probe), indexConflicts(t, f, probe), "step %d", step)
	}

	replayed, err := change.NewManager(f.st, change.Config{Templates: []change.Template{restartWeb}})
	require.NoError(t, err)
	g := &fixture{m: replayed, st: f.st}
	for range 50 {
		probe := randProbe()
		require.ElementsMatch(t, scanConflicts(t, f, probe), indexConflicts(t, g, probe))
	}
	n := 0
	for _, err := range replayed.Calendar(ctx, change.CalendarQuery{From: t0, To: t0.Add(365 * 24 * time.Hour)}) {
		require.NoError(t, err)
		n++
	}
	assert.Len(t, live, n)
}

// TestManagersShareAStore: a second Manager over the same store sees the
// first one's writes at its next answer, without being told; Start reads
// what was there before.
func TestManagersShareAStore(t *testing.T) {
	t.Parallel()
	a := newFixture(t, change.Config{})
	c := a.toState(t, change.Standard, change.StateScheduled)
	b, err := change.NewManager(a.st, change.Config{Templates: []change.Template{restartWeb}, Now: a.clock.Now})
	require.NoError(t, err)
	require.NoError(t, b.Start(ctx))

	active := func(m *change.Manager) bool {
		ok, _, err := m.Windows().Active(ctx, "db-1", window(24.5, 0).Start)
		require.NoError(t, err)
		return ok
	}
	assert.True(t, active(a.m))
	assert.True(t, active(b), "b read it from the log")

	_, err = a.m.Cancel(ctx, change.Params{ID: c.ID, By: alice, Note: "not needed"})
	require.NoError(t, err)
	assert.False(t, active(b), "b follows a's cancellation at once")

	canceled, stop := context.WithCancel(ctx)
	stop()
	assert.ErrorIs(t, b.Start(canceled), context.Canceled)
}

// TestConcurrentScheduling: goroutines propose, schedule, approve and
// cancel at once; every write lands in the calendar (run with -race).
func TestConcurrentScheduling(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				c, err := f.m.Propose(ctx, change.Draft{Template: "restart-web", CIs: []string{"web-1"}, By: alice})
				if err != nil {
					errs <- err
					return
				}
				res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(float64(w*each+i), 1), Implementer: bob.ID})
				if err != nil {
					errs <- err
					return
				}
				if i%2 == 0 {
					_, err = f.m.Conflicts(ctx, res.Change)
				} else {
					_, _, err = f.m.Windows().Active(ctx, "web-1", t0)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	// Approvers decide on one quorum round at the same time.
	g := newFixture(t, withLowRule(approvalQuorum2()))
	c := g.toState(t, change.Normal, change.StateAuthorize)
	for _, who := range []itil.Actor{p1, p2, p3} {
		wg.Go(func() {
			if _, err := g.m.Approve(ctx, change.DecideParams{ID: c.ID, By: who}); err != nil && !isClosed(err) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	n := 0
	for _, err := range f.m.Calendar(ctx, change.CalendarQuery{From: t0, To: t0.Add(1000 * time.Hour), CI: "web-1"}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, workers*each, n)
	c, err := g.m.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, c.Approved())
	assert.Len(t, c.Approval().Decisions, 2, "the third decision came after the round settled")
}

func approvalQuorum2() approval.Policy { return approval.Quorum(2) }

func isClosed(err error) bool { return errors.Is(err, approval.ErrClosed) }
