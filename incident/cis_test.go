package incident_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

func TestAddCIs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.open(t, func(dr *incident.Draft) { dr.CIs = []string{"web-1"} })

	got, err := f.desk.AddCIs(ctx, incident.CIsParams{ID: inc.ID, By: bob, CIs: []string{"web-2", "web-1", "db-1"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"web-1", "web-2", "db-1"}, got.CIs, "added in order, the listed one left out")
	var last lifecycle.Change
	for ch, err := range f.desk.Journal(ctx, inc.ID) {
		require.NoError(t, err)
		last = ch
	}
	assert.Equal(t, "add_cis", last.Event)
	require.Len(t, last.Fields, 1)
	assert.Equal(t, lifecycle.FieldChange{Field: "cis", Old: "", New: "+web-2,db-1"}, last.Fields[0])

	for _, tc := range []struct {
		name  string
		p     incident.CIsParams
		field string
	}{
		{"none", incident.CIsParams{ID: inc.ID, By: bob}, "cis"},
		{"empty name", incident.CIsParams{ID: inc.ID, By: bob, CIs: []string{""}}, "cis[0]"},
		{"twice", incident.CIsParams{ID: inc.ID, By: bob, CIs: []string{"a", "a"}}, "cis[1]"},
		{"NUL", incident.CIsParams{ID: inc.ID, By: bob, CIs: []string{"a\x00"}}, "cis[0]"},
		{"no actor", incident.CIsParams{ID: inc.ID, CIs: []string{"a"}}, "by"},
	} {
		_, err := f.desk.AddCIs(ctx, tc.p)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
	after, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, after.Version, "a refusal writes nothing")
}
