package event

// The Alertmanager decoder as it was before jsonReader, two passes of
// encoding/json, kept as the oracle of the differential tests in
// alertmanager_diff_test.go: DecodeAlertmanager must accept, refuse and
// produce what it does.

import (
	"encoding/json"
	"fmt"
	"io"
)

type oraclePayload struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []json.RawMessage `json:"alerts"`
}

type oracleAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// decodeAlertmanagerJSON is DecodeAlertmanager as it was, with encoding/json.
func decodeAlertmanagerJSON(r io.Reader) ([]Event, error) {
	var p oraclePayload
	if _, err := decodeJSON(r, &p); err != nil {
		return nil, err
	}
	switch {
	case p.Version != "4":
		return nil, invalid("version", "want \"4\", got %q", p.Version)
	case p.Status != "firing" && p.Status != "resolved":
		return nil, invalid("status", "want firing or resolved, got %q", p.Status)
	case len(p.Alerts) == 0:
		return nil, invalid("alerts", "required")
	case p.TruncatedAlerts < 0:
		return nil, invalid("truncatedAlerts", "must not be negative")
	}
	group := senderGroup(p.GroupKey)
	events := make([]Event, 0, len(p.Alerts))
	for i, raw := range p.Alerts {
		field := fmt.Sprintf("alerts[%d]", i)
		var a oracleAlert
		if err := unmarshal(raw, field, &a); err != nil {
			return nil, err
		}
		ev := Event{Source: AlertmanagerSource, Labels: a.Labels, DedupKey: a.Fingerprint, Raw: raw,
			Group: group, Truncated: p.TruncatedAlerts}
		switch {
		case a.Fingerprint == "":
			return nil, invalid(field+".fingerprint", "required")
		case a.Labels["alertname"] == "":
			return nil, invalid(field+".labels.alertname", "required")
		}
		ev.Labels = fitLabels(a.Labels)
		ev.Check, ev.Node = ev.Labels["alertname"], ev.Labels["instance"]
		ev.Message = a.Annotations["summary"]
		if ev.Message == "" {
			ev.Message = a.Annotations["description"]
		}
		ev.Message = cutText(ev.Message, MaxMessageLen)
		starts, err := parseTime(field+".startsAt", a.StartsAt)
		if err != nil {
			return nil, err
		}
		ends, err := parseTime(field+".endsAt", a.EndsAt)
		if err != nil {
			return nil, err
		}
		switch a.Status {
		case "firing":
			sev, ok := amSeverity(a.Labels["severity"])
			if !ok {
				return nil, invalid(field+".labels.severity", "unknown severity %q", a.Labels["severity"])
			}
			ev.Severity, ev.OccurredAt = sev, starts
		case "resolved":
			ev.Severity, ev.OccurredAt = SeverityOK, ends
		default:
			return nil, invalid(field+".status", "want firing or resolved, got %q", a.Status)
		}
		if err := ev.Validate(""); err != nil {
			return nil, renamed(field, err, func(f string) string { return alertmanagerField(f, a.Annotations["summary"] != "") })
		}
		events = append(events, ev)
	}
	return events, nil
}
