package lifecycletest_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
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

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

func TestClock(t *testing.T) {
	t.Parallel()
	c := lifecycletest.NewClock(t0)
	assert.Equal(t, t0, c.Now())
	assert.Equal(t, t0.Add(time.Hour), c.Advance(time.Hour))
	assert.Equal(t, t0.Add(time.Hour), c.Now())
	c.Set(t0)
	assert.Equal(t, t0, c.Now())

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.Advance(time.Second) })
	}
	wg.Wait()
	assert.Equal(t, t0.Add(8*time.Second), c.Now())
}

// work creates two calls and assigns one on a fresh kit store, and returns
// the store, the calls and the log.
func work(t *testing.T) ([]*call, []lifecycle.Change) {
	t.Helper()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	desk := newDesk(st, clk)
	a, err := desk.Create(ctx, &call{Title: "VPN down"}, ann, "")
	require.NoError(t, err)
	b, err := desk.Create(ctx, &call{Title: "mail slow"}, ann, "")
	require.NoError(t, err)
	a, err = desk.Fire(ctx, a.ID, assign("network", dan))
	require.NoError(t, err)
	return []*call{a, b}, lifecycletest.RequireOutbox(t, st, 0, lifecycletest.Events("create", "create", "assign")...)
}

func TestNewStoreIsDeterministic(t *testing.T) {
	t.Parallel()
	calls1, log1 := work(t)
	calls2, log2 := work(t)
	assert.Equal(t, calls1, calls2, "equal work, equal records: IDs, numbers, times")
	assert.Equal(t, log1, log2, "equal work, equal changes: IDs and Seqs")

	ids := []uuid.UUID{calls1[0].ID, log1[0].ID, calls1[1].ID, log1[1].ID, log1[2].ID}
	for i, id := range ids {
		assert.Equal(t, uuid.Version(7), id.Version(), "id %d", i)
		assert.Equal(t, uuid.RFC4122, id.Variant(), "id %d", i)
		if i > 0 {
			assert.Less(t, ids[i-1].String(), id.String(), "IDs are ordered as drawn")
		}
	}
	assert.Equal(t, "00000000-0000-7000-8000-000000000001", calls1[0].ID.String())
	assert.Equal(t, []string{"CAL0000001", "CAL0000002"}, []string{calls1[0].Number, calls1[1].Number})
}

// fakeTB records what a helper reports instead of failing the test.
type fakeTB struct {
	testing.TB // the real test, for anything else
	mu         sync.Mutex
	fatal      []string
	logs       []string
	failed     bool
	cleanups   []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatal(args ...any) {
	f.mu.Lock()
	f.fatal = append(f.fatal, fmt.Sprint(args...))
	f.failed = true
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fatal = append(f.fatal, fmt.Sprintf(format, args...))
	f.failed = true
}

func (f *fakeTB) Log(args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprint(args...))
}

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run calls fn with a fakeTB in a goroutine of its own, as the testing
// package runs a test, so that Fatal stops fn alone, and returns the fake.
func run(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestRequire(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	st := lifecycletest.NewStore(t, clk)
	desk := newDesk(st, clk)
	c, err := desk.Create(ctx, &call{Title: "VPN down"}, ann, "")
	require.NoError(t, err)
	mid := lifecycletest.LastSeq(t, st)
	_, err = desk.Fire(ctx, c.ID, assign("network", dan))
	require.NoError(t, err)
	_, err = desk.Fire(ctx, c.ID, lifecycle.Action[*call]{Event: "resolve", Actor: dan, Note: "restarted"})
	require.NoError(t, err)
	end := lifecycletest.LastSeq(t, st)
	require.Equal(t, int64(3), end)

	type W = lifecycletest.Want
	tests := []struct {
		name  string
		check func(tb testing.TB)
		fail  []string // what the failure says; none: it passes
	}{
		{"journal by events", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, lifecycletest.Events("create", "assign", "resolve")...)
		}, nil},
		{"journal in full", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID,
				W{Event: "create", To: "new", Actor: "ann", Number: "CAL0000001"},
				W{Event: "assign", From: "new", To: "assigned", Actor: "dan", Fields: map[string]string{"group": "network"}},
				W{Event: "resolve", From: "assigned", To: "resolved", Note: "restarted"})
		}, nil},
		{"journal too short", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, lifecycletest.Events("create", "assign")...)
		}, []string{"3 changes, want 2", "want:\n  1. create\n  2. assign\ngot:", "3. CAL0000001 resolve assigned→resolved by dan note=\"restarted\""}},
		{"journal wrong event", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, lifecycletest.Events("create", "resolve", "assign")...)
		}, []string{`change 2: event is "assign", want "resolve"`}},
		{"wrong actor and state", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, W{Event: "create", Actor: "dan", To: "assigned"}, W{}, W{})
		}, []string{`change 1: to is "new", want "assigned"; actor is "ann", want "dan"`}},
		{"wrong field", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, W{}, W{Fields: map[string]string{"group": "desk", "title": "x"}}, W{})
		}, []string{`change 2: field group is "network", want "desk"; field title did not change, want "x"`}},
		{"wrong note", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, c.ID, W{}, W{}, W{Note: "rebooted"})
		}, []string{`change 3: note is "restarted", want "rebooted"`}},
		{"no such record", func(tb testing.TB) {
			lifecycletest.RequireJournal(tb, st, uuid.Max)
		}, []string{"journal of ffffffff-ffff-ffff-ffff-ffffffffffff", "not found"}},
		{"outbox after", func(tb testing.TB) {
			lifecycletest.RequireOutbox(tb, st, mid, lifecycletest.Events("assign", "resolve")...)
		}, nil},
		{"outbox whole", func(tb testing.TB) {
			lifecycletest.RequireOutbox(tb, st, 0, lifecycletest.Events("create", "assign", "resolve")...)
		}, nil},
		{"outbox missing a change", func(tb testing.TB) {
			lifecycletest.RequireOutbox(tb, st, mid, lifecycletest.Events("assign")...)
		}, []string{"log after seq 1: 2 changes, want 1"}},
		{"no changes", func(tb testing.TB) { lifecycletest.RequireNoChanges(tb, st, end) }, nil},
		{"changes where none were wanted", func(tb testing.TB) {
			lifecycletest.RequireNoChanges(tb, st, mid)
		}, []string{"log after seq 1: 2 changes, want 0", "want: no changes", "1. CAL0000001 assign new→assigned by dan group=\"network\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := run(t, tt.check)
			if tt.fail == nil {
				assert.Empty(t, f.fatal)
				return
			}
			require.Len(t, f.fatal, 1, "the check fails the test once, and stops it")
			for _, s := range tt.fail {
				assert.Contains(t, f.fatal[0], s)
			}
		})
	}
}

