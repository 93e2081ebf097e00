package event

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// PagerDutySource is the Source of events decoded from PagerDuty Events v2.
const PagerDutySource = "pagerduty"

type pagerDutyEvent struct {
	RoutingKey  string            `json:"routing_key"`
	EventAction string            `json:"event_action"`
	DedupKey    string            `json:"dedup_key"`
	Payload     *pagerDutyPayload `json:"payload"`
	Client      string            `json:"client"`
	ClientURL   string            `json:"client_url"`
	Links       []json.RawMessage `json:"links"`
	Images      []json.RawMessage `json:"images"`
}

type pagerDutyPayload struct {
	Summary       string          `json:"summary"`
	Source        string          `json:"source"`
	Severity      string          `json:"severity"`
	Timestamp     string          `json:"timestamp"`
	Component     string          `json:"component"`
	Group         string          `json:"group"`
	Class         string          `json:"class"`
	CustomDetails json.RawMessage `json:"custom_details"`
}

var pagerDutySeverities = map[string]Severity{
	"critical": SeverityCritical, "error": SeverityMajor, "warning": SeverityWarning, "info": SeverityInfo,
}

// pdSeverity maps payload.severity as the Alertmanager decoder maps
// labels.severity: PagerDuty's four levels, "page" as major, and any other
// templated value ("p3", "none") as warning rather than a refusal, since a
// sender that retries a refused trigger for ever gains nothing by it.
func pdSeverity(s string) Severity {
	if sev, ok := pagerDutySeverities[strings.ToLower(s)]; ok {
		return sev
	}
	sev, _ := amSeverity(s)
	return sev
}

// pagerDutyKeyDigits is how many hex digits of the routing key's SHA-256
// an alert's dedup key carries.
const pagerDutyKeyDigits = 12

// pagerDutyDedupKey is the dedup key of an alert of a PagerDuty event: the
// sender's dedup_key, "@", and the first hex digits of the SHA-256 of the
// routing key, so that, as in PagerDuty, a dedup key names an alert of one
// service (integration) only, and the routing key, a credential, is not
// stored.
func pagerDutyDedupKey(routingKey, dedupKey string) string {
	sum := sha256.Sum256([]byte(routingKey))
	return dedupKey + "@" + hex.EncodeToString(sum[:])[:pagerDutyKeyDigits]
}

// PagerDutyDedupKey returns the sender's dedup_key of an event decoded by
// DecodePagerDuty, the alert's dedup key without its routing suffix.
func PagerDutyDedupKey(ev Event) string {
	k := ev.DedupKey
	if i := strings.LastIndexByte(k, '@'); i >= 0 && len(k)-i-1 == pagerDutyKeyDigits {
		return k[:i]
	}
	return k
}

