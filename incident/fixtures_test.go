package incident_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// The people in the tests.
var (
	alice = itil.Actor{ID: "alice", Name: "Alice Caller"}                              // reports incidents
	bob   = itil.Actor{ID: "bob", Name: "Bob Technician", Groups: []string{"network"}} // works them
	carol = itil.Actor{ID: "carol", Name: "Carol Manager"}                             // manages the desk
	dave  = itil.Actor{ID: "dave", Name: "Dave Vendor"}                                // neither caller nor technician
)

// fixture is a desk over a memstore, driven by a fake clock.
type fixture struct {
	desk  *incident.Desk
	store *memstore.Store
	clock *fakeClock
	cfg   incident.Config
}

// newFixture returns a desk with cfg over a new store; the clock starts on
// a Monday at 09:00 UTC unless cfg.Now is set.
func newFixture(t testing.TB, cfg incident.Config) *fixture {
	t.Helper()
	clock := newClock(monday9)
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	st := memstore.New(memstore.Config{Now: cfg.Now})
	desk, err := incident.NewDesk(st, cfg)
	require.NoError(t, err)
	return &fixture{desk: desk, store: st, clock: clock, cfg: cfg}
}

// restart returns a new desk with the same configuration over the same
// store, as a host that restarted would build.
func (f *fixture) restart(t testing.TB) *incident.Desk {
	t.Helper()
	desk, err := incident.NewDesk(f.store, f.cfg)
	require.NoError(t, err)
	return desk
}

// draft returns a valid P3 draft (medium × medium) reported by alice.
func draft() incident.Draft {
	return incident.Draft{
		Title:   "VPN drops every few minutes",
		Caller:  alice,
		Impact:  itil.ImpactMedium,
		Urgency: itil.UrgencyMedium,
		CIs:     []string{"vpn-gw-1"},
		Channel: incident.ChannelPhone,
	}
}

// open opens draft() as changed by mods.
func (f *fixture) open(t testing.TB, mods ...func(*incident.Draft)) *incident.Incident {
	t.Helper()
	dr := draft()
	for _, m := range mods {
		m(&dr)
	}
	inc, err := f.desk.Open(t.Context(), dr)
	require.NoError(t, err)
	return inc
}

// withPriority sets impact and urgency for priority P1, P3 or P5 in the
// default matrix.
func withPriority(p itil.Priority) func(*incident.Draft) {
	return func(dr *incident.Draft) {
		switch p {
		case itil.P1:
			dr.Impact, dr.Urgency = itil.ImpactHigh, itil.UrgencyHigh
		case itil.P2:
			dr.Impact, dr.Urgency = itil.ImpactHigh, itil.UrgencyMedium
		case itil.P3:
			dr.Impact, dr.Urgency = itil.ImpactMedium, itil.UrgencyMedium
		case itil.P4:
			dr.Impact, dr.Urgency = itil.ImpactMedium, itil.UrgencyLow
		case itil.P5:
			dr.Impact, dr.Urgency = itil.ImpactLow, itil.UrgencyLow
		}
	}
}

// resolution is a valid resolution for the default codes.
var resolution = incident.Resolution{Code: "solved_permanently", Notes: "restarted the gateway"}

// toState opens an incident (with a group, so that every transition out of
// new is possible) and takes it to state through the desk.
func (f *fixture) toState(t testing.TB, state string) *incident.Incident {
	t.Helper()
	ctx := t.Context()
	step := func(inc *incident.Incident, err error) *incident.Incident {
		t.Helper()
		require.NoError(t, err)
		return inc
	}
	var inc *incident.Incident
	switch state {
	case incident.StateNew:
		inc = f.open(t, func(dr *incident.Draft) { dr.Group = "network" })
	case incident.StateAssigned:
		inc = f.toState(t, incident.StateNew)
		inc = step(f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: "network", Assignee: "bob"}))
	case incident.StateInProgress:
		inc = f.toState(t, incident.StateAssigned)
		inc = step(f.desk.Start(ctx, incident.Params{ID: inc.ID, By: bob}))
	case incident.StateOnHold:
		inc = f.toState(t, incident.StateInProgress)
		inc = step(f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "which VPN client version?", Reason: incident.AwaitingCaller}))
	case incident.StateResolved:
		inc = f.toState(t, incident.StateInProgress)
		inc = step(f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code}))
	case incident.StateClosed:
		inc = f.toState(t, incident.StateResolved)
		inc = step(f.desk.Close(ctx, incident.Params{ID: inc.ID, By: bob}))
	case incident.StateCancelled:
		inc = f.toState(t, incident.StateNew)
		inc = step(f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: carol, Note: "logged twice"}))
	default:
		t.Fatalf("no way to state %q", state)
	}
	require.Equal(t, state, inc.State)
	return inc
}

// journal returns the incident's journal.
func journal(t testing.TB, desk *incident.Desk, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for c, err := range desk.Journal(t.Context(), id) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

// events returns the event names of the incident's journal.
func events(t testing.TB, desk *incident.Desk, id uuid.UUID) []string {
	t.Helper()
	var out []string
	for _, c := range journal(t, desk, id) {
		out = append(out, c.Event)
	}
	return out
}

// changesNamed returns the journal entries with event name.
func changesNamed(t testing.TB, desk *incident.Desk, id uuid.UUID, name string) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for _, c := range journal(t, desk, id) {
		if c.Event == name {
			out = append(out, c)
		}
	}
	return out
}

// fieldNames returns the names of the fields a change lists.
func fieldNames(c lifecycle.Change) []string {
	out := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		out[i] = f.Field
	}
	return out
}

// field returns the change of field in c, and whether c lists it.
func field(c lifecycle.Change, name string) (lifecycle.FieldChange, bool) {
	for _, f := range c.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return lifecycle.FieldChange{}, false
}

// collect drains a listing of incidents.
func collect(t testing.TB, seq func(func(*incident.Incident, error) bool)) []*incident.Incident {
	t.Helper()
	var out []*incident.Incident
	for inc, err := range seq {
		require.NoError(t, err)
		out = append(out, inc)
	}
	return out
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
