package incident_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

func TestOpenRejectsBadDrafts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		mod   func(*incident.Draft)
		field string
	}{
		{"empty title", func(dr *incident.Draft) { dr.Title = "" }, "title"},
		{"blank title", func(dr *incident.Draft) { dr.Title = "  \t" }, "title"},
		{"long title", func(dr *incident.Draft) { dr.Title = strings.Repeat("x", 201) }, "title"},
		{"missing caller", func(dr *incident.Draft) { dr.Caller = itil.Actor{Name: "no id"} }, "caller"},
		{"no impact", func(dr *incident.Draft) { dr.Impact = 0 }, "impact"},
		{"unknown impact", func(dr *incident.Draft) { dr.Impact = 4 }, "impact"},
		{"unknown urgency", func(dr *incident.Draft) { dr.Urgency = -1 }, "urgency"},
		{"unknown channel", func(dr *incident.Draft) { dr.Channel = "pigeon" }, "channel"},
		{"duplicate CI", func(dr *incident.Draft) { dr.CIs = []string{"vpn-gw-1", "vpn-gw-1"} }, "cis[1]"},
		{"empty CI", func(dr *incident.Draft) { dr.CIs = []string{""} }, "cis[0]"},
		{"assignee without group", func(dr *incident.Draft) { dr.Assignee = "bob" }, "group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			dr := draft()
			tt.mod(&dr)
			_, err := f.desk.Open(t.Context(), dr)
			requireValidation(t, err, tt.field)
			assert.Zero(t, f.store.Len(), "nothing stored")
		})
	}
}

func TestOpenDefaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	dr := draft()
	dr.Channel = ""
	dr.Title = "  printer on fire  "
	inc, err := f.desk.Open(t.Context(), dr)
	require.NoError(t, err)
	assert.Equal(t, incident.ChannelPortal, inc.Channel)
	assert.Equal(t, "printer on fire", inc.Title)
	assert.Equal(t, 1, inc.Tier)
	assert.Equal(t, "INC0000001", inc.Number)
	assert.Equal(t, incident.StateNew, inc.State)
	assert.Equal(t, lifecycle.Open, inc.StateCategory)
	assert.Equal(t, monday9, inc.CreatedAt)
	j := journal(t, f.desk, inc.ID)
	require.Len(t, j, 1)
	assert.Equal(t, lifecycle.EventCreate, j[0].Event)
	assert.Equal(t, alice.ID, j[0].Actor.ID, "recorded by the caller when no one else is named")

	got, err := f.desk.GetByNumber(t.Context(), "INC0000001")
	require.NoError(t, err)
	assert.Equal(t, inc, got)
}

// TestBadInputs checks that each bad input to an action is refused with a
// typed error that names the field or the rule, and changes nothing.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		state string
		do    func(ctx context.Context, f *fixture, inc *incident.Incident) error
		check func(t *testing.T, err error)
	}{
		{"resolve without code", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: "done"})
			return err
		}, invalidField("resolution.code")},
		{"resolve with unknown code", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: "done", Code: "rebooted"})
			return err
		}, invalidField("resolution.code")},
		{"resolve without notes", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Code: "duplicate"})
			return err
		}, invalidField("resolution.notes")},
		{"reopen after the window", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			f.clock.Advance(8 * 24 * time.Hour)
			_, err := f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice, Note: "again"})
			return err
		}, func(t *testing.T, err error) {
			var we *incident.WindowError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, "reopen", we.Rule)
			assert.ErrorIs(t, err, incident.ErrWindowPassed)
		}},
		{"reopen without reason", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: alice})
			return err
		}, invalidField("note")},
		{"cycle in parents", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			child := f.open(t)
			if _, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: bob, Parent: inc.ID}); err != nil {
				return err
			}
			_, err := f.desk.LinkParent(ctx, incident.ParentParams{ID: inc.ID, By: bob, Parent: child.ID})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, incident.ErrCycle) }},
		{"hold with unknown reason", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Reason: "awaiting_godot"})
			return err
		}, invalidField("hold_reason")},
		{"hold without reason", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob})
			return err
		}, invalidField("hold_reason")},
		{"empty comment", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice})
			return err
		}, invalidField("note")},
		{"empty work note", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob})
			return err
		}, invalidField("note")},
		{"assign without group", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Assignee: "bob"})
			return err
		}, invalidField("group")},
		{"start without group", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			bare := f.open(t)
			_, err := f.desk.Start(ctx, incident.Params{ID: bare.ID, By: bob})
			return err
		}, invalidField("group")},
		{"cancel without reason", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: bob})
			return err
		}, invalidField("note")},
		{"unknown incident", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.WorkNote(ctx, incident.Params{ID: uuid.New(), By: bob, Note: "hello"})
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, lifecycle.ErrNotFound) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			ctx := t.Context()
			inc := f.toState(t, tt.state)
			inc, err := f.desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			n := len(journal(t, f.desk, inc.ID))
			err = tt.do(ctx, f, inc)
			require.Error(t, err)
			tt.check(t, err)
			after, err := f.desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.Equal(t, inc, after, "nothing changed")
			assert.Len(t, journal(t, f.desk, inc.ID), n, "nothing journaled")
		})
	}
}

