package incident

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/sla"
)

// Kind is the lifecycle name, and so the record kind, of incidents.
const Kind = "incident"

// Incident is an unplanned interruption or degradation of an IT service. Its
// work notes and caller-visible comments live in its journal, not in the
// record (see Desk.Notes), so that the record stays small however long its
// history grows.
type Incident struct {
	lifecycle.Record

	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Caller      itil.Actor `json:"caller"`
	// Category and Subcategory classify the incident: "network" / "vpn".
	Category    string `json:"category,omitempty"`
	Subcategory string `json:"subcategory,omitempty"`

	Impact   itil.Impact   `json:"impact"`
	Urgency  itil.Urgency  `json:"urgency"`
	Priority itil.Priority `json:"priority"`

	// Group is the assignment group; Assignee a member of it.
	Group    string `json:"group,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// CIs are the configuration items affected.
	CIs []string `json:"cis,omitempty"`
	// Services are the business services the outage of its CIs affects,
	// as the desk's Config.Services tells them when the incident is
	// opened and when CIs are added.
	Services []string `json:"services,omitempty"`
	Channel  Channel  `json:"channel,omitempty"`

	// Major is the incident's standing as a major incident.
	Major Major `json:"major,omitempty"`
	// Parent is the incident this one is a child of (a mass outage), if any.
	Parent uuid.UUID `json:"parent,omitzero"`
	// Problems and Changes link to problem and change records.
	Problems []itil.Ref `json:"problems,omitempty"`
	Changes  []itil.Ref `json:"changes,omitempty"`

	// HoldReason says what an on-hold incident waits for.
	HoldReason HoldReason `json:"hold_reason,omitempty"`
	// Resolution is set when the incident is resolved.
	Resolution Resolution `json:"resolution,omitzero"`

	// Tier is the support tier now working the incident: 1 (service desk)
	// and up, raised by functional escalation.
	Tier int `json:"tier"`
	// EscalationLevel is the hierarchical escalation level: 0 for none.
	EscalationLevel int `json:"escalation_level,omitempty"`
	// Escalations counts functional escalations; Reassignments counts
	// every change of group after the first assignment; Reopens counts
	// reopenings.
	Escalations   int `json:"escalations,omitempty"`
	Reassignments int `json:"reassignments,omitempty"`
	Reopens       int `json:"reopens,omitempty"`

	// RespondedAt is when the incident was first assigned or taken in
	// progress; ResolvedAt when it was last resolved; ClosedAt when closed.
	RespondedAt time.Time `json:"responded_at,omitzero"`
	ResolvedAt  time.Time `json:"resolved_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	// FirstContact is set when the incident was resolved straight from new
	// or assigned, without reassignment or escalation.
	FirstContact bool `json:"first_contact,omitempty"`

	// SLA holds the response and resolution clocks.
	SLA sla.Set `json:"sla"`
	// SLATimers holds the clocks of the desk's Config.SLADefinitions,
	// when it has them.
	SLATimers sla.Timers `json:"sla_timers,omitzero"`
	// Paging is the incident's escalation when a rule of the desk's
	// Config.Paging pages it: the policy, the level and round last paged,
	// when the next page is due, who acknowledged.
	Paging escalation.State `json:"paging,omitzero"`
}

// Resolution says how an incident was resolved.
type Resolution struct {
	// Code is one of the desk's resolution codes.
	Code string `json:"code,omitempty"`
	// Notes say what was done.
	Notes string `json:"notes,omitempty"`
	// By is who resolved it.
	By string `json:"by,omitempty"`
}

// Channel is how an incident was reported.
type Channel string

// The channels.
const (
	ChannelPhone      Channel = "phone"
	ChannelEmail      Channel = "email"
	ChannelPortal     Channel = "portal"
	ChannelChat       Channel = "chat"
	ChannelWalkIn     Channel = "walk_in"
	ChannelMonitoring Channel = "monitoring"
)

var channels = []Channel{ChannelPhone, ChannelEmail, ChannelPortal, ChannelChat, ChannelWalkIn, ChannelMonitoring}

// HoldReason is what an on-hold incident waits for.
type HoldReason string

// The hold reasons.
const (
	AwaitingCaller HoldReason = "awaiting_caller"
	AwaitingVendor HoldReason = "awaiting_vendor"
	AwaitingChange HoldReason = "awaiting_change"
)

var holdReasons = []HoldReason{AwaitingCaller, AwaitingVendor, AwaitingChange}

// Major is an incident's standing as a major incident.
type Major string

// The major incident standings. The zero value means none.
const (
	MajorNone     Major = ""
	MajorProposed Major = "proposed"
	MajorAccepted Major = "accepted"
)

// Open reports whether the incident still needs work: its state is in the
// open or paused category.
func (inc *Incident) Open() bool { return inc.StateCategory.Active() }

// Clone implements lifecycle.Entity.
func (inc *Incident) Clone() lifecycle.Entity {
	c := *inc
	c.Record = inc.CloneRecord()
	c.Caller.Groups = slices.Clone(inc.Caller.Groups)
	c.CIs = slices.Clone(inc.CIs)
	c.Services = slices.Clone(inc.Services)
	c.Problems = slices.Clone(inc.Problems)
	c.Changes = slices.Clone(inc.Changes)
	c.SLATimers = inc.SLATimers.Clone()
	return &c
}

// Attrs implements lifecycle.Entity: the indexed attributes are priority,
// group, assignee, caller, category, ci (one per CI), service (one per
// affected service), major, parent, problem and change (one per link).
func (inc *Incident) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if inc.Priority.Valid() {
		dst = append(dst, lifecycle.Attr{Key: "priority", Value: inc.Priority.String()})
	}
	dst = lifecycle.AppendAttr(dst, "group", inc.Group)
	dst = lifecycle.AppendAttr(dst, "assignee", inc.Assignee)
	dst = lifecycle.AppendAttr(dst, "caller", inc.Caller.ID)
	dst = lifecycle.AppendAttr(dst, "category", inc.Category)
	dst = lifecycle.AppendAttr(dst, "major", string(inc.Major))
	if inc.Parent != uuid.Nil {
		dst = append(dst, lifecycle.Attr{Key: "parent", Value: inc.Parent.String()})
	}
	dst = lifecycle.AppendAttr(dst, "ci", inc.CIs...)
	dst = lifecycle.AppendAttr(dst, "service", inc.Services...)
	dst = lifecycle.AppendRefAttrs(dst, "problem", inc.Problems)
	return lifecycle.AppendRefAttrs(dst, "change", inc.Changes)
}

// FieldSet implements lifecycle.FieldChecker, for the fields that states of
// an incident lifecycle may require.
func (inc *Incident) FieldSet(name string) (set, known bool) {
	switch name {
	case "title":
		return inc.Title != "", true
	case "description":
		return inc.Description != "", true
	case "category":
		return inc.Category != "", true
	case "subcategory":
		return inc.Subcategory != "", true
	case "group":
		return inc.Group != "", true
	case "assignee":
		return inc.Assignee != "", true
	case "cis":
		return len(inc.CIs) > 0, true
	case "hold_reason":
		return inc.HoldReason != "", true
	case "resolution.code":
		return inc.Resolution.Code != "", true
	case "resolution.notes":
		return inc.Resolution.Notes != "", true
	}
	return false, false
}
