package change_test

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// hostManager returns a Manager over st with the fixtures' template and a
// clock at t0, as one host of several sharing st would run it.
func hostManager(t testing.TB, st lifecycle.Store, cfg change.Config) *change.Manager {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = lifecycletest.NewClock(t0).Now
	}
	if cfg.Templates == nil {
		cfg.Templates = []change.Template{restartWeb}
	}
	m, err := change.NewManager(st, cfg)
	require.NoError(t, err)
	return m
}

// TestScheduleRefusesConflictsOnce: changes on one CI scheduled into one
// window at once, from several goroutines and hosts, under
// RefuseConflicts: exactly one is scheduled, every other is refused with a
// *ConflictError, whichever host each runs on.
func TestScheduleRefusesConflictsOnce(t *testing.T) {
	t.Parallel()
	const changes = 8
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		for _, hosts := range []int{1, 2} {
			t.Run(fmt.Sprintf("%d hosts", hosts), func(t *testing.T) {
				managers := make([]*change.Manager, hosts)
				for i := range managers {
					managers[i] = hostManager(t, db.Host(t), change.Config{RefuseConflicts: true})
				}
				ci := fmt.Sprintf("db-%d", hosts) // the subtests share the database
				ids := make([]*change.Change, changes)
				for i := range ids {
					c, err := managers[i%hosts].Propose(ctx, change.Draft{Template: restartWeb.Name, CIs: []string{ci}, By: alice})
					require.NoError(t, err)
					ids[i] = c
				}
				errs := make([]error, changes)
				var wg sync.WaitGroup
				for i, c := range ids {
					wg.Go(func() {
						_, errs[i] = managers[i%hosts].Schedule(ctx, change.ScheduleParams{
							ID: c.ID, By: alice, Window: window(24, 1), Implementer: fmt.Sprintf("eng-%d", i),
						})
					})
				}
				wg.Wait()
				scheduled := 0
				for i, err := range errs {
					if err == nil {
						scheduled++
						continue
					}
					var ce *change.ConflictError
					if assert.ErrorAs(t, err, &ce, "change %d", i) {
						assert.ErrorIs(t, err, change.ErrConflicts)
						assert.NotEmpty(t, ce.Conflicts)
					}
				}
				assert.Equal(t, 1, scheduled, "exactly one change is scheduled into the window")
				stored := 0
				for c, err := range managers[0].Find(ctx, change.Query{CI: ci, States: []string{change.StateScheduled}}) {
					require.NoError(t, err)
					stored++
					assert.Empty(t, c.Warnings)
				}
				assert.Equal(t, 1, stored)
			})
		}
	})
}

// TestCalendarFollowsOtherHosts: what one host schedules, moves or cancels
// is on every other host's calendar at once, with no call to keep it
// current.
func TestCalendarFollowsOtherHosts(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		a := hostManager(t, db.Host(t), change.Config{})
		b := hostManager(t, db.Host(t), change.Config{})

		c, err := a.Propose(ctx, change.Draft{Template: restartWeb.Name, CIs: []string{"db-1"}, By: alice})
		require.NoError(t, err)
		res, err := a.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: bob.ID})
		require.NoError(t, err)

		probe := &change.Change{CIs: []string{"db-1"}, Planned: window(24.5, 1)}
		got, err := b.Conflicts(ctx, probe)
		require.NoError(t, err)
		require.Len(t, got, 1, "a change scheduled on A conflicts on B at once")
		assert.Equal(t, c.Number, got[0].With.Number)

		onCalendar := func(m *change.Manager) []string {
			var out []string
			for c, err := range m.Calendar(ctx, change.CalendarQuery{From: t0, To: t0.Add(72 * time.Hour), CI: "db-1"}) {
				require.NoError(t, err)
				out = append(out, c.Number)
			}
			return out
		}
		assert.Equal(t, []string{c.Number}, onCalendar(b))
		ok, ref, err := b.Windows().Active(ctx, "db-1", window(24.5, 0).Start)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, c.Number, ref.Number)

		// B schedules a second change: it sees A's and reports it.
		d, err := b.Propose(ctx, change.Draft{Template: restartWeb.Name, CIs: []string{"db-1"}, By: alice})
		require.NoError(t, err)
		res2, err := b.Schedule(ctx, change.ScheduleParams{ID: d.ID, By: alice, Window: window(24.5, 1), Implementer: "zoe"})
		require.NoError(t, err)
		require.Len(t, res2.Conflicts, 1)
		assert.Equal(t, c.Number, res2.Conflicts[0].With.Number)

		// A moves its change away and then cancels it: B follows both.
		_, err = a.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(48, 1), Version: res.Change.Version})
		require.NoError(t, err)
		got, err = b.Conflicts(ctx, probe)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, d.Number, got[0].With.Number, "only B's own change is left in the window")
		_, err = a.Cancel(ctx, change.Params{ID: c.ID, By: alice, Note: "not needed"})
		require.NoError(t, err)
		ok, _, err = b.Windows().Active(ctx, "db-1", window(48.5, 0).Start)
		require.NoError(t, err)
		assert.False(t, ok, "the cancelled change's window is gone on B")
		assert.Equal(t, []string{d.Number}, onCalendar(b))
	})
}

