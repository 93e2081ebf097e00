package request

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
)

// Kind is the lifecycle name, and so the record kind, of requests.
const Kind = "request"

// Request is a service request: a requester orders one or more catalog
// items, or asks for a grant to be revoked. Its approval round lives in the
// record; its fulfilment tasks and the grants it issues are records of
// their own (Task, Grant), linked both ways.
type Request struct {
	lifecycle.Record

	// Requester is who ordered.
	Requester itil.Actor `json:"requester"`
	// For is the ID of the user the order is for (who gets the laptop or
	// the access); default the requester.
	For string `json:"for"`
	// Description is the requester's own words.
	Description string `json:"description,omitempty"`
	// Lines are the items ordered.
	Lines []Line `json:"lines"`
	// Revokes is the grant a revocation request revokes; zero for orders.
	Revokes uuid.UUID `json:"revokes,omitzero"`

	// Approval is the current approval round; zero when none was needed.
	Approval approval.Approval `json:"approval,omitzero"`
	// Rounds counts the approval rounds requested: one more per resubmission.
	Rounds int `json:"rounds,omitempty"`
	// Tasks are the fulfilment tasks, planned when the request is approved
	// (their IDs are fixed then, so that each is created exactly once).
	Tasks []TaskRef `json:"tasks,omitempty"`

	// SLATargets are the targets the SLA clocks follow, taken from the
	// items when the request was ordered.
	SLATargets sla.Targets `json:"sla_targets,omitzero"`
	// SLA holds the response and fulfilment clocks.
	SLA sla.Set `json:"sla"`

	// ApprovedAt, FulfilledAt and ClosedAt are when the request was last
	// approved, fulfilled and closed or cancelled.
	ApprovedAt  time.Time `json:"approved_at,omitzero"`
	FulfilledAt time.Time `json:"fulfilled_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
}

// Line is one item of a request, with the item as it was when ordered.
type Line struct {
	// Item is the catalog item as ordered: later catalog changes do not
	// reach requests already made.
	Item Item `json:"item"`
	// Quantity is how many; at least 1.
	Quantity int `json:"quantity"`
	// Values are the variable values, in canonical form, defaults included.
	Values map[string]string `json:"values,omitempty"`
	// Grant is the grant an access line issues once fulfilled, fixed when
	// the request's tasks are all done.
	Grant uuid.UUID `json:"grant,omitzero"`
}

// TaskRef is a fulfilment task of a request as the request plans it.
type TaskRef struct {
	// ID is the task record's ID.
	ID uuid.UUID `json:"id"`
	// Line is the index of the line the task fulfils.
	Line int `json:"line"`
	// Step is the task's place among its line's tasks, from 0.
	Step int `json:"step"`
}

// Total returns the price of the request per currency: quantity × price,
// summed over the lines.
func (r *Request) Total() map[string]int64 {
	out := map[string]int64{}
	for _, l := range r.Lines {
		if !l.Item.Price.IsZero() {
			out[l.Item.Price.Currency] += l.Item.Price.Amount * int64(l.Quantity)
		}
	}
	return out
}

// Revocation reports whether the request revokes a grant.
func (r *Request) Revocation() bool { return r.Revokes != uuid.Nil }

// Open reports whether the request still needs work: its state is in the
// open or paused category.
func (r *Request) Open() bool { return r.StateCategory.Active() }

// Clone implements lifecycle.Entity.
func (r *Request) Clone() lifecycle.Entity {
	c := *r
	c.Record = r.CloneRecord()
	c.Requester.Groups = slices.Clone(r.Requester.Groups)
	if r.Lines != nil {
		c.Lines = make([]Line, len(r.Lines))
		for i, l := range r.Lines {
			l.Item = l.Item.Clone()
			l.Values = maps.Clone(l.Values)
			c.Lines[i] = l
		}
	}
	c.Approval = r.Approval.Clone()
	c.Tasks = slices.Clone(r.Tasks)
	return &c
}

// Attrs implements lifecycle.Entity: the indexed attributes are requester,
// for, item and catalog_category (one per line), service (one per access
// line), revokes, and approver: one per slot still to decide while the
// round is pending ("person:alice", "group:cab").
func (r *Request) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	dst = append(dst, lifecycle.Attr{Key: "requester", Value: r.Requester.ID})
	if r.For != "" {
		dst = append(dst, lifecycle.Attr{Key: "for", Value: r.For})
	}
	for _, l := range r.Lines {
		dst = append(dst,
			lifecycle.Attr{Key: "item", Value: l.Item.ID},
			lifecycle.Attr{Key: "catalog_category", Value: l.Item.Category})
		if l.Item.Access != nil {
			dst = append(dst, lifecycle.Attr{Key: "service", Value: l.Item.Access.Service})
		}
	}
	if r.Revokes != uuid.Nil {
		dst = append(dst, lifecycle.Attr{Key: "revokes", Value: r.Revokes.String()})
	}
	for _, s := range r.Approval.Pending() {
		dst = append(dst, lifecycle.Attr{Key: "approver", Value: s.String()})
	}
	return dst
}

// FieldSet implements lifecycle.FieldChecker, for the fields that states
// of a request lifecycle may require: requester, for, description, lines
// and "lines.N.values.NAME".
func (r *Request) FieldSet(name string) (set, known bool) {
	switch name {
	case "requester":
		return r.Requester.ID != "", true
	case "for":
		return r.For != "", true
	case "description":
		return r.Description != "", true
	case "lines":
		return len(r.Lines) > 0, true
	}
	return false, false
}

// lineIndex formats a line index for fields.
func lineIndex(i int) string { return "lines[" + strconv.Itoa(i) + "]" }
