package event

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// AlertmanagerSource is the Source of events decoded from Alertmanager.
const AlertmanagerSource = "alertmanager"

// amPayload is what DecodeAlertmanager reads of a Prometheus Alertmanager
// webhook, version 4: the fields it uses (it checks the others' types, as
// decoding them with encoding/json did).
type amPayload struct {
	version, groupKey, status string
	truncatedAlerts           int
	alerts                    []amAlert
}

// amPayloadFields are the JSON names of the payload's fields.
var amPayloadFields = []string{"version", "groupKey", "truncatedAlerts", "status", "receiver",
	"groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts"}

// amAlert is what DecodeAlertmanager reads of an alert of the payload: of
// its annotations, which no event keeps, only the two that make the
// message; its times parsed.
type amAlert struct {
	status, fingerprint  string
	labels               map[string]string
	summary, description string
	startsAt, endsAt     amTime
	raw                  []byte       // the alert's JSON, a slice of the body
	bad                  jsonMismatch // its first value of the wrong type
}

// amTime is a time of an alert, parsed as it is read so that its text
// need not be kept: RFC 3339, the zero time for "".
type amTime struct {
	t   time.Time
	err error // the *itil.ValidationError of a text that is no time
}

// read reads the time, field of an alert; null leaves it as it was.
func (at *amTime) read(r *jsonReader, field string) error {
	text, ok, err := r.str()
	if !ok {
		return err
	}
	*at = amTime{}
	if len(text) > 0 {
		if at.t, err = time.Parse(time.RFC3339Nano, string(text)); err != nil {
			at.err = invalid(field, "not an RFC 3339 time: %q", text)
		}
	}
	return nil
}

// amAlertFields are the JSON names of an alert's fields.
var amAlertFields = []string{"status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"}

// amScratch is what decoding a webhook needs only while it decodes: the
// body, the alerts read from it, and strings for the events to share. No
// event points into the body (an event's Raw is a copy, its strings are
// its own or shared ones, never slices of the body), and so the next
// decoding reuses all, from amScratchPool, rather than allocating it
// again; the shared strings, which may serve the next webhook of the same
// group, stay.
type amScratch struct {
	body   bytes.Buffer
	alerts []amAlert
	shared stringCache
}

var amScratchPool = sync.Pool{New: func() any { return new(amScratch) }}

// maxPooledBody bounds the bodies whose room amScratchPool keeps: one
// huge webhook should not keep its memory for the next.
const maxPooledBody = 1 << 20

// put clears s and gives it back to amScratchPool.
func (s *amScratch) put() {
	if s.body.Cap() > maxPooledBody {
		return
	}
	s.body.Reset()
	clear(s.alerts[:cap(s.alerts)])
	s.alerts = s.alerts[:0]
	amScratchPool.Put(s)
}

// readAlertmanager reads a webhook's body in one pass, into the room of
// s. It reports malformed JSON, trailing data and the payload's first
// value of the wrong type, in that order, as decoding with encoding/json
// did; the alerts' type errors it leaves in the alerts, for
// DecodeAlertmanager to report in their turn.
func readAlertmanager(body []byte, s *amScratch) (amPayload, error) {
	r := jsonReader{data: body, shared: &s.shared}
	p := amPayload{alerts: s.alerts[:0]}
	var bad jsonMismatch
	err := r.object(func(key []byte) error {
		switch name := jsonField(key, amPayloadFields); name {
		case "version":
			return bad.keep(name, r.stringInto(&p.version))
		case "groupKey":
			return bad.keep(name, r.stringInto(&p.groupKey))
		case "status":
			return bad.keep(name, r.stringInto(&p.status))
		case "truncatedAlerts":
			return bad.keep(name, r.intInto(&p.truncatedAlerts))
		case "receiver", "externalURL":
			_, _, err := r.str() // unused, as the maps: only their types are checked
			return bad.keep(name, err)
		case "groupLabels", "commonLabels", "commonAnnotations":
			var m map[string]string
			return bad.keep(name, r.stringMapInto(&m))
		case "alerts":
			// A second "alerts" replaces the first, its type errors with
			// it. A value that is no array leaves the first; an array
			// calls the function only once it is open, and so the first's
			// room may be reused from there on.
			alerts := p.alerts[:0]
			err := r.array(func(int) error {
				a, err := readAlert(&r)
				alerts = append(alerts, a)
				return err
			})
			if err == nil {
				p.alerts = alerts
			}
			return bad.keep(name, err)
		}
		return r.skip()
	})
	if err := bad.keep("", err); err != nil {
		return p, invalid("body", "malformed JSON: %v", err)
	}
	if err := bad.error("body"); err != nil {
		return p, err
	}
	if !r.atEnd() {
		return p, invalid("body", "trailing data after the JSON value")
	}
	return p, nil
}

