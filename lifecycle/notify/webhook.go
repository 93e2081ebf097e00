package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The headers a Webhook sets on every delivery. See the package
// documentation for the signature scheme.
const (
	// HeaderDelivery carries the change ID: the same on every redelivery,
	// for the receiver to deduplicate on.
	HeaderDelivery = "X-Itil-Delivery"
	// HeaderEvent carries "kind.event", such as "incident.resolve".
	HeaderEvent = "X-Itil-Event"
	// HeaderTimestamp carries the unix time in seconds when the attempt was
	// sent. The signature covers it.
	HeaderTimestamp = "X-Itil-Timestamp"
	// HeaderSignature carries "sha256=" and the hex HMAC-SHA256 of the
	// timestamp, ".", and the body, keyed with the secret.
	HeaderSignature = "X-Itil-Signature"
)

// DefaultTimeout bounds one webhook delivery when WebhookConfig.Timeout is
// zero.
const DefaultTimeout = 10 * time.Second

// reserved are the headers the Webhook sets itself; WebhookConfig.Header may
// not set them.
var reserved = []string{"Content-Type", HeaderDelivery, HeaderEvent, HeaderTimestamp, HeaderSignature}

// WebhookConfig configures a Webhook. The zero value of every field but URL
// means the default.
type WebhookConfig struct {
	// URL receives the POSTs: an absolute http or https URL. Required.
	URL string
	// Secret, when set, keys the HMAC-SHA256 signature sent in
	// X-Itil-Signature. Without it deliveries are not signed.
	Secret string
	// Timeout bounds each delivery, connection and response included, with
	// whichever Client is used. Default DefaultTimeout (10s).
	Timeout time.Duration
	// Client sends the requests. Default: a client with Timeout that does
	// not follow redirects (a redirect answer fails the delivery, since
	// following it could drop the body or the headers).
	Client *http.Client
	// Header holds extra headers for every request, such as Authorization.
	// It may not set Content-Type or the X-Itil- headers the Webhook sets.
	Header http.Header
	// Now is the clock for X-Itil-Timestamp. Default time.Now.
	Now func() time.Time
}

// Webhook is a lifecycle.Notifier that POSTs each change as JSON to a URL,
// signed with a shared secret. Only a 2xx answer counts as delivered: any
// other answer, a timeout or a network error makes Notify fail, so the
// dispatcher keeps retrying the change until the receiver takes it. Receivers
// therefore see each change at least once and should deduplicate on the
// X-Itil-Delivery header (the change ID). A Webhook is safe for concurrent
// use.
type Webhook struct {
	url     string
	secret  []byte
	timeout time.Duration
	client  *http.Client
	header  http.Header
	now     func() time.Time
}

var _ lifecycle.Notifier = (*Webhook)(nil)

