package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
)

// Headers of the messages a host publishes.
const (
	// HeaderSweep marks a sweep tick rather than an event; its value is
	// the instant to sweep at, in RFC 3339 with nanoseconds.
	HeaderSweep = "Itil-Sweep"
	// HeaderError is the reason a dead letter was not applied.
	HeaderError = "Itil-Error"
	// HeaderSubject and HeaderSequence are a dead letter's subject and
	// stream sequence.
	HeaderSubject  = "Itil-Subject"
	HeaderSequence = "Itil-Sequence"
)

// MaxMessage bounds the size of a message a host decodes.
const MaxMessage = 1 << 20

// partitionOf returns the partition of key: FNV-1a of its bytes modulo n.
func partitionOf(key string, n int) int {
	h := fnv.New32a()
	_, _ = io.WriteString(h, key)
	return int(h.Sum32() % uint32(n))
}

// eventKey is the key that places ev in a partition.
func (h *Host) eventKey(ev *event.Event) string {
	if l := h.cfg.PartitionLabel; l != "" {
		if v, ok := ev.Labels[l]; ok {
			return "\x00label\x00" + v
		}
	}
	return h.keys.GroupKey(ev)
}

// alertKey is eventKey for a stored alert.
func (h *Host) alertKey(a *event.Alert) string {
	if l := h.cfg.PartitionLabel; l != "" {
		if v, ok := a.Labels[l]; ok {
			return "\x00label\x00" + v
		}
	}
	return h.keys.AlertGroupKey(a)
}

// Partition returns the partition ev is published to.
func (h *Host) Partition(ev *event.Event) int {
	return partitionOf(h.eventKey(ev), h.cfg.Partitions)
}

// wire is an event as a message carries it: its JSON, with the severity
// left out when it is unset (an acknowledgement's).
type wire struct {
	event.Event
	Severity *event.Severity `json:"severity,omitempty"`
}

// encode returns ev as the body of its message: its JSON, without a
// stream position (the stream gives each message its own).
func encode(ev event.Event) ([]byte, error) {
	ev.Stream = event.Position{}
	w := wire{Event: ev}
	if ev.Severity != 0 {
		w.Severity = &ev.Severity
	}
	return json.Marshal(w)
}

// decode returns the event a message's body holds. It refuses, with a
// *itil.ValidationError, a body over MaxMessage, one that is not one JSON
// object of an event's fields and nothing else, and an event that does not
// validate.
func decode(body []byte) (event.Event, error) {
	if len(body) > MaxMessage {
		return event.Event{}, itil.Invalid("body", fmt.Sprintf("%d bytes, over %d", len(body), MaxMessage))
	}
	var w wire
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(&w); err != nil {
		return event.Event{}, itil.Invalid("body", "not an event: "+err.Error())
	}
	ev := w.Event
	if w.Severity != nil {
		ev.Severity = *w.Severity
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return event.Event{}, itil.Invalid("body", "more than one JSON value")
	}
	if ev.Stream != (event.Position{}) {
		return event.Event{}, itil.Invalid("body.stream", "is the stream's to set")
	}
	if err := ev.Validate("body"); err != nil {
		return event.Event{}, err
	}
	return ev, nil
}

// decodeTick returns the instant of a sweep tick's header.
func decodeTick(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, itil.Invalid(HeaderSweep, "not an RFC 3339 instant: "+v)
	}
	return t, nil
}