// DecodePagerDuty decodes one PagerDuty Events API v2 event. A trigger
// needs routing_key and payload.summary and payload.source; the node is
// payload.source, the check payload.class, component, group and class
// become labels, and each top-level entry of payload.custom_details a label
// "details.NAME" (text as it is, other values as JSON; see below for
// limits). payload.severity is critical, error (major), warning or info;
// "page" means major and another value warning, as for Alertmanager. A
// trigger without dedup_key gets a new one, as PagerDuty generates one:
// each such trigger is an alert of its own.
//
// The dedup key of the alert is the dedup_key with a suffix of the routing
// key's digest (see PagerDutyDedupKey): a resolve for another routing key
// leaves the alert open. An acknowledge or resolve needs routing_key and
// dedup_key: it becomes an acknowledgement or an ok event.
//
// Alertmanager's PagerDuty integration sends severity "error" and source
// "Alertmanager" unless configured otherwise, and lists the firing alerts
// in custom_details.firing: since version 0.28 as a JSON list of alerts
// ({"labels": {"severity": "critical", "instance": "web-1"}, …}), before
// as text ("- severity = critical", "- instance = web-1"). The decoder
// reads either list where the payload says less: the
// highest listed severity replaces a default "error", and an "Alertmanager"
// source takes the first listed instance as its node, all of them in the
// label "instances".
//
// Every error is a *itil.ValidationError naming the field:
// "payload.summary", or "body" (see DecodeAlertmanager). The limits on
// routing_key (64) and dedup_key (255) are counted in characters; a
// payload.summary longer than 1024 is cut there and ends with "…". Custom details beyond the label limits are left out (the
// event's Raw keeps them), and a detail longer than MaxKeyLen is cut and
// ends with "…".
func DecodePagerDuty(r io.Reader) ([]Event, error) {
	var p pagerDutyEvent
	body, err := decodeJSON(r, &p)
	if err != nil {
		return nil, err
	}
	if p.RoutingKey == "" {
		return nil, invalid("routing_key", "required")
	}
	if err := itil.CheckText("routing_key", p.RoutingKey, 64); err != nil {
		return nil, err
	}
	if err := itil.CheckText("dedup_key", p.DedupKey, 255); err != nil {
		return nil, err
	}
	ev := Event{Source: PagerDutySource, Raw: body}
	switch p.EventAction {
	case "trigger":
		pl := p.Payload
		switch {
		case pl == nil:
			return nil, invalid("payload", "required on a trigger")
		case pl.Summary == "":
			return nil, invalid("payload.summary", "required")
		case pl.Source == "":
			return nil, invalid("payload.source", "required")
		}
		if err := itil.CheckText("payload.summary", pl.Summary, 0); err != nil {
			return nil, err
		}
		pl.Summary = cutText(pl.Summary, 1024) // as PagerDuty cuts it
		at, err := parseTime("payload.timestamp", pl.Timestamp)
		if err != nil {
			return nil, err
		}
		if p.DedupKey == "" {
			id := uuid.New()
			p.DedupKey = hex.EncodeToString(id[:])
		}
		ev.Severity, ev.Node, ev.Check, ev.Message, ev.OccurredAt = pdSeverity(pl.Severity), pl.Source, pl.Class, pl.Summary, at
		ev.Labels = map[string]string{}
		for k, v := range map[string]string{"component": pl.Component, "group": pl.Group, "class": pl.Class} {
			if v != "" {
				ev.Labels[k] = v
			}
		}
		details := pagerDutyDetails(pl.CustomDetails)
		addDetails(ev.Labels, details)
		fromAlertmanagerDetails(&ev, pl, details["firing"])
	case "acknowledge", "resolve":
		if p.DedupKey == "" {
			return nil, invalid("dedup_key", "required on %s", p.EventAction)
		}
		if p.EventAction == "acknowledge" {
			ev.Ack = true
		} else {
			ev.Severity = SeverityOK
		}
	default:
		return nil, invalid("event_action", "want trigger, acknowledge or resolve, got %q", p.EventAction)
	}
	ev.DedupKey = pagerDutyDedupKey(p.RoutingKey, p.DedupKey)
	if err := ev.Validate(""); err != nil {
		return nil, renamed("", err, pagerDutyField)
	}
	return []Event{ev}, nil
}

// pagerDutyDetails returns the top-level entries of custom_details as
// text: strings as they are, other values as their JSON. Absent or null
// details are none; details that are not an object are one entry,
// "details".
func pagerDutyDetails(raw json.RawMessage) map[string]string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil { // a scalar or a list: kept whole
		return map[string]string{"": string(raw)}
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
			continue
		}
		out[k] = string(v)
	}
	return out
}

// addDetails puts details into labels as "details.NAME" ("details" for a
// whole non-object), in the order of their names, while there is room,
// each cut to MaxKeyLen characters.
func addDetails(labels map[string]string, details map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(details)) {
		if len(labels) >= MaxLabels {
			return
		}
		name := "details"
		if k != "" {
			name += "." + k
		}
		v := details[k]
		if utf8.RuneCountInString(name) > MaxKeyLen || itil.CheckText("", name, 0) != nil || itil.CheckText("", v, 0) != nil {
			continue // a detail no store could keep is left to Raw
		}
		labels[name] = cutText(v, MaxKeyLen)
	}
}