func invalidField(name string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		requireValidation(t, err, name)
	}
}

// TestMissingActor: every action needs to know who acts.
func TestMissingActor(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	other := f.open(t)
	none := itil.Actor{}
	ref := itil.Ref{Kind: "problem", ID: uuid.New()}
	n := len(journal(t, f.desk, inc.ID))
	for name, do := range map[string]func() (*incident.Incident, error){
		"assign": func() (*incident.Incident, error) {
			return f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: none, Group: "network"})
		},
		"start": func() (*incident.Incident, error) { return f.desk.Start(ctx, incident.Params{ID: inc.ID, By: none}) },
		"hold": func() (*incident.Incident, error) {
			return f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: none, Reason: incident.AwaitingCaller})
		},
		"resume": func() (*incident.Incident, error) { return f.desk.Resume(ctx, incident.Params{ID: inc.ID, By: none}) },
		"comment": func() (*incident.Incident, error) {
			return f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: none, Note: "hi"})
		},
		"work note": func() (*incident.Incident, error) {
			return f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: none, Note: "hi"})
		},
		"resolve": func() (*incident.Incident, error) {
			return f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: none, Note: resolution.Notes, Code: resolution.Code})
		},
		"reopen": func() (*incident.Incident, error) {
			return f.desk.Reopen(ctx, incident.Params{ID: inc.ID, By: none, Note: "again"})
		},
		"close": func() (*incident.Incident, error) { return f.desk.Close(ctx, incident.Params{ID: inc.ID, By: none}) },
		"cancel": func() (*incident.Incident, error) {
			return f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: none, Note: "dup"})
		},
		"reprioritize": func() (*incident.Incident, error) {
			return f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: none, Impact: 1, Urgency: 1})
		},
		"link": func() (*incident.Incident, error) {
			return f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: none, Ref: ref})
		},
		"link parent": func() (*incident.Incident, error) {
			return f.desk.LinkParent(ctx, incident.ParentParams{ID: inc.ID, By: none, Parent: other.ID})
		},
		"unlink parent": func() (*incident.Incident, error) {
			return f.desk.UnlinkParent(ctx, incident.Params{ID: inc.ID, By: none})
		},
		"propose major": func() (*incident.Incident, error) {
			return f.desk.ProposeMajor(ctx, incident.Params{ID: inc.ID, By: none, Note: "big"})
		},
		"escalate": func() (*incident.Incident, error) {
			return f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, Note: "r", ToGroup: "l2"})
		},
		"escalate hierarchical": func() (*incident.Incident, error) {
			return f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, Note: "r", Notify: "lead"})
		},
	} {
		_, err := do()
		var ve *itil.ValidationError
		if assert.ErrorAs(t, err, &ve, name) {
			assert.Equal(t, "by", ve.Field, name)
		}
	}
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, inc, after)
	assert.Len(t, journal(t, f.desk, inc.ID), n)
}
