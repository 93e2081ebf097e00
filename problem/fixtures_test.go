package problem_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/problem"
)

// The people in the tests.
var (
	alice = itil.Actor{ID: "alice", Name: "Alice Caller"}                         // reports incidents
	bob   = itil.Actor{ID: "bob", Name: "Bob Agent", Groups: []string{"network"}} // works them
	carol = itil.Actor{ID: "carol", Name: "Carol Problem Manager"}                // owns problems
)

// fixture is an incident desk and a problem manager over one memstore,
// driven by a fake clock.
type fixture struct {
	desk  *incident.Desk
	mgr   *problem.Manager
	store *memstore.Store
	clock *fakeClock
	cfg   problem.Config
}

// newFixture returns a manager with cfg and a default desk over a new
// store; the clock starts on a Monday at 09:00 UTC unless cfg.Now is set.
func newFixture(t testing.TB, cfg problem.Config) *fixture {
	t.Helper()
	return newFixtureWithDesk(t, cfg, incident.Config{})
}

// newFixtureWithDesk is newFixture with the desk configured by dcfg.
func newFixtureWithDesk(t testing.TB, cfg problem.Config, dcfg incident.Config) *fixture {
	t.Helper()
	clock := newClock(monday9)
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if dcfg.Now == nil {
		dcfg.Now = cfg.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if dcfg.Logger == nil {
		dcfg.Logger = cfg.Logger
	}
	st := memstore.New(memstore.Config{Now: cfg.Now})
	desk, err := incident.NewDesk(st, dcfg)
	require.NoError(t, err)
	mgr, err := problem.NewManager(st, desk, cfg)
	require.NoError(t, err)
	return &fixture{desk: desk, mgr: mgr, store: st, clock: clock, cfg: cfg}
}

// drain delivers what the log holds to the manager's reactions, as the
// host's dispatcher would.
func (f *fixture) drain(t testing.TB) {
	t.Helper()
	drain(t, f.store, f.mgr)
}

// drain delivers what st's log holds to mgr's reactions, retrying failures
// at once (a millisecond of backoff), and returns when they are caught up.
func drain(t testing.TB, st lifecycle.Store, mgr *problem.Manager) {
	t.Helper()
	d, err := lifecycle.NewDispatcher(st, mgr.Reactions(), lifecycle.DispatcherConfig{
		Logger: quiet, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
	})
	require.NoError(t, err)
	require.NoError(t, d.Drain(t.Context()))
}

// draft returns a valid problem draft logged by carol.
func draft() problem.Draft {
	return problem.Draft{
		Title:    "VPN tunnels drop under load",
		Category: "network",
		Impact:   itil.ImpactMedium,
		Urgency:  itil.UrgencyMedium,
		CIs:      []string{"vpn-gw-1"},
		By:       carol,
	}
}

// open opens draft() as changed by mods.
func (f *fixture) open(t testing.TB, mods ...func(*problem.Draft)) *problem.Problem {
	t.Helper()
	dr := draft()
	for _, m := range mods {
		m(&dr)
	}
	p, err := f.mgr.Open(t.Context(), dr)
	require.NoError(t, err)
	return p
}

// incidentDraft returns a valid incident draft reported by alice.
func incidentDraft() incident.Draft {
	return incident.Draft{
		Title:    "VPN drops every few minutes",
		Caller:   alice,
		Category: "network",
		Impact:   itil.ImpactMedium,
		Urgency:  itil.UrgencyMedium,
		CIs:      []string{"vpn-gw-1"},
	}
}

// openIncident opens incidentDraft() as changed by mods.
func (f *fixture) openIncident(t testing.TB, mods ...func(*incident.Draft)) *incident.Incident {
	t.Helper()
	dr := incidentDraft()
	for _, m := range mods {
		m(&dr)
	}
	inc, err := f.desk.Open(t.Context(), dr)
	require.NoError(t, err)
	return inc
}

// incidentIn opens an incident and takes it to state: new, in_progress,
// on_hold, resolved, closed or cancelled.
func (f *fixture) incidentIn(t testing.TB, state string) *incident.Incident {
	t.Helper()
	ctx := t.Context()
	inc := f.openIncident(t)
	step := func(next *incident.Incident, e error) {
		t.Helper()
		require.NoError(t, e)
		inc = next
	}
	switch state {
	case incident.StateNew:
	case incident.StateInProgress, incident.StateOnHold, incident.StateResolved, incident.StateClosed:
		step(f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: bob, Group: "network", Assignee: "bob"}))
		step(f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}))
		switch state {
		case incident.StateOnHold:
			step(f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "vendor case", Reason: incident.AwaitingVendor}))
		case incident.StateResolved, incident.StateClosed:
			step(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Code: "solved_workaround", Note: "reconnected"}))
			if state == incident.StateClosed {
				step(f.desk.Close(ctx, incident.Params{ID: inc.ID, By: bob}))
			}
		}
	case incident.StateCancelled:
		step(f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: bob, Note: "logged twice"}))
	default:
		t.Fatalf("no way to incident state %q", state)
	}
	require.Equal(t, state, inc.State)
	return inc
}

