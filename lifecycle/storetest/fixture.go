package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The kinds the suite stores. Records of otherKind share attributes with
// those of itemKind, so that a query that ignored the kind would show.
const (
	itemKind  = "item"
	otherKind = "other"
)

// base is the suite's clock origin. Times are whole milliseconds in UTC so
// that they survive JSON and SQL timestamp columns unchanged.
var base = time.Date(2025, time.March, 4, 9, 30, 0, 0, time.UTC)

// actor is who makes the suite's changes; its Groups slice lets the
// isolation test check that Change.Actor is copied too.
func actor() itil.Actor {
	return itil.Actor{ID: "alice", Name: "Alice", Groups: []string{"desk", "network"}}
}

// states maps the suite's state names to their categories.
var states = map[string]lifecycle.Category{
	"new":    lifecycle.Open,
	"open":   lifecycle.Open,
	"hold":   lifecycle.Paused,
	"done":   lifecycle.Resolved,
	"closed": lifecycle.Closed,
	"gone":   lifecycle.Cancelled,
}

// fixture is one subtest's store, with methods that write to it and read it
// through the lifecycle.Store interface. Methods that fail the test with
// require must be called from the test's goroutine; those documented as safe
// for any goroutine report errors instead.
type fixture struct {
	t   *testing.T
	ctx context.Context
	st  lifecycle.Store
	n   *atomic.Int64 // item numbers and clock ticks
	// open opens one more host on st's database (see WithHosts); it
	// returns st itself when the backend gave no way to.
	open func() lifecycle.Store
}

// on returns a copy of f that reports to t, for subtests that share f's
// store.
func (f *fixture) on(t *testing.T) *fixture {
	c := *f
	c.t = t
	return &c
}

func (s *suite) fixture(t *testing.T) *fixture {
	t.Helper()
	st := s.newStore(t)
	require.NotNil(t, st, "newStore returned nil")
	return &fixture{t: t, ctx: t.Context(), st: st, n: new(atomic.Int64), open: func() lifecycle.Store { return st }}
}

// hostsFixture is fixture on a database that several hosts open: its st is
// the first host, and open opens more (see WithHosts).
func (s *suite) hostsFixture(t *testing.T) *fixture {
	t.Helper()
	if s.cfg.hosts == nil {
		return s.fixture(t)
	}
	open := s.cfg.hosts(t)
	require.NotNil(t, open, "WithHosts: newDB returned nil")
	st := open()
	require.NotNil(t, st, "WithHosts: open returned nil")
	return &fixture{t: t, ctx: t.Context(), st: st, n: new(atomic.Int64), open: open}
}

// hosts returns n stores on f's database: f.st and n-1 more hosts.
func (f *fixture) hosts(n int) []lifecycle.Store {
	f.t.Helper()
	out := []lifecycle.Store{f.st}
	for len(out) < n {
		st := f.open()
		require.NotNil(f.t, st, "WithHosts: open returned nil")
		out = append(out, st)
	}
	return out
}

// tick returns a new, later time.
func (f *fixture) tick() time.Time {
	return base.Add(time.Duration(f.n.Add(1)) * time.Millisecond)
}

// item returns a new, unsaved item of the given kind in state "new", with the
// optional edits applied. It is safe to call from any goroutine.
func (f *fixture) item(kind string, edits ...func(*Item)) *Item {
	id := mustV7()
	n := f.n.Add(1)
	at := base.Add(time.Duration(n) * time.Millisecond)
	it := &Item{
		Record: lifecycle.Record{
			ID:            id,
			Kind:          kind,
			Number:        fmt.Sprintf("ITM%07d", n),
			State:         "new",
			StateCategory: lifecycle.Open,
			Version:       1,
			CreatedAt:     at,
			UpdatedAt:     at,
			Fields:        map[string]string{"source": "storetest"},
		},
		Title:  fmt.Sprintf("item %d", n),
		Labels: map[string]string{"colour": "grey"},
	}
	for _, e := range edits {
		e(it)
	}
	it.StateCategory = states[it.State]
	return it
}

// createChange is the journal entry for creating it.
func createChange(it *Item, at time.Time) lifecycle.Change {
	return lifecycle.Change{
		ID: mustV7(), Kind: it.Kind, RecordID: it.ID, Number: it.Number, Version: it.Version,
		Event: lifecycle.EventCreate, To: it.State, Actor: actor(), At: at, Note: "created", Public: true,
		Fields: []lifecycle.FieldChange{{Field: "title", New: it.Title}},
	}
}

// updateChange is the journal entry for moving it, already edited, from
// state from.
func updateChange(it *Item, event, from string, at time.Time) lifecycle.Change {
	return lifecycle.Change{
		ID: mustV7(), Kind: it.Kind, RecordID: it.ID, Number: it.Number, Version: it.Version,
		Event: event, From: from, To: it.State, Actor: actor(), At: at,
		Note:   fmt.Sprintf("%s to version %d", event, it.Version),
		Fields: []lifecycle.FieldChange{{Field: "counter", Old: fmt.Sprint(it.Counter - 1), New: fmt.Sprint(it.Counter)}},
	}
}

// mustV7 returns a new UUIDv7, or a random UUID if the clock fails.
func mustV7() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.New()
	}
	return id
}

