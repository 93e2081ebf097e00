package lifecycle_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var (
	alice = itil.Actor{ID: "alice", Groups: []string{"desk"}}
	bob   = itil.Actor{ID: "bob"}
)

func newTickets(t testing.TB, def *lifecycle.Definition, cfg lifecycle.ProcessConfig) *lifecycle.Process[*ticket] {
	t.Helper()
	if def == nil {
		def = ticketDefinition()
	}
	p, err := lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), def, cfg)
	require.NoError(t, err)
	return p
}

// journal collects a record's journal.
func journal(t testing.TB, p *lifecycle.Process[*ticket], id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for c, err := range p.Journal(context.Background(), id) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

// toState brings a new ticket to state along the shortest path of events.
func toState(t *testing.T, p *lifecycle.Process[*ticket], state string) *ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := p.Create(ctx, &ticket{Title: "printer"}, alice, "")
	require.NoError(t, err)
	path := map[string][]string{
		"new":         nil,
		"assigned":    {"assign"},
		"in_progress": {"assign", "start"},
		"on_hold":     {"assign", "start", "hold"},
		"resolved":    {"resolve"},
		"closed":      {"resolve", "close"},
		"cancelled":   {"cancel"},
	}[state]
	for _, ev := range path {
		tk, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice, Apply: fill})
		require.NoError(t, err, ev)
	}
	require.Equal(t, state, tk.State)
	return tk
}

func TestCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := newTickets(t, nil, lifecycle.ProcessConfig{Now: func() time.Time { return now }})
	in := &ticket{Title: "printer", Tags: []string{"floor-2"}}
	tk, err := p.Create(ctx, in, alice, "called in")
	require.NoError(t, err)
	assert.Equal(t, uuid.Version(7), tk.ID.Version())
	assert.Equal(t, "TIC0000001", tk.Number)
	assert.Equal(t, "ticket", tk.Kind)
	assert.Equal(t, "new", tk.State)
	assert.Equal(t, lifecycle.Open, tk.StateCategory)
	assert.Equal(t, int64(1), tk.Version)
	assert.Equal(t, now, tk.CreatedAt)
	assert.Equal(t, uuid.Nil, in.ID, "the caller's value is not modified")

	second, err := p.Create(ctx, &ticket{Title: "scanner"}, alice, "")
	require.NoError(t, err)
	assert.Equal(t, "TIC0000002", second.Number)

	got, err := p.GetByNumber(ctx, "TIC0000001")
	require.NoError(t, err)
	assert.Equal(t, tk, got)

	j := journal(t, p, tk.ID)
	require.Len(t, j, 1)
	assert.Equal(t, lifecycle.EventCreate, j[0].Event)
	assert.Equal(t, uuid.Version(7), j[0].ID.Version())
	sec, nsec := j[0].ID.Time().UnixTime()
	assert.Equal(t, now, time.Unix(sec, nsec).UTC(), "change IDs are time-ordered")
	assert.Equal(t, "new", j[0].To)
	assert.Equal(t, "called in", j[0].Note)
	assert.Equal(t, alice.ID, j[0].Actor.ID)
}

// TestChangeIDsSortByTime checks that the IDs of a record's changes sort in
// the order of their times, also within one millisecond.
func TestChangeIDsSortByTime(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(130 * time.Microsecond)
		return now
	}
	p := newTickets(t, nil, lifecycle.ProcessConfig{Now: clock})
	ctx := t.Context()
	tk, err := p.Create(ctx, &ticket{Title: "x", Group: "desk", HoldReason: "waiting"}, alice, "")
	require.NoError(t, err)
	for _, ev := range []string{"assign", "start", "hold", "resume", "hold", "resume", "hold", "resume"} {
		_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice})
		require.NoError(t, err)
	}
	j := journal(t, p, tk.ID)
	require.Len(t, j, 9)
	for i := 1; i < len(j); i++ {
		assert.Negative(t, bytes.Compare(j[i-1].ID[:], j[i].ID[:]), "change %d sorts before change %d", i-1, i)
		assert.Equal(t, uuid.Version(7), j[i].ID.Version())
		assert.Equal(t, uuid.RFC4122, j[i].ID.Variant())
	}
}

