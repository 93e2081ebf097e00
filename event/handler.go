package event

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/itil-go/itil"
)

// Ingester takes events in: an *Engine, or a host of package
// event/cluster, which publishes them to their partitions. The handlers
// serve any Ingester.
type Ingester interface {
	Ingest(ctx context.Context, events ...Event) error
}

var _ Ingester = (*Engine)(nil)

// HandlerConfig configures the adapters' HTTP handlers. The zero value
// accepts nothing: set Secret, HMACKey or AllowUnauthenticated.
//
// A handler answers 405 to anything but POST, 401 when the credential is
// missing, 403 when it is wrong, 413 when the body exceeds MaxBytes, 415 to
// a content type it does not take, 400 with {"error", "field"} for bad
// input, 202 with {"status": "accepted", "events": n} on success, and 500
// when the engine fails. All events of a request are decoded and validated
// before any is ingested.
type HandlerConfig struct {
	// MaxBytes bounds the request body. Default 16 MiB: an Alertmanager
	// group of 3,000 alerts with a dozen labels and two annotations each
	// is about 2.5 MiB, and Alertmanager sends a whole group at once
	// unless its receiver sets max_alerts.
	MaxBytes int64
	// Secret, when set, must come as "Authorization: Bearer <Secret>".
	Secret string
	// HMACKey, when set, must have signed the body: HMACHeader holds
	// "sha256=" and the hex HMAC-SHA256 of the body under HMACKey.
	HMACKey []byte
	// HMACHeader names the signature header. Default "X-Signature-256".
	HMACHeader string
	// AllowUnauthenticated accepts requests without Secret or HMACKey.
	AllowUnauthenticated bool
	// Logger receives engine failures. Default slog.Default().
	Logger *slog.Logger
}

type handler struct {
	e      Ingester
	cfg    HandlerConfig
	decode func(io.Reader) ([]Event, error)
	ctype  string
	// accepted and refused write the answers, in the sender's shape;
	// default the package's own (see HandlerConfig).
	accepted func(w http.ResponseWriter, events []Event)
	refused  func(w http.ResponseWriter, code int, err error)
	// fromHeaders, when set, decodes a request whose event is in its
	// headers (CloudEvents' binary mode: one with a ce-specversion
	// header); such a request takes any content type.
	fromHeaders func(hdr http.Header, body []byte) ([]Event, error)
}

func newHandler(e Ingester, cfg HandlerConfig, decode func(io.Reader) ([]Event, error), ctype string) *handler {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 16 << 20
	}
	if cfg.HMACHeader == "" {
		cfg.HMACHeader = "X-Signature-256"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &handler{e: e, cfg: cfg, decode: decode, ctype: ctype, accepted: accepted, refused: fail}
}

// accepted is the package's answer to events ingested.
func accepted(w http.ResponseWriter, events []Event) {
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "accepted", "events": len(events)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func fail(w http.ResponseWriter, code int, err error) {
	b := errorBody{Error: err.Error()}
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		b.Field = ve.Field
	}
	writeJSON(w, code, b)
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refused(w, http.StatusMethodNotAllowed, errors.New("method not allowed: use POST"))
		return
	}
	cfg := &h.cfg
	if cfg.Secret == "" && cfg.HMACKey == nil && !cfg.AllowUnauthenticated {
		h.refused(w, http.StatusUnauthorized, errors.New("the receiver has no credential configured"))
		return
	}
	if cfg.Secret != "" {
		auth := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			h.refused(w, http.StatusUnauthorized, errors.New("missing bearer token"))
			return
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(cfg.Secret)) != 1 {
			h.refused(w, http.StatusForbidden, errors.New("wrong bearer token"))
			return
		}
	}
	binary := h.fromHeaders != nil && r.Header.Get("Ce-Specversion") != ""
	if h.ctype != "" && !binary {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || (mt != h.ctype && mt != CloudEventsBatchContentType) {
			h.refused(w, http.StatusUnsupportedMediaType, errors.New("want content type "+h.ctype))
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.MaxBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.refused(w, http.StatusRequestEntityTooLarge, errors.New("body too large"))
			return
		}
		h.refused(w, http.StatusBadRequest, errors.New("reading the body failed"))
		return
	}
	if cfg.HMACKey != nil {
		sig, ok := strings.CutPrefix(r.Header.Get(cfg.HMACHeader), "sha256=")
		if !ok {
			h.refused(w, http.StatusUnauthorized, errors.New("missing "+cfg.HMACHeader+" signature"))
			return
		}
		got, err := hex.DecodeString(sig)
		mac := hmac.New(sha256.New, cfg.HMACKey)
		mac.Write(body)
		if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
			h.refused(w, http.StatusForbidden, errors.New("bad signature"))
			return
		}
	}
	var events []Event
	if binary {
		events, err = h.fromHeaders(r.Header, body)
	} else {
		events, err = h.decode(bytes.NewReader(body))
	}
	if err != nil {
		h.refused(w, http.StatusBadRequest, err)
		return
	}
	if err := h.e.Ingest(r.Context(), events...); err != nil {
		if errors.Is(err, itil.ErrInvalid) {
			h.refused(w, http.StatusBadRequest, err)
			return
		}
		h.cfg.Logger.ErrorContext(r.Context(), "ingesting events", slog.Any("error", err))
		h.refused(w, http.StatusInternalServerError, errors.New("the events could not all be ingested"))
		return
	}
	h.accepted(w, events)
}