// readAlert reads an alert of the payload. A value of the wrong type it
// keeps in the alert, naming the alert's field ("" when the alert is no
// object).
func readAlert(r *jsonReader) (amAlert, error) {
	var a amAlert
	start := r.offset()
	err := r.object(func(key []byte) error {
		switch name := jsonField(key, amAlertFields); name {
		case "status":
			return a.bad.keep(name, r.stringInto(&a.status))
		case "labels":
			return a.bad.keep(name, r.stringMapInto(&a.labels))
		case "annotations":
			return a.bad.keep(name, a.readAnnotations(r))
		case "startsAt":
			return a.bad.keep(name, a.startsAt.read(r, name))
		case "endsAt":
			return a.bad.keep(name, a.endsAt.read(r, name))
		case "generatorURL":
			_, _, err := r.str() // unused: only its type is checked
			return a.bad.keep(name, err)
		case "fingerprint":
			// Not shared: unique to the alert, it would only push the
			// strings that are shared out of the cache.
			text, ok, err := r.str()
			if ok {
				a.fingerprint = string(text)
			}
			return a.bad.keep(name, err)
		}
		return r.skip()
	})
	a.raw = r.since(start)
	return a, a.bad.keep("", err)
}

// readAnnotations reads an alert's annotations for the two that make the
// message (not shared: mostly unique to the alert), as reading them into
// a map would: null empties it, a second object adds to the first, a key
// given twice is its last value, a key given null is "".
func (a *amAlert) readAnnotations(r *jsonReader) error {
	if r.peek() == 'n' {
		a.summary, a.description = "", ""
	}
	return r.stringObject(func(key, text []byte) {
		switch string(key) {
		case "summary":
			a.summary = string(text)
		case "description":
			a.description = string(text)
		}
	})
}

// amSeverity maps labels.severity; absent means warning.
func amSeverity(s string) (Severity, bool) {
	switch strings.ToLower(s) {
	case "error", "page":
		return SeverityMajor, true
	}
	sev, err := ParseSeverity(s)
	if err != nil || sev == SeverityOK {
		// severity is a free label in Prometheus rules ("none", "ticket",
		// "p3"): a firing alert is at least a warning, and the label itself
		// stays in the event's labels.
		return SeverityWarning, true
	}
	return sev, true
}

// DecodeAlertmanager decodes a Prometheus Alertmanager webhook (payload
// version "4") into one event per alert: status firing takes its severity
// from labels.severity (error and page mean major; a missing, ok or unknown
// label such as "none" means warning), resolved is SeverityOK. The check is labels.alertname,
// the node labels.instance, the message annotations.summary (else
// description), the dedup key the fingerprint, the occurrence startsAt (endsAt
// when resolved), the Group the payload's groupKey (so that an Alertmanager
// group is one correlation group unless the host's rules group otherwise),
// Truncated its truncatedAlerts, and each event's Raw its alert's JSON. Every error is a
// *itil.ValidationError naming the field: "alerts[1].labels.alertname",
// or "body" for a body that is not UTF-8 or holds half a surrogate pair in
// a \u escape, which decoding would alter. Text too long for an event is
// cut, ending with "…", and labels past MaxLabels are left out and counted
// (see DroppedLabels), rather than the whole group refused, which
// Alertmanager would send again every group_interval; text the engine
// could not store as it is (a NUL) is refused, naming the payload's field.
func DecodeAlertmanager(r io.Reader) ([]Event, error) {
	s := amScratchPool.Get().(*amScratch)
	defer s.put()
	body, err := readJSONBody(&s.body, r)
	if err != nil {
		return nil, err
	}
	p, err := readAlertmanager(body, s)
	s.alerts = p.alerts // for put to clear, and the next decoding to reuse
	if err != nil {
		return nil, err
	}
	switch {
	case p.version != "4":
		return nil, invalid("version", "want \"4\", got %q", p.version)
	case p.status != "firing" && p.status != "resolved":
		return nil, invalid("status", "want firing or resolved, got %q", p.status)
	case len(p.alerts) == 0:
		return nil, invalid("alerts", "required")
	case p.truncatedAlerts < 0:
		return nil, invalid("truncatedAlerts", "must not be negative")
	}
	group := senderGroup(p.groupKey)
	events := make([]Event, len(p.alerts))
	for i := range p.alerts {
		a := &p.alerts[i]
		if a.bad.err != nil {
			return nil, a.bad.error(fmt.Sprintf("alerts[%d]", i))
		}
		if err := alertmanagerEvent(&events[i], a, group, p.truncatedAlerts); err != nil {
			return nil, prefixed(fmt.Sprintf("alerts[%d]", i), err)
		}
	}
	return events, nil
}