func TestCreateRequiresInitialFields(t *testing.T) {
	t.Parallel()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	_, err := p.Create(context.Background(), &ticket{}, alice, "")
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "title", ve.Field)
}

func TestGetMissing(t *testing.T) {
	t.Parallel()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	_, err := p.Get(context.Background(), uuid.New())
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = p.GetByNumber(context.Background(), "TIC9")
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = p.Fire(context.Background(), uuid.New(), lifecycle.Action[*ticket]{Event: "assign"})
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
}

// TestTransitions fires every event in every state: the allowed ones lead
// where the definition says, every other one fails with *TransitionError and
// changes nothing.
func TestTransitions(t *testing.T) {
	t.Parallel()
	def := ticketDefinition()
	for _, s := range def.States() {
		for _, e := range def.Events() {
			if slices.Contains(e.From, s.Name) && e.Name != "" {
				continue // checked below, once per (state, event)
			}
		}
		for _, ev := range []string{"assign", "start", "hold", "resume", "resolve", "reopen", "close", "cancel"} {
			t.Run(s.Name+"/"+ev, func(t *testing.T) {
				t.Parallel()
				p := newTickets(t, def, lifecycle.ProcessConfig{})
				tk := toState(t, p, s.Name)
				want, allowed := def.Target(ev, s.Name)
				got, err := p.Fire(context.Background(), tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice, Apply: fill})
				if allowed {
					require.NoError(t, err)
					assert.Equal(t, want, got.State)
					assert.Equal(t, def.Category(want), got.StateCategory)
					assert.Equal(t, tk.Version+1, got.Version)
					j := journal(t, p, tk.ID)
					last := j[len(j)-1]
					assert.Equal(t, ev, last.Event)
					assert.Equal(t, s.Name, last.From)
					assert.Equal(t, want, last.To)
					return
				}
				var te *lifecycle.TransitionError
				require.ErrorAs(t, err, &te)
				assert.ErrorIs(t, err, lifecycle.ErrTransition)
				assert.Equal(t, ev, te.Event)
				assert.Equal(t, s.Name, te.State)
				assert.Equal(t, def.Allowed(s.Name), te.Allowed)
				after, err := p.Get(context.Background(), tk.ID)
				require.NoError(t, err)
				assert.Equal(t, tk, after, "nothing changed")
			})
		}
	}
}

func TestUnknownEvent(t *testing.T) {
	t.Parallel()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	tk := toState(t, p, "new")
	_, err := p.Fire(context.Background(), tk.ID, lifecycle.Action[*ticket]{Event: "teleport", Actor: alice})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{"assign", "resolve", "cancel"}, te.Allowed)
}

func TestRequiredFieldOnEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	tk := toState(t, p, "in_progress")
	before := journal(t, p, tk.ID)

	_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "resolve", Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "group", &t.Group, "network") // applied, then discarded with the refusal
		lifecycle.Set(ed, "resolution", &t.Resolution, "")
		return nil
	}})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "resolution", ve.Field)
	assert.Contains(t, ve.Reason, "resolved")

	after, err := p.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, after, "a refused transition changes nothing")
	assert.Equal(t, before, journal(t, p, tk.ID))

	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "resolve", Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "resolution", &t.Resolution, "replaced toner")
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, "resolved", got.State)
	j := journal(t, p, tk.ID)
	assert.Equal(t, []lifecycle.FieldChange{{Field: "resolution", Old: "fixed", New: "replaced toner"}}, j[len(j)-1].Fields)
}

func TestRequiredCustomField(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	def, err := ticketDefinition().Extend(
		[]lifecycle.State{{Name: "awaiting_vendor", Category: lifecycle.Paused, Requires: []string{"fields.vendor_ticket"}}},
		[]lifecycle.Event{
			{Name: "wait_vendor", From: []string{"in_progress"}, To: "awaiting_vendor"},
			{Name: "resume", From: []string{"awaiting_vendor"}, To: "in_progress"},
		})
	require.NoError(t, err)
	p := newTickets(t, def, lifecycle.ProcessConfig{})
	tk := toState(t, p, "in_progress")
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "wait_vendor", Actor: alice})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "fields.vendor_ticket", ve.Field)

	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "wait_vendor", Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
		t.Fields = map[string]string{"vendor_ticket": "HP-4411"}
		ed.Field("fields.vendor_ticket", "", "HP-4411")
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Paused, got.StateCategory)
}

