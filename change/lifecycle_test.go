package change_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
)

var types = []change.Type{change.Normal, change.Standard, change.Emergency}

// allEvents are the events of every type, each tried in every state.
var allEvents = []string{
	change.EventAssess, change.EventRequestApproval, change.EventDecide, change.EventReject,
	change.EventRevert, change.EventSchedule, change.EventImplement, change.EventComplete,
	change.EventClose, change.EventCancel,
}

// prepare does what an allowed event needs besides the state: a change in
// authorize is approved before it is scheduled, an emergency change is
// reviewed before it closes.
func (f *fixture) prepare(t *testing.T, c *change.Change, event string) {
	t.Helper()
	var err error
	switch {
	case event == change.EventSchedule && c.State == change.StateAuthorize:
		_, err = f.do(c.ID, "approve")
	case event == change.EventClose && c.Type == change.Emergency && c.State == change.StateReview:
		_, err = f.do(c.ID, "review")
	}
	require.NoError(t, err)
}

// TestTransitions fires every event in every state of every type through
// the Manager: each allowed transition succeeds and leads where the
// definition says; every other one fails with *lifecycle.TransitionError and
// changes nothing.
func TestTransitions(t *testing.T) {
	t.Parallel()
	for _, typ := range types {
		def := change.NormalLifecycle()
		switch typ {
		case change.Standard:
			def = change.StandardLifecycle()
		case change.Emergency:
			def = change.EmergencyLifecycle()
		}
		for _, s := range def.States() {
			for _, ev := range allEvents {
				t.Run(typ.String()+"/"+s.Name+"/"+ev, func(t *testing.T) {
					t.Parallel()
					f := newFixture(t, change.Config{})
					c := f.toState(t, typ, s.Name)
					want, allowed := def.Target(ev, s.Name)
					if allowed {
						f.prepare(t, c, ev)
					}
					got, err := f.do(c.ID, ev)
					_, requestable := def.Target(change.EventRequestApproval, s.Name)
					switch {
					case allowed:
						require.NoError(t, err)
						assert.Equal(t, want, got.State)
						assert.Equal(t, def.Category(want), got.StateCategory)
						j := f.journal(t, c.ID)
						assert.Equal(t, ev, j[len(j)-1].Event)
						assert.Equal(t, want, j[len(j)-1].To)
					case ev == change.EventAssess && requestable:
						// Assessing again in place is an edit.
						require.NoError(t, err)
						assert.Equal(t, s.Name, got.State)
					default:
						var te *lifecycle.TransitionError
						require.ErrorAs(t, err, &te)
						assert.ErrorIs(t, err, lifecycle.ErrTransition)
						assert.Equal(t, change.Kind, te.Kind)
						assert.Equal(t, s.Name, te.State)
						if ev != change.EventReject { // a rejection that cannot reject is tried as "decide"
							assert.Equal(t, ev, te.Event)
						}
						f.unchanged(t, c)
					}
				})
			}
		}
	}
}

func TestDefinitions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	for _, typ := range types {
		def := f.m.Definition(typ)
		require.NotNil(t, def)
		assert.Equal(t, change.Kind, def.Name())
		assert.Equal(t, change.StateNew, def.Initial().Name)
		t.Run(typ.String(), func(t *testing.T) {
			golden(t, typ.String()+".mmd", []byte(def.Mermaid()))
		})
	}
	assert.Nil(t, f.m.Definition(0))

	// Standard changes skip assessment and authorization; emergency changes
	// skip assessment; only normal changes have both.
	assert.NotContains(t, stateNames(f.m.Definition(change.Standard)), change.StateAuthorize)
	assert.NotContains(t, stateNames(f.m.Definition(change.Emergency)), change.StateAssess)
	assert.Contains(t, stateNames(f.m.Definition(change.Normal)), change.StateAssess)
}

func stateNames(def *lifecycle.Definition) []string {
	var out []string
	for _, s := range def.States() {
		out = append(out, s.Name)
	}
	return out
}

