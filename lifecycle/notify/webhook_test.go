package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/notify"
)

func TestNewWebhookValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   notify.WebhookConfig
		field string
	}{
		{"no URL", notify.WebhookConfig{}, "URL"},
		{"relative URL", notify.WebhookConfig{URL: "/hooks/itil"}, "URL"},
		{"bare host", notify.WebhookConfig{URL: "hooks.example.com"}, "URL"},
		{"other scheme", notify.WebhookConfig{URL: "ftp://hooks.example.com/itil"}, "URL"},
		{"no host", notify.WebhookConfig{URL: "https:///itil"}, "URL"},
		{"unparsable", notify.WebhookConfig{URL: "http://[::1"}, "URL"},
		{"negative timeout", notify.WebhookConfig{URL: "https://hooks.example.com", Timeout: -time.Second}, "Timeout"},
		{"reserved header", notify.WebhookConfig{URL: "https://hooks.example.com",
			Header: http.Header{"x-itil-signature": {"sha256=forged"}}}, "Header[x-itil-signature]"},
		{"content type", notify.WebhookConfig{URL: "https://hooks.example.com",
			Header: http.Header{"Content-Type": {"text/plain"}}}, "Header[Content-Type]"},
		{"bad header name", notify.WebhookConfig{URL: "https://hooks.example.com",
			Header: http.Header{"Bad Name": {"x"}}}, "Header[Bad Name]"},
		{"header value with line break", notify.WebhookConfig{URL: "https://hooks.example.com",
			Header: http.Header{"Authorization": {"Bearer x\r\nX-Evil: 1"}}}, "Header[Authorization]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := notify.NewWebhook(tt.cfg)
			assert.Nil(t, w)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.NotEmpty(t, ve.Reason)
			assert.ErrorIs(t, err, itil.ErrInvalid)
		})
	}
}

func TestNewWebhookAcceptsGoodConfig(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://127.0.0.1:8080/hook", "https://hooks.example.com/itil?team=ops", "HTTPS://Hooks.Example.com"} {
		_, err := notify.NewWebhook(notify.WebhookConfig{URL: u, Header: http.Header{"authorization": {"Bearer t"}}})
		assert.NoError(t, err, u)
	}
}

// captured is one request as a test server saw it.
type captured struct {
	header http.Header
	body   []byte
	method string
}

func captureServer(t *testing.T, status int) (*httptest.Server, <-chan captured) {
	t.Helper()
	got := make(chan captured, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- captured{header: r.Header.Clone(), body: body, method: r.Method}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func sampleChange() lifecycle.Change {
	return lifecycle.Change{
		ID:       uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a"),
		Seq:      42,
		Kind:     "incident",
		RecordID: uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-000000000001"),
		Number:   "INC0000042",
		Version:  3,
		Event:    "resolve",
		From:     "in_progress",
		To:       "resolved",
		Actor:    itil.Actor{ID: "bob", Groups: []string{"network"}},
		At:       time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Note:     "replaced the VPN gateway's power supply",
		Fields:   []lifecycle.FieldChange{{Field: "resolution_code", New: "hardware"}},
	}
}

func TestWebhookSendsSignedChange(t *testing.T) {
	t.Parallel()
	srv, got := captureServer(t, http.StatusAccepted)
	sent := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)
	w, err := notify.NewWebhook(notify.WebhookConfig{
		URL:    srv.URL + "/hooks/itil",
		Secret: "s3cret",
		Header: http.Header{"authorization": {"Bearer token"}},
		Now:    func() time.Time { return sent },
	})
	require.NoError(t, err)

	ch := sampleChange()
	require.NoError(t, w.Notify(t.Context(), ch))
	req := <-got

	assert.Equal(t, http.MethodPost, req.method)
	assert.Equal(t, "application/json", req.header.Get("Content-Type"))
	assert.Equal(t, "Bearer token", req.header.Get("Authorization"))
	assert.Equal(t, ch.ID.String(), req.header.Get(notify.HeaderDelivery))
	assert.Equal(t, "incident.resolve", req.header.Get(notify.HeaderEvent))
	assert.Equal(t, strconv.FormatInt(sent.Unix(), 10), req.header.Get(notify.HeaderTimestamp))
	assert.Equal(t, notify.Signature("s3cret", sent.Unix(), req.body), req.header.Get(notify.HeaderSignature))

	var back lifecycle.Change
	require.NoError(t, json.Unmarshal(req.body, &back))
	assert.Equal(t, ch, back)

	// The receiver's side of the round trip.
	r := httptest.NewRequest(http.MethodPost, "/hooks/itil", nil)
	r.Header = req.header
	assert.NoError(t, notify.Verify("s3cret", r, req.body, time.Minute, sent.Add(30*time.Second)))
}

func TestWebhookWithoutSecretDoesNotSign(t *testing.T) {
	t.Parallel()
	srv, got := captureServer(t, http.StatusOK)
	w, err := notify.NewWebhook(notify.WebhookConfig{URL: srv.URL})
	require.NoError(t, err)
	require.NoError(t, w.Notify(t.Context(), sampleChange()))
	req := <-got
	assert.Empty(t, req.header.Get(notify.HeaderSignature))
	assert.NotEmpty(t, req.header.Get(notify.HeaderTimestamp))
}

func TestWebhookStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{http.StatusOK, true, false},
		{http.StatusCreated, true, false},
		{http.StatusNoContent, true, false},
		{http.StatusFound, false, true}, // redirects are not followed
		{http.StatusBadRequest, false, true},
		{http.StatusUnauthorized, false, true},
		{http.StatusNotFound, false, true},
		{http.StatusRequestTimeout, false, false},
		{http.StatusTooManyRequests, false, false},
		{http.StatusInternalServerError, false, false},
		{http.StatusServiceUnavailable, false, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, "  receiver says no  \n")
			}))
			t.Cleanup(srv.Close)
			w, err := notify.NewWebhook(notify.WebhookConfig{URL: srv.URL, Secret: "k"})
			require.NoError(t, err)

			err = w.Notify(t.Context(), sampleChange())
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			var se *notify.StatusError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.status, se.StatusCode)
			assert.Equal(t, tt.permanent, se.Permanent())
			assert.Equal(t, "receiver says no", se.Body)
			assert.Contains(t, err.Error(), strconv.Itoa(tt.status))
		})
	}
}

func TestWebhookTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	for name, cfg := range map[string]notify.WebhookConfig{
		"own client":   {URL: srv.URL, Timeout: 20 * time.Millisecond},
		"given client": {URL: srv.URL, Timeout: 20 * time.Millisecond, Client: &http.Client{}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w, err := notify.NewWebhook(cfg)
			require.NoError(t, err)
			err = w.Notify(t.Context(), sampleChange())
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		})
	}
}

func TestWebhookCancelledContext(t *testing.T) {
	t.Parallel()
	srv, _ := captureServer(t, http.StatusOK)
	w, err := notify.NewWebhook(notify.WebhookConfig{URL: srv.URL})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, w.Notify(ctx, sampleChange()), context.Canceled)
}

func TestWebhookUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	w, err := notify.NewWebhook(notify.WebhookConfig{URL: url})
	require.NoError(t, err)
	err = w.Notify(t.Context(), sampleChange())
	require.Error(t, err)
	assert.False(t, errors.As(err, new(*notify.StatusError)))
}
