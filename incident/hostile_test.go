package incident_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// Hostile texts.
const (
	nul     = "VPN\x00down"
	badUTF8 = "VPN \xff\xfe down"
)

// chars returns a text of n characters, each three bytes long.
func chars(n int) string { return strings.Repeat("€", n) }

// state is what a refused call must leave as it was: the incidents as
// stored, their journals, and the whole log.
type state struct {
	records  map[uuid.UUID]string
	journals map[uuid.UUID][]lifecycle.Change
	log      []lifecycle.Change
}

// readState reads the incidents with the given IDs, their journals and the
// log.
func readState(t testing.TB, st lifecycle.Store, desk *incident.Desk, ids ...uuid.UUID) state {
	t.Helper()
	ctx := t.Context()
	s := state{records: map[uuid.UUID]string{}, journals: map[uuid.UUID][]lifecycle.Change{}}
	for _, id := range ids {
		inc, err := desk.Get(ctx, id)
		require.NoError(t, err)
		data, err := json.Marshal(inc)
		require.NoError(t, err)
		s.records[id] = string(data)
		s.journals[id] = journal(t, desk, id)
	}
	for after := int64(0); ; {
		batch, err := st.ReadLog(ctx, after, 0)
		require.NoError(t, err)
		if len(batch) == 0 {
			break
		}
		s.log = append(s.log, batch...)
		after = batch[len(batch)-1].Seq
	}
	return s
}

