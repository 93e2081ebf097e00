package event_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// TestValidateRefusesNUL: a NUL byte anywhere in any text of an event is
// refused, naming the field, at every length where the check switches
// between whole words and their tails.
func TestValidateRefusesNUL(t *testing.T) {
	t.Parallel()
	set := map[string]func(*event.Event, string){
		"source":    func(ev *event.Event, s string) { ev.Source = s },
		"node":      func(ev *event.Event, s string) { ev.Node = s },
		"ci":        func(ev *event.Event, s string) { ev.CI = s },
		"check":     func(ev *event.Event, s string) { ev.Check = s },
		"dedup_key": func(ev *event.Event, s string) { ev.DedupKey = s },
		"message":   func(ev *event.Event, s string) { ev.Message = s },
		"labels[k]": func(ev *event.Event, s string) { ev.Labels = map[string]string{"k": s, "j": "v"} },
		"labels":    func(ev *event.Event, s string) { ev.Labels = map[string]string{s: "v", "j": "v"} },
	}
	for field, setField := range set {
		for n := 1; n <= 17; n++ {
			for pos := range n {
				for _, other := range []string{"a", "é"} {
					s := strings.Repeat(other, n)
					s = s[:pos] + "\x00" + s[pos+1:]
					if other == "é" {
						s = strings.Repeat("é", pos) + "\x00" + strings.Repeat("é", n-pos-1)
					}
					ev := event.Event{Source: "s", Severity: event.SeverityInfo}
					setField(&ev, s)
					var ve *itil.ValidationError
					require.ErrorAs(t, ev.Validate("ev"), &ve, "%s %d NUL at %d among %q", field, n, pos, other)
					assert.Equal(t, "ev."+field, ve.Field)
					assert.Contains(t, ve.Reason, "NUL")
				}
			}
		}
	}
}

// TestValidateCountsCharacters: the limits on an event's text are counted
// in characters, not bytes.
func TestValidateCountsCharacters(t *testing.T) {
	t.Parallel()
	euros := func(n int) string { return strings.Repeat("€", n) }
	set := map[string]struct {
		max int
		set func(*event.Event, string)
	}{
		"node":      {event.MaxKeyLen, func(ev *event.Event, s string) { ev.Node = s }},
		"source":    {event.MaxKeyLen, func(ev *event.Event, s string) { ev.Source = s }},
		"dedup_key": {event.MaxKeyLen, func(ev *event.Event, s string) { ev.DedupKey = s }},
		"message":   {event.MaxMessageLen, func(ev *event.Event, s string) { ev.Message = s }},
		"labels[k]": {event.MaxKeyLen, func(ev *event.Event, s string) { ev.Labels = map[string]string{"k": s} }},
	}
	for field, f := range set {
		ev := event.Event{Source: "s", Severity: event.SeverityInfo}
		f.set(&ev, euros(f.max))
		require.NoError(t, ev.Validate(""), "%s: %d characters of three bytes each", field, f.max)
		f.set(&ev, euros(f.max+1))
		var ve *itil.ValidationError
		require.ErrorAs(t, ev.Validate(""), &ve, field)
		assert.Equal(t, field, ve.Field)
		assert.Contains(t, ve.Reason, "characters")
	}
}

// snapshot is everything a refused call must leave as it was.
type snapshot struct {
	log    []lifecycle.Change
	alerts []*event.Alert
	live   *event.Alert
	stats  event.Stats
}

func takeSnapshot(t *testing.T, h *host, key string) snapshot {
	t.Helper()
	live, err := h.engine.Alert(t.Context(), key)
	require.NoError(t, err)
	return snapshot{log: logOf(t, h.store), alerts: alertsOf(t, h.engine), live: live, stats: h.engine.Stats()}
}

