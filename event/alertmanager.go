package event

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// AlertmanagerSource is the Source of events decoded from Alertmanager.
const AlertmanagerSource = "alertmanager"

// alertmanagerPayload is the Prometheus Alertmanager webhook, version 4.
type alertmanagerPayload struct {
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

type alertmanagerAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
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
	var p alertmanagerPayload
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
		var a alertmanagerAlert
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
func AlertmanagerHandler(e *Engine, cfg HandlerConfig) http.Handler {
	return newHandler(e, cfg, DecodeAlertmanager, "")
}
