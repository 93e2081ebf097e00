package main

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/request"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)

	w := as{t, s, ""}.get("/")
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/signin", w.Header().Get("Location"))
	assert.Equal(t, http.StatusUnauthorized, as{t, s, ""}.api(http.MethodGet, "/api/requests", nil, nil))
	assert.Equal(t, http.StatusUnauthorized, as{t, s, "mallory"}.api(http.MethodGet, "/api/requests", nil, nil), "unknown user")

	w = as{t, s, ""}.post("/signin", url.Values{"user": {"alice"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	cookie := w.Result().Cookies()[0]
	assert.Equal(t, sessionCookie, cookie.Name)
	assert.True(t, cookie.HttpOnly)

	// A cookie edited into another user's name is no session.
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "mike" + cookie.Value[len("alice"):]})
	assert.Nil(t, s.sessions.user(r))

	assert.Equal(t, http.StatusBadRequest, as{t, s, ""}.post("/signin", url.Values{"user": {"mallory"}}).Code)
}

// TestPagesRender visits every page as users of every role.
func TestPagesRender(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, user := range []string{"alice", "mike", "olga", "tom", "carol"} {
		for _, path := range []string{"/", "/catalog", "/catalog?q=lap", "/catalog/laptop", "/requests", "/incidents",
			"/incidents/new", "/lifecycles", "/lifecycles/incident"} {
			w := as{t, s, user}.get(path)
			assert.Equal(t, http.StatusOK, w.Code, "%s %s", user, path)
		}
	}
	assert.Equal(t, http.StatusOK, as{t, s, ""}.get("/signin").Code)
	assert.Equal(t, http.StatusOK, as{t, s, ""}.get("/static/style.css").Code)
	assert.Equal(t, http.StatusOK, as{t, s, "mike"}.get("/approvals").Code)
	assert.Equal(t, http.StatusOK, as{t, s, "carol"}.get("/approvals").Code)
	assert.Equal(t, http.StatusOK, as{t, s, "tom"}.get("/queue").Code)
	assert.Equal(t, http.StatusOK, as{t, s, "carol"}.get("/changes/CHG0000001").Code)
	assert.Equal(t, http.StatusNotFound, as{t, s, "alice"}.get("/requests/REQ9999999").Code)
	assert.Equal(t, http.StatusNotFound, as{t, s, "alice"}.get("/catalog/unicorn").Code)
}

// TestLifecyclePages draws every lifecycle from its definition.
func TestLifecyclePages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, l := range s.world.lifecycles() {
		w := as{t, s, "alice"}.get("/lifecycles/" + l.Name)
		require.Equal(t, http.StatusOK, w.Code, l.Name)
		assert.Contains(t, w.Body.String(), `<pre class="mermaid" id="mermaid">`+html.EscapeString(l.Def.Mermaid())+"</pre>", l.Name)

		var body struct{ Mermaid string }
		require.Equal(t, http.StatusOK, as{t, s, "alice"}.api(http.MethodGet, "/api/lifecycles/"+l.Name, nil, &body))
		assert.Equal(t, l.Def.Mermaid(), body.Mermaid)
	}
	assert.Equal(t, http.StatusNotFound, as{t, s, "alice"}.get("/lifecycles/nonesuch").Code)
}

func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:0", "127.0.0.2:80"} {
		assert.NoError(t, loopbackOnly(ok), ok)
	}
	for _, bad := range []string{"0.0.0.0:8080", ":8080", "192.168.1.10:8080", "example.com:80", "nonsense"} {
		assert.Error(t, loopbackOnly(bad), bad)
	}
}

func requestByNumber(t *testing.T, s *server, number string) *request.Request {
	t.Helper()
	r, err := s.world.requests.GetByNumber(t.Context(), number)
	require.NoError(t, err)
	return r
}

func changeByNumber(t *testing.T, s *server, number string) *change.Change {
	t.Helper()
	c, err := s.world.changes.GetByNumber(t.Context(), number)
	require.NoError(t, err)
	return c
}