// TestHostileInputChangesNothing: hostile text reaching the engine by any
// of its doors (Ingest, the webhook handlers, Acknowledge, heartbeats,
// maintenance windows) is refused with a typed error naming the field,
// and leaves the alerts, their journals and the outbox as they were.
func TestHostileInputChangesNothing(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		h := newHost(t, db.Host(t), newClock(), nil, nil)
		const key = "nagios/web-1/http"
		require.NoError(t, h.engine.Ingest(ctx, web(event.SeverityMajor)))
		drain(t, h)
		mux := http.NewServeMux()
		open := event.HandlerConfig{AllowUnauthenticated: true, Logger: teststores.Quiet}
		mux.Handle("/am", event.AlertmanagerHandler(h.engine, open))
		mux.Handle("/pd", event.PagerDutyHandler(h.engine, open))
		mux.Handle("/ce", event.CloudEventsHandler(h.engine, open))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)

		with := func(edit func(*event.Event)) error {
			ev := web(event.SeverityCritical)
			edit(&ev)
			return h.engine.Ingest(ctx, ev)
		}
		httpPost := func(path, ctype, body string) func() (string, error) {
			return func() (string, error) {
				resp, out := post(t, srv.URL+path, []byte(body), map[string]string{"Content-Type": ctype})
				if resp.StatusCode != http.StatusBadRequest {
					return "", assert.AnError
				}
				field, _ := out["field"].(string)
				return field, nil
			}
		}
		field := func(call func() error) func() (string, error) {
			return func() (string, error) {
				err := call()
				if ve := (*itil.ValidationError)(nil); assert.ErrorAs(t, err, &ve) {
					return ve.Field, nil
				}
				return "", err
			}
		}
		am := func(alert string) string {
			return `{"version":"4","status":"firing","alerts":[` + alert + `]}`
		}
		pd := func(payload string) string {
			return `{"routing_key":"r","event_action":"trigger","payload":` + payload + `}`
		}
		ce := func(attrs string) string {
			return `{"specversion":"1.0","id":"1","source":"s","type":"t"` + attrs + `}`
		}
		bob := itil.Actor{ID: "bob"}
		for _, tc := range []struct {
			name  string
			call  func() (string, error)
			field string
		}{
			{"NUL in node", field(func() error { return with(func(ev *event.Event) { ev.Node = "web-1\x00" }) }), "events[0].node"},
			{"NUL in message", field(func() error { return with(func(ev *event.Event) { ev.Message = "down\x00" }) }), "events[0].message"},
			{"NUL in label", field(func() error { return with(func(ev *event.Event) { ev.Labels = map[string]string{"service": "\x00"} }) }), "events[0].labels[service]"},
			{"NUL in label name", field(func() error { return with(func(ev *event.Event) { ev.Labels = map[string]string{"a\x00": "v"} }) }), "events[0].labels"},
			{"bad UTF-8 in check", field(func() error { return with(func(ev *event.Event) { ev.Check = "http\xc3" }) }), "events[0].check"},
			{"too many characters", field(func() error {
				return with(func(ev *event.Event) { ev.Node = strings.Repeat("€", event.MaxKeyLen+1) })
			}), "events[0].node"},
			{"NUL in the ok event", field(func() error {
				return with(func(ev *event.Event) { ev.Severity, ev.Message = event.SeverityOK, "\x00" })
			}), "events[0].message"},
			{"NUL in a batch's second event", field(func() error {
				bad := crit("web-2")
				bad.Source = "nagios\x00"
				return h.engine.Ingest(ctx, crit("web-3"), bad)
			}), "events[1].source"},
			{"ack by NUL", field(func() error {
				_, err := h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key, By: itil.Actor{ID: "bo\x00b"}})
				return err
			}), "by.id"},
			{"ack NUL note", field(func() error {
				_, err := h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key, By: bob, Note: "on it\x00"})
				return err
			}), "note"},
			{"ack bad UTF-8 note", field(func() error {
				_, err := h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key, By: bob, Note: "\xff"})
				return err
			}), "note"},
			{"ack NUL key", field(func() error {
				_, err := h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key + "\x00", By: bob})
				return err
			}), "key"},
			{"ack NUL field", field(func() error {
				_, err := h.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: key, By: bob, Fields: map[string]string{"ticket\x00": "x"}})
				return err
			}), "fields"},
			{"edit NUL note", field(func() error {
				a, err := h.engine.Alert(ctx, key)
				require.NoError(t, err)
				_, err = h.engine.Edit(ctx, event.Params{ID: a.ID, By: bob, Note: "x\x00"})
				return err
			}), "note"},
			{"heartbeat NUL source", field(func() error { return h.engine.Heartbeat("backup\x00", time.Minute) }), "source"},
			{"heartbeat source as long as a key", field(func() error { return h.engine.Heartbeat(strings.Repeat("b", event.MaxKeyLen), time.Minute) }), "source"},
			{"heartbeat source of 10,000 bytes", field(func() error { return h.engine.Heartbeat(strings.Repeat("b", 10_000), time.Minute) }), "source"},
			{"maintenance NUL name", field(func() error {
				return h.engine.AddMaintenance(event.MaintenanceWindow{Name: "m\x00", CIs: []string{"web-1"}, Start: time.Now(), End: time.Now().Add(time.Hour)})
			}), "window.name"},
			{"maintenance NUL CI", field(func() error {
				return h.engine.AddMaintenance(event.MaintenanceWindow{Name: "m", CIs: []string{"web-1\x00"}, Start: time.Now(), End: time.Now().Add(time.Hour)})
			}), "window.cis[0]"},
			{"am NUL", httpPost("/am", "application/json", am(`{"status":"firing","labels":{"alertname":"A","instance":"web-1\u0000"},"fingerprint":"f"}`)), "alerts[0].labels.instance"},
			{"am NUL annotation", httpPost("/am", "application/json", am(`{"status":"firing","labels":{"alertname":"A"},"annotations":{"summary":"\u0000"},"fingerprint":"f"}`)), "alerts[0].annotations.summary"},
			{"am bad UTF-8", httpPost("/am", "application/json", am("{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\xff\"},\"fingerprint\":\"f\"}")), "body"},
			{"am lone surrogate", httpPost("/am", "application/json", am(`{"status":"firing","labels":{"alertname":"A\ud800"},"fingerprint":"f"}`)), "body"},
			{"pd NUL summary", httpPost("/pd", "application/json", pd(`{"summary":"disk\u0000","source":"h","severity":"error"}`)), "payload.summary"},
			{"pd NUL source", httpPost("/pd", "application/json", pd(`{"summary":"disk","source":"h\u0000","severity":"error"}`)), "payload.source"},
			{"pd NUL routing key", httpPost("/pd", "application/json", `{"routing_key":"r\u0000","event_action":"resolve","dedup_key":"k"}`), "routing_key"},
			{"pd bad UTF-8", httpPost("/pd", "application/json", pd("{\"summary\":\"disk \xe2\x82\",\"source\":\"h\",\"severity\":\"error\"}")), "body"},
			{"ce NUL subject", httpPost("/ce", event.CloudEventsContentType, ce(`,"subject":"db-1\u0000"`)), "subject"},
			{"ce NUL extension", httpPost("/ce", event.CloudEventsContentType, ce(`,"team":"\u0000"`)), "team"},
			{"ce bad UTF-8", httpPost("/ce", event.CloudEventsContentType, ce(",\"subject\":\"\xc0\xaf\"")), "body"},
			{"ce low surrogate", httpPost("/ce", event.CloudEventsContentType, ce(`,"subject":"\udc00x"`)), "body"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := takeSnapshot(t, h, key)
				got, err := tc.call()
				require.NoError(t, err)
				assert.Equal(t, tc.field, got)
				after := takeSnapshot(t, h, key)
				assert.Equal(t, before, after, "nothing changed")
			})
		}
	})
}
