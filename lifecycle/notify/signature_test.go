package notify_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/notify"
)

// signedRequest builds a request as a Webhook sends it: body signed with
// secret at sent.
func signedRequest(secret string, sent time.Time, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hook", nil)
	r.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	r.Header.Set(notify.HeaderSignature, notify.Signature(secret, sent.Unix(), body))
	return r
}

func TestVerify(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	sent := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)
	body := []byte(`{"id":"0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a","event":"resolve"}`)

	tests := []struct {
		name   string
		secret string
		req    func() *http.Request
		body   []byte
		maxAge time.Duration
		now    time.Time
		want   error // nil, ErrBadSignature or ErrStale
	}{
		{name: "good", now: sent.Add(time.Second)},
		{name: "at the age limit", now: sent.Add(time.Minute), maxAge: time.Minute},
		{name: "clock slightly behind", now: sent.Add(-30 * time.Second), maxAge: time.Minute},
		{name: "tampered body", body: []byte(`{"id":"0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a","event":"close"}`), want: notify.ErrBadSignature},
		{name: "wrong secret", secret: "guess", want: notify.ErrBadSignature},
		{name: "tampered timestamp", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(sent.Unix()+1, 10))
			return r
		}},
		{name: "no signature", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Del(notify.HeaderSignature)
			return r
		}},
		{name: "no timestamp", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Del(notify.HeaderTimestamp)
			return r
		}},
		{name: "timestamp not a number", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Set(notify.HeaderTimestamp, sent.Format(time.RFC3339))
			return r
		}},
		{name: "no scheme prefix", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Set(notify.HeaderSignature, r.Header.Get(notify.HeaderSignature)[len("sha256="):])
			return r
		}},
		{name: "not hex", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Set(notify.HeaderSignature, "sha256=zz")
			return r
		}},
		{name: "truncated", want: notify.ErrBadSignature, req: func() *http.Request {
			r := signedRequest(secret, sent, body)
			r.Header.Set(notify.HeaderSignature, r.Header.Get(notify.HeaderSignature)[:20])
			return r
		}},
		{name: "stale", now: sent.Add(time.Minute + time.Second), maxAge: time.Minute, want: notify.ErrStale},
		{name: "from the future", now: sent.Add(-time.Minute - time.Second), maxAge: time.Minute, want: notify.ErrStale},
		{name: "default age allows five minutes", now: sent.Add(notify.DefaultMaxAge)},
		{name: "default age refuses more", now: sent.Add(notify.DefaultMaxAge + time.Second), want: notify.ErrStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := secret
			if tt.secret != "" {
				s = tt.secret
			}
			r := signedRequest(secret, sent, body)
			if tt.req != nil {
				r = tt.req()
			}
			b := body
			if tt.body != nil {
				b = tt.body
			}
			err := notify.Verify(s, r, b, tt.maxAge, tt.now)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			var se *notify.SignatureError
			require.ErrorAs(t, err, &se)
			assert.NotEmpty(t, se.Reason)
		})
	}
}

func TestVerifyStaleNeedsAGoodSignature(t *testing.T) {
	t.Parallel()
	sent := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)
	r := signedRequest("s3cret", sent, []byte("{}"))
	err := notify.Verify("s3cret", r, []byte("{ }"), time.Minute, sent.Add(time.Hour))
	assert.ErrorIs(t, err, notify.ErrBadSignature, "a forged old delivery is refused as forged")
	assert.NotErrorIs(t, err, notify.ErrStale)
}

func TestVerifyBadArguments(t *testing.T) {
	t.Parallel()
	sent := time.Now()
	r := signedRequest("s3cret", sent, nil)

	var ve *itil.ValidationError
	require.ErrorAs(t, notify.Verify("", r, nil, 0, sent), &ve)
	assert.Equal(t, "secret", ve.Field)
	require.ErrorAs(t, notify.Verify("s3cret", nil, nil, 0, sent), &ve)
	assert.Equal(t, "request", ve.Field)
}

// FuzzVerify feeds Verify arbitrary headers and bodies: it must never panic,
// must accept only what was signed with the secret, and must accept every
// body the sender signed.
func FuzzVerify(f *testing.F) {
	f.Add("1741944420", "sha256=00", []byte(`{"id":"x"}`))
	f.Add("", "", []byte(nil))
	f.Add("-9223372036854775808", "sha256=", []byte("{}"))
	f.Add("1741944420", notify.Signature("s3cret", 1741944420, []byte(`{"id":"x"}`)), []byte(`{"id":"x"}`))
	now := time.Unix(1741944420, 0)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Header[notify.HeaderTimestamp] = []string{ts}
		r.Header[notify.HeaderSignature] = []string{sig}
		err := notify.Verify("s3cret", r, body, time.Hour, now)
		if err == nil {
			sec, perr := strconv.ParseInt(ts, 10, 64)
			require.NoError(t, perr)
			assert.True(t, strings.EqualFold(notify.Signature("s3cret", sec, body), sig), "accepted %q", sig) // hex in either case
		}
		good := signedRequest("s3cret", now, body)
		assert.NoError(t, notify.Verify("s3cret", good, body, time.Hour, now))
	})
}
