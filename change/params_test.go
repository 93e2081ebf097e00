package change_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
)

// withFields returns lifecycles that extend the defaults with the custom
// field "vendor_ticket", and the normal one with an "on_hold" state that
// the host events "hold" and "resume" lead into and out of.
func withFields(t testing.TB) change.Config {
	t.Helper()
	parse := func(doc string) *lifecycle.Definition {
		def, err := change.ParseLifecycle([]byte(doc))
		require.NoError(t, err)
		return def
	}
	return change.Config{
		Normal: parse(`{"extends": "normal",
			"states": [{"name": "on_hold", "category": "paused"}],
			"events": [{"name": "hold", "from": ["scheduled"], "to": "on_hold"},
			           {"name": "resume", "from": ["on_hold"], "to": "scheduled"}],
			"fields": [{"name": "vendor_ticket"}]}`),
		Standard:  parse(`{"extends": "standard", "fields": [{"name": "vendor_ticket"}]}`),
		Emergency: parse(`{"extends": "emergency", "fields": [{"name": "vendor_ticket"}]}`),
	}
}

// command is one of the Manager's commands, run on a change of type typ in
// state with the five fields every command carries.
type command struct {
	name  string
	typ   change.Type
	state string
	by    itil.Actor
	note  string
	run   func(m *change.Manager, p change.Params) (*change.Change, error)
}

// commands are every command of the Manager with a version.
var commands = []command{
	{"Update", change.Normal, change.StateNew, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		title := "Retitled"
		return m.Update(ctx, change.UpdateParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields, Title: &title})
	}},
	{"Link", change.Normal, change.StateNew, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Link(ctx, change.LinkParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields,
			To: itil.Ref{Kind: "problem", ID: uuid.MustParse("0190a0a0-0000-7000-8000-000000000001")}})
	}},
	{"Assess", change.Normal, change.StateNew, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Assess(ctx, change.AssessParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields, Likelihood: change.LikelihoodLow})
	}},
	{"RequestApproval", change.Normal, change.StateAssess, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.RequestApproval(ctx, change.RequestApprovalParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields})
	}},
	{"Approve", change.Normal, change.StateAuthorize, vic, "fine", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Approve(ctx, change.DecideParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields})
	}},
	{"Reject", change.Normal, change.StateAuthorize, vic, "no backout test", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Reject(ctx, change.DecideParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields})
	}},
	{"RevertToNew", change.Normal, change.StateAssess, alice, "rework", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.RevertToNew(ctx, p)
	}},
	{"Schedule", change.Standard, change.StateNew, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		res, err := m.Schedule(ctx, change.ScheduleParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields,
			Window: window(24, 1), Implementer: bob.ID})
		return res.Change, err
	}},
	{"Implement", change.Standard, change.StateScheduled, bob, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Implement(ctx, p)
	}},
	{"RecordOutcome", change.Standard, change.StateImplement, bob, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.RecordOutcome(ctx, change.OutcomeParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields, Outcome: change.Successful})
	}},
	{"Review", change.Standard, change.StateReview, carol, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Review(ctx, change.ReviewParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields, Summary: "as planned"})
	}},
	{"Close", change.Standard, change.StateReview, bob, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Close(ctx, p)
	}},
	{"Cancel", change.Normal, change.StateNew, alice, "not needed", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Cancel(ctx, p)
	}},
	{"Edit", change.Normal, change.StateNew, alice, "", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Edit(ctx, p)
	}},
	{"Fire", change.Normal, change.StateScheduled, alice, "vendor asked to wait", func(m *change.Manager, p change.Params) (*change.Change, error) {
		return m.Fire(ctx, lifecycle.FireParams{ID: p.ID, Version: p.Version, By: p.By, Note: p.Note, Fields: p.Fields, Event: "hold"})
	}},
}

