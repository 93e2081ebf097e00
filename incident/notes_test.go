package incident_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
)

func TestNotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)

	t1 := f.clock.Advance(time.Minute)
	_, err := f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: "gateway logs show flapping"})
	require.NoError(t, err)
	t2 := f.clock.Advance(time.Minute)
	_, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: bob, Note: "we are on it"})
	require.NoError(t, err)
	t3 := f.clock.Advance(time.Minute)
	_, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: "thanks, it is urgent"})
	require.NoError(t, err)
	t4 := f.clock.Advance(time.Minute)
	_, err = f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: "vendor says firmware bug"})
	require.NoError(t, err)

	read := func(public bool) []incident.Note {
		var out []incident.Note
		for n, err := range f.desk.Notes(ctx, inc.ID, public) {
			require.NoError(t, err)
			out = append(out, n)
		}
		return out
	}
	all := read(false)
	require.Len(t, all, 4)
	assert.Equal(t, incident.Note{At: t1, By: bob, Text: "gateway logs show flapping"}, all[0])
	assert.Equal(t, incident.Note{At: t2, By: bob, Text: "we are on it", Public: true}, all[1])
	assert.Equal(t, incident.Note{At: t3, By: alice, Text: "thanks, it is urgent", Public: true}, all[2])
	assert.Equal(t, incident.Note{At: t4, By: bob, Text: "vendor says firmware bug"}, all[3])

	public := read(true)
	require.Len(t, public, 2, "the caller sees comments, not work notes")
	assert.Equal(t, all[1:3], public)

	events := events(t, f.desk, inc.ID)
	assert.Equal(t, []string{"work_note", "comment", "comment", "work_note"}, events[len(events)-4:])
}

func TestNotesStopEarly(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t)
	for _, text := range []string{"one", "two", "three"} {
		_, err := f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: text})
		require.NoError(t, err)
	}
	var got []string
	for n, err := range f.desk.Notes(ctx, inc.ID, false) {
		require.NoError(t, err)
		got = append(got, n.Text)
		if len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"one", "two"}, got)
}