func TestUnknownRequiredFieldFailsAtStart(t *testing.T) {
	t.Parallel()
	def, err := ticketDefinition().Extend([]lifecycle.State{{Name: "parked", Category: lifecycle.Paused, Requires: []string{"colour"}}},
		[]lifecycle.Event{{Name: "park", From: []string{"new"}, To: "parked"}})
	require.NoError(t, err)
	_, err = lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), def, lifecycle.ProcessConfig{})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "states[7].requires[0]", ve.Field)
}

func TestGuardAndHook(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	errFrozen := errors.New("frozen")
	var seen []string
	var mu sync.Mutex
	def := ticketDefinition(
		lifecycle.WithGuard(func(_ context.Context, f *lifecycle.Firing) error {
			if f.ToCategory == lifecycle.Resolved && f.Entity.(*ticket).Title == "frozen" {
				return errFrozen
			}
			return nil
		}),
		lifecycle.WithHook(func(_ context.Context, f *lifecycle.Firing) error {
			mu.Lock()
			seen = append(seen, f.From+">"+f.To)
			mu.Unlock()
			tk := f.Entity.(*ticket)
			f.Edit.Field("entered", tk.Entered, tk.Entered+1)
			tk.Entered++
			return nil
		}),
	)
	p := newTickets(t, def, lifecycle.ProcessConfig{})
	tk, err := p.Create(ctx, &ticket{Title: "frozen"}, alice, "")
	require.NoError(t, err)
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "resolve", Actor: alice, Apply: fill})
	require.ErrorIs(t, err, errFrozen)

	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: fill})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Entered)
	assert.Equal(t, []string{"new>assigned"}, seen)
	j := journal(t, p, tk.ID)
	assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "entered", Old: "0", New: "1"})

	// A self-transition runs guards but enters no state.
	got, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Note: "to the same group"})
	require.NoError(t, err)
	assert.Equal(t, "assigned", got.State)
	assert.Equal(t, 1, got.Entered)
	assert.Equal(t, int64(3), got.Version)
}

// TestGuardsAndHooksSeeCallerContext checks that guards and hooks get the
// context given to Fire: its values, and its cancellation.
func TestGuardsAndHooksSeeCallerContext(t *testing.T) {
	t.Parallel()
	type key struct{}
	var guarded, hooked []any
	def := ticketDefinition(
		lifecycle.WithGuard(func(ctx context.Context, _ *lifecycle.Firing) error {
			guarded = append(guarded, ctx.Value(key{}))
			return ctx.Err()
		}),
		lifecycle.WithHook(func(ctx context.Context, _ *lifecycle.Firing) error {
			hooked = append(hooked, ctx.Value(key{}))
			return nil
		}),
	)
	p := newTickets(t, def, lifecycle.ProcessConfig{})
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "request-7"))
	tk, err := p.Create(ctx, &ticket{Title: "x"}, alice, "")
	require.NoError(t, err)
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: fill})
	require.NoError(t, err)
	assert.Equal(t, []any{"request-7"}, guarded)
	assert.Equal(t, []any{"request-7"}, hooked)

	// A guard that sees the caller's context cancelled refuses; nothing
	// is saved. The store is asked first here, so cancel between the load
	// and the guard by cancelling inside Apply.
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice, Apply: func(*ticket, *lifecycle.Edit) error {
		cancel()
		return nil
	}})
	require.ErrorIs(t, err, context.Canceled)
	got, err := p.Get(context.Background(), tk.ID)
	require.NoError(t, err)
	assert.Equal(t, "assigned", got.State)
}

func TestHookErrorSavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	boom := errors.New("boom")
	p := newTickets(t, ticketDefinition(lifecycle.WithHook(func(context.Context, *lifecycle.Firing) error { return boom })), lifecycle.ProcessConfig{})
	tk, err := p.Create(ctx, &ticket{Title: "x"}, alice, "")
	require.NoError(t, err)
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: fill})
	require.ErrorIs(t, err, boom)
	after, err := p.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, after)
}

func TestAuthorizer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var reqs []lifecycle.AuthRequest
	var states []string
	var mu sync.Mutex
	auth := lifecycle.AuthorizerFunc(func(_ context.Context, req lifecycle.AuthRequest) error {
		mu.Lock()
		reqs = append(reqs, req)
		states = append(states, req.Entity.Base().State)
		mu.Unlock()
		if req.Event == "cancel" && !req.Actor.InGroup("desk") {
			return &lifecycle.ForbiddenError{Actor: req.Actor.ID, Event: req.Event, Reason: "only the desk cancels"}
		}
		return nil
	})
	p := newTickets(t, nil, lifecycle.ProcessConfig{Authorizer: auth})
	tk, err := p.Create(ctx, &ticket{Title: "x"}, bob, "")
	require.NoError(t, err)

	applied := false
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "cancel", Actor: bob, Apply: func(*ticket, *lifecycle.Edit) error {
		applied = true
		return nil
	}})
	require.ErrorIs(t, err, lifecycle.ErrForbidden)
	assert.False(t, applied, "the authorizer runs before any edit")
	after, err := p.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk, after)

	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "cancel", Actor: alice})
	require.NoError(t, err)
	require.Len(t, reqs, 3)
	assert.Equal(t, lifecycle.EventCreate, reqs[0].Event)
	assert.Equal(t, lifecycle.AuthRequest{Actor: alice, Entity: reqs[2].Entity, Event: "cancel", From: "new", To: "cancelled"}, reqs[2])
	assert.Equal(t, "new", states[2], "the authorizer sees the record before the action")
}

func TestEdit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	tk := toState(t, p, "new")

	// No change and no note: nothing is written.
	same, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "title", &t.Title, "printer")
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, tk.Version, same.Version)

	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Name: "retitle", Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "title", &t.Title, "printer on fire")
		lifecycle.Set(ed, "title", &t.Title, "printer jammed")
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, "printer jammed", got.Title)
	assert.Equal(t, "new", got.State)
	j := journal(t, p, tk.ID)
	last := j[len(j)-1]
	assert.Equal(t, "retitle", last.Event)
	assert.Equal(t, "new", last.From)
	assert.Equal(t, "new", last.To)
	assert.Equal(t, []lifecycle.FieldChange{{Field: "title", Old: "printer", New: "printer jammed"}}, last.Fields)

	// Changing a field back and forth records nothing.
	ed := &lifecycle.Edit{}
	v := "a"
	lifecycle.Set(ed, "x", &v, "b")
	lifecycle.Set(ed, "x", &v, "a")
	assert.False(t, ed.Changed())

	// An edit's error aborts it.
	bad := errors.New("bad")
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Actor: alice, Apply: func(*ticket, *lifecycle.Edit) error { return bad }})
	assert.ErrorIs(t, err, bad)
}

func TestEventFor(t *testing.T) {
	t.Parallel()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	tk := toState(t, p, "on_hold")
	got, err := p.Fire(context.Background(), tk.ID, lifecycle.Action[*ticket]{
		EventFor: func(t *ticket) string {
			if t.State == "on_hold" {
				return "resume"
			}
			return ""
		},
		Actor: alice, Note: "caller answered",
	})
	require.NoError(t, err)
	assert.Equal(t, "in_progress", got.State)
}

func TestExpectedVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	tk := toState(t, p, "assigned")
	_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice, Version: tk.Version - 1})
	require.ErrorIs(t, err, lifecycle.ErrConflict)
	got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice, Version: tk.Version})
	require.NoError(t, err)
	assert.Equal(t, "in_progress", got.State)
}

