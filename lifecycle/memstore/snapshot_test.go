package memstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var (
	bob = itil.Actor{ID: "bob"}
	t0  = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
)

// taskDesk returns a Process of Tasks over st: todo → doing ⇄ (move) → done.
func taskDesk(t testing.TB, st lifecycle.Store, clk *lifecycletest.Clock) *lifecycle.Process[*Task] {
	t.Helper()
	def, err := lifecycle.NewDefinition("task",
		[]lifecycle.State{
			{Name: "todo", Category: lifecycle.Open, Initial: true},
			{Name: "doing", Category: lifecycle.Open},
			{Name: "done", Category: lifecycle.Closed},
		},
		[]lifecycle.Event{
			{Name: "start", From: []string{"todo"}, To: "doing"},
			{Name: "move", From: []string{"todo", "doing"}, To: "doing"},
			{Name: "finish", From: []string{"doing"}, To: "done"},
		})
	require.NoError(t, err)
	p, err := lifecycle.NewProcess[Task](st, def, lifecycle.ProcessConfig{Prefix: "TSK", Now: clk.Now})
	require.NoError(t, err)
	return p
}

// move is the action that gives a task to team.
func move(team string) lifecycle.Action[*Task] {
	return lifecycle.Action[*Task]{Event: "move", Actor: bob, Apply: func(t *Task, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "team", &t.Team, team)
		return nil
	}}
}

// view is everything a reader of a store can see, but what NextNumber,
// NewID and Claim would change.
type view struct {
	All, Network, Doing []string // numbers, from Find
	Journals            map[string][]lifecycle.Change
	Log                 []lifecycle.Change
}

func look(t *testing.T, st *memstore.Store) view {
	t.Helper()
	ctx := t.Context()
	find := func(where ...lifecycle.Cond) []string {
		var out []string
		for e, err := range st.Find(ctx, lifecycle.Query{Kind: "task", Where: where}) {
			require.NoError(t, err)
			out = append(out, e.Base().Number)
		}
		return out
	}
	v := view{
		All:      find(),
		Network:  find(lifecycle.Eq("team", "network")),
		Doing:    find(lifecycle.Eq("state", "doing")),
		Journals: map[string][]lifecycle.Change{},
	}
	for e, err := range st.Find(ctx, lifecycle.Query{Kind: "task"}) {
		require.NoError(t, err)
		for c, err := range st.Journal(ctx, e.Base().ID) {
			require.NoError(t, err)
			v.Journals[e.Base().Number] = append(v.Journals[e.Base().Number], c)
		}
	}
	v.Log = readAll(t, st)
	return v
}

// readAll returns the store's whole log.
func readAll(t *testing.T, st *memstore.Store) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for after := int64(0); ; {
		page, err := st.ReadLog(t.Context(), after, 0)
		require.NoError(t, err)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}

// before creates three tasks and moves two; after moves them on, creates
// two more (a fresh chunk of the log), finishes one and acks a consumer.
func before(t *testing.T, p *lifecycle.Process[*Task]) []*Task {
	t.Helper()
	ctx := t.Context()
	var out []*Task
	for _, title := range []string{"renew certificate", "rotate backups", "patch firewall"} {
		tk, err := p.Create(ctx, &Task{Title: title, Team: "storage"}, bob, "")
		require.NoError(t, err)
		out = append(out, tk)
	}
	for _, tk := range out[:2] {
		_, err := p.Fire(ctx, tk.ID, move("network"))
		require.NoError(t, err)
	}
	return out
}

func after(t *testing.T, st *memstore.Store, p *lifecycle.Process[*Task], tasks []*Task) {
	t.Helper()
	ctx := t.Context()
	_, err := p.Fire(ctx, tasks[0].ID, move("storage"))
	require.NoError(t, err)
	_, err = p.Fire(ctx, tasks[1].ID, lifecycle.Action[*Task]{Event: "finish", Actor: bob, Note: "done"})
	require.NoError(t, err)
	for range 200 { // more than a chunk of the log
		_, err = p.Create(ctx, &Task{Title: "printer", Team: "network", Tags: []string{"a", "b"}}, bob, "")
		require.NoError(t, err)
	}
	_, err = st.Claim(ctx, "mail", "host-1", 3, time.Minute)
	require.NoError(t, err)
	require.NoError(t, st.Ack(ctx, "mail", "host-1", 3))
}

func TestSnapshotRestore(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	p := taskDesk(t, st, clk)
	tasks := before(t, p)
	want := look(t, st)
	require.Len(t, want.Log, 5)
	require.Equal(t, []string{"TSK0000001", "TSK0000002"}, want.Network)

	snap := st.Snapshot()
	assert.Equal(t, int64(5), snap.Seq())
	assert.Equal(t, 3, snap.Len())
	after(t, st, p, tasks)
	changed := look(t, st)
	require.NotEqual(t, want, changed)

	for range 2 { // a snapshot can be restored again and again
		require.NoError(t, st.Restore(snap))
		assert.Equal(t, want, look(t, st), "what was is back")
		assert.Equal(t, 3, st.Len())
		// The sequences, the ID counter and the cursors are back too: the
		// same work gives the same records, IDs and log.
		after(t, st, p, tasks)
		assert.Equal(t, changed, look(t, st))
	}

	other := lifecycletest.NewStore(t, clk)
	require.NoError(t, other.Restore(snap))
	assert.Equal(t, want, look(t, other), "a snapshot restores into another store")

	// The consumer's cursor and lease are part of the snapshot.
	require.NoError(t, st.Restore(snap))
	got, err := st.Claim(ctx, "mail", "host-1", 0, time.Minute)
	require.NoError(t, err)
	assert.Len(t, got, 5, "the consumer had not acked before the snapshot")
	late := st.Snapshot()
	_, err = st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	require.ErrorIs(t, err, lifecycle.ErrLeased)
	require.NoError(t, st.Restore(late))
	_, err = st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	assert.ErrorIs(t, err, lifecycle.ErrLeased, "the lease is in the snapshot")
}

