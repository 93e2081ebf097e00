package request_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/request"
)

// TestStaleVersionConflicts checks that every command given the version
// its caller read fails with lifecycle.ErrConflict, writing nothing, once
// the record has changed since; and that the version read works.
func TestStaleVersionConflicts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{Lifecycle: fieldsLifecycle(t)})
	ctx := t.Context()
	// touch changes record id, so that the version read before is stale.
	touch := func(t *testing.T, id uuid.UUID) {
		t.Helper()
		_, err := f.desk.Edit(ctx, request.Params{ID: id, By: alice, Note: "a word in between"})
		require.NoError(t, err)
	}
	touchTask := func(t *testing.T, id uuid.UUID) {
		t.Helper()
		_, err := f.desk.StartTask(ctx, request.TaskParams{ID: id, By: tom})
		require.NoError(t, err)
	}
	waiting := func(t *testing.T) *request.Request { return f.order(t, "laptop", laptopValues()) }
	rejected := func(t *testing.T) *request.Request {
		r, err := f.desk.Decide(ctx, request.DecideParams{ID: waiting(t).ID, By: mike, Verdict: approval.Reject, Note: "no"})
		require.NoError(t, err)
		return r
	}
	fulfilled := func(t *testing.T) *request.Request {
		r := f.order(t, "mouse", nil)
		f.doAll(t, r.ID)
		return f.get(t, r.ID)
	}
	tests := []struct {
		name string
		// setup returns the record acted on and its version, read before
		// touch changes it.
		setup func(t *testing.T) (uuid.UUID, int64)
		touch func(t *testing.T, id uuid.UUID)
		call  func(id uuid.UUID, v int64) error
	}{
		{"Decide", func(t *testing.T) (uuid.UUID, int64) { r := waiting(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Decide(ctx, request.DecideParams{ID: id, Version: v, By: mike, Verdict: approval.Approve})
				return err
			}},
		{"Cancel", func(t *testing.T) (uuid.UUID, int64) { r := waiting(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Cancel(ctx, request.CancelParams{ID: id, Version: v, By: alice})
				return err
			}},
		{"Revise", func(t *testing.T) (uuid.UUID, int64) { r := rejected(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Revise(ctx, request.ReviseParams{ID: id, Version: v, By: alice, Values: map[string]string{"ram": "16", "os": "linux"}})
				return err
			}},
		{"Resubmit", func(t *testing.T) (uuid.UUID, int64) { r := rejected(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Resubmit(ctx, request.ResubmitParams{ID: id, Version: v, By: alice})
				return err
			}},
		{"Close", func(t *testing.T) (uuid.UUID, int64) { r := fulfilled(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Close(ctx, request.Params{ID: id, Version: v, By: tom})
				return err
			}},
		{"Edit", func(t *testing.T) (uuid.UUID, int64) { r := waiting(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Edit(ctx, request.Params{ID: id, Version: v, By: alice, Fields: map[string]string{"cost_centre": "CC-7"}})
				return err
			}},
		{"Fire", func(t *testing.T) (uuid.UUID, int64) { r := waiting(t); return r.ID, r.Version }, touch,
			func(id uuid.UUID, v int64) error {
				_, err := f.desk.Fire(ctx, lifecycle.FireParams{ID: id, Version: v, By: mike, Event: "hold"})
				return err
			}},
		{"CompleteTask", func(t *testing.T) (uuid.UUID, int64) {
			tk := f.tasks(t, f.order(t, "mouse", nil).ID)[0]
			return tk.ID, tk.Version
		}, touchTask, func(id uuid.UUID, v int64) error {
			_, err := f.desk.CompleteTask(ctx, request.TaskParams{ID: id, Version: v, By: tom})
			return err
		}},
		{"FailTask", func(t *testing.T) (uuid.UUID, int64) {
			tk := f.tasks(t, f.order(t, "mouse", nil).ID)[0]
			return tk.ID, tk.Version
		}, touchTask, func(id uuid.UUID, v int64) error {
			_, err := f.desk.FailTask(ctx, request.TaskParams{ID: id, Version: v, By: tom, Note: "out of stock"})
			return err
		}},
		{"Revoke", func(t *testing.T) (uuid.UUID, int64) {
			r := f.order(t, "wiki-editor", nil)
			r, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, By: olga, Verdict: approval.Approve})
			require.NoError(t, err)
			g, err := f.desk.GetGrant(ctx, r.Lines[0].Grant)
			require.NoError(t, err)
			return g.ID, g.Version + 1 // a version the grant does not have
		}, func(*testing.T, uuid.UUID) {}, func(id uuid.UUID, v int64) error {
			_, err := f.desk.Revoke(ctx, request.RevokeParams{ID: id, Version: v, By: mike, Note: "left"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, v := tt.setup(t)
			tt.touch(t, id)
			before := snapshot(t, f.store)
			err := tt.call(id, v)
			require.ErrorIs(t, err, lifecycle.ErrConflict)
			assert.Equal(t, lifecycle.ErrConflict, lifecycle.Class(err))
			assert.Equal(t, before, snapshot(t, f.store), "nothing is written")
		})
	}

	t.Run("current version", func(t *testing.T) {
		r := waiting(t)
		r, err := f.desk.Decide(ctx, request.DecideParams{ID: r.ID, Version: r.Version, By: mike, Verdict: approval.Approve})
		require.NoError(t, err)
		assert.Equal(t, request.StateInFulfilment, r.State)
		tk := f.tasks(t, r.ID)[0]
		tk, err = f.desk.StartTask(ctx, request.TaskParams{ID: tk.ID, Version: tk.Version, By: tom})
		require.NoError(t, err)
		assert.Equal(t, request.TaskInProgress, tk.State)
	})
}

// fieldsLifecycle is the default request lifecycle extended in JSON: a
// cost centre field, required to wait for budget, and a hold of the
// approval.
func fieldsLifecycle(t testing.TB) *lifecycle.Definition {
	t.Helper()
	def, err := request.ParseLifecycle([]byte(`{"extends": "request",
		"states": [{"name": "awaiting_budget", "category": "paused"}, {"name": "on_hold", "category": "paused"}],
		"events": [{"name": "wait_budget", "from": ["in_fulfilment"], "to": "awaiting_budget"},
		           {"name": "budget_granted", "from": ["awaiting_budget"], "to": "in_fulfilment"},
		           {"name": "hold", "from": ["awaiting_approval"], "to": "on_hold"},
		           {"name": "release", "from": ["on_hold"], "to": "awaiting_approval"}],
		"fields": [{"name": "cost_centre", "required_in": ["awaiting_budget"]},
		           {"name": "urgent", "kind": "bool"}]}`))
	require.NoError(t, err)
	return def
}

// TestParseLifecycle checks that a JSON lifecycle extending "request"
// keeps the default's states and events, adds its own, and runs a desk;
// and that bad documents are refused naming the field.
func TestParseLifecycle(t *testing.T) {
	t.Parallel()
	def := fieldsLifecycle(t)
	assert.Equal(t, request.Kind, def.Name())
	for _, s := range request.DefaultLifecycle().States() {
		assert.Equal(t, s.Category, def.Category(s.Name), s.Name)
	}
	to, ok := def.Target("wait_budget", request.StateInFulfilment)
	assert.True(t, ok)
	assert.Equal(t, "awaiting_budget", to)
	_, ok = def.Field("cost_centre")
	assert.True(t, ok)
	_, err := request.NewDesk(newFixture(t, request.Config{}).store, request.Config{Lifecycle: def})
	require.NoError(t, err)

	for _, tt := range []struct{ name, doc, field string }{
		{"unknown base", `{"extends": "incident"}`, "extends"},
		{"other name", `{"extends": "request", "name": "order"}`, "name"},
		{"bad field kind", `{"extends": "request", "fields": [{"name": "x", "kind": "colour"}]}`, "fields[0].kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := request.ParseLifecycle([]byte(tt.doc))
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestCustomFields checks that custom fields are set through the order and
// every command, checked against the lifecycle's declarations, journaled
// as fields.NAME, required where the lifecycle says, and that a refused
// field writes nothing.
func TestCustomFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{Lifecycle: fieldsLifecycle(t)})
	ctx := t.Context()
	r, err := f.desk.Order(ctx, request.Order{By: alice, Fields: map[string]string{"urgent": "true"},
		Lines: []request.OrderLine{{Item: "mouse"}}})
	require.NoError(t, err)
	assert.Equal(t, "true", r.Fields["urgent"])
	assert.Equal(t, request.StateInFulfilment, r.State)

	// A state that requires the field is entered only with it.
	_, err = f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: tom, Event: "wait_budget"})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "fields.cost_centre", ve.Field)
	r, err = f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: tom, Event: "wait_budget", Note: "over budget",
		Fields: map[string]string{"cost_centre": "CC-7"}})
	require.NoError(t, err)
	assert.Equal(t, "awaiting_budget", r.State)
	assert.Equal(t, "CC-7", r.Fields["cost_centre"])
	last := journal(t, f.desk, r.ID)
	assert.Contains(t, last[len(last)-1].Fields, lifecycle.FieldChange{Field: "fields.cost_centre", Old: "", New: "CC-7"})

	// The task is done while the request waits; the event back into
	// fulfilment fulfils it in the same commit.
	tk := f.tasks(t, r.ID)[0]
	_, err = f.desk.CompleteTask(ctx, request.TaskParams{ID: tk.ID, By: tom})
	require.NoError(t, err)
	assert.Equal(t, "awaiting_budget", f.get(t, r.ID).State)
	r, err = f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: mike, Event: "budget_granted"})
	require.NoError(t, err)
	assert.Equal(t, request.StateFulfilled, r.State)

	r, err = f.desk.Close(ctx, request.Params{ID: r.ID, By: tom, Fields: map[string]string{"urgent": "false"}})
	require.NoError(t, err)
	assert.Equal(t, "false", r.Fields["urgent"])

	w := f.order(t, "laptop", laptopValues())
	w, err = f.desk.Decide(ctx, request.DecideParams{ID: w.ID, By: mike, Verdict: approval.Reject, Note: "too much",
		Fields: map[string]string{"cost_centre": "CC-1"}})
	require.NoError(t, err)
	assert.Equal(t, "CC-1", w.Fields["cost_centre"])
	w, err = f.desk.Edit(ctx, request.Params{ID: w.ID, By: alice, Fields: map[string]string{"cost_centre": ""}})
	require.NoError(t, err)
	assert.NotContains(t, w.Fields, "cost_centre", "an empty value unsets")

	// Refused fields: undeclared, or of the wrong kind; nothing is written.
	before := snapshot(t, f.store)
	for _, tt := range []struct {
		name  string
		call  func() error
		field string
	}{
		{"Order undeclared", func() error {
			_, err := f.desk.Order(ctx, request.Order{By: alice, Fields: map[string]string{"colour": "red"}, Lines: []request.OrderLine{{Item: "mouse"}}})
			return err
		}, "fields.colour"},
		{"Order wrong kind", func() error {
			_, err := f.desk.Order(ctx, request.Order{By: alice, Fields: map[string]string{"urgent": "very"}, Lines: []request.OrderLine{{Item: "mouse"}}})
			return err
		}, "fields.urgent"},
		{"Edit undeclared", func() error {
			_, err := f.desk.Edit(ctx, request.Params{ID: w.ID, By: alice, Fields: map[string]string{"colour": "red"}})
			return err
		}, "fields.colour"},
		{"Resubmit wrong kind", func() error {
			_, err := f.desk.Resubmit(ctx, request.ResubmitParams{ID: w.ID, By: alice, Fields: map[string]string{"urgent": "1"}})
			return err
		}, "fields.urgent"},
		{"task field undeclared", func() error {
			_, err := f.desk.StartTask(ctx, request.TaskParams{ID: f.tasks(t, f.order(t, "mouse", nil).ID)[0].ID, By: tom, Fields: map[string]string{"urgent": "true"}})
			return err
		}, "fields.urgent"},
	} {
		if tt.name == "task field undeclared" {
			before = snapshot(t, f.store) // after its order
		}
		err := tt.call()
		require.ErrorAs(t, err, &ve, tt.name)
		assert.Equal(t, tt.field, ve.Field, tt.name)
		if tt.name != "task field undeclared" {
			assert.Equal(t, before, snapshot(t, f.store), "%s: nothing is written", tt.name)
		}
	}
}