func TestNewStoreLogsTheLogOnFailure(t *testing.T) {
	t.Parallel()
	f := run(t, func(tb testing.TB) {
		clk := lifecycletest.NewClock(t0)
		st := lifecycletest.NewStore(tb, clk)
		desk := newDesk(st, clk)
		for range 25 {
			_, err := desk.Create(t.Context(), &call{Title: "printer"}, ann, "")
			require.NoError(t, err)
		}
		lifecycletest.RequireNoChanges(tb, st, 0)
	})
	require.Len(t, f.fatal, 1)
	require.Len(t, f.cleanups, 1)
	f.cleanups[0]()
	require.Len(t, f.logs, 1)
	assert.True(t, strings.HasPrefix(f.logs[0], "lifecycletest: the store's log holds 25 changes; the last 20:\n  6. CAL0000006 create →new by ann"), f.logs[0])

	passed := run(t, func(tb testing.TB) { lifecycletest.NewStore(tb, nil) })
	passed.cleanups[0]()
	assert.Empty(t, passed.logs, "a test that passes logs nothing")
}

func TestNewStoreLeasesFollowTheClock(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	clk := lifecycletest.NewClock(t0)
	var st *memstore.Store = lifecycletest.NewStore(t, clk)
	_, err := st.Claim(ctx, "mail", "host-1", 0, time.Minute)
	require.NoError(t, err)
	_, err = st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	require.ErrorIs(t, err, lifecycle.ErrLeased)
	clk.Advance(time.Minute)
	_, err = st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	assert.NoError(t, err)
}

func TestAssertClass(t *testing.T) {
	both := errors.Join(lifecycle.ErrNotFound, lifecycle.ErrRefused)
	for _, tc := range []struct {
		err   error
		class string
		ok    bool
	}{
		{&itil.ValidationError{Field: "f", Reason: "r"}, "invalid", true},
		{fmt.Errorf("w: %w", lifecycle.ErrExists), "conflict", true},
		{lifecycle.ErrTransition, "refused", true},
		{errors.New("disk full"), "internal", true},
		{lifecycle.ErrTransition, "conflict", false},
		{errors.New("disk full"), "invalid", false},
		{both, "refused", false},
		{nil, "refused", false},
		{lifecycle.ErrRefused, "sideways", false},
	} {
		ft := &fakeTB{TB: t}
		assert.Equal(t, tc.ok, lifecycletest.AssertClass(ft, tc.err, tc.class), "%v as %s", tc.err, tc.class)
		assert.Equal(t, !tc.ok, ft.Failed(), "%v as %s: %v", tc.err, tc.class, ft.fatal)
	}
}