// TestStaleVersionWritesNothing: every command given a version older than
// the stored one fails with lifecycle.ErrConflict, runs nothing again and
// writes nothing: not the change, not its journal.
func TestStaleVersionWritesNothing(t *testing.T) {
	t.Parallel()
	for _, cmd := range commands {
		t.Run(cmd.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, withFields(t))
			read := f.toState(t, cmd.typ, cmd.state)
			// Someone else edits the change after it was read.
			now, err := f.m.Edit(ctx, change.Params{ID: read.ID, By: carol, Note: "seen"})
			require.NoError(t, err)
			require.Greater(t, now.Version, read.Version)
			journal := f.journal(t, read.ID)

			_, err = cmd.run(f.m, change.Params{ID: read.ID, Version: read.Version, By: cmd.by, Note: cmd.note,
				Fields: map[string]string{"vendor_ticket": "VT-1"}})
			require.ErrorIs(t, err, lifecycle.ErrConflict)
			assert.Equal(t, lifecycle.ErrConflict, lifecycle.Class(err))
			f.unchanged(t, now)
			assert.Equal(t, journal, f.journal(t, read.ID), "nothing journaled")

			// The version read last goes through.
			got, err := cmd.run(f.m, change.Params{ID: now.ID, Version: now.Version, By: cmd.by, Note: cmd.note,
				Fields: map[string]string{"vendor_ticket": "VT-2"}})
			require.NoError(t, err)
			assert.Equal(t, now.Version+1, got.Version)
		})
	}
}

// TestCustomFieldsOnEveryCommand: every command sets the custom fields it
// is given, checked against the lifecycle and journaled as fields.NAME, and
// refuses an undeclared one with nothing written.
func TestCustomFieldsOnEveryCommand(t *testing.T) {
	t.Parallel()
	for _, cmd := range commands {
		t.Run(cmd.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, withFields(t))
			c := f.toState(t, cmd.typ, cmd.state)
			journal := f.journal(t, c.ID)

			_, err := cmd.run(f.m, change.Params{ID: c.ID, By: cmd.by, Note: cmd.note, Fields: map[string]string{"colour": "red"}})
			assertInvalid(t, err, "fields.colour")
			f.unchanged(t, c)
			assert.Equal(t, journal, f.journal(t, c.ID))

			got, err := cmd.run(f.m, change.Params{ID: c.ID, Version: c.Version, By: cmd.by, Note: cmd.note,
				Fields: map[string]string{"vendor_ticket": "VT-" + cmd.name}})
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"vendor_ticket": "VT-" + cmd.name}, got.Fields)
			stored, err := f.m.Get(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, got.Fields, stored.Fields)
			last := f.journal(t, c.ID)
			assert.Contains(t, last[len(last)-1].Fields, lifecycle.FieldChange{Field: "fields.vendor_ticket", New: "VT-" + cmd.name})
		})
	}
}

// TestCommandsNeedAChangeAndAnActor: every command names the missing ID
// and actor as "id" and "by".
func TestCommandsNeedAChangeAndAnActor(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withFields(t))
	c, err := f.m.Propose(ctx, draft(change.Normal))
	require.NoError(t, err)
	for _, cmd := range commands {
		_, err := cmd.run(f.m, change.Params{By: cmd.by, Note: cmd.note})
		assertInvalid(t, err, "id")
		_, err = cmd.run(f.m, change.Params{ID: c.ID, Note: cmd.note})
		assertInvalid(t, err, "by")
	}
	f.unchanged(t, c)
}

// TestDraftCarriesIDAndFields: a draft's ID, note and custom fields are
// the new change's.
func TestDraftCarriesIDAndFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withFields(t))
	id := uuid.MustParse("0190a0a0-0000-7000-8000-0000000000aa")
	d := draft(change.Emergency)
	d.ID, d.Note, d.Fields = id, "outage", map[string]string{"vendor_ticket": "VT-9"}
	c, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, id, c.ID)
	assert.Equal(t, map[string]string{"vendor_ticket": "VT-9"}, c.Fields)
	journal := f.journal(t, id)
	require.Len(t, journal, 1)
	assert.Equal(t, "outage", journal[0].Note)
	assert.Equal(t, alice, journal[0].Actor)

	d.ID, d.Fields = uuid.Nil, map[string]string{"colour": "red"}
	_, err = f.m.Propose(ctx, d)
	assertInvalid(t, err, "fields.colour")
	plain := newFixture(t, change.Config{})
	_, err = plain.m.Propose(ctx, change.Draft{Title: "t", By: alice, Fields: map[string]string{"vendor_ticket": "x"}})
	assertInvalid(t, err, "fields.vendor_ticket")
	n := 0
	for _, err := range f.m.Find(ctx, change.Query{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n, "a refused draft stores nothing")
}
