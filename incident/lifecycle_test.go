package incident_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var allStates = []string{
	incident.StateNew, incident.StateAssigned, incident.StateInProgress, incident.StateOnHold,
	incident.StateResolved, incident.StateClosed, incident.StateCancelled,
}

// deskActions fire each event of the default lifecycle through the desk's
// own method for it.
var deskActions = []struct {
	event string
	do    func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error)
}{
	{incident.EventAssign, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Assign(ctx, incident.AssignParams{ID: id, By: carol, Group: "network", Assignee: "bob"})
	}},
	{incident.EventStart, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Start(ctx, incident.Params{ID: id, By: bob})
	}},
	{incident.EventHold, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Hold(ctx, incident.HoldParams{ID: id, By: bob, Note: "vendor ticket 4711", Reason: incident.AwaitingVendor})
	}},
	{incident.EventResume, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Resume(ctx, incident.Params{ID: id, By: bob, Note: "vendor answered"})
	}},
	{incident.EventResolve, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Resolve(ctx, incident.ResolveParams{ID: id, By: bob, Note: resolution.Notes, Code: resolution.Code})
	}},
	{incident.EventReopen, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Reopen(ctx, incident.Params{ID: id, By: alice, Note: "still broken"})
	}},
	{incident.EventClose, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Close(ctx, incident.Params{ID: id, By: bob})
	}},
	{incident.EventCancel, func(ctx context.Context, d *incident.Desk, id uuid.UUID) (*incident.Incident, error) {
		return d.Cancel(ctx, incident.Params{ID: id, By: carol, Note: "logged twice"})
	}},
}

// defaultAllowed is the default lifecycle: the events allowed in each
// state and where each event leads.
var (
	defaultAllowed = map[string][]string{
		incident.StateNew:        {incident.EventAssign, incident.EventStart, incident.EventResolve, incident.EventCancel},
		incident.StateAssigned:   {incident.EventStart, incident.EventResolve, incident.EventCancel},
		incident.StateInProgress: {incident.EventHold, incident.EventResolve},
		incident.StateOnHold:     {incident.EventResume, incident.EventResolve},
		incident.StateResolved:   {incident.EventReopen, incident.EventClose},
		incident.StateClosed:     nil,
		incident.StateCancelled:  nil,
	}
	defaultTargets = map[string]string{
		incident.EventAssign:  incident.StateAssigned,
		incident.EventStart:   incident.StateInProgress,
		incident.EventHold:    incident.StateOnHold,
		incident.EventResume:  incident.StateInProgress,
		incident.EventResolve: incident.StateResolved,
		incident.EventReopen:  incident.StateInProgress,
		incident.EventClose:   incident.StateClosed,
		incident.EventCancel:  incident.StateCancelled,
	}
)

func TestDefaultLifecycleDefinition(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	for _, def := range []*lifecycle.Definition{incident.DefaultLifecycle(), f.desk.Lifecycle()} {
		assert.Equal(t, incident.Kind, def.Name())
		assert.Equal(t, incident.StateNew, def.Initial().Name)
		var names []string
		for _, s := range def.States() {
			names = append(names, s.Name)
		}
		assert.ElementsMatch(t, allStates, names)
		assert.Equal(t, lifecycle.Paused, def.Category(incident.StateOnHold))
		assert.Equal(t, lifecycle.Resolved, def.Category(incident.StateResolved))
		for _, st := range allStates {
			for _, a := range deskActions {
				to, ok := def.Target(a.event, st)
				want := slices.Contains(defaultAllowed[st], a.event)
				assert.Equal(t, want, ok, "%s from %s", a.event, st)
				if want {
					assert.Equal(t, defaultTargets[a.event], to, "%s from %s", a.event, st)
				}
			}
		}
	}
}

// TestDeskTransitions fires every event of the default lifecycle in every
// state through the desk: the allowed ones move the incident, the others fail
// with a *lifecycle.TransitionError and change nothing. Assign in a state
// that is being worked is a reassignment, which keeps the state.
func TestDeskTransitions(t *testing.T) {
	t.Parallel()
	for _, st := range allStates {
		for _, a := range deskActions {
			t.Run(st+"/"+a.event, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, incident.Config{})
				ctx := t.Context()
				before := f.toState(t, st)
				n := len(journal(t, f.desk, before.ID))
				f.clock.Advance(time.Minute)

				got, err := a.do(ctx, f.desk, before.ID)

				switch {
				case slices.Contains(defaultAllowed[st], a.event):
					require.NoError(t, err)
					assert.Equal(t, defaultTargets[a.event], got.State)
					j := journal(t, f.desk, before.ID)
					require.Len(t, j, n+1)
					assert.Equal(t, a.event, j[n].Event)
					assert.Equal(t, st, j[n].From)
					assert.Equal(t, got.State, j[n].To)
				case a.event == incident.EventAssign && before.Open():
					require.NoError(t, err, "a reassignment")
					assert.Equal(t, st, got.State)
				default:
					te := requireTransition(t, err)
					assert.Equal(t, a.event, te.Event)
					assert.Equal(t, st, te.State)
					assert.ElementsMatch(t, defaultAllowed[st], te.Allowed)
					after, err := f.desk.Get(ctx, before.ID)
					require.NoError(t, err)
					assert.Equal(t, before, after, "nothing changed")
					assert.Len(t, journal(t, f.desk, before.ID), n, "nothing journaled")
				}
			})
		}
	}
}

func TestReopenWithinWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{ReopenWindow: 48 * time.Hour})
	ctx := t.Context()
	inc := f.toState(t, incident.StateResolved)

	f.clock.Advance(48 * time.Hour)
	inc, err := f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it dropped again"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, inc.State)
	assert.Equal(t, 1, inc.Reopens)
	assert.Empty(t, inc.Resolution, "the resolution is cleared")
	assert.False(t, inc.FirstContact)
	j := journal(t, f.desk, inc.ID)
	assert.Equal(t, incident.EventReopen, j[len(j)-1].Event)
	assert.True(t, j[len(j)-1].Public, "the caller sees why it was reopened")
}

// TestReopenUnassigned covers incidents resolved before anyone was
// assigned: the resolver's group owns them, and one resolved by someone in
// no group goes to the reopener's group, or fails naming the field.
func TestReopenUnassigned(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()

	// A technician fixes it on first contact: the incident becomes theirs.
	inc := f.open(t)
	require.Empty(t, inc.Group)
	inc, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	assert.Equal(t, "network", inc.Group)
	assert.Equal(t, "bob", inc.Assignee)
	inc, err = f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it dropped again"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, inc.State)
	assert.Equal(t, "network", inc.Group)

	// A resolver in no group leaves it unassigned; a reopener in no group
	// cannot take it back, and nothing changes.
	inc = f.open(t)
	inc, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: carol, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	require.Empty(t, inc.Group)
	n := len(journal(t, f.desk, inc.ID))
	_, err = f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it dropped again"})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "group", ve.Field)
	assert.Len(t, journal(t, f.desk, inc.ID), n)

	// A reopener in a group takes it into that group's work.
	inc, err = f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: bob, Note: "still down"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, inc.State)
	assert.Equal(t, "network", inc.Group)
}

func TestReopenAfterWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{ReopenWindow: 48 * time.Hour})
	ctx := t.Context()
	inc := f.toState(t, incident.StateResolved)
	n := len(journal(t, f.desk, inc.ID))

	f.clock.Advance(48*time.Hour + time.Minute)
	_, err := f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "it dropped again"})
	require.ErrorIs(t, err, incident.ErrWindowPassed)
	var we *incident.WindowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "reopen", we.Rule)
	assert.Equal(t, 48*time.Hour, we.Window)
	assert.Equal(t, 48*time.Hour+time.Minute, we.Since)
	assert.Equal(t, "incident: reopen window of 48h0m0s has passed (48h1m0s ago)", err.Error())

	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after)
	assert.Len(t, journal(t, f.desk, inc.ID), n)
}

func TestReopenWindowDefaultsToSevenDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	early := f.toState(t, incident.StateResolved)
	late := f.toState(t, incident.StateResolved)
	f.clock.Advance(7*24*time.Hour - time.Minute)
	_, err := f.desk.Reopen(ctx, incident.Params{ID: early.ID, By: alice, Note: "again"})
	require.NoError(t, err)
	f.clock.Advance(2 * time.Minute)
	_, err = f.desk.Reopen(ctx, incident.Params{ID: late.ID, By: alice, Note: "again"})
	require.ErrorIs(t, err, incident.ErrWindowPassed)
}

func TestHoldReasons(t *testing.T) {
	t.Parallel()
	for _, reason := range []incident.HoldReason{incident.AwaitingCaller, incident.AwaitingVendor, incident.AwaitingChange} {
		t.Run(string(reason), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			ctx := t.Context()
			inc := f.toState(t, incident.StateInProgress)
			inc, err := f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "waiting", Reason: reason})
			require.NoError(t, err)
			assert.Equal(t, incident.StateOnHold, inc.State)
			assert.Equal(t, reason, inc.HoldReason)

			inc, err = f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob, Note: "back to work"})
			require.NoError(t, err)
			assert.Equal(t, incident.StateInProgress, inc.State)
			assert.Empty(t, inc.HoldReason, "leaving hold clears the reason")
		})
	}
}