func TestNumbersShareOneSequence(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	var numbers []string
	for _, typ := range types {
		c, err := f.m.Propose(ctx, draft(typ))
		require.NoError(t, err)
		numbers = append(numbers, c.Number)
		assert.Equal(t, change.Kind, c.Kind)
		assert.Equal(t, typ, c.Type)
	}
	assert.Equal(t, []string{"CHG0000001", "CHG0000002", "CHG0000003"}, numbers)
}

// TestOutcomeAndReview: a failed or backed-out change, and every emergency
// change, must pass review before closing; a successful normal or standard
// change closes without one.
func TestOutcomeAndReview(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ     change.Type
		outcome change.Outcome
		review  bool
	}{
		{change.Normal, change.Successful, false},
		{change.Normal, change.Failed, true},
		{change.Normal, change.BackedOut, true},
		{change.Standard, change.Successful, false},
		{change.Standard, change.Failed, true},
		{change.Emergency, change.Successful, true},
		{change.Emergency, change.BackedOut, true},
	} {
		t.Run(tc.typ.String()+"/"+tc.outcome.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, change.Config{})
			c := f.toState(t, tc.typ, change.StateImplement)
			f.clock.Advance(25 * 3600e9)
			c, err := f.m.RecordOutcome(ctx, change.OutcomeParams{ID: c.ID, By: bob, Outcome: tc.outcome, Note: "done"})
			require.NoError(t, err)
			assert.Equal(t, change.StateReview, c.State)
			assert.Equal(t, tc.outcome, c.Outcome)
			assert.Equal(t, tc.review, c.ReviewRequired())
			assert.Equal(t, t0.Add(25*3600e9), c.Actual.End)
			assert.False(t, c.Actual.Start.IsZero())

			_, err = f.m.Close(ctx, change.Params{ID: c.ID, By: bob})
			if tc.review {
				assertInvalid(t, err, "review")
				f.unchanged(t, c)
				c, err = f.m.Review(ctx, change.ReviewParams{ID: c.ID, By: carol, Summary: "root cause: missing index"})
				require.NoError(t, err)
				assert.Equal(t, "carol", c.Review.By)
				_, err = f.m.Close(ctx, change.Params{ID: c.ID, By: bob})
			}
			require.NoError(t, err)
		})
	}
}

func TestRecordOutcomeBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Standard, change.StateImplement)
	_, err := f.m.RecordOutcome(ctx, change.OutcomeParams{ID: c.ID, By: bob})
	assertInvalid(t, err, "outcome")
	_, err = f.m.Review(ctx, change.ReviewParams{ID: c.ID, By: carol, Summary: "early"})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "review", te.Event)
	_, err = f.m.Review(ctx, change.ReviewParams{ID: c.ID, By: carol, Summary: "  "})
	assertInvalid(t, err, "summary")
	_, err = f.m.Cancel(ctx, change.Params{ID: c.ID, By: alice, Note: "too late"})
	require.ErrorAs(t, err, &te, "no cancelling once implementation started")
	_, err = f.m.Cancel(ctx, change.Params{ID: c.ID, By: alice})
	assertInvalid(t, err, "note")
	_, err = f.m.Implement(ctx, change.Params{ID: c.ID})
	assertInvalid(t, err, "by")
	f.unchanged(t, c)
}

// TestExtendedLifecycle: a host's own definition works when it keeps the
// events; one without them is refused at start-up.
func TestExtendedLifecycle(t *testing.T) {
	t.Parallel()
	def, err := change.NormalLifecycle().Extend(
		[]lifecycle.State{{Name: "peer_review", Category: lifecycle.Open}},
		[]lifecycle.Event{
			{Name: "ask_peer", From: []string{change.StateAssess}, To: "peer_review"},
			{Name: change.EventRequestApproval, From: []string{"peer_review"}, To: change.StateAuthorize},
		})
	require.NoError(t, err)
	f := newFixture(t, change.Config{Normal: def})
	assert.Contains(t, f.m.Definition(change.Normal).Allowed(change.StateAssess), "ask_peer")
	c := f.toState(t, change.Normal, change.StateScheduled)
	assert.Equal(t, change.StateScheduled, c.State)

	bare, err := lifecycle.NewDefinition(change.Kind,
		[]lifecycle.State{{Name: "new", Category: lifecycle.Open, Initial: true}, {Name: "done", Category: lifecycle.Closed}},
		[]lifecycle.Event{{Name: "finish", From: []string{"new"}, To: "done"}})
	require.NoError(t, err)
	_, err = change.NewManager(f.st, change.Config{Standard: bare})
	assertInvalid(t, err, "standard")

	other, err := lifecycle.NewDefinition("ticket",
		[]lifecycle.State{{Name: "new", Category: lifecycle.Open, Initial: true}}, nil)
	require.NoError(t, err)
	_, err = change.NewManager(f.st, change.Config{Emergency: other})
	assertInvalid(t, err, "emergency")
}

