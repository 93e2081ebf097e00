package incident_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// command runs one command of the desk on inc with the Version and Fields
// of p.
type command func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error)

// commands lists every command of the desk, each with the state it starts
// from.
func commands(t *testing.T) []struct {
	name string
	from string
	do   command
} {
	problem := itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000001"}
	return []struct {
		name string
		from string
		do   command
	}{
		{"assign", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: carol, Group: "network"})
		}},
		{"start", incident.StateAssigned, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Start(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob})
		}},
		{"hold", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Hold(ctx, incident.HoldParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Reason: incident.AwaitingVendor})
		}},
		{"resume", incident.StateOnHold, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Resume(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob})
		}},
		{"resolve", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "fixed", Code: "solved_permanently"})
		}},
		{"reopen", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Reopen(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: alice, Note: "still down"})
		}},
		{"close", incident.StateResolved, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Close(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob})
		}},
		{"cancel", incident.StateNew, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Cancel(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: carol, Note: "logged twice"})
		}},
		{"comment", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Comment(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "on it"})
		}},
		{"work note", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "logs flap"})
		}},
		{"edit", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Edit(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "noted"})
		}},
		{"fire", incident.StateAssigned, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Fire(ctx, lifecycle.FireParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Event: incident.EventStart})
		}},
		{"reprioritize", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: carol, Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
		}},
		{"propose major", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.ProposeMajor(ctx, incident.Params{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "everyone"})
		}},
		{"escalate", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "L2", ToGroup: "network-l2"})
		}},
		{"escalate hierarchical", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Note: "VIP", Notify: "lead"})
		}},
		{"link", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			return f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Ref: problem})
		}},
		{"link parent", incident.StateInProgress, func(ctx context.Context, f *fixture, inc *incident.Incident, p incident.Params) (*incident.Incident, error) {
			parent := f.toState(t, incident.StateInProgress)
			return f.desk.LinkParent(ctx, incident.ParentParams{ID: inc.ID, Version: p.Version, Fields: p.Fields, By: bob, Parent: parent.ID})
		}},
	}
}

// TestStaleVersion: every command given a version the incident no longer
// has fails with ErrConflict and writes nothing; given the version it has,
// it succeeds.
func TestStaleVersion(t *testing.T) {
	t.Parallel()
	for _, tt := range commands(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{})
			ctx := t.Context()
			inc := f.toState(t, tt.from)
			if inc.Version == 1 { // so that there is an older version
				var err error
				inc, err = f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: carol, Note: "seen"})
				require.NoError(t, err)
			}
			n := len(journal(t, f.desk, inc.ID))

			_, err := tt.do(ctx, f, inc, incident.Params{Version: inc.Version - 1})
			require.ErrorIs(t, err, lifecycle.ErrConflict)
			assert.Equal(t, lifecycle.ErrConflict, lifecycle.Class(err))
			after, err := f.desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.Equal(t, inc, after, "nothing changed")
			assert.Len(t, journal(t, f.desk, inc.ID), n, "nothing journaled")

			got, err := tt.do(ctx, f, inc, incident.Params{Version: inc.Version})
			require.NoError(t, err)
			assert.Equal(t, inc.Version+1, got.Version)
		})
	}
}

// TestVersionNegative: a negative version is bad input, named.
func TestVersionNegative(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	inc := f.open(t)
	_, err := f.desk.Start(t.Context(), incident.Params{ID: inc.ID, Version: -1, By: bob})
	requireValidation(t, err, "version")
}

// fieldsLifecycle declares two custom fields on the default lifecycle.
func fieldsLifecycle(t *testing.T) *lifecycle.Definition {
	t.Helper()
	def, err := incident.ParseLifecycle([]byte(`{"extends": "incident",
		"fields": [{"name": "vendor_ticket"}, {"name": "cost", "kind": "number"}]}`))
	require.NoError(t, err)
	return def
}

func TestDraftFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: fieldsLifecycle(t)})
	ctx := t.Context()
	for _, tt := range []struct {
		name   string
		fields map[string]string
		field  string // of the error; empty for none
	}{
		{"declared", map[string]string{"vendor_ticket": "V-1", "cost": "12.5"}, ""},
		{"undeclared", map[string]string{"colour": "red"}, "fields.colour"},
		{"wrong kind", map[string]string{"cost": "a lot"}, "fields.cost"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dr := draft()
			dr.Fields = tt.fields
			inc, err := f.desk.Open(ctx, dr)
			if tt.field != "" {
				requireValidation(t, err, tt.field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.fields, inc.Fields)
			got, err := f.desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.Equal(t, tt.fields, got.Fields)
		})
	}
}

// TestCommandFields: every command sets the custom fields it is given,
// journaled as fields.NAME with the command's own change, and refuses an
// undeclared one, writing nothing.
func TestCommandFields(t *testing.T) {
	t.Parallel()
	for _, tt := range commands(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, incident.Config{Lifecycle: fieldsLifecycle(t)})
			ctx := t.Context()
			inc := f.toState(t, tt.from)
			n := len(journal(t, f.desk, inc.ID))

			_, err := tt.do(ctx, f, inc, incident.Params{Fields: map[string]string{"colour": "red"}})
			requireValidation(t, err, "fields.colour")
			assert.Len(t, journal(t, f.desk, inc.ID), n, "nothing journaled")

			got, err := tt.do(ctx, f, inc, incident.Params{Fields: map[string]string{"vendor_ticket": "V-7"}})
			require.NoError(t, err)
			assert.Equal(t, "V-7", got.Fields["vendor_ticket"])
			j := journal(t, f.desk, inc.ID)
			fc, ok := field(j[len(j)-1], "fields.vendor_ticket")
			require.True(t, ok, "journaled with the command's change")
			assert.Equal(t, "V-7", fc.New)
		})
	}
}

// TestEdit: Edit saves custom fields and its note as an "update" without
// a lifecycle event, and writes nothing when it changes nothing.
func TestEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{Lifecycle: fieldsLifecycle(t)})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)

	got, err := f.desk.Edit(ctx, incident.Params{ID: inc.ID, By: bob, Note: "vendor case opened",
		Fields: map[string]string{"vendor_ticket": "V-9"}})
	require.NoError(t, err)
	assert.Equal(t, incident.StateInProgress, got.State)
	assert.Equal(t, "V-9", got.Fields["vendor_ticket"])
	j := journal(t, f.desk, inc.ID)
	last := j[len(j)-1]
	assert.Equal(t, lifecycle.EventUpdate, last.Event)
	assert.Equal(t, "vendor case opened", last.Note)
	assert.Equal(t, []string{"fields.vendor_ticket"}, fieldNames(last))

	same, err := f.desk.Edit(ctx, incident.Params{ID: inc.ID, By: bob, Fields: map[string]string{"vendor_ticket": "V-9"}})
	require.NoError(t, err)
	assert.Equal(t, got.Version, same.Version, "no change, no write")
	assert.Len(t, journal(t, f.desk, inc.ID), len(j))

	cleared, err := f.desk.Edit(ctx, incident.Params{ID: inc.ID, By: bob, Fields: map[string]string{"vendor_ticket": ""}})
	require.NoError(t, err)
	assert.NotContains(t, cleared.Fields, "vendor_ticket", "an empty value unsets the field")

	_, err = f.desk.Edit(ctx, incident.Params{By: bob})
	requireValidation(t, err, "id")
}