func TestCallerCommentResumesIncidentAwaitingCaller(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateOnHold) // awaiting the caller

	inc, err := f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: dave, Note: "any news?"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateOnHold, inc.State, "someone else's comment")
	inc, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: bob, Note: "we asked the caller"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateOnHold, inc.State, "the technician's comment")

	inc, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: "client version 5.2"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, inc.State, "the caller's comment")
	assert.Empty(t, inc.HoldReason)
	j := journal(t, f.desk, inc.ID)
	last := j[len(j)-1]
	assert.Equal(t, incident.EventResume, last.Event)
	assert.Equal(t, "client version 5.2", last.Note)
	assert.True(t, last.Public)
	assert.Equal(t, alice.ID, last.Actor.ID)
}

func TestCallerCommentKeepsIncidentAwaitingVendor(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	inc, err := f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Note: "vendor ticket 4711", Reason: incident.AwaitingVendor})
	require.NoError(t, err)

	inc, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: "any news?"})
	require.NoError(t, err)
	assert.Equal(t, incident.StateOnHold, inc.State)
	assert.Equal(t, incident.AwaitingVendor, inc.HoldReason)
	j := journal(t, f.desk, inc.ID)
	assert.Equal(t, "comment", j[len(j)-1].Event)
}

func TestCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	for _, st := range []string{incident.StateNew, incident.StateAssigned} {
		inc := f.toState(t, st)
		inc, err := f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: carol, Note: "logged twice"})
		require.NoError(t, err, st)
		assert.Equal(t, incident.StateCancelled, inc.State)
		assert.Equal(t, lifecycle.Cancelled, inc.StateCategory)
		assert.Equal(t, f.clock.Now(), inc.ClosedAt)
		assert.False(t, inc.Open())
	}
	inc := f.open(t)
	_, err := f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: carol})
	requireValidation(t, err, "note")
}

func TestFirstContactResolution(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	tests := []struct {
		name  string
		cfg   incident.Config
		setup func(t *testing.T, f *fixture) *incident.Incident
		want  bool
	}{
		{"from new", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident { return f.open(t) }, true},
		{"from assigned", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			return f.toState(t, incident.StateAssigned)
		}, true},
		{"from in progress", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			return f.toState(t, incident.StateInProgress)
		}, false},
		{"after reassignment", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.toState(t, incident.StateAssigned)
			inc, err := f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: "desktop"})
			require.NoError(t, err)
			require.Equal(t, 1, inc.Reassignments)
			return inc
		}, false},
		{"after escalation", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.toState(t, incident.StateAssigned)
			inc, err := f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, By: bob, Note: "needs a specialist", ToGroup: "network-l2"})
			require.NoError(t, err)
			return inc
		}, false},
		{"after hierarchical escalation", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.open(t)
			inc, err := f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, By: bob, Note: "VIP", Notify: "carol"})
			require.NoError(t, err)
			return inc
		}, false},
		{"within the default window", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.toState(t, incident.StateAssigned)
			f.clock.Advance(30 * time.Minute)
			return inc
		}, true},
		{"after the default window", incident.Config{}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.toState(t, incident.StateAssigned)
			f.clock.Advance(30*time.Minute + time.Second)
			return inc
		}, false},
		{"within a configured window", incident.Config{FirstContactWindow: 2 * time.Hour}, func(t *testing.T, f *fixture) *incident.Incident {
			inc := f.open(t)
			f.clock.Advance(2 * time.Hour)
			return inc
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.cfg)
			inc := tt.setup(t, f)
			inc, err := f.desk.Resolve(t.Context(), incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
			require.NoError(t, err)
			assert.Equal(t, incident.StateResolved, inc.State)
			assert.Equal(t, tt.want, inc.FirstContact)
			assert.Equal(t, bob.ID, inc.Resolution.By)
			assert.Equal(t, f.clock.Now(), inc.ResolvedAt)
		})
	}
}

func TestResolveRequiresCodeAndNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   incident.Config
		res   incident.Resolution
		field string
	}{
		{"no code", incident.Config{}, incident.Resolution{Notes: "fixed"}, "resolution.code"},
		{"no notes", incident.Config{}, incident.Resolution{Code: "solved_permanently"}, "resolution.notes"},
		{"nothing", incident.Config{}, incident.Resolution{}, "resolution.code"},
		{"unknown code", incident.Config{}, incident.Resolution{Code: "magic", Notes: "fixed"}, "resolution.code"},
		{"code not in the desk's set", incident.Config{ResolutionCodes: []string{"fixed", "workaround"}},
			incident.Resolution{Code: "solved_permanently", Notes: "fixed"}, "resolution.code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.cfg)
			inc := f.toState(t, incident.StateInProgress)
			n := len(journal(t, f.desk, inc.ID))
			_, err := f.desk.Resolve(t.Context(), incident.ResolveParams{ID: inc.ID, By: bob, Note: tt.res.Notes, Code: tt.res.Code})
			requireValidation(t, err, tt.field)
			after, err := f.desk.Get(t.Context(), inc.ID)
			require.NoError(t, err)
			assert.Equal(t, inc, after)
			assert.Len(t, journal(t, f.desk, inc.ID), n)
		})
	}
}

func TestResolveWithConfiguredCodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{ResolutionCodes: []string{"fixed", "workaround"}})
	inc := f.toState(t, incident.StateInProgress)
	inc, err := f.desk.Resolve(t.Context(), incident.ResolveParams{ID: inc.ID, By: bob, Note: "use the web VPN", Code: "workaround"})
	require.NoError(t, err)
	assert.Equal(t, "workaround", inc.Resolution.Code)
}

func TestNewDeskRejectsBadConfig(t *testing.T) {
	t.Parallel()
	other, err := lifecycle.NewDefinition("ticket", []lifecycle.State{{Name: "open", Category: lifecycle.Open, Initial: true}}, nil)
	require.NoError(t, err)
	tests := []struct {
		name  string
		cfg   incident.Config
		field string
	}{
		{"empty codes", incident.Config{ResolutionCodes: []string{}}, "ResolutionCodes"},
		{"empty code", incident.Config{ResolutionCodes: []string{"fixed", ""}}, "ResolutionCodes[1]"},
		{"negative window", incident.Config{ReopenWindow: -time.Hour}, "ReopenWindow"},
		{"negative first contact window", incident.Config{FirstContactWindow: -time.Minute}, "FirstContactWindow"},
		{"other lifecycle", incident.Config{Lifecycle: other}, "Lifecycle"},
		{"negative tier", incident.Config{MaxTier: -1}, "MaxTier"},
		{"negative level", incident.Config{EscalationLevels: -1}, "EscalationLevels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			_, err := incident.NewDesk(f.store, tt.cfg)
			requireValidation(t, err, tt.field)
		})
	}
	_, err = incident.NewDesk(nil, incident.Config{})
	require.ErrorIs(t, err, itil.ErrInvalid)
}

// altered returns the default lifecycle with its events changed by edit.
func altered(t *testing.T, edit func(evs []lifecycle.Event) []lifecycle.Event) *lifecycle.Definition {
	t.Helper()
	def := incident.DefaultLifecycle()
	out, err := lifecycle.NewDefinition(incident.Kind, def.States(), edit(def.Events()))
	require.NoError(t, err)
	return out
}

// event returns the event of evs named name, for a test to change.
func event(t *testing.T, evs []lifecycle.Event, name string) *lifecycle.Event {
	t.Helper()
	for i := range evs {
		if evs[i].Name == name {
			return &evs[i]
		}
	}
	t.Fatalf("no event %q", name)
	return nil
}

// TestNewDeskRejectsLifecycleWithoutCommands: a lifecycle that lacks an
// event a command fires is refused at NewDesk, naming what is missing,
// instead of the command doing nothing (an Assign that returned no error
// and left the incident new).
func TestNewDeskRejectsLifecycleWithoutCommands(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		edit func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event
		want string // in the reason
	}{
		{"assign renamed", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			event(t, evs, incident.EventAssign).Name = "dispatch"
			return evs
		}, `"assign"`},
		{"start renamed", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			event(t, evs, incident.EventStart).Name = "begin"
			return evs
		}, `"start"`},
		{"hold renamed", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			event(t, evs, incident.EventHold).Name = "park"
			return evs
		}, `"hold"`},
		{"resolved only from on hold", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			event(t, evs, incident.EventResolve).From = []string{incident.StateOnHold}
			return evs
		}, "resolved state"},
		{"no reopen", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			return slices.DeleteFunc(evs, func(e lifecycle.Event) bool { return e.Name == incident.EventReopen })
		}, "Reopen"},
		{"cancelled only in progress", func(t *testing.T, evs []lifecycle.Event) []lifecycle.Event {
			event(t, evs, incident.EventCancel).From = []string{incident.StateInProgress}
			return evs
		}, "cancelled state"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			def := altered(t, func(evs []lifecycle.Event) []lifecycle.Event { return tt.edit(t, evs) })
			desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Lifecycle: def})
			requireValidation(t, err, "Lifecycle")
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, desk)
		})
	}

	// The default and a host's extension of it are accepted.
	for _, def := range []*lifecycle.Definition{incident.DefaultLifecycle(), vendorLifecycle(t, false), vendorLifecycle(t, true)} {
		_, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Lifecycle: def})
		assert.NoError(t, err)
	}
}