// create stores it and returns the change it was created with.
func (f *fixture) create(it *Item) lifecycle.Change {
	f.t.Helper()
	ch := createChange(it, it.CreatedAt)
	require.NoError(f.t, f.st.Create(f.ctx, it, &ch), "Create %s", it.Number)
	return ch
}

// createN stores n new items of kind, each edited by edit(i, item).
func (f *fixture) createN(kind string, n int, edit func(i int, it *Item)) []*Item {
	f.t.Helper()
	out := make([]*Item, n)
	for i := range out {
		it := f.item(kind)
		if edit != nil {
			edit(i, it)
			it.StateCategory = states[it.State]
		}
		f.create(it)
		out[i] = it
	}
	return out
}

// update applies edit to it in place, moves it to the next version (state
// and category follow it.State) and saves it, expecting the version it had.
// It returns the change.
func (f *fixture) update(it *Item, event string, edit func(*Item)) lifecycle.Change {
	f.t.Helper()
	ch, err := f.tryUpdate(it, event, edit)
	require.NoError(f.t, err, "Update %s to version %d", it.Number, it.Version)
	return ch
}

// tryUpdate is update that returns the store's error; it is safe to call
// from any goroutine. On error it is left at the new version.
func (f *fixture) tryUpdate(it *Item, event string, edit func(*Item)) (lifecycle.Change, error) {
	prev, from := it.Version, it.State
	if edit != nil {
		edit(it)
	}
	it.Counter++
	it.StateCategory = states[it.State]
	it.Version++
	it.UpdatedAt = f.tick()
	ch := updateChange(it, event, from, it.UpdatedAt)
	return ch, f.st.Update(f.ctx, it, prev, &ch)
}

// get returns the stored item with the given ID.
func (f *fixture) get(id uuid.UUID) *Item {
	f.t.Helper()
	e, err := f.st.Get(f.ctx, id, NewItem)
	require.NoError(f.t, err, "Get %s", id)
	it, ok := e.(*Item)
	require.True(f.t, ok, "Get returned %T, not *storetest.Item", e)
	return it
}

// find collects what Find yields for q (Kind defaults to itemKind).
func (f *fixture) find(q lifecycle.Query) []*Item {
	f.t.Helper()
	if q.Kind == "" {
		q.Kind = itemKind
	}
	q.New = NewItem
	var out []*Item
	for e, err := range f.st.Find(f.ctx, q) {
		require.NoError(f.t, err, "Find %+v", q)
		it, ok := e.(*Item)
		require.True(f.t, ok, "Find yielded %T, not *storetest.Item", e)
		out = append(out, it)
	}
	return out
}

// journal collects the record's journal.
func (f *fixture) journal(id uuid.UUID) []lifecycle.Change {
	f.t.Helper()
	var out []lifecycle.Change
	for ch, err := range f.st.Journal(f.ctx, id) {
		require.NoError(f.t, err, "Journal %s", id)
		out = append(out, ch)
	}
	return out
}

// claim claims consumer for holder with a lease long enough never to expire
// during a test.
func (f *fixture) claim(consumer, holder string, limit int) []lifecycle.Change {
	f.t.Helper()
	chs, err := f.st.Claim(f.ctx, consumer, holder, limit, time.Hour)
	require.NoError(f.t, err, "Claim %s by %s", consumer, holder)
	return chs
}

// sameItem asserts that got is an *Item holding what want holds, compared as
// JSON: the form in which serializing stores keep records.
func sameItem(t *testing.T, want *Item, got lifecycle.Entity, msgAndArgs ...any) bool {
	t.Helper()
	g, ok := got.(*Item)
	if !assert.True(t, ok, "got %T, not *storetest.Item", got) {
		return false
	}
	return assert.JSONEq(t, mustJSON(t, want), mustJSON(t, g), msgAndArgs...)
}

// sameChange asserts that got holds what want holds, Seq aside.
func sameChange(t *testing.T, want, got lifecycle.Change, msgAndArgs ...any) bool {
	t.Helper()
	want.Seq, got.Seq = 0, 0
	return assert.JSONEq(t, mustJSON(t, want), mustJSON(t, got), msgAndArgs...)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// cmpID orders IDs as stores do: by their bytes.
func cmpID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// idsOf returns the items' IDs in the order given.
func idsOf(items []*Item) []uuid.UUID {
	out := make([]uuid.UUID, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// changeIDs returns the changes' IDs in the order given.
func changeIDs(chs []lifecycle.Change) []uuid.UUID {
	out := make([]uuid.UUID, len(chs))
	for i, ch := range chs {
		out[i] = ch.ID
	}
	return out
}

// sortedIDs returns the IDs of the items that keep holds for, in ID order.
func sortedIDs(items []*Item, keep func(*Item) bool) []uuid.UUID {
	var out []uuid.UUID
	for _, it := range items {
		if keep == nil || keep(it) {
			out = append(out, it.ID)
		}
	}
	slices.SortFunc(out, cmpID)
	return out
}

// assertIncreasing asserts that ids are in strictly increasing order.
func assertIncreasing(t *testing.T, ids []uuid.UUID, what string) bool {
	t.Helper()
	for i := 1; i < len(ids); i++ {
		if cmpID(ids[i-1], ids[i]) >= 0 {
			return assert.Fail(t, what+" not in increasing ID order",
				"position %d: %s after %s", i, ids[i], ids[i-1])
		}
	}
	return true
}
