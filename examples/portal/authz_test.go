package main

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/request"
)

// versions returns the version of every record, by number: a refused
// action must leave them all as they were.
func versions(t *testing.T, s *server) map[string]int64 {
	t.Helper()
	ctx := t.Context()
	out := map[string]int64{}
	add := func(r *lifecycle.Record, err error) {
		require.NoError(t, err)
		out[r.Number] = r.Version
	}
	for r, err := range s.world.requests.Find(ctx, request.Query{}) {
		add(&r.Record, err)
	}
	for tk, err := range s.world.requests.Tasks(ctx, request.TaskQuery{}) {
		add(&tk.Record, err)
	}
	for inc, err := range s.world.incidents.Find(ctx, incident.Query{}) {
		add(&inc.Record, err)
	}
	for c, err := range s.world.changes.Find(ctx, change.Query{}) {
		add(&c.Record, err)
	}
	return out
}

// TestAuthorization tries every protected action as someone who may not
// take it: each is a 403 and changes nothing.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ctx := t.Context()

	// Seeded: bob's laptop REQ0000001 awaits the managers; INC0000002 is
	// bob's; CHG0000001 was filed by tom and awaits the CAB. Add alice's
	// monitor, which needs no approval and so has a task open, and mike's
	// own laptop, which he may not approve.
	var monitor request.Request
	require.Equal(t, http.StatusCreated, as{t, s, "alice"}.api(http.MethodPost, "/api/requests",
		orderBody{Item: "monitor"}, &monitor))
	require.Equal(t, request.StateInFulfilment, monitor.State)
	var task *request.Task
	for tk, err := range s.world.requests.Tasks(ctx, request.TaskQuery{Request: monitor.ID}) {
		require.NoError(t, err)
		task = tk
	}
	require.NotNil(t, task)
	var mikes request.Request
	require.Equal(t, http.StatusCreated, as{t, s, "mike"}.api(http.MethodPost, "/api/requests",
		orderBody{Item: "laptop", Values: map[string]string{"os": "linux"}}, &mikes))

	bobs := requestByNumber(t, s, "REQ0000001")
	chg := changeByNumber(t, s, "CHG0000001")
	approve := url.Values{"verdict": {"approve"}, "comment": {"fine"}}
	reject := url.Values{"verdict": {"reject"}, "comment": {"no"}}

	for _, tc := range []struct {
		name, user, method, path string
		form                     url.Values // what a page's form posts
	}{
		{"see another's request", "alice", "GET", "/requests/REQ0000001", nil},
		{"see another's request (API)", "alice", "GET", "/api/requests/" + bobs.ID.String(), nil},
		{"see another's incident", "alice", "GET", "/incidents/INC0000002", nil},
		{"see another's incident (API)", "alice", "GET", "/api/incidents/INC0000002", nil},
		{"approve as a requester", "alice", "POST", "/requests/REQ0000001/decision", approve},
		{"approve as a requester (API)", "alice", "POST", "/api/requests/" + bobs.ID.String() + "/approve", nil},
		{"reject as a requester (API)", "bob", "POST", "/api/requests/REQ0000001/reject", nil},
		{"approve without a slot", "olga", "POST", "/requests/REQ0000001/decision", approve},
		{"approve without a slot (API)", "carol", "POST", "/api/requests/REQ0000001/approve", nil},
		{"approve one's own request", "mike", "POST", "/requests/" + mikes.Number + "/decision", approve},
		{"approve one's own request (API)", "mike", "POST", "/api/requests/" + mikes.ID.String() + "/approve", nil},
		{"list approvals as a requester", "alice", "GET", "/approvals", nil},
		{"list approvals as a requester (API)", "alice", "GET", "/api/approvals", nil},
		{"open the queue as a requester", "alice", "GET", "/queue", nil},
		{"open the queue as an approver (API)", "mike", "GET", "/api/queue", nil},
		{"complete a task as a requester", "alice", "POST", "/tasks/" + task.ID.String() + "/complete", url.Values{}},
		{"complete a task as an approver (API)", "mike", "POST", "/api/tasks/" + task.ID.String() + "/complete", nil},
		{"see a change as a requester", "alice", "GET", "/changes/CHG0000001", nil},
		{"decide a change as a requester", "alice", "POST", "/changes/CHG0000001/decision", approve},
		{"decide a change as a line manager", "mike", "POST", "/changes/CHG0000001/decision", reject},
		{"decide one's own change", "tom", "POST", "/changes/CHG0000001/decision", approve},
		{"approve a change as a requester (API)", "alice", "POST", "/api/changes/" + chg.ID.String() + "/approve", nil},
		{"list changes as an agent (API)", "tom", "GET", "/api/changes", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := versions(t, s)
			c := as{t, s, tc.user}
			var code int
			if !strings.HasPrefix(tc.path, "/api/") {
				w := c.do(tc.method, tc.path, "application/x-www-form-urlencoded", strings.NewReader(tc.form.Encode()))
				code = w.Code
				assert.Contains(t, w.Body.String(), "403", "the error page says so")
			} else {
				var body apiError
				code = c.api(tc.method, tc.path, nil, &body)
				assert.NotEmpty(t, body.Error)
			}
			assert.Equal(t, http.StatusForbidden, code)
			assert.True(t, maps.Equal(before, versions(t, s)), "nothing changed")
		})
	}
}

// TestCrossOrigin refuses a form posted from another site, whoever is
// signed in.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	before := versions(t, s)
	r := as{t, s, "mike"}
	req := strings.NewReader(url.Values{"verdict": {"approve"}}.Encode())
	w := r.doWith("POST", "/requests/REQ0000001/decision", req, map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"})
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, before, versions(t, s))
}

// TestRecordChecksAllow is the other side of the matrix: the people a
// record belongs to get it.
func TestRecordChecksAllow(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, tc := range []struct{ user, path string }{
		{"bob", "/requests/REQ0000001"},     // the requester
		{"mike", "/requests/REQ0000001"},    // an approver
		{"tom", "/requests/REQ0000001"},     // the service desk
		{"bob", "/incidents/INC0000002"},    // the caller
		{"tom", "/incidents/INC0000002"},    // the service desk
		{"tom", "/changes/CHG0000001"},      // the requester of the change
		{"carol", "/changes/CHG0000001"},    // the CAB
		{"bob", "/api/requests/req0000001"}, // numbers in any case
	} {
		assert.Equal(t, http.StatusOK, as{t, s, tc.user}.get(tc.path).Code, "%s %s", tc.user, tc.path)
	}
}