func TestRestoreWakesWaiters(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	c := st.Changed()
	require.NoError(t, st.Restore(st.Snapshot()))
	assert.True(t, closed(c))
	c = st.Changed()
	st.Reset()
	assert.True(t, closed(c))
}

func TestRestoreNil(t *testing.T) {
	t.Parallel()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	before(t, taskDesk(t, st, clk))
	want := look(t, st)
	err := st.Restore(nil)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "snapshot", ve.Field)
	assert.Equal(t, want, look(t, st), "nothing changed")
}

func TestReset(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	p := taskDesk(t, st, clk)
	after(t, st, p, before(t, p))
	_, err := st.NextNumber(ctx, "CHG")
	require.NoError(t, err)

	st.Reset()
	assert.Zero(t, st.Len())
	lifecycletest.RequireNoChanges(t, st, 0)
	n, err := st.NextNumber(ctx, "CHG")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "the sequences start again")
	got, err := st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	require.NoError(t, err, "no lease survives a reset")
	assert.Empty(t, got)
	st.Reset()

	fresh := lifecycletest.NewStore(t, clk)
	tasks := before(t, p)
	after(t, st, p, tasks)
	fp := taskDesk(t, fresh, clk)
	after(t, fresh, fp, before(t, fp))
	assert.Equal(t, look(t, fresh), look(t, st), "a reset store is a new one")
	got, err = st.Claim(ctx, "mail", "host-1", 0, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(4), got[0].Seq, "the cursor is as the work left it")
}

// TestSnapshotUnderWriters takes snapshots while writers commit pairs of
// records together: every snapshot holds both records of a pair at one
// version, and a log that has exactly the changes of its records' journals.
func TestSnapshotUnderWriters(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	p := taskDesk(t, st, clk)
	type pair struct{ a, b uuid.UUID }
	pairs := make([]pair, 4)
	for i := range pairs {
		a, err := p.Create(ctx, &Task{Title: "a"}, bob, "")
		require.NoError(t, err)
		b, err := p.Create(ctx, &Task{Title: "b"}, bob, "")
		require.NoError(t, err)
		pairs[i] = pair{a.ID, b.ID}
	}
	var wg sync.WaitGroup
	for _, pr := range pairs {
		wg.Go(func() {
			for i := range 50 {
				team := []string{"network", "storage"}[i%2]
				err := lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
					if _, err := p.FireIn(ctx, tx, pr.a, move(team)); err != nil {
						return err
					}
					_, err := p.FireIn(ctx, tx, pr.b, move(team))
					return err
				})
				assert.NoError(t, err)
			}
		})
	}
	readers := make(chan struct{})
	wg.Go(func() { // readers go on while snapshots are restored elsewhere
		for {
			select {
			case <-readers:
				return
			default:
			}
			for range st.Journal(ctx, pairs[0].a) {
			}
			_, _ = st.ReadLog(ctx, 0, 0)
		}
	})
	var snaps []*memstore.Snapshot
	for range 20 {
		snaps = append(snaps, st.Snapshot())
	}
	close(readers)
	wg.Wait()
	snaps = append(snaps, st.Snapshot())
	for _, snap := range snaps {
		got := memstore.New(memstore.Config{})
		require.NoError(t, got.Restore(snap))
		journals := 0
		for _, pr := range pairs {
			a, err := got.Get(ctx, pr.a, nil)
			require.NoError(t, err)
			b, err := got.Get(ctx, pr.b, nil)
			require.NoError(t, err)
			assert.Equal(t, a.Base().Version, b.Base().Version, "a commit is in a snapshot whole")
			for _, id := range []uuid.UUID{pr.a, pr.b} {
				for _, err := range got.Journal(ctx, id) {
					require.NoError(t, err)
					journals++
				}
			}
		}
		assert.Equal(t, snap.Seq(), int64(journals))
		assert.Len(t, readAll(t, got), journals)
	}
	last := snaps[len(snaps)-1]
	assert.Equal(t, int64(8+4*2*50), last.Seq())
}

// TestRestoreUnderReaders restores snapshots while readers read: -race
// checks that no reader sees the store between.
func TestRestoreUnderReaders(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	p := taskDesk(t, st, clk)
	tasks := before(t, p)
	small := st.Snapshot()
	after(t, st, p, tasks)
	big := st.Snapshot()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := 0
				for _, err := range st.Find(ctx, lifecycle.Query{Kind: "task", Where: []lifecycle.Cond{lifecycle.Eq("team", "network")}}) {
					assert.NoError(t, err)
					n++
				}
				assert.Contains(t, []int{2, 201}, n, "the store before or after a restore")
				for _, err := range st.Journal(ctx, tasks[0].ID) {
					assert.NoError(t, err)
				}
				_, err := st.ReadLog(context.Background(), 0, 0)
				assert.NoError(t, err)
			}
		})
	}
	for i := range 50 {
		require.NoError(t, st.Restore([]*memstore.Snapshot{small, big}[i%2]))
	}
	close(stop)
	wg.Wait()
}
