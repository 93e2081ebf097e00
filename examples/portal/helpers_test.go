package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/portal.png from the browser test")

// newTestServer returns a portal over a freshly seeded world.
func newTestServer(t *testing.T) *server {
	t.Helper()
	w, err := newWorld(t.Context(), nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s, err := newServer(w, Config{SessionKey: []byte("test key"), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return s
}

// as is a client of s signed in as a user ("" for nobody).
type as struct {
	t    *testing.T
	s    *server
	user string
}

func (c as) do(method, path, contentType string, body io.Reader) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.doWith(method, path, body, map[string]string{"Content-Type": contentType})
}

// doWith sends a request with the given headers (empty values are left
// out).
func (c as) doWith(method, path string, body io.Reader, headers map[string]string) *httptest.ResponseRecorder {
	c.t.Helper()
	r := httptest.NewRequest(method, path, body)
	for k, v := range headers {
		if v != "" {
			r.Header.Set(k, v)
		}
	}
	if c.user != "" {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.s.sessions.sign(c.user)})
	}
	w := httptest.NewRecorder()
	c.s.ServeHTTP(w, r)
	return w
}

func (c as) get(path string) *httptest.ResponseRecorder { return c.do(http.MethodGet, path, "", nil) }

func (c as) post(path string, form url.Values) *httptest.ResponseRecorder {
	return c.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// api calls the JSON API with body (nil for none) and decodes the answer
// into out (when not nil); it returns the status.
func (c as) api(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(c.t, err)
		rd = bytes.NewReader(b)
	}
	w := c.do(method, path, "application/json", rd)
	if out != nil {
		require.NoError(c.t, json.Unmarshal(w.Body.Bytes(), out), w.Body.String())
	}
	return w.Code
}