// countingStore counts the reads a Manager makes of its store.
type countingStore struct {
	lifecycle.Store
	mu    sync.Mutex
	reads int
}

func (s *countingStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

func (s *countingStore) read() {
	s.mu.Lock()
	s.reads++
	s.mu.Unlock()
}

func (s *countingStore) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	s.read()
	return s.Store.Find(ctx, q)
}

func (s *countingStore) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	s.read()
	return s.Store.Get(ctx, id, zero)
}

func (s *countingStore) ReadLog(ctx context.Context, after int64, limit int) ([]lifecycle.Change, error) {
	s.read()
	return s.Store.ReadLog(ctx, after, limit)
}

// TestNewManagerReadsNothing: the constructor does no I/O; the calendar is
// read from the log at the first question, and holds what was stored
// before the Manager started.
func TestNewManagerReadsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Standard, change.StateScheduled)

	st := &countingStore{Store: f.st}
	m := hostManager(t, st, change.Config{})
	assert.Zero(t, st.count(), "NewManager reads nothing")

	got, err := m.Conflicts(ctx, &change.Change{CIs: []string{"db-1"}, Planned: window(24, 1)})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, c.Number, got[0].With.Number)
	assert.NotZero(t, st.count())
}

// TestScheduleRefusesRelatedConflictsOnce: the same through the topology
// and the implementer, on two hosts. A change on a host and changes on
// its VMs (which do not conflict with one another) are scheduled at once:
// either the host's change is scheduled and no VM's, or every VM's and not
// the host's. Changes on different CIs with one implementer: exactly one.
func TestScheduleRefusesRelatedConflictsOnce(t *testing.T) {
	t.Parallel()
	const vms = 7
	parents := map[string][]string{}
	for i := range vms {
		parents[fmt.Sprintf("vm-%d", i)] = []string{"host-7"}
	}
	cfg := change.Config{RefuseConflicts: true, Topology: topology{parents: parents}}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		hosts := []*change.Manager{hostManager(t, db.Host(t), cfg), hostManager(t, db.Host(t), cfg)}
		schedule := func(cis []string, implementer func(i int) string) []error {
			cs := make([]*change.Change, len(cis))
			for i, ci := range cis {
				c, err := hosts[i%2].Propose(ctx, change.Draft{Template: restartWeb.Name, CIs: []string{ci}, By: alice})
				require.NoError(t, err)
				cs[i] = c
			}
			errs := make([]error, len(cs))
			var wg sync.WaitGroup
			for i, c := range cs {
				wg.Go(func() {
					_, errs[i] = hosts[i%2].Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: implementer(i)})
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					require.ErrorIs(t, err, change.ErrConflicts)
				}
			}
			return errs
		}

		cis := []string{"host-7"}
		for i := range vms {
			cis = append(cis, fmt.Sprintf("vm-%d", i))
		}
		errs := schedule(cis, func(i int) string { return fmt.Sprintf("eng-%d", i) })
		vmsScheduled := 0
		for _, err := range errs[1:] {
			if err == nil {
				vmsScheduled++
			}
		}
		if errs[0] == nil {
			assert.Zero(t, vmsScheduled, "the host's change is scheduled: no VM's may be")
		} else {
			assert.Equal(t, vms, vmsScheduled, "the host's change is refused: every VM's is scheduled")
		}

		cis = []string{"fw-1", "fw-2", "fw-3", "fw-4", "fw-5", "fw-6"}
		errs = schedule(cis, func(int) string { return "bob" })
		scheduled := 0
		for _, err := range errs {
			if err == nil {
				scheduled++
			}
		}
		assert.Equal(t, 1, scheduled, "one implementer is booked once")
	})
}
