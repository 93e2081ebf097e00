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
	if ev.validScalars() && validLabels(ev.Labels) {
		return nil
	}
	return ev.explain(field)
}

// validScalars reports whether everything but the labels is valid. Text
// is checked for UTF-8 only where a byte outside ASCII shows up: one pass
// over the event, a word at a time, for the common, all-ASCII case.
func (ev *Event) validScalars() bool {
	if ev.Source == "" || len(ev.Labels) > MaxLabels || len(ev.Message) > MaxMessageLen ||
		max(len(ev.Source), len(ev.Node), len(ev.CI), len(ev.Check), len(ev.DedupKey)) > MaxKeyLen {
		return false
	}
	if ev.Ack {
		if ev.DedupKey == "" || (ev.Severity != 0 && !ev.Severity.Valid()) {
			return false
		}
	} else if !ev.Severity.Valid() {
		return false
	}
	w := orWords(ev.Source) | orWords(ev.Node) | orWords(ev.CI) | orWords(ev.Check) | orWords(ev.DedupKey) | orWords(ev.Message)
	if w&highBits == 0 {
		return true
	}
	return utf8.ValidString(ev.Source) && utf8.ValidString(ev.Node) && utf8.ValidString(ev.CI) &&
		utf8.ValidString(ev.Check) && utf8.ValidString(ev.DedupKey) && utf8.ValidString(ev.Message)
}

// validLabels reports whether every label has a name, both name and value
// are at most MaxKeyLen bytes of UTF-8, and there are at most MaxLabels.
func validLabels(labels map[string]string) bool {
	if len(labels) > MaxLabels {
		return false
	}
	var w uint64
	for k, v := range labels {
		if k == "" || len(k) > MaxKeyLen || len(v) > MaxKeyLen {
			return false
		}
		w |= orWords(k) | orWords(v)
	}
	if w&highBits == 0 {
		return true
	}
	for k, v := range labels {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// explain returns the error Validate reports for an event that failed the
// fast checks, naming the first bad field.
func (ev *Event) explain(field string) error {
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
	fields := [...]struct{ name, v string }{
		{"source", ev.Source}, {"node", ev.Node}, {"ci", ev.CI}, {"check", ev.Check}, {"dedup_key", ev.DedupKey},
	}
	for _, s := range fields {
		if len(s.v) > MaxKeyLen {
			return bad(s.name, "longer than %d bytes", MaxKeyLen)
		}
	}
	if !utf8.ValidString(ev.Message) {
		return bad("message", "not valid UTF-8")
	}
	for _, s := range fields {
		if !utf8.ValidString(s.v) {
			return bad(s.name, "not valid UTF-8")
		}
	}
	for k, v := range ev.Labels {
		if k == "" || len(k) > MaxKeyLen || len(v) > MaxKeyLen {
			return badLabel(f, k, v)
		}
	}
	for k, v := range ev.Labels {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return badLabel(f, k, v)
		}
	}
	return nil
}

// highBits has the top bit of every byte of a word set: a word of text
// and'ed with it is zero when the text is all ASCII.
const highBits = 0x8080808080808080

// orWords returns the bitwise or of the bytes of s, eight at a time, into
// a word that and'ed with highBits is zero when s is all ASCII.
func orWords(s string) uint64 {
	n := len(s)
	switch {
	case n >= 8:
		w := word(s[n-8:])
		for ; len(s) >= 8; s = s[8:] {
			w |= word(s)
		}
		return w
	case n >= 4:
		return uint64(word32(s) | word32(s[n-4:]))
	case n > 0:
		return uint64(s[0] | s[n/2] | s[n-1])
	}
	return 0
}

// word32 loads the first four bytes of s, which the compiler makes one load.
func word32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// word loads the first eight bytes of s, which the compiler makes one load.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
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
