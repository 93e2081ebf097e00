package incident_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
)

func TestLinkProblemsAndChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	prb := itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000007"}
	chg := itil.Ref{Kind: "change", ID: uuid.New(), Number: "CHG0000042"}

	got, err := f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb})
	require.NoError(t, err)
	assert.Equal(t, []itil.Ref{prb}, got.Problems)
	got, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: chg})
	require.NoError(t, err)
	assert.Equal(t, []itil.Ref{chg}, got.Changes)

	c := changesNamed(t, f.desk, inc.ID, "link_problem")
	require.Len(t, c, 1)
	fc, ok := field(c[0], "problems")
	require.True(t, ok)
	assert.Equal(t, "problem:PRB0000007", fc.New)
	require.Len(t, changesNamed(t, f.desk, inc.ID, "link_change"), 1)

	found := collect(t, f.desk.Find(ctx, incident.Query{Problem: prb.ID}))
	require.Len(t, found, 1)
	assert.Equal(t, inc.ID, found[0].ID)

	n := len(journal(t, f.desk, inc.ID))
	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb})
	requireValidation(t, err, "ref")
	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: itil.Ref{Kind: "change", ID: chg.ID}})
	requireValidation(t, err, "ref")
	assert.Len(t, journal(t, f.desk, inc.ID), n, "linking twice changes nothing")

	got, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb, Remove: true})
	require.NoError(t, err)
	assert.Empty(t, got.Problems)
	assert.Equal(t, []itil.Ref{chg}, got.Changes)
	c = changesNamed(t, f.desk, inc.ID, "unlink_problem")
	require.Len(t, c, 1)
	fc, _ = field(c[0], "problems")
	assert.Equal(t, "problem:PRB0000007", fc.Old)
	assert.Empty(t, collect(t, f.desk.Find(ctx, incident.Query{Problem: prb.ID})))

	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb, Remove: true})
	requireValidation(t, err, "ref")
	got, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: chg, Remove: true})
	require.NoError(t, err)
	assert.Empty(t, got.Changes)
}

func TestLinkRejectsBadRefs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t)
	for _, tt := range []struct {
		ref   itil.Ref
		field string
	}{
		{itil.Ref{ID: uuid.New()}, "ref.kind"},
		{itil.Ref{Kind: "problem"}, "ref.id"},
		{itil.Ref{Kind: "request", ID: uuid.New()}, "ref.kind"},
	} {
		_, err := f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: tt.ref})
		requireValidation(t, err, tt.field)
	}
}

// TestLinkRefusesFinishedIncidents: a closed or cancelled incident takes no
// new links; its existing ones can still be removed.
func TestLinkRefusesFinishedIncidents(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t)
	prb := itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000001"}
	_, err := f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb})
	require.NoError(t, err)
	_, err = f.desk.Cancel(ctx, incident.Params{ID: inc.ID, By: bob, Note: "logged twice"})
	require.NoError(t, err)
	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: itil.Ref{Kind: "change", ID: uuid.New()}})
	requireValidation(t, err, "incident")
	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: prb, Remove: true})
	require.NoError(t, err)
	assert.Equal(t, incident.DefaultResolutionCodes, f.desk.ResolutionCodes())
}
