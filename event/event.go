package event

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/itil-go/itil"
)

// Limits on an event's text, checked by Validate.
const (
	// MaxKeyLen bounds the dedup key, source, node, CI and check.
	MaxKeyLen = 512
	// MaxMessageLen bounds the message.
	MaxMessageLen = 4096
	// MaxLabels bounds the number of labels.
	MaxLabels = 64
)

// Event is one observation from a monitoring source: a check's result on a
// node, a metric crossing a threshold, a webhook from another tool. Events
// with the same dedup key fold into one Alert.
//
// The engine keeps Labels and Raw of the events it ingests (the alert holds
// its last event); the caller must not modify them after Ingest.
type Event struct {
	// Source is the tool or integration that sent the event: "nagios",
	// "alertmanager". Required.
	Source string `json:"source"`
	// Node is the host or resource the event is about.
	Node string `json:"node,omitempty"`
	// CI is the configuration item affected; default Node. Maintenance
	// windows, change windows, topology and criticality look it up.
	CI string `json:"ci,omitempty"`
	// Check is the check, metric or alert rule: "http", "disk_used".
	Check string `json:"check,omitempty"`
	// Severity is required; SeverityOK clears the alert.
	Severity Severity `json:"severity"`
	// Message is free text for people.
	Message string `json:"message,omitempty"`
	// DedupKey identifies the alert the event belongs to. When empty it is
	// Source, Node and Check joined with "/".
	DedupKey string `json:"dedup_key,omitempty"`
	// Labels are name/value pairs that rules match on.
	Labels map[string]string `json:"labels,omitempty"`
	// OccurredAt is when the source saw it; ReceivedAt when the engine got
	// it (set by Ingest from its clock when zero). Windows and timeouts use
	// ReceivedAt.
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
	// Ack makes the event an acknowledgement of the alert with its dedup
	// key (PagerDuty's "acknowledge") rather than an occurrence; Severity
	// may then be unset.
	Ack bool `json:"ack,omitempty"`
	// Raw is the payload the event was decoded from, kept as received.
	Raw []byte `json:"raw,omitempty"`
}

// Key returns the dedup key: DedupKey, or Source/Node/Check when it is empty.
func (ev *Event) Key() string {
	if ev.DedupKey != "" {
		return ev.DedupKey
	}
	return ev.Source + "/" + ev.Node + "/" + ev.Check
}

// appendKey appends the dedup key to dst without allocating a string.
func (ev *Event) appendKey(dst []byte) []byte {
	dst = append(dst, ev.Source...)
	dst = append(dst, '/')
	dst = append(dst, ev.Node...)
	dst = append(dst, '/')
	return append(dst, ev.Check...)
}

// ci returns the configuration item: CI, else Node.
func (ev *Event) ci() string {
	if ev.CI != "" {
		return ev.CI
	}
	return ev.Node
}

// Validate reports a *itil.ValidationError naming field.<name> (or just the
// name when field is empty) for a missing source, an unset severity on an
// event that is no acknowledgement, an acknowledgement without a dedup key,
// text that is too long or not UTF-8, or too many labels.
func (ev *Event) Validate(field string) error {
	f := func(name string) string {
		if field == "" {
			return name
		}
		return field + "." + name
	}
	bad := func(name, format string, args ...any) error {
		return &itil.ValidationError{Field: f(name), Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case ev.Source == "":
		return bad("source", "required")
	case ev.Ack && ev.DedupKey == "":
		return bad("dedup_key", "required on an acknowledgement")
	case !ev.Ack && !ev.Severity.Valid():
		return bad("severity", "required: ok, info, warning, minor, major or critical")
	case ev.Ack && ev.Severity != 0 && !ev.Severity.Valid():
		return bad("severity", "undefined value %d", int8(ev.Severity))
	case len(ev.Labels) > MaxLabels:
		return bad("labels", "more than %d labels", MaxLabels)
	case len(ev.Message) > MaxMessageLen:
		return bad("message", "longer than %d bytes", MaxMessageLen)
	}
	// Text is checked for UTF-8 only where a byte outside ASCII shows up:
	// one pass over the whole event for the common, all-ASCII case.
	fields := [...]struct{ name, v string }{
		{"source", ev.Source}, {"node", ev.Node}, {"ci", ev.CI}, {"check", ev.Check}, {"dedup_key", ev.DedupKey},
	}
	var high byte
	for _, s := range fields {
		if len(s.v) > MaxKeyLen {
			return bad(s.name, "longer than %d bytes", MaxKeyLen)
		}
		high |= orBytes(s.v)
	}
	if (high|orBytes(ev.Message))&utf8.RuneSelf != 0 {
		if !utf8.ValidString(ev.Message) {
			return bad("message", "not valid UTF-8")
		}
		for _, s := range fields {
			if !utf8.ValidString(s.v) {
				return bad(s.name, "not valid UTF-8")
			}
		}
	}
	high = 0
	for k, v := range ev.Labels {
		if k == "" || len(k) > MaxKeyLen || len(v) > MaxKeyLen {
			return badLabel(f, k, v)
		}
		high |= orBytes(k) | orBytes(v)
	}
	if high&utf8.RuneSelf != 0 {
		for k, v := range ev.Labels {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return badLabel(f, k, v)
			}
		}
	}
	return nil
}

// orBytes returns the bitwise or of the bytes of s: below utf8.RuneSelf
// when s is all ASCII.
func orBytes(s string) byte {
	var b byte
	for len(s) >= 8 {
		b |= s[0] | s[1] | s[2] | s[3] | s[4] | s[5] | s[6] | s[7]
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		b |= s[i]
	}
	return b
}

// badLabel explains why a label failed validation.
func badLabel(f func(string) string, k, v string) error {
	switch {
	case k == "":
		return &itil.ValidationError{Field: f("labels"), Reason: "empty label name"}
	case !utf8.ValidString(k) || !utf8.ValidString(v):
		return &itil.ValidationError{Field: f("labels"), Reason: "not valid UTF-8"}
	}
	return &itil.ValidationError{Field: f("labels[" + k + "]"), Reason: fmt.Sprintf("longer than %d bytes", MaxKeyLen)}
}