// TestHostileInput feeds every command of the desk NUL bytes, invalid
// UTF-8, texts longer than their limits in characters, zero IDs, zero
// actors and unknown enum values, on every store: each is refused with a
// *itil.ValidationError naming the field, without a panic, and leaves the
// incidents, their journals and the log as they were.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	none := itil.Actor{}
	type call func(ctx context.Context, desk *incident.Desk, inc, other *incident.Incident) error
	open := func(mod func(dr *incident.Draft)) call {
		return func(ctx context.Context, desk *incident.Desk, _, _ *incident.Incident) error {
			dr := draft()
			mod(&dr)
			_, err := desk.Open(ctx, dr)
			return err
		}
	}
	on := func(f func(ctx context.Context, desk *incident.Desk, id uuid.UUID) (*incident.Incident, error)) call {
		return func(ctx context.Context, desk *incident.Desk, inc, _ *incident.Incident) error {
			_, err := f(ctx, desk, inc.ID)
			return err
		}
	}
	type D = *incident.Desk
	type C = context.Context
	type I = *incident.Incident
	ref := itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000001"}
	tests := []struct {
		name  string
		call  call
		field string
	}{
		{"open: NUL in title", open(func(dr *incident.Draft) { dr.Title = nul }), "title"},
		{"open: invalid UTF-8 in title", open(func(dr *incident.Draft) { dr.Title = badUTF8 }), "title"},
		{"open: title of 201 characters", open(func(dr *incident.Draft) { dr.Title = chars(incident.MaxTitle + 1) }), "title"},
		{"open: NUL in description", open(func(dr *incident.Draft) { dr.Description = nul }), "description"},
		{"open: long description", open(func(dr *incident.Draft) { dr.Description = chars(incident.MaxText + 1) }), "description"},
		{"open: invalid UTF-8 in category", open(func(dr *incident.Draft) { dr.Category = badUTF8 }), "category"},
		{"open: long subcategory", open(func(dr *incident.Draft) { dr.Subcategory = chars(incident.MaxName + 1) }), "subcategory"},
		{"open: zero caller", open(func(dr *incident.Draft) { dr.Caller = none }), "caller"},
		{"open: NUL in caller ID", open(func(dr *incident.Draft) { dr.Caller.ID = nul }), "caller.id"},
		{"open: invalid UTF-8 in caller name", open(func(dr *incident.Draft) { dr.Caller.Name = badUTF8 }), "caller.name"},
		{"open: NUL in caller group", open(func(dr *incident.Draft) { dr.Caller.Groups = []string{nul} }), "caller.groups[0]"},
		{"open: recorder without ID", open(func(dr *incident.Draft) { dr.By = itil.Actor{Name: "Someone"} }), "by"},
		{"open: long recorder ID", open(func(dr *incident.Draft) { dr.By = itil.Actor{ID: chars(incident.MaxName + 1)} }), "by.id"},
		{"open: NUL in CI", open(func(dr *incident.Draft) { dr.CIs = []string{"vpn-gw-1", nul} }), "cis[1]"},
		{"open: long CI", open(func(dr *incident.Draft) { dr.CIs = []string{chars(incident.MaxName + 1)} }), "cis[0]"},
		{"open: NUL in group", open(func(dr *incident.Draft) { dr.Group = nul }), "group"},
		{"open: invalid UTF-8 in assignee", open(func(dr *incident.Draft) { dr.Group, dr.Assignee = "network", badUTF8 }), "assignee"},
		{"open: NUL in note", open(func(dr *incident.Draft) { dr.Note = nul }), "note"},
		{"open: unknown impact", open(func(dr *incident.Draft) { dr.Impact = 9 }), "impact"},
		{"open: unknown urgency", open(func(dr *incident.Draft) { dr.Urgency = -3 }), "urgency"},
		{"open: unknown channel", open(func(dr *incident.Draft) { dr.Channel = "pigeon" }), "channel"},

		{"assign: zero ID", on(func(ctx C, d D, _ uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: uuid.Nil, By: bob, Group: "network", Assignee: "bob"})
		}), "id"},
		{"assign: NUL in group", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: id, By: bob, Group: nul, Assignee: "bob"})
		}), "group"},
		{"assign: long assignee", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: id, By: bob, Group: "network", Assignee: chars(incident.MaxName + 1)})
		}), "assignee"},
		{"assign: zero actor", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: id, By: none, Group: "network", Assignee: "bob"})
		}), "by"},
		{"assign: NUL in actor ID", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: id, By: itil.Actor{ID: nul}, Group: "network", Assignee: "bob"})
		}), "by.id"},
		{"assign: invalid UTF-8 in actor group", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Assign(ctx, incident.AssignParams{ID: id, By: itil.Actor{ID: "eve", Groups: []string{badUTF8}}, Group: "network", Assignee: "bob"})
		}), "by.groups[0]"},
		{"start: zero ID", on(func(ctx C, d D, _ uuid.UUID) (I, error) { return d.Start(ctx, incident.Params{ID: uuid.Nil, By: bob}) }), "id"},
		{"hold: unknown reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Hold(ctx, incident.HoldParams{ID: id, By: bob, Reason: "awaiting_godot"})
		}), "hold_reason"},
		{"hold: NUL in note", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Hold(ctx, incident.HoldParams{ID: id, By: bob, Note: nul, Reason: incident.AwaitingVendor})
		}), "note"},
		{"resume: invalid UTF-8 in note", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Resume(ctx, incident.Params{ID: id, By: bob, Note: badUTF8})
		}), "note"},
		{"comment: NUL", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Comment(ctx, incident.Params{ID: id, By: alice, Note: nul})
		}), "note"},
		{"comment: too long", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Comment(ctx, incident.Params{ID: id, By: alice, Note: chars(incident.MaxText + 1)})
		}), "note"},
		{"comment: zero ID", on(func(ctx C, d D, _ uuid.UUID) (I, error) {
			return d.Comment(ctx, incident.Params{ID: uuid.Nil, By: alice, Note: "hello"})
		}), "id"},
		{"work note: invalid UTF-8", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.WorkNote(ctx, incident.Params{ID: id, By: bob, Note: badUTF8})
		}), "note"},
		{"resolve: NUL in notes", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Resolve(ctx, incident.ResolveParams{ID: id, By: bob, Note: nul, Code: "duplicate"})
		}), "resolution.notes"},
		{"resolve: long notes", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Resolve(ctx, incident.ResolveParams{ID: id, By: bob, Note: chars(incident.MaxText + 1), Code: "duplicate"})
		}), "resolution.notes"},
		{"resolve: invalid UTF-8 in code", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Resolve(ctx, incident.ResolveParams{ID: id, By: bob, Note: "done", Code: badUTF8})
		}), "resolution.code"},
		{"resolve: unknown code", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Resolve(ctx, incident.ResolveParams{ID: id, By: bob, Note: "done", Code: "rebooted"})
		}), "resolution.code"},
		{"resolve: zero ID", on(func(ctx C, d D, _ uuid.UUID) (I, error) {
			return d.Resolve(ctx, incident.ResolveParams{ID: uuid.Nil, By: bob, Note: resolution.Notes, Code: resolution.Code})
		}), "id"},
		{"reopen: NUL in reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Reopen(ctx, incident.Params{ID: id, By: alice, Note: nul})
		}), "note"},
		{"cancel: long reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Cancel(ctx, incident.Params{ID: id, By: bob, Note: chars(incident.MaxText + 1)})
		}), "note"},
		{"close: zero actor", on(func(ctx C, d D, id uuid.UUID) (I, error) { return d.Close(ctx, incident.Params{ID: id, By: none}) }), "by"},
		{"reprioritize: unknown impact", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Reprioritize(ctx, incident.ReprioritizeParams{ID: id, By: bob, Impact: 7, Urgency: itil.UrgencyLow})
		}), "impact"},
		{"reprioritize: NUL in reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Reprioritize(ctx, incident.ReprioritizeParams{ID: id, By: bob, Note: nul, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
		}), "note"},
		{"propose major: invalid UTF-8 in reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.ProposeMajor(ctx, incident.Params{ID: id, By: bob, Note: badUTF8})
		}), "note"},
		{"escalate: NUL in group", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.EscalateFunctional(ctx, incident.FunctionalParams{ID: id, By: bob, Note: "needs L2", ToGroup: nul})
		}), "to_group"},
		{"escalate: long reason", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.EscalateFunctional(ctx, incident.FunctionalParams{ID: id, By: bob, Note: chars(incident.MaxText + 1), ToGroup: "l2"})
		}), "note"},
		{"escalate: unknown tier", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.EscalateFunctional(ctx, incident.FunctionalParams{ID: id, By: bob, Note: "needs L2", ToGroup: "l2", Tier: 99})
		}), "tier"},
		{"escalate hierarchical: invalid UTF-8 in notify", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: id, By: bob, Note: "P1 for an hour", Notify: badUTF8})
		}), "notify"},
		{"escalate hierarchical: unknown level", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: id, By: bob, Note: "P1 for an hour", Level: -1, Notify: "lead"})
		}), "level"},
		{"link: zero record ID", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Link(ctx, incident.LinkParams{ID: id, By: bob, Ref: itil.Ref{Kind: "problem"}})
		}), "ref.id"},
		{"link: unknown kind", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Link(ctx, incident.LinkParams{ID: id, By: bob, Ref: itil.Ref{Kind: "pizza", ID: uuid.New()}})
		}), "ref.kind"},
		{"link: NUL in number", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Link(ctx, incident.LinkParams{ID: id, By: bob, Ref: itil.Ref{Kind: "problem", ID: uuid.New(), Number: nul}})
		}), "ref.number"},
		{"link: zero ID", on(func(ctx C, d D, _ uuid.UUID) (I, error) {
			return d.Link(ctx, incident.LinkParams{ID: uuid.Nil, By: bob, Ref: ref})
		}), "id"},
		{"link parent: zero child", func(ctx C, d D, _, other I) error {
			_, err := d.LinkParent(ctx, incident.ParentParams{ID: uuid.Nil, By: bob, Parent: other.ID})
			return err
		}, "id"},
		{"link parent: zero parent", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.LinkParent(ctx, incident.ParentParams{ID: id, By: bob, Parent: uuid.Nil})
		}), "parent"},
		{"unlink parent: zero child", on(func(ctx C, d D, _ uuid.UUID) (I, error) {
			return d.UnlinkParent(ctx, incident.Params{ID: uuid.Nil, By: bob})
		}), "id"},
		{"fire: NUL in event", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Fire(ctx, lifecycle.FireParams{ID: id, By: bob, Event: nul})
		}), "event"},
		{"fire: invalid UTF-8 in note", on(func(ctx C, d D, id uuid.UUID) (I, error) {
			return d.Fire(ctx, lifecycle.FireParams{ID: id, By: bob, Note: badUTF8, Event: incident.EventHold})
		}), "note"},
		{"find: NUL in group", func(ctx C, d D, _, _ I) error {
			for _, err := range d.Find(ctx, incident.Query{Group: nul}) {
				return err
			}
			return nil
		}, "group"},
	}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		desk := newHostDesk(t, st)
		inc, err := desk.Open(ctx, draft())
		require.NoError(t, err)
		_, err = desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: bob, Group: "network", Assignee: "bob"})
		require.NoError(t, err)
		inc, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
		require.NoError(t, err)
		other, err := desk.Open(ctx, draft())
		require.NoError(t, err)
		before := readState(t, st, desk, inc.ID, other.ID)
		for _, tt := range tests {
			var err error
			require.NotPanics(t, func() { err = tt.call(ctx, desk, inc, other) }, tt.name)
			var ve *itil.ValidationError
			if assert.True(t, errors.As(err, &ve), "%s: want a validation error, got %v", tt.name, err) {
				assert.Equal(t, tt.field, ve.Field, "%s: %v", tt.name, err)
				assert.ErrorIs(t, err, itil.ErrInvalid, tt.name)
			}
			after := readState(t, st, desk, inc.ID, other.ID)
			assert.Equal(t, before.records, after.records, "%s changed a record", tt.name)
			assert.Equal(t, before.journals, after.journals, "%s changed a journal", tt.name)
			if !assert.Equal(t, before.log, after.log, "%s changed the log", tt.name) {
				before = after // report each call that writes, not its followers
			}
		}
	})
}

