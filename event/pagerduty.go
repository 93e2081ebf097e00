package event

import (
	"encoding/json"
	"io"
	"net/http"

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

// DecodePagerDuty decodes one PagerDuty Events API v2 event. A trigger
// needs routing_key and payload.summary, payload.source and
// payload.severity (critical, error, warning, info; error means major); the
// node is payload.source, the check payload.class, component, group and
// class become labels, and the dedup key is dedup_key (else the default).
// An acknowledge or resolve needs routing_key and dedup_key: it becomes an
// acknowledgement or an ok event. Every error is a *itil.ValidationError
// naming the field: "payload.severity", or "body" (see DecodeAlertmanager).
// The limits on routing_key (64), dedup_key (255) and payload.summary
// (1024) are counted in characters.
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
	ev := Event{Source: PagerDutySource, DedupKey: p.DedupKey, Raw: body}
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
		if err := itil.CheckText("payload.summary", pl.Summary, 1024); err != nil {
			return nil, err
		}
		sev, ok := pagerDutySeverities[pl.Severity]
		if !ok {
			return nil, invalid("payload.severity", "want critical, error, warning or info, got %q", pl.Severity)
		}
		at, err := parseTime("payload.timestamp", pl.Timestamp)
		if err != nil {
			return nil, err
		}
		ev.Severity, ev.Node, ev.Check, ev.Message, ev.OccurredAt = sev, pl.Source, pl.Class, pl.Summary, at
		ev.Labels = map[string]string{}
		for k, v := range map[string]string{"component": pl.Component, "group": pl.Group, "class": pl.Class} {
			if v != "" {
				ev.Labels[k] = v
			}
		}
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
	if err := ev.Validate(""); err != nil {
		return nil, renamed("", err, pagerDutyField)
	}
	return []Event{ev}, nil
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
// events (POST /v2/enqueue); see HandlerConfig for its checks and answers.
func PagerDutyHandler(e *Engine, cfg HandlerConfig) http.Handler {
	return newHandler(e, cfg, DecodePagerDuty, "")
}