func eventsOf(j []lifecycle.Change) []string {
	var out []string
	for _, c := range j {
		out = append(out, c.Event)
	}
	return out
}

func TestJournal(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateClosed)
	assert.Equal(t, []string{"create", "assess", "request_approval", "decide", "schedule", "implement", "complete", "close"}, eventsOf(f.journal(t, c.ID)))
	assert.True(t, slices.IsSorted(versions(f.journal(t, c.ID))))
}

func versions(j []lifecycle.Change) []int64 {
	var out []int64
	for _, c := range j {
		out = append(out, c.Version)
	}
	return out
}

// TestParseLifecycle: a JSON lifecycle extends one of the three defaults
// by its type's name, and the result is a change lifecycle the Manager
// takes for that type.
func TestParseLifecycle(t *testing.T) {
	t.Parallel()
	for _, typ := range types {
		t.Run(typ.String(), func(t *testing.T) {
			t.Parallel()
			def, err := change.ParseLifecycle([]byte(`{"extends": "` + typ.String() + `",
				"states": [{"name": "on_hold", "category": "paused"}],
				"events": [{"name": "hold", "from": ["scheduled"], "to": "on_hold"},
				           {"name": "resume", "from": ["on_hold"], "to": "scheduled"}],
				"fields": [{"name": "vendor_ticket", "required_in": ["on_hold"]}]}`))
			require.NoError(t, err)
			assert.Equal(t, change.Kind, def.Name())
			base := map[change.Type]*lifecycle.Definition{
				change.Normal: change.NormalLifecycle(), change.Standard: change.StandardLifecycle(), change.Emergency: change.EmergencyLifecycle(),
			}[typ]
			assert.Equal(t, append(base.States(), lifecycle.State{Name: "on_hold", Category: lifecycle.Paused}), def.States(),
				"the states of %s, and the one added", typ)
			assert.Equal(t, []string{"fields.vendor_ticket"}, def.Requires("on_hold"))
			field, ok := def.Field("vendor_ticket")
			require.True(t, ok)
			assert.Equal(t, lifecycle.FieldText, field.Kind)

			cfg := change.Config{}
			switch typ {
			case change.Normal:
				cfg.Normal = def
			case change.Standard:
				cfg.Standard = def
			case change.Emergency:
				cfg.Emergency = def
			}
			m := newFixture(t, cfg).m
			assert.Contains(t, m.Definition(typ).Allowed(change.StateScheduled), "hold")
		})
	}

	whole, err := change.NormalLifecycle().MarshalJSON()
	require.NoError(t, err)
	def, err := change.ParseLifecycle(whole)
	require.NoError(t, err, "a whole lifecycle named change")
	assert.Equal(t, change.NormalLifecycle().Events(), def.Events())

	for _, tc := range []struct{ name, doc, field string }{
		{"extends the kind", `{"extends": "change"}`, "extends"},
		{"extends another process", `{"extends": "incident"}`, "extends"},
		{"named as a type without extending", `{"name": "normal", "states": [{"name": "new", "category": "open", "initial": true}], "events": []}`, "name"},
		{"named other than its base", `{"extends": "normal", "name": "normal"}`, "name"},
		{"bad added state", `{"extends": "normal", "states": [{"name": "x", "category": "sleeping"}]}`, "states[0].category"},
		{"not JSON", `{`, "definition"},
	} {
		_, err := change.ParseLifecycle([]byte(tc.doc))
		assertInvalid(t, err, tc.field)
	}
	_, err = change.ParseLifecycle([]byte(`{"extends": "change"}`))
	assert.ErrorContains(t, err, "normal, standard or emergency")
}
