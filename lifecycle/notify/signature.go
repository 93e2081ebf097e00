package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Errors that Verify returns, wrapped in a *SignatureError; compare with
// errors.Is. Both are in the class lifecycle.ErrForbidden (HTTP 403): a
// delivery that fails verification is one the receiver may not act on,
// since nothing proves it came from the holder of the secret. They are not
// invalid input (400): a forger's request is well formed, and a receiver
// that answers every failed check alike tells a forger nothing about which
// check failed.
var (
	// ErrBadSignature: the signature or the timestamp is missing or
	// malformed, or the signature does not match the body and timestamp.
	// Class: lifecycle.ErrForbidden.
	ErrBadSignature = lifecycle.NewError(lifecycle.ErrForbidden, "notify: bad webhook signature")
	// ErrStale: the signature matches but the timestamp lies further from
	// now than the allowed age: a replay, or clocks far apart. Class:
	// lifecycle.ErrForbidden, as a replayed delivery proves no more than a
	// forged one.
	ErrStale = lifecycle.NewError(lifecycle.ErrForbidden, "notify: stale webhook delivery")
)

// DefaultMaxAge is the age Verify allows when given zero or less.
const DefaultMaxAge = 5 * time.Minute

// SignatureError says why Verify refused a delivery. It matches
// ErrBadSignature or ErrStale through errors.Is, and so their class,
// lifecycle.ErrForbidden.
type SignatureError struct {
	// Err is ErrBadSignature or ErrStale.
	Err error
	// Reason says what exactly is wrong.
	Reason string
}

// Error returns the sentinel's text and the reason.
func (e *SignatureError) Error() string { return e.Err.Error() + ": " + e.Reason }

// Unwrap returns Err.
func (e *SignatureError) Unwrap() error { return e.Err }

// Signature returns the X-Itil-Signature value for body sent at timestamp
// (unix seconds) and signed with secret: "sha256=" and the hex HMAC-SHA256
// of the timestamp in decimal, ".", and body.
func Signature(secret string, timestamp int64, body []byte) string {
	return sign([]byte(secret), strconv.FormatInt(timestamp, 10), body)
}

func sign(secret []byte, ts string, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a webhook delivery as its receiver: that r's
// X-Itil-Signature is the HMAC of its X-Itil-Timestamp and body under secret
// (compared in constant time; the hex may be in either case), and that the timestamp lies within maxAge of
// now, either way. body must be the exact bytes of the request body, read
// before any decoding. A maxAge of zero or less means DefaultMaxAge.
//
// It returns nil for a good delivery; a *SignatureError matching
// ErrBadSignature or ErrStale for a bad one; and a *itil.ValidationError
// when secret is empty or r is nil.
//
//	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//	if err == nil {
//		err = notify.Verify(secret, r, body, 0, time.Now())
//	}
//	if err != nil {
//		http.Error(w, "refused", http.StatusUnauthorized)
//		return
//	}
//	var ch lifecycle.Change
//	err = json.Unmarshal(body, &ch) // then skip ch.ID if already seen
func Verify(secret string, r *http.Request, body []byte, maxAge time.Duration, now time.Time) error {
	if secret == "" {
		return &itil.ValidationError{Field: "secret", Reason: "required"}
	}
	if r == nil {
		return &itil.ValidationError{Field: "request", Reason: "required"}
	}
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	bad := func(reason string) error { return &SignatureError{Err: ErrBadSignature, Reason: reason} }
	ts := r.Header.Get(HeaderTimestamp)
	if ts == "" {
		return bad("no " + HeaderTimestamp + " header")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return bad(HeaderTimestamp + " is not unix seconds")
	}
	sig := r.Header.Get(HeaderSignature)
	if sig == "" {
		return bad("no " + HeaderSignature + " header")
	}
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return bad(HeaderSignature + ` does not start with "sha256="`)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return bad(HeaderSignature + " is not hex")
	}
	if !hmac.Equal(got, mac([]byte(secret), ts, body)) {
		return bad("does not match the body and timestamp")
	}
	age := now.Sub(time.Unix(sec, 0))
	if age > maxAge || age < -maxAge {
		return &SignatureError{Err: ErrStale, Reason: "sent " + time.Unix(sec, 0).UTC().Format(time.RFC3339) +
			", more than " + maxAge.String() + " from " + now.UTC().Format(time.RFC3339)}
	}
	return nil
}