// NewWebhook returns a Webhook for cfg. It fails with a *itil.ValidationError
// naming the field when the URL is missing, not absolute, or not http or
// https, when Timeout is negative, or when Header holds a malformed or
// reserved header.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if err := checkURL(cfg.URL); err != nil {
		return nil, err
	}
	if cfg.Timeout < 0 {
		return nil, &itil.ValidationError{Field: "Timeout", Reason: "must not be negative"}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	header, err := checkHeader(cfg.Header)
	if err != nil {
		return nil, err
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{
			Timeout:       cfg.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Webhook{
		url:     cfg.URL,
		secret:  []byte(cfg.Secret),
		timeout: cfg.Timeout,
		client:  cfg.Client,
		header:  header,
		now:     cfg.Now,
	}, nil
}

func checkURL(raw string) error {
	if raw == "" {
		return &itil.ValidationError{Field: "URL", Reason: "required"}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return &itil.ValidationError{Field: "URL", Reason: fmt.Sprintf("%q does not parse: %v", raw, unwrapURLError(err))}
	case !u.IsAbs():
		return &itil.ValidationError{Field: "URL", Reason: fmt.Sprintf("%q is not absolute", raw)}
	case u.Scheme != "http" && u.Scheme != "https":
		return &itil.ValidationError{Field: "URL", Reason: fmt.Sprintf("scheme %q is not http or https", u.Scheme)}
	case u.Host == "":
		return &itil.ValidationError{Field: "URL", Reason: fmt.Sprintf("%q has no host", raw)}
	}
	return nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// checkHeader validates the extra headers and returns them in canonical
// form, so that a bad header fails here and not on every delivery.
func checkHeader(h http.Header) (http.Header, error) {
	out := make(http.Header, len(h))
	for _, name := range slices.Sorted(maps.Keys(h)) {
		values := h[name]
		field := "Header[" + name + "]"
		if !validHeaderName(name) {
			return nil, &itil.ValidationError{Field: field, Reason: "not a valid header name"}
		}
		key := http.CanonicalHeaderKey(name)
		if slices.Contains(reserved, key) {
			return nil, &itil.ValidationError{Field: field, Reason: "set by the webhook itself"}
		}
		for _, v := range values {
			if strings.ContainsAny(v, "\r\n\x00") {
				return nil, &itil.ValidationError{Field: field, Reason: "value holds a line break or NUL"}
			}
		}
		out[key] = append(out[key], values...)
	}
	return out, nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Notify POSTs ch as JSON and waits for the answer, within the configured
// Timeout. It returns nil for a 2xx answer, a *StatusError for any other
// answer, and the client's error when the request fails. Every failure is
// returned, even a 4xx that repeating is unlikely to fix (see
// StatusError.Permanent), so that the dispatcher keeps the change until the
// receiver takes it.
func (w *Webhook) Notify(ctx context.Context, ch lifecycle.Change) error {
	body, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("notify: webhook: encode %s %s: %w", ch.Number, ch.Event, err)
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	for k, v := range w.header {
		req.Header[k] = append([]string(nil), v...)
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderDelivery, ch.ID.String())
	req.Header.Set(HeaderEvent, ch.Kind+"."+ch.Event)
	req.Header.Set(HeaderTimestamp, ts)
	if len(w.secret) > 0 {
		req.Header.Set(HeaderSignature, sign(w.secret, ts, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // drained only to reuse the connection
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Body: strings.TrimSpace(string(snippet))}
}

// maxErrorBody is how much of a failed answer's body a StatusError keeps.
const maxErrorBody = 512

// StatusError reports a webhook answer outside 2xx. Notify returns it, so
// the dispatcher retries the change. It is in no class: the receiver's
// answer says nothing of the change or who made it (a 404 of the receiver
// does not mean the record is missing), so to the library it is a failed
// delivery, an internal error (HTTP 500); Permanent tells the kinds apart.
type StatusError struct {
	// StatusCode is the HTTP status code, such as 503.
	StatusCode int
	// Status is the status line, such as "503 Service Unavailable".
	Status string
	// Body is the start of the answer's body (up to 512 bytes), for logs.
	Body string
}

// Error names the status and, when there is one, the body.
func (e *StatusError) Error() string {
	status := e.Status
	if status == "" {
		status = strconv.Itoa(e.StatusCode)
	}
	msg := "notify: webhook answered " + status
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Permanent reports whether the receiver refused the request itself: a 4xx
// other than 408 (Request Timeout) and 429 (Too Many Requests), or a 3xx
// redirect. Repeating such a request is unlikely to help until someone fixes
// the receiver or the configuration; the Webhook still fails the delivery
// so that the change is kept, and hosts may use Permanent to log it louder.
func (e *StatusError) Permanent() bool {
	switch {
	case e.StatusCode == http.StatusRequestTimeout, e.StatusCode == http.StatusTooManyRequests:
		return false
	case e.StatusCode >= 300 && e.StatusCode < 500:
		return true
	}
	return false
}
