package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrderFormErrors sends bad orders: each shows the form again with the
// error next to its field, and nothing is ordered.
func TestOrderFormErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, tc := range []struct {
		name, item string
		form       url.Values
		errorID    string
		reason     string
	}{
		{"too much memory", "laptop", url.Values{"var-os": {"linux"}, "var-ram": {"128"}}, "error-var-ram", "more than the maximum 64"},
		{"no operating system", "laptop", url.Values{"var-ram": {"16"}}, "error-var-os", "required"},
		{"unknown choice", "laptop", url.Values{"var-os": {"beos"}}, "error-var-os", "beos"},
		{"date in the past", "laptop", url.Values{"var-os": {"linux"}, "var-needed_by": {"2001-01-01"}}, "error-var-needed_by", ""},
		{"bad quantity", "monitor", url.Values{"quantity": {"lots"}}, "error-quantity", "a whole number"},
		{"bad address", "shared-mailbox", url.Values{"var-address": {"Team Mail!"}}, "error-var-address", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := as{t, s, "alice"}.post("/catalog/"+tc.item, tc.form)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			body := w.Body.String()
			assert.Contains(t, body, `id="`+tc.errorID+`"`)
			assert.Contains(t, body, tc.reason)
			assert.Contains(t, body, `id="problem"`)
			reqs, err := s.myRequests(t.Context(), &User{ID: "alice"})
			require.NoError(t, err)
			assert.Empty(t, reqs, "nothing ordered")
		})
	}
	// The values given are kept in the form shown again.
	w := as{t, s, "alice"}.post("/catalog/laptop", url.Values{"var-os": {"linux"}, "var-ram": {"128"}, "description": {"for the demo"}})
	assert.Contains(t, w.Body.String(), `<option value="linux" selected>`)
	assert.Contains(t, w.Body.String(), `value="128"`)
	assert.Contains(t, w.Body.String(), `for the demo</textarea>`)
}

// TestOrderForm orders through the form and lands on the request.
func TestOrderForm(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	w := as{t, s, "alice"}.post("/catalog/laptop", url.Values{"var-os": {"linux"}, "var-ram": {"32"}, "quantity": {"2"}})
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	assert.Equal(t, "/requests/REQ0000002", w.Header().Get("Location"))
	r := requestByNumber(t, s, "REQ0000002")
	assert.Equal(t, "awaiting_approval", r.State)
	assert.Equal(t, 2, r.Lines[0].Quantity)
	assert.Equal(t, map[string]string{"os": "linux", "ram": "32"}, r.Lines[0].Values)
}

// TestReportFormErrors sends bad incident reports.
func TestReportFormErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	before := versions(t, s)
	for _, tc := range []struct {
		name    string
		form    url.Values
		errorID string
	}{
		{"no title", url.Values{"title": {"  "}, "impact": {"low"}, "urgency": {"low"}}, "error-title"},
		{"bad impact", url.Values{"title": {"x"}, "impact": {"huge"}, "urgency": {"low"}}, "error-impact"},
		{"no urgency", url.Values{"title": {"x"}, "impact": {"low"}}, "error-urgency"},
	} {
		w := as{t, s, "alice"}.post("/incidents", tc.form)
		assert.Equal(t, http.StatusBadRequest, w.Code, tc.name)
		assert.Contains(t, w.Body.String(), `id="`+tc.errorID+`"`, tc.name)
	}
	assert.Equal(t, before, versions(t, s), "nothing reported")

	w := as{t, s, "alice"}.post("/incidents", url.Values{"title": {"Laptop will not boot"}, "impact": {"low"}, "urgency": {"high"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/incidents/INC0000005", w.Header().Get("Location"))
	assert.Contains(t, as{t, s, "alice"}.get("/incidents/INC0000005").Body.String(), "Laptop will not boot")
}

// TestRejectNeedsComment: a rejection without a comment shows the request
// again with the error on the comment, and the round is as it was.
func TestRejectNeedsComment(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	before := versions(t, s)
	w := as{t, s, "mike"}.post("/requests/REQ0000001/decision", url.Values{"verdict": {"reject"}})
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `id="error-comment"`)
	assert.Equal(t, before, versions(t, s))

	w = as{t, s, "carol"}.post("/changes/CHG0000001/decision", url.Values{"verdict": {"reject"}})
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `id="error-comment"`)
	assert.Equal(t, before, versions(t, s))

	w = as{t, s, "mike"}.post("/requests/REQ0000001/decision", url.Values{"verdict": {"reject"}, "comment": {"not in budget"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "rejected", requestByNumber(t, s, "REQ0000001").State)
}