// TestConcurrentEditsRetry: many writers edit one record at once without
// naming a version; conflicts are retried on a fresh copy and no edit is lost.
func TestConcurrentEditsRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{Retries: 1000})
	tk := toState(t, p, "new")
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Actor: alice, Apply: func(t *ticket, ed *lifecycle.Edit) error {
					t.Tags = append(t.Tags, fmt.Sprintf("w%d-%d", w, i))
					ed.Field("tags", len(t.Tags)-1, len(t.Tags))
					return nil
				}})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	got, err := p.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, got.Tags, writers*each)
	assert.Equal(t, int64(1+writers*each), got.Version)
	assert.Len(t, journal(t, p, tk.ID), 1+writers*each)
}

// TestRandomWalks is a property test: random event sequences never leave the
// states the definition allows, and the journal replays to the record's state.
func TestRandomWalks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	def := ticketDefinition()
	events := []string{"assign", "start", "hold", "resume", "resolve", "reopen", "close", "cancel", "teleport"}
	rng := rand.New(rand.NewPCG(1, 2))
	p := newTickets(t, def, lifecycle.ProcessConfig{})
	for range 50 {
		tk, err := p.Create(ctx, &ticket{Title: "walk"}, alice, "")
		require.NoError(t, err)
		state := tk.State
		for range 30 {
			ev := events[rng.IntN(len(events))]
			got, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: ev, Actor: alice, Apply: fill})
			if to, ok := def.Target(ev, state); ok {
				require.NoError(t, err)
				state = to
				require.Equal(t, to, got.State)
			} else {
				require.ErrorIs(t, err, lifecycle.ErrTransition)
			}
			require.NotZero(t, def.Category(state))
		}
		// Replay the journal.
		replayed := ""
		var version int64
		for _, c := range journal(t, p, tk.ID) {
			require.Equal(t, replayed, c.From)
			if c.Event != lifecycle.EventCreate {
				to, ok := def.Target(c.Event, c.From)
				require.True(t, ok)
				require.Equal(t, to, c.To)
			}
			replayed = c.To
			version++
			require.Equal(t, version, c.Version)
		}
		final, err := p.Get(ctx, tk.ID)
		require.NoError(t, err)
		assert.Equal(t, final.State, replayed)
		assert.Equal(t, final.Version, version)
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	var ids []uuid.UUID
	for i := range 10 {
		tk, err := p.Create(ctx, &ticket{Title: fmt.Sprint(i), Group: []string{"desk", "network"}[i%2]}, alice, "")
		require.NoError(t, err)
		ids = append(ids, tk.ID)
	}
	var got []uuid.UUID
	q := lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("group", "network"), lifecycle.Eq("state_category", "open")}, Limit: 2}
	for {
		n := 0
		for tk, err := range p.Find(ctx, q) {
			require.NoError(t, err)
			got = append(got, tk.ID)
			q.After = tk.ID
			n++
		}
		if n < q.Limit {
			break
		}
	}
	assert.Equal(t, []uuid.UUID{ids[1], ids[3], ids[5], ids[7], ids[9]}, got)
}

func TestNewProcessRejects(t *testing.T) {
	t.Parallel()
	_, err := lifecycle.NewProcess[ticket](nil, ticketDefinition(), lifecycle.ProcessConfig{})
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), nil, lifecycle.ProcessConfig{})
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), ticketDefinition(), lifecycle.ProcessConfig{Digits: 40})
	assert.ErrorIs(t, err, itil.ErrInvalid)
}

func TestCategoryConds(t *testing.T) {
	t.Parallel()
	assert.Equal(t, lifecycle.Eq("state_category", "open", "paused"), lifecycle.Active())
	assert.Equal(t, lifecycle.Eq("state_category", "resolved", "closed"), lifecycle.InCategories(lifecycle.Resolved, lifecycle.Closed))
	ctx := context.Background()
	p := newTickets(t, nil, lifecycle.ProcessConfig{})
	open := toState(t, p, "on_hold")
	toState(t, p, "closed")
	var got []uuid.UUID
	for tk, err := range p.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}) {
		require.NoError(t, err)
		got = append(got, tk.ID)
	}
	assert.Equal(t, []uuid.UUID{open.ID}, got)
}