// fix is the fix the tests deliver.
var fix = problem.Fix{Description: "upgrade the gateway firmware to 4.3"}

// cause is the root cause the tests find.
var cause = problem.Cause{RootCause: "memory leak in firmware 4.2 under many tunnels", Code: "software"}

// toState opens a problem and takes it to state through the manager. From
// root cause analysis on, its root cause is recorded.
func (f *fixture) toState(t testing.TB, state string) *problem.Problem {
	t.Helper()
	ctx := t.Context()
	p := f.open(t)
	step := func(next *problem.Problem, err error) {
		t.Helper()
		require.NoError(t, err)
		p = next
	}
	switch state {
	case problem.StateNew:
	case problem.StateAssess:
		step(f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}))
	case problem.StateRootCauseAnalysis, problem.StateFixInProgress, problem.StateResolved, problem.StateClosed:
		step(f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol}))
		step(f.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol}))
		step(f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause}))
		if state == problem.StateRootCauseAnalysis {
			break
		}
		step(f.mgr.StartFix(ctx, problem.StartFixParams{ID: p.ID, By: carol, Fix: fix}))
		if state == problem.StateFixInProgress {
			break
		}
		step(f.mgr.Resolve(ctx, problem.ResolveParams{ID: p.ID, By: carol}))
		if state == problem.StateResolved {
			break
		}
		step(f.mgr.Close(ctx, problem.CloseParams{ID: p.ID, By: carol, Resolution: problem.Resolution{Code: problem.CodeFixApplied}}))
	default:
		t.Fatalf("no way to problem state %q", state)
	}
	require.Equal(t, state, p.State)
	return p
}

// problemJournal returns the problem's journal.
func problemJournal(t testing.TB, mgr *problem.Manager, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for c, err := range mgr.Journal(t.Context(), id) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

// incidentJournal returns the incident's journal.
func incidentJournal(t testing.TB, desk *incident.Desk, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for c, err := range desk.Journal(t.Context(), id) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

// named returns the journal entries with event name.
func named(j []lifecycle.Change, name string) []lifecycle.Change {
	var out []lifecycle.Change
	for _, c := range j {
		if c.Event == name {
			out = append(out, c)
		}
	}
	return out
}

// getIncident reads an incident back.
func (f *fixture) getIncident(t testing.TB, id uuid.UUID) *incident.Incident {
	t.Helper()
	inc, err := f.desk.Get(t.Context(), id)
	require.NoError(t, err)
	return inc
}

// getProblem reads a problem back.
func (f *fixture) getProblem(t testing.TB, id uuid.UUID) *problem.Problem {
	t.Helper()
	p, err := f.mgr.Get(t.Context(), id)
	require.NoError(t, err)
	return p
}

// requireValidation asserts that err is a *itil.ValidationError naming field.
func requireValidation(t testing.TB, err error, field string) {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "want a validation error naming %q", field)
	require.Equal(t, field, ve.Field, "validation error: %v", err)
	require.ErrorIs(t, err, itil.ErrInvalid)
}

// requireTransition asserts that err is a *lifecycle.TransitionError.
func requireTransition(t testing.TB, err error) *lifecycle.TransitionError {
	t.Helper()
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te, "want a transition error, got %v", err)
	require.ErrorIs(t, err, lifecycle.ErrTransition)
	return te
}

// problemIDs returns the IDs of problems.
func problemIDs(ps []*problem.Problem) []uuid.UUID {
	out := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// refIDs returns the IDs that refs link to.
func refIDs(refs []itil.Ref) []uuid.UUID {
	out := make([]uuid.UUID, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}
