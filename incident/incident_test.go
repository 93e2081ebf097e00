package incident_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
)

func TestIncidentJSONRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	parent := f.open(t, withPriority(itil.P1))
	inc := f.open(t, withPriority(itil.P1), func(dr *incident.Draft) {
		dr.Description = "users in Berlin cannot connect"
		dr.Category, dr.Subcategory = "network", "vpn"
		dr.CIs = []string{"vpn-gw-1", "vpn-gw-2"}
		dr.Parent = parent.ID
	})
	_, err := f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: "network", Assignee: "bob"})
	require.NoError(t, err)
	_, err = f.desk.Link(ctx, incident.LinkParams{ID: inc.ID, By: bob, Ref: itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000001"}})
	require.NoError(t, err)
	_, err = f.desk.ProposeMajor(ctx, incident.Params{ID: inc.ID, By: bob, Note: "whole office down"})
	require.NoError(t, err)
	f.clock.Advance(90 * time.Minute)
	_, err = f.desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
	require.NoError(t, err)
	inc, err = f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)

	b, err := json.Marshal(inc)
	require.NoError(t, err)

	var raw map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	assert.Equal(t, "high", raw["impact"], "impact by name")
	assert.Equal(t, "high", raw["urgency"], "urgency by name")
	assert.Equal(t, "P1", raw["priority"], "priority by name")
	assert.Equal(t, "resolved", raw["state_category"])

	var back incident.Incident
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, inc, &back)
}

func TestIncidentJSONRejectsUnknownNames(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`{"impact":"huge"}`,
		`{"urgency":"yesterday"}`,
		`{"priority":"P9"}`,
	} {
		var inc incident.Incident
		err := json.Unmarshal([]byte(doc), &inc)
		assert.ErrorIs(t, err, itil.ErrInvalid, doc)
	}
}

func TestIncidentOpenAndClone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	inc := f.toState(t, incident.StateOnHold)
	assert.True(t, inc.Open(), "on hold still needs work")
	assert.False(t, f.toState(t, incident.StateResolved).Open())

	c := inc.Clone().(*incident.Incident)
	c.CIs[0] = "changed"
	c.Caller.Groups = append(c.Caller.Groups, "x")
	assert.Equal(t, "vpn-gw-1", inc.CIs[0], "a clone shares no slices")
	assert.Empty(t, inc.Caller.Groups)
}