// alertmanagerEvent makes ev of an alert read without type errors,
// reporting an error that names the alert's field.
func alertmanagerEvent(ev *Event, a *amAlert, group string, truncated int) error {
	switch {
	case a.fingerprint == "":
		return invalid("fingerprint", "required")
	case a.labels["alertname"] == "":
		return invalid("labels.alertname", "required")
	}
	// Each event has a copy of its alert's JSON, not a slice of one copy
	// of the body that all share: the engine keeps an alert's last event
	// for as long as the alert is open, and one event kept must not keep
	// the whole body, which may hold thousands of alerts.
	*ev = Event{Source: AlertmanagerSource, DedupKey: a.fingerprint, Raw: bytes.Clone(a.raw),
		Group: group, Truncated: truncated}
	ev.Labels = fitLabels(a.labels)
	ev.Check, ev.Node = ev.Labels["alertname"], ev.Labels["instance"]
	ev.Message = a.summary
	if ev.Message == "" {
		ev.Message = a.description
	}
	ev.Message = cutText(ev.Message, MaxMessageLen)
	if a.startsAt.err != nil {
		return a.startsAt.err
	}
	if a.endsAt.err != nil {
		return a.endsAt.err
	}
	switch a.status {
	case "firing":
		sev, ok := amSeverity(a.labels["severity"])
		if !ok {
			return invalid("labels.severity", "unknown severity %q", a.labels["severity"])
		}
		ev.Severity, ev.OccurredAt = sev, a.startsAt.t
	case "resolved":
		ev.Severity, ev.OccurredAt = SeverityOK, a.endsAt.t
	default:
		return invalid("status", "want firing or resolved, got %q", a.status)
	}
	if err := ev.Validate(""); err != nil {
		return renamed("", err, func(f string) string { return alertmanagerField(f, a.summary != "") })
	}
	return nil
}

// DroppedLabels is the label that says how many labels of an alert a
// decoder left out to fit MaxLabels.
const DroppedLabels = "dropped_labels"

// keptLabels are the labels a decoder keeps first when an alert has more
// than MaxLabels: those that name and route it.
var keptLabels = []string{"alertname", "instance", "severity", "service", "job", "namespace", "cluster"}

// fitLabels fits a sender's labels to the limits, so that an alert is cut
// rather than refused, which a sender retrying the same group for ever
// would not mend: a value longer than MaxKeyLen characters is cut there
// and ends with "…"; past MaxLabels, keptLabels stay, then the others in
// the order of their names, and DroppedLabels counts those left out. The
// event's Raw keeps them all. Names are not changed: a name that does not
// fit is refused, naming it.
func fitLabels(labels map[string]string) map[string]string {
	fits := len(labels) <= MaxLabels
	for _, v := range labels {
		if len(v) > MaxKeyLen && utf8.RuneCountInString(v) > MaxKeyLen {
			fits = false
			break
		}
	}
	if fits {
		return labels
	}
	out := make(map[string]string, min(len(labels), MaxLabels))
	keep := func(k string) {
		if v, ok := labels[k]; ok {
			out[k] = cutText(v, MaxKeyLen)
		}
	}
	if len(labels) <= MaxLabels {
		for k := range labels {
			keep(k)
		}
		return out
	}
	for _, k := range keptLabels {
		keep(k)
	}
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if len(out) == MaxLabels-1 {
			break
		}
		keep(k)
	}
	out[DroppedLabels] = strconv.Itoa(len(labels) - len(out))
	return out
}

// senderGroup is the Event.Group of a sender's group key: the key itself,
// or, for a key longer than MaxKeyLen bytes or one that no store could
// keep, "sha256:" and the hex digest of its bytes, which groups the same.
func senderGroup(key string) string {
	if len(key) <= MaxKeyLen && itil.CheckText("", key, 0) == nil {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// alertmanagerField names the field of an Alertmanager alert that an
// event field came from.
func alertmanagerField(field string, summary bool) string {
	switch field {
	case "node":
		return "labels.instance"
	case "check":
		return "labels.alertname"
	case "dedup_key":
		return "fingerprint"
	case "group":
		return "groupKey"
	case "message":
		if summary {
			return "annotations.summary"
		}
		return "annotations.description"
	}
	if k, ok := labelField(field); ok {
		return "labels." + k
	}
	return field
}

// AlertmanagerHandler returns an http.Handler for Alertmanager's webhook
// receiver; see HandlerConfig for its checks and answers.
func AlertmanagerHandler(e Ingester, cfg HandlerConfig) http.Handler {
	return newHandler(e, cfg, DecodeAlertmanager, "")
}
