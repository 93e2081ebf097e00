package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// CloudEvents content types: structured mode, one event or a batch.
const (
	CloudEventsContentType      = "application/cloudevents+json"
	CloudEventsBatchContentType = "application/cloudevents-batch+json"
)

// cloudEventsCore are the context attributes the decoder reads; others are
// extensions.
var cloudEventsCore = map[string]bool{
	"specversion": true, "id": true, "source": true, "type": true, "subject": true, "time": true,
	"datacontenttype": true, "dataschema": true, "data": true, "data_base64": true,
}

// DecodeCloudEvents decodes CloudEvents 1.0 in structured JSON mode: one
// event object, or a batch (a JSON array of them). specversion "1.0", id,
// source and type are required. The event's Source is source, its Check
// type, its Node subject. The extension attributes severity (default info)
// and dedupkey set those fields; other string extensions become labels.
// When data is a JSON object, its "message" or "summary" string is the
// message. A message or label too long is cut and ends with "…", and
// labels past MaxLabels are left out and counted (see DroppedLabels). Every error is a *itil.ValidationError naming the field:
// "[2].specversion" in a batch, "type" for a single event, or "body" (see
// DecodeAlertmanager).
func DecodeCloudEvents(r io.Reader) ([]Event, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := itil.CheckJSONText("body", body); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if err := unmarshal(body, "body", &batch); err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			return nil, invalid("body", "empty batch")
		}
		events := make([]Event, 0, len(batch))
		for i, raw := range batch {
			ev, err := decodeCloudEvent(raw)
			if err != nil {
				return nil, prefixed(fmt.Sprintf("[%d]", i), err)
			}
			events = append(events, ev)
		}
		return events, nil
	}
	ev, err := decodeCloudEvent(body)
	if err != nil {
		return nil, err
	}
	return []Event{ev}, nil
}

func decodeCloudEvent(raw []byte) (Event, error) {
	var attrs map[string]json.RawMessage
	if err := unmarshal(raw, "event", &attrs); err != nil {
		return Event{}, err
	}
	if attrs == nil {
		return Event{}, invalid("event", "want a JSON object")
	}
	str := func(name string, required bool) (string, error) {
		v, ok := attrs[name]
		if !ok || string(v) == "null" {
			if required {
				return "", invalid(name, "required")
			}
			return "", nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", invalid(name, "want a string")
		}
		if required && s == "" {
			return "", invalid(name, "required")
		}
		return s, nil
	}
	var (
		vals [6]string
		err  error
	)
	for i, a := range [...]struct {
		name     string
		required bool
	}{{"specversion", true}, {"id", true}, {"source", true}, {"type", true}, {"subject", false}, {"time", false}} {
		if vals[i], err = str(a.name, a.required); err != nil {
			return Event{}, err
		}
	}
	if vals[0] != "1.0" {
		return Event{}, invalid("specversion", "want \"1.0\", got %q", vals[0])
	}
	at, err := parseTime("time", vals[5])
	if err != nil {
		return Event{}, err
	}
	ev := Event{Source: vals[2], Check: vals[3], Node: vals[4], OccurredAt: at, Severity: SeverityInfo, Raw: raw}
	for name, v := range attrs {
		if cloudEventsCore[name] {
			continue
		}
		if !validExtensionName(name) {
			return Event{}, invalid(name, "not a valid attribute name (lower-case letters and digits)")
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			continue // a non-string extension: kept in Raw only
		}
		switch name {
		case "severity":
			sev, err := ParseSeverity(s)
			if err != nil {
				return Event{}, invalid("severity", "unknown severity %q", s)
			}
			ev.Severity = sev
		case "dedupkey":
			ev.DedupKey = s
		default:
			if ev.Labels == nil {
				ev.Labels = map[string]string{}
			}
			ev.Labels[name] = s
		}
	}
	message := "data.message"
	if d, ok := attrs["data"]; ok {
		var obj struct {
			Message string `json:"message"`
			Summary string `json:"summary"`
		}
		if json.Unmarshal(d, &obj) == nil {
			ev.Message = obj.Message
			if ev.Message == "" {
				ev.Message, message = obj.Summary, "data.summary"
			}
		}
	}
	// Too long is cut, as for Alertmanager; what no store could keep is
	// refused below.
	ev.Message = cutText(ev.Message, MaxMessageLen)
	ev.Labels = fitLabels(ev.Labels)
	if err := ev.Validate(""); err != nil {
		return Event{}, renamed("", err, func(f string) string { return cloudEventsField(f, message) })
	}
	return ev, nil
}

// cloudEventsField names the attribute of a CloudEvent that an event field
// came from; message is the one the message came from.
func cloudEventsField(field, message string) string {
	switch field {
	case "node":
		return "subject"
	case "check":
		return "type"
	case "dedup_key":
		return "dedupkey"
	case "message":
		return message
	}
	if k, ok := labelField(field); ok {
		return k
	}
	return field
}

func validExtensionName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// CloudEventsHandler returns an http.Handler for CloudEvents over HTTP in
// the three modes of the HTTP binding: structured (Content-Type
// application/cloudevents+json), batched
// (application/cloudevents-batch+json) and binary, where the attributes
// come as ce-* headers and the body is the data (see
// DecodeCloudEventsHeaders). It answers 415 to another content type
// without a ce-specversion header. See HandlerConfig for its checks and
// answers.
func CloudEventsHandler(e Ingester, cfg HandlerConfig) http.Handler {
	h := newHandler(e, cfg, DecodeCloudEvents, CloudEventsContentType)
	h.fromHeaders = func(hdr http.Header, body []byte) ([]Event, error) {
		ev, err := DecodeCloudEventsHeaders(hdr, body)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	}
	return h
}

// DecodeCloudEventsHeaders decodes a CloudEvent in the HTTP binding's
// binary mode: each attribute in a header "ce-NAME", its value
// percent-decoded, and the body the event's data, whose type is the
// Content-Type (datacontenttype). The event is then read as
// DecodeCloudEvents reads one in structured mode: data that is JSON (a
// content type of application/json or ending in +json) is the data
// object; other data is kept as text. Errors name the attribute as in
// structured mode ("type", "severity").
func DecodeCloudEventsHeaders(hdr http.Header, body []byte) (Event, error) {
	obj := map[string]any{}
	for name, vals := range hdr {
		attr, ok := strings.CutPrefix(strings.ToLower(name), "ce-")
		if !ok || len(vals) == 0 {
			continue
		}
		v, err := url.PathUnescape(vals[0])
		if err != nil {
			return Event{}, invalid(attr, "not percent-encoded: %v", err)
		}
		if !utf8.ValidString(v) {
			return Event{}, invalid(attr, "not valid UTF-8")
		}
		obj[attr] = v
	}
	ct := hdr.Get("Content-Type")
	if ct != "" {
		obj["datacontenttype"] = ct
	}
	if len(body) > 0 {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			if err := itil.CheckJSONText("body", body); err != nil {
				return Event{}, err
			}
			if !json.Valid(body) {
				return Event{}, invalid("body", "data is not JSON although the content type says so")
			}
			obj["data"] = json.RawMessage(body)
		} else {
			if !utf8.Valid(body) {
				return Event{}, invalid("body", "data is not text")
			}
			obj["data"] = string(body)
		}
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return Event{}, invalid("body", "cannot be kept: %v", err)
	}
	return decodeCloudEvent(raw)
}
