package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/request"
)

// TestAPIRequestJourney orders through the API, approves, completes the
// tasks and finds the request fulfilled.
func TestAPIRequestJourney(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	alice, mike, tom := as{t, s, "alice"}, as{t, s, "mike"}, as{t, s, "tom"}

	var items []request.Item
	require.Equal(t, http.StatusOK, alice.api("GET", "/api/catalog", nil, &items))
	assert.Len(t, items, 4)
	require.Equal(t, http.StatusOK, alice.api("GET", "/api/catalog?q=notebook", nil, &items))
	require.Len(t, items, 1)
	assert.Equal(t, "laptop", items[0].ID)

	var bad apiError
	assert.Equal(t, http.StatusBadRequest, alice.api("POST", "/api/requests",
		orderBody{Item: "laptop", Values: map[string]string{"os": "linux", "ram": "4"}}, &bad))
	assert.Equal(t, "variables[ram]", bad.Field)
	assert.Equal(t, http.StatusBadRequest, alice.api("POST", "/api/requests", orderBody{Item: "unicorn"}, &bad))
	assert.Equal(t, "item", bad.Field)
	assert.Equal(t, http.StatusBadRequest, alice.api("POST", "/api/requests", map[string]any{"item": "laptop", "colour": "red"}, &bad))
	assert.Equal(t, "body", bad.Field)

	var req request.Request
	require.Equal(t, http.StatusCreated, alice.api("POST", "/api/requests",
		orderBody{Item: "laptop", Values: map[string]string{"os": "linux", "ram": "32"}, Description: "new starter"}, &req))
	assert.Equal(t, request.StateAwaitingApproval, req.State)

	var mine []request.Request
	require.Equal(t, http.StatusOK, alice.api("GET", "/api/requests", nil, &mine))
	require.Len(t, mine, 1, "only alice's own")
	assert.Equal(t, req.ID, mine[0].ID)

	var waiting struct{ Requests []request.Request }
	require.Equal(t, http.StatusOK, mike.api("GET", "/api/approvals", nil, &waiting))
	assert.Len(t, waiting.Requests, 2, "bob's seeded laptop and alice's")

	assert.Equal(t, http.StatusBadRequest, mike.api("POST", "/api/requests/"+req.Number+"/reject", nil, &bad))
	assert.Equal(t, "comment", bad.Field)
	require.Equal(t, http.StatusOK, mike.api("POST", "/api/requests/"+req.Number+"/approve", decisionBody{Comment: "welcome"}, &req))
	assert.Equal(t, request.StateInFulfilment, req.State)
	assert.Equal(t, http.StatusConflict, mike.api("POST", "/api/requests/"+req.Number+"/approve", nil, &bad), "decided already")

	for range 2 { // the laptop's two tasks open one after the other
		var q struct{ Tasks []request.Task }
		require.Equal(t, http.StatusOK, tom.api("GET", "/api/queue", nil, &q))
		require.Len(t, q.Tasks, 1)
		require.Equal(t, http.StatusOK, tom.api("POST", "/api/tasks/"+q.Tasks[0].ID.String()+"/complete", nil, nil))
	}
	require.Equal(t, http.StatusOK, alice.api("GET", "/api/requests/"+req.ID.String(), nil, &req))
	assert.Equal(t, request.StateFulfilled, req.State)
}

// TestAPIIncidents reports incidents and reads the agent's queue.
func TestAPIIncidents(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	alice, tom := as{t, s, "alice"}, as{t, s, "tom"}

	var bad apiError
	assert.Equal(t, http.StatusBadRequest, alice.api("POST", "/api/incidents", incidentForm{Impact: "low", Urgency: "low"}, &bad))
	assert.Equal(t, "title", bad.Field)
	assert.Equal(t, http.StatusBadRequest, alice.api("POST", "/api/incidents", incidentForm{Title: "x", Impact: "low", Urgency: "soon"}, &bad))
	assert.Equal(t, "urgency", bad.Field)

	var inc incident.Incident
	require.Equal(t, http.StatusCreated, alice.api("POST", "/api/incidents",
		incidentForm{Title: "Badge reader refuses my badge", Impact: "medium", Urgency: "high"}, &inc))
	assert.Equal(t, "P2", inc.Priority.String())
	assert.Equal(t, "alice", inc.Caller.ID)

	var mine []incident.Incident
	require.Equal(t, http.StatusOK, alice.api("GET", "/api/incidents", nil, &mine))
	require.Len(t, mine, 3, "two seeded and the new one, none of bob's")
	for _, m := range mine {
		assert.Equal(t, "alice", m.Caller.ID)
	}

	var q struct {
		Incidents []struct {
			Incident incident.Incident
			SLA      slaView
		}
	}
	require.Equal(t, http.StatusOK, tom.api("GET", "/api/queue", nil, &q))
	require.Len(t, q.Incidents, 5)
	for i := 1; i < len(q.Incidents); i++ {
		assert.LessOrEqual(t, q.Incidents[i-1].Incident.Priority, q.Incidents[i].Incident.Priority, "by priority")
	}
	assert.Equal(t, "P1", q.Incidents[0].Incident.Priority.String())
	assert.Equal(t, "running", q.Incidents[0].SLA.Resolution.Status)
	assert.Contains(t, q.Incidents[0].SLA.Resolution.Text, "left")
	assert.Contains(t, tom.get("/queue").Body.String(), "VPN drops every few minutes")
}

// TestAPIChanges lets the CAB decide the changes waiting for it.
func TestAPIChanges(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	carol := as{t, s, "carol"}

	var waiting []change.Change
	require.Equal(t, http.StatusOK, carol.api("GET", "/api/changes", nil, &waiting))
	require.Len(t, waiting, 2)

	var bad apiError
	assert.Equal(t, http.StatusBadRequest, carol.api("POST", "/api/changes/CHG0000002/reject", nil, &bad))
	assert.Equal(t, "comment", bad.Field)

	var c change.Change
	require.Equal(t, http.StatusOK, carol.api("POST", "/api/changes/"+waiting[0].ID.String()+"/approve", decisionBody{Comment: "tested on staging"}, &c))
	assert.True(t, c.Approved())
	require.Equal(t, http.StatusOK, carol.api("POST", "/api/changes/CHG0000002/reject", decisionBody{Comment: "wait for the freeze to end"}, &c))
	assert.False(t, c.Approved())

	require.Equal(t, http.StatusOK, carol.api("GET", "/api/changes", nil, &waiting))
	assert.Empty(t, waiting)
	assert.Equal(t, http.StatusConflict, carol.api("POST", "/api/changes/CHG0000001/approve", nil, &bad), "decided already")
}
