package change_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
)

// TestFireHostEvents: Fire fires the events a host added to a lifecycle
// and refuses the Manager's own, which need their commands' inputs.
func TestFireHostEvents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withFields(t))
	c := f.toState(t, change.Normal, change.StateScheduled)

	held, err := f.m.Fire(ctx, lifecycle.FireParams{ID: c.ID, By: alice, Note: "vendor asked to wait", Event: "hold",
		Fields: map[string]string{"vendor_ticket": "VT-7"}})
	require.NoError(t, err)
	assert.Equal(t, "on_hold", held.State)
	assert.Equal(t, lifecycle.Paused, held.StateCategory)
	assert.Equal(t, "VT-7", held.Fields["vendor_ticket"])
	journal := f.journal(t, c.ID)
	last := journal[len(journal)-1]
	assert.Equal(t, "hold", last.Event)
	assert.Equal(t, "vendor asked to wait", last.Note)

	for _, own := range []string{change.EventSchedule, change.EventImplement, change.EventCancel, change.EventDecide} {
		_, err := f.m.Fire(ctx, lifecycle.FireParams{ID: c.ID, By: alice, Event: own})
		assertInvalid(t, err, "event")
	}
	_, err = f.m.Fire(ctx, lifecycle.FireParams{ID: c.ID, By: alice})
	assertInvalid(t, err, "event")
	_, err = f.m.Fire(ctx, lifecycle.FireParams{ID: c.ID, By: alice, Event: "hold"})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te, "hold from on_hold")
	assert.ErrorIs(t, err, lifecycle.ErrRefused)
	f.unchanged(t, held)

	back, err := f.m.Fire(ctx, lifecycle.FireParams{ID: c.ID, Version: held.Version, By: alice, Event: "resume"})
	require.NoError(t, err)
	assert.Equal(t, change.StateScheduled, back.State)
	_, err = f.m.Implement(ctx, change.Params{ID: c.ID, By: bob})
	require.NoError(t, err, "the Manager's commands go on from a host's states")
}

// TestEdit: Edit sets and unsets custom fields and journals its note in
// any state, without moving it; an edit of nothing writes nothing.
func TestEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withFields(t))
	c := f.toState(t, change.Standard, change.StateClosed)

	got, err := f.m.Edit(ctx, change.Params{ID: c.ID, By: carol, Note: "vendor ticket found", Fields: map[string]string{"vendor_ticket": "VT-3"}})
	require.NoError(t, err)
	assert.Equal(t, change.StateClosed, got.State)
	assert.Equal(t, "VT-3", got.Fields["vendor_ticket"])
	journal := f.journal(t, c.ID)
	last := journal[len(journal)-1]
	assert.Equal(t, lifecycle.EventUpdate, last.Event)
	assert.Equal(t, "vendor ticket found", last.Note)
	assert.Equal(t, []lifecycle.FieldChange{{Field: "fields.vendor_ticket", New: "VT-3"}}, last.Fields)

	same, err := f.m.Edit(ctx, change.Params{ID: c.ID, By: carol, Fields: map[string]string{"vendor_ticket": "VT-3"}})
	require.NoError(t, err)
	assert.Equal(t, got.Version, same.Version, "nothing to write")

	unset, err := f.m.Edit(ctx, change.Params{ID: c.ID, Version: got.Version, By: carol, Fields: map[string]string{"vendor_ticket": ""}})
	require.NoError(t, err)
	assert.Empty(t, unset.Fields)
}
