package event

import (
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Kind is the lifecycle name, and so the record kind, of alerts.
const Kind = "alert"

// The states of the alert lifecycle.
const (
	StateOpen         = "open"
	StateAcknowledged = "acknowledged"
	StateSuppressed   = "suppressed"
	StateClosed       = "closed"
)

// The events of the alert lifecycle.
const (
	EventAcknowledge = "acknowledge"
	EventSuppress    = "suppress"
	EventUnsuppress  = "unsuppress"
	EventRestore     = "restore"
	EventClear       = "clear"
)

// The journal names of the edits the engine records on an alert without a
// transition.
const (
	EditSeverity = "severity"
	EditFlapping = "flapping"
	EditIncident = "incident"
	EditFlush    = "flush"
	EditGroup    = "group"
)

// Lifecycle returns the alert lifecycle:
//
//	open → acknowledged
//	open, acknowledged → suppressed → open (unsuppress)
//	suppressed → acknowledged (restore: an alert acknowledged before it was
//	suppressed comes back acknowledged)
//	open, acknowledged, suppressed → closed (clear)
//
// Closed is final: an event for the key of a closed alert opens a new alert.
func Lifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, []lifecycle.State{
		{Name: StateOpen, Category: lifecycle.Open, Initial: true},
		{Name: StateAcknowledged, Category: lifecycle.Open},
		{Name: StateSuppressed, Category: lifecycle.Paused},
		{Name: StateClosed, Category: lifecycle.Closed},
	}, []lifecycle.Event{
		{Name: EventAcknowledge, From: []string{StateOpen}, To: StateAcknowledged},
		{Name: EventSuppress, From: []string{StateOpen, StateAcknowledged}, To: StateSuppressed},
		{Name: EventUnsuppress, From: []string{StateSuppressed}, To: StateOpen},
		{Name: EventRestore, From: []string{StateSuppressed}, To: StateAcknowledged},
		{Name: EventClear, From: []string{StateOpen, StateAcknowledged, StateSuppressed}, To: StateClosed},
	})
	if err != nil { // the definition above is fixed and valid; tests build it
		panic(err)
	}
	return d
}

// SeverityChange is one entry of an alert's severity history.
type SeverityChange struct {
	At   time.Time `json:"at"`
	From Severity  `json:"from"`
	To   Severity  `json:"to"`
}

// Suppression says how many of an alert's events were suppressed, why the
// last one was, and what it was: suppressed events are recorded, never
// dropped.
type Suppression struct {
	Count  int64  `json:"count"`
	Reason string `json:"reason,omitempty"`
	// Last is the last suppressed event.
	Last *Event `json:"last,omitempty"`
}

// Alert is the events of one dedup key folded together, from the first
// event until the alert clears. Its lifecycle is Lifecycle().
//
// The engine holds live alerts in memory and persists them on lifecycle
// changes only (see the package documentation), so a stored Alert's Count
// and LastSeen are those of its last persisted change; Engine.Alert returns
// the live values.
type Alert struct {
	lifecycle.Record

	DedupKey string `json:"dedup_key"`
	// Acknowledged says someone took the alert on; it survives suppression.
	Acknowledged bool              `json:"acknowledged,omitempty"`
	Source       string            `json:"source"`
	Node         string            `json:"node,omitempty"`
	CI           string            `json:"ci,omitempty"`
	Check        string            `json:"check,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Message      string            `json:"message,omitempty"`

	// Severity is the current severity, Highest the highest seen.
	Severity Severity `json:"severity"`
	Highest  Severity `json:"highest"`
	// History holds the last severity changes, oldest first (at most
	// HistoryLen).
	History []SeverityChange `json:"history,omitempty"`
	// Count is how many events folded into the alert, FirstSeen and
	// LastSeen when the first and last arrived.
	Count     int64     `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// ClearedAt is when the alert closed; ClearReason why.
	ClearedAt   time.Time `json:"cleared_at,omitzero"`
	ClearReason string    `json:"clear_reason,omitempty"`

	// Flapping is set while the alert flaps; FlapPercent is its last
	// weighted percent state change. A flapping alert raises no incident.
	Flapping    bool    `json:"flapping,omitempty"`
	FlapPercent float64 `json:"flap_percent,omitempty"`

	// Suppressed records the alert's suppressed events.
	Suppressed Suppression `json:"suppressed,omitzero"`
	// Inhibited names the inhibition rule muting the alert, if any.
	Inhibited string `json:"inhibited,omitempty"`

	// Group is the correlation group; Parent the down parent CI whose
	// group the alert joined, if it joined by topology.
	Group  uuid.UUID `json:"group"`
	Parent string    `json:"parent,omitempty"`
	// Incident is the incident the alert raised or was linked to.
	Incident itil.Ref `json:"incident,omitzero"`

	// Last is the alert's last event, raw payload included.
	Last Event `json:"last"`
}

// Open reports whether the alert has not cleared.
func (a *Alert) Open() bool { return a.StateCategory.Active() }

// Clone implements lifecycle.Entity.
func (a *Alert) Clone() lifecycle.Entity {
	c := *a
	c.Record = a.CloneRecord()
	c.Labels = maps.Clone(a.Labels)
	c.History = slices.Clone(a.History)
	c.Last = cloneEvent(a.Last)
	if a.Suppressed.Last != nil {
		l := cloneEvent(*a.Suppressed.Last)
		c.Suppressed.Last = &l
	}
	return &c
}

func cloneEvent(ev Event) Event {
	ev.Labels = maps.Clone(ev.Labels)
	ev.Raw = slices.Clone(ev.Raw)
	return ev
}

// Attrs implements lifecycle.Entity: the indexed attributes are dedup_key,
// source, node, ci, check, severity, group and incident.
func (a *Alert) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	dst = lifecycle.AppendAttr(dst, "dedup_key", a.DedupKey)
	dst = lifecycle.AppendAttr(dst, "source", a.Source)
	dst = lifecycle.AppendAttr(dst, "node", a.Node)
	dst = lifecycle.AppendAttr(dst, "ci", a.CI)
	dst = lifecycle.AppendAttr(dst, "check", a.Check)
	if a.Severity.Valid() {
		dst = append(dst, lifecycle.Attr{Key: "severity", Value: a.Severity.String()})
	}
	if a.Group != uuid.Nil {
		dst = append(dst, lifecycle.Attr{Key: "group", Value: a.Group.String()})
	}
	if !a.Incident.IsZero() {
		dst = append(dst, lifecycle.Attr{Key: "incident", Value: a.Incident.ID.String()})
	}
	return dst
}