// cutText returns s cut to at most max characters, ending with "…" when
// cut.
func cutText(s string, max int) string { return itil.Shorten(s, max, "…") }

// fromAlertmanagerDetails reads the alerts that Alertmanager's PagerDuty
// integration lists in custom_details.firing, where the payload says less:
// the highest listed severity for a default "error", the listed instances
// for the source "Alertmanager".
func fromAlertmanagerDetails(ev *Event, pl *pagerDutyPayload, firing string) {
	if firing == "" {
		return
	}
	var sevs, instances []string
	add := func(name, value string) {
		switch name {
		case "severity":
			sevs = append(sevs, value)
		case "instance":
			if value != "" && !slices.Contains(instances, value) {
				instances = append(instances, value)
			}
		}
	}
	var listed []struct {
		Labels map[string]string `json:"labels"`
	}
	if json.Unmarshal([]byte(firing), &listed) == nil {
		for _, a := range listed {
			add("severity", a.Labels["severity"])
			add("instance", a.Labels["instance"])
		}
	} else {
		for line := range strings.Lines(firing) {
			name, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "-")), " = ")
			if ok {
				add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
		}
	}
	if strings.EqualFold(pl.Severity, "error") && len(sevs) > 0 {
		highest := Severity(0)
		for _, s := range sevs {
			highest = max(highest, pdSeverity(s))
		}
		ev.Severity = highest
	}
	if pl.Source == "Alertmanager" && len(instances) > 0 {
		ev.Node = instances[0]
		if len(ev.Labels) < MaxLabels || ev.Labels["instances"] != "" {
			ev.Labels["instances"] = cutText(strings.Join(instances, ","), MaxKeyLen)
		}
	}
}

// pagerDutyField names the field of a PagerDuty event that an event field
// came from.
func pagerDutyField(field string) string {
	switch field {
	case "node":
		return "payload.source"
	case "check":
		return "payload.class"
	case "message":
		return "payload.summary"
	}
	if k, ok := labelField(field); ok {
		return "payload." + k
	}
	return field
}

// PagerDutyHandler returns an http.Handler for PagerDuty Events API v2
// events (POST /v2/enqueue); see HandlerConfig for its checks. It answers
// as PagerDuty does, since senders read the answer: 202 with
// {"status": "success", "message": "Event processed", "dedup_key": …},
// the sender's dedup key (generated for a trigger without one); an error
// as {"status", "message", "errors": [...]}, "invalid event" and "Event
// object is invalid" for a 400, with the package's "field" beside them.
func PagerDutyHandler(e Ingester, cfg HandlerConfig) http.Handler {
	h := newHandler(e, cfg, DecodePagerDuty, "")
	h.accepted = func(w http.ResponseWriter, events []Event) {
		writeJSON(w, http.StatusAccepted, map[string]string{
			"status": "success", "message": "Event processed", "dedup_key": PagerDutyDedupKey(events[0])})
	}
	h.refused = func(w http.ResponseWriter, code int, err error) {
		b := pagerDutyError{Status: strings.ToLower(http.StatusText(code)), Message: err.Error(), Errors: []string{err.Error()}}
		if code == http.StatusBadRequest {
			b.Status, b.Message = "invalid event", "Event object is invalid"
		}
		var ve *itil.ValidationError
		if errors.As(err, &ve) {
			b.Field = ve.Field
		}
		writeJSON(w, code, b)
	}
	return h
}

// pagerDutyError is an error answer in PagerDuty's shape.
type pagerDutyError struct {
	Status  string   `json:"status"`
	Message string   `json:"message"`
	Errors  []string `json:"errors"`
	Field   string   `json:"field,omitempty"`
}
