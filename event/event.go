package event

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

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
	// Group is the sender's grouping of the event, such as Alertmanager's
	// groupKey: the alerts of one Source and Group form one correlation
	// group (Group.Rule SenderGroupRule) unless a CorrelationRule groups
	// them, or a down parent's group takes them.
	Group string `json:"group,omitempty"`
	// Truncated is how many events of the sender's group the sender left
	// out of the notification that carried this one (Alertmanager's
	// truncatedAlerts); the group's incident says so.
	Truncated int `json:"truncated,omitempty"`
	// Stream is where the event stands in a stream it was read from, such
	// as a JetStream stream that several hosts consume; zero for an event
	// that came from no stream. An engine applies an event of a stream
	// once: see Position.
	Stream Position `json:"stream,omitzero"`
}

// Position is where an event stands in a stream, for engines that consume
// a stream and may be handed its events again: after a host's failure, its
// successor is redelivered what the host had not acknowledged, some of
// which the host may have applied and persisted already.
//
// An alert keeps its last event, position included, in every write. An
// event whose Sequence is not after that of its key's open alert's last
// event is a replay: the engine skips it, counts it in Stats.Replays and
// writes nothing. An event marked Redelivered whose key has no open alert
// is compared with the newest stored alert of its key, cleared ones
// included, so that an event that opened or cleared an alert before a
// failure does not do it twice. The events of one key must come in
// sequence order, as they do from one partition of a stream.
type Position struct {
	// Sequence is the event's sequence number in the stream, from 1.
	Sequence uint64 `json:"sequence"`
	// Redelivered is set when the stream delivered the event before.
	Redelivered bool `json:"redelivered,omitempty"`
}

// SenderGroupRule is the Group.Rule of a correlation group that the
// sender's grouping (Event.Group) made.
const SenderGroupRule = "sender"

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
// too many labels, or text that no store could keep as it is (see
// itil.CheckText): not valid UTF-8, holding a NUL character, or longer
// than its limit in characters (MaxKeyLen, MaxMessageLen), or a
// redelivered stream position without its sequence. A bad label value is
// named labels[<name>]; a bad label name, labels.
func (ev *Event) Validate(field string) error {
	if ev.validScalars() && validLabels(ev.Labels) {
		return nil
	}
	return ev.explain(field)
}

// validScalars reports whether everything but the labels is surely valid:
// false sends Validate to explain, which decides. The text is read once, a
// word at a time, for the common case: all ASCII, no NUL, within the limits
// in bytes (and so in characters).
func (ev *Event) validScalars() bool {
	if ev.Source == "" || len(ev.Labels) > MaxLabels || len(ev.Message) > MaxMessageLen || ev.Truncated < 0 ||
		(ev.Stream.Redelivered && ev.Stream.Sequence == 0) ||
		max(len(ev.Source), len(ev.Node), len(ev.CI), len(ev.Check), len(ev.DedupKey), len(ev.Group)) > MaxKeyLen {
		return false
	}
	if ev.Ack {
		if ev.DedupKey == "" || (ev.Severity != 0 && !ev.Severity.Valid()) {
			return false
		}
	} else if !ev.Severity.Valid() {
		return false
	}
	var t text
	t.scan(ev.Source)
	t.scan(ev.Node)
	t.scan(ev.CI)
	t.scan(ev.Check)
	t.scan(ev.DedupKey)
	t.scan(ev.Message)
	t.scan(ev.Group)
	return t.plain()
}

// validLabels reports whether the labels are surely valid: at most
// MaxLabels, each with a name, names and values ASCII without NUL and at
// most MaxKeyLen bytes.
func validLabels(labels map[string]string) bool {
	if len(labels) > MaxLabels {
		return false
	}
	var t text
	for k, v := range labels {
		if k == "" || len(k) > MaxKeyLen || len(v) > MaxKeyLen {
			return false
		}
		t.scan(k)
		t.scan(v)
	}
	return t.plain()
}

// explain returns the error Validate reports for an event that failed the
// fast checks, naming the first bad field, or nil when it is valid after
// all (text longer in bytes than its limit in characters, or not ASCII).
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
	case ev.Truncated < 0:
		return bad("truncated", "must not be negative")
	case ev.Stream.Redelivered && ev.Stream.Sequence == 0:
		return bad("stream.sequence", "required on a redelivered event")
	}
	for _, s := range [...]struct {
		name, v string
		max     int
	}{
		{"source", ev.Source, MaxKeyLen}, {"node", ev.Node, MaxKeyLen}, {"ci", ev.CI, MaxKeyLen},
		{"check", ev.Check, MaxKeyLen}, {"dedup_key", ev.DedupKey, MaxKeyLen}, {"message", ev.Message, MaxMessageLen},
		{"group", ev.Group, MaxKeyLen},
	} {
		if err := itil.CheckText(f(s.name), s.v, s.max); err != nil {
			return err
		}
	}
	return checkLabels(f, ev.Labels)
}

// checkLabels explains what is wrong with labels, in the order of their
// names so that the answer does not depend on the map's.
func checkLabels(f func(string) string, labels map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if k == "" {
			return &itil.ValidationError{Field: f("labels"), Reason: "empty label name"}
		}
		if err := itil.CheckText(f("labels"), k, 0); err != nil {
			return err // a name that cannot name the field
		}
		if err := itil.CheckText(f("labels["+k+"]"), k, MaxKeyLen); err != nil {
			return err
		}
		if err := itil.CheckText(f("labels["+k+"]"), labels[k], MaxKeyLen); err != nil {
			return err
		}
	}
	return nil
}

// checkLabelMap checks the label names and values of a rule or window of
// the host's configuration, named field.
func checkLabelMap(field string, labels map[string]string) error {
	return checkLabels(func(name string) string { return field + strings.TrimPrefix(name, "labels") }, labels)
}

// text gathers what the fast checks need to know of strings read a word
// at a time: whether a byte is not ASCII, and whether one is NUL.
type text struct {
	or   uint64 // the or of the bytes: and'ed with highBits, zero when all are ASCII
	zero uint64 // and'ed with highBits, non-zero when a byte is NUL
}

// plain reports whether every byte scanned is ASCII and none is NUL.
func (t *text) plain() bool { return (t.or|t.zero)&highBits == 0 }

// scan adds s. A word x holds a zero byte exactly when
// (x - 0x01…01) &^ x has a high bit set.
func (t *text) scan(s string) {
	const ones = 0x0101010101010101
	n := len(s)
	switch {
	case n >= 8:
		x := word(s[n-8:])
		t.or |= x
		t.zero |= (x - ones) &^ x
		for ; len(s) >= 8; s = s[8:] {
			x = word(s)
			t.or |= x
			t.zero |= (x - ones) &^ x
		}
	case n >= 4:
		x := uint64(word32(s)) | uint64(word32(s[n-4:]))<<32
		t.or |= x
		t.zero |= (x - ones) &^ x
	case n > 0:
		// The first, middle and last byte: every byte of s.
		x := uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16 | 0x0101010101<<24
		t.or |= x &^ (0x0101010101 << 24)
		t.zero |= (x - ones) &^ x
	}
}

// highBits has the top bit of every byte of a word set: a word of text
// and'ed with it is zero when the text is all ASCII.
const highBits = 0x8080808080808080

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