// TestTextLimitsCountCharacters: the limits count characters, not bytes
// (150 × "€" is a title of 150 characters, 450 bytes), and a comment as
// long as the ones the problem package writes is taken.
func TestTextLimitsCountCharacters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t, func(dr *incident.Draft) {
		dr.Title = chars(150)
		dr.Category = chars(incident.MaxName)
		dr.CIs = []string{chars(incident.MaxName)}
		dr.Description = chars(incident.MaxText)
	})
	assert.Equal(t, chars(150), inc.Title)

	_, err := f.desk.Open(ctx, incident.Draft{Title: chars(201), Caller: alice, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
	requireValidation(t, err, "title")
	assert.ErrorContains(t, err, "longer than 200 characters (201)")

	long := strings.Repeat("workaround ", 931) // 10,241 characters
	require.GreaterOrEqual(t, len([]rune(long)), 10240)
	_, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: bob, Note: long})
	require.NoError(t, err)
	_, err = f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: chars(incident.MaxText)})
	require.NoError(t, err)
	notes := collectNotes(t, f.desk, inc.ID)
	require.Len(t, notes, 2)
	assert.Equal(t, long, notes[0].Text, "kept as given")
}

// collectNotes returns the incident's notes.
func collectNotes(t testing.TB, desk *incident.Desk, id uuid.UUID) []incident.Note {
	t.Helper()
	var out []incident.Note
	for n, err := range desk.Notes(t.Context(), id, false) {
		require.NoError(t, err)
		out = append(out, n)
	}
	return out
}