// TestFireAndEdit checks Fire's refusals: events the desk's own commands
// fire, an empty event, and an event the state does not allow; and that
// an Edit that changes nothing writes nothing.
func TestFireAndEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{Lifecycle: fieldsLifecycle(t)})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	before := snapshot(t, f.store)
	for _, ev := range []string{"", request.EventApprove, request.EventComplete, request.EventCancel} {
		_, err := f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: mike, Event: ev})
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, ev)
		assert.Equal(t, "event", ve.Field, ev)
	}
	_, err := f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: mike, Event: "wait_budget"})
	assert.ErrorIs(t, err, lifecycle.ErrTransition)
	same, err := f.desk.Edit(ctx, request.Params{ID: r.ID, By: alice})
	require.NoError(t, err)
	assert.Equal(t, r.Version, same.Version)
	assert.Equal(t, before, snapshot(t, f.store), "nothing is written")

	r, err = f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: mike, Event: "hold", Note: "waiting for the budget round"})
	require.NoError(t, err)
	assert.Equal(t, "on_hold", r.State)
	j := journal(t, f.desk, r.ID)
	assert.Equal(t, "hold", j[len(j)-1].Event)
	assert.Equal(t, "waiting for the budget round", j[len(j)-1].Note)
	r, err = f.desk.Fire(ctx, lifecycle.FireParams{ID: r.ID, By: mike, Event: "release"})
	require.NoError(t, err)
	assert.Equal(t, request.StateAwaitingApproval, r.State)
}

// TestOrderWithID checks that an order with an ID creates the request
// under it, and that ordering again with the same ID fails with
// lifecycle.ErrExists and writes nothing.
func TestOrderWithID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	id := uuid.Must(uuid.NewV7())
	o := request.Order{ID: id, By: alice, Note: "from the form", Lines: []request.OrderLine{{Item: "mouse"}}}
	r, err := f.desk.Order(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, id, r.ID)
	assert.Equal(t, "from the form", journal(t, f.desk, id)[0].Note)
	before := snapshot(t, f.store)
	_, err = f.desk.Order(ctx, o)
	require.ErrorIs(t, err, lifecycle.ErrExists)
	assert.Equal(t, before, snapshot(t, f.store))
}
