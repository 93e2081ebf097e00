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
			_, err := f.desk.Resolve(ctx, inc.ID, incident.Resolution{Notes: "done"}, bob)
			return err
		}, invalidField("resolution.code")},
		{"resolve with unknown code", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Resolve(ctx, inc.ID, incident.Resolution{Code: "rebooted", Notes: "done"}, bob)
			return err
		}, invalidField("resolution.code")},
		{"resolve without notes", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Resolve(ctx, inc.ID, incident.Resolution{Code: "duplicate"}, bob)
			return err
		}, invalidField("resolution.notes")},
		{"reopen after the window", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			f.clock.Advance(8 * 24 * time.Hour)
			_, err := f.desk.Reopen(ctx, inc.ID, "again", alice)
			return err
		}, func(t *testing.T, err error) {
			var we *incident.WindowError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, "reopen", we.Rule)
			assert.ErrorIs(t, err, incident.ErrWindowPassed)
		}},
		{"reopen without reason", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Reopen(ctx, inc.ID, "", alice)
			return err
		}, invalidField("reason")},
		{"cycle in parents", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			child := f.open(t)
			if _, err := f.desk.LinkParent(ctx, child.ID, inc.ID, bob); err != nil {
				return err
			}
			_, err := f.desk.LinkParent(ctx, inc.ID, child.ID, bob)
			return err
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, incident.ErrCycle) }},
		{"hold with unknown reason", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Hold(ctx, inc.ID, "awaiting_godot", "", bob)
			return err
		}, invalidField("hold_reason")},
		{"hold without reason", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Hold(ctx, inc.ID, "", "", bob)
			return err
		}, invalidField("hold_reason")},
		{"empty comment", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Comment(ctx, inc.ID, "", alice)
			return err
		}, invalidField("text")},
		{"empty work note", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.WorkNote(ctx, inc.ID, "", bob)
			return err
		}, invalidField("text")},
		{"assign without group", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Assign(ctx, inc.ID, "", "bob", carol)
			return err
		}, invalidField("group")},
		{"start without group", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			bare := f.open(t)
			_, err := f.desk.Start(ctx, bare.ID, bob)
			return err
		}, invalidField("group")},
		{"cancel without reason", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.Cancel(ctx, inc.ID, "", bob)
			return err
		}, invalidField("reason")},
		{"unknown incident", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident) error {
			_, err := f.desk.WorkNote(ctx, uuid.New(), "hello", bob)
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
		"assign":       func() (*incident.Incident, error) { return f.desk.Assign(ctx, inc.ID, "network", "", none) },
		"start":        func() (*incident.Incident, error) { return f.desk.Start(ctx, inc.ID, none) },
		"hold":         func() (*incident.Incident, error) { return f.desk.Hold(ctx, inc.ID, incident.AwaitingCaller, "", none) },
		"resume":       func() (*incident.Incident, error) { return f.desk.Resume(ctx, inc.ID, "", none) },
		"comment":      func() (*incident.Incident, error) { return f.desk.Comment(ctx, inc.ID, "hi", none) },
		"work note":    func() (*incident.Incident, error) { return f.desk.WorkNote(ctx, inc.ID, "hi", none) },
		"resolve":      func() (*incident.Incident, error) { return f.desk.Resolve(ctx, inc.ID, resolution, none) },
		"reopen":       func() (*incident.Incident, error) { return f.desk.Reopen(ctx, inc.ID, "again", none) },
		"close":        func() (*incident.Incident, error) { return f.desk.Close(ctx, inc.ID, none) },
		"cancel":       func() (*incident.Incident, error) { return f.desk.Cancel(ctx, inc.ID, "dup", none) },
		"reprioritize": func() (*incident.Incident, error) { return f.desk.Reprioritize(ctx, inc.ID, 1, 1, "", none) },
		"link":         func() (*incident.Incident, error) { return f.desk.Link(ctx, inc.ID, ref, false, none) },
		"link parent":  func() (*incident.Incident, error) { return f.desk.LinkParent(ctx, inc.ID, other.ID, none) },
		"unlink parent": func() (*incident.Incident, error) {
			return f.desk.UnlinkParent(ctx, inc.ID, none)
		},
		"propose major": func() (*incident.Incident, error) { return f.desk.ProposeMajor(ctx, inc.ID, "big", none) },
		"escalate": func() (*incident.Incident, error) {
			return f.desk.EscalateFunctional(ctx, inc.ID, incident.Functional{ToGroup: "l2", Reason: "r"})
		},
		"escalate hierarchical": func() (*incident.Incident, error) {
			return f.desk.EscalateHierarchical(ctx, inc.ID, incident.Hierarchical{Notify: "lead", Reason: "r"})
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
