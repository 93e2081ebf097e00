package change

import (
	"maps"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Kind is the lifecycle name and record kind of changes; their numbers read
// CHG0000001.
const Kind = "change"

// Change is a change record: what is to be changed, why, how, when and by
// whom, how it was authorized and how it went. Change it only through the
// Manager.
type Change struct {
	lifecycle.Record

	// Type decides the lifecycle; it never changes.
	Type Type `json:"type"`
	// Template names the standard change template the change follows.
	Template string `json:"template,omitempty"`

	// Title says what changes; Description how and where, Justification
	// why.
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	Justification string `json:"justification,omitempty"`
	// Category is the host's classification, such as "network" or
	// "database".
	Category string `json:"category,omitempty"`
	// Impact is how widely the change reaches if it goes wrong.
	Impact itil.Impact `json:"impact,omitzero"`
	// Risk is the assessed risk; it picks the approval rule.
	Risk Risk `json:"risk,omitzero"`
	// Assessment is how Risk was reached.
	Assessment Assessment `json:"assessment,omitzero"`
	// CIs are the configuration items the change touches.
	CIs []string `json:"cis,omitempty"`
	// Services are the business services an outage of the CIs would
	// affect (down or degraded), as Config.Services tells them, ordered:
	// the services the change puts at risk. They are set when the change
	// is proposed, when Update changes its CIs and at every Assess, and
	// journaled as "services" when they change.
	Services []string `json:"services,omitempty"`

	// Planned is the implementation window.
	Planned Window `json:"planned,omitzero"`
	// Actual runs from when implementation started to when it completed.
	Actual Window `json:"actual,omitzero"`

	// ImplementationPlan, BackoutPlan and TestPlan say how the change is
	// made, undone and checked; approvers read them.
	ImplementationPlan string `json:"implementation_plan,omitempty"`
	BackoutPlan        string `json:"backout_plan,omitempty"`
	TestPlan           string `json:"test_plan,omitempty"`

	// Requester is the actor ID of who asks for the change; Implementer of
	// who carries it out. Neither may approve it.
	Requester   string `json:"requester"`
	Implementer string `json:"implementer,omitempty"`

	// Approvals are the approval rounds, oldest first; the last one is
	// current. A revert to new cancels a pending round and the next request
	// starts a new one.
	Approvals []approval.Approval `json:"approvals,omitempty"`

	// Outcome is how the implementation ended.
	Outcome Outcome `json:"outcome,omitzero"`
	// Review is the post-implementation review.
	Review Review `json:"review,omitzero"`
	// Warnings are what the last scheduling reported: freeze windows an
	// emergency change was let into, and conflicting changes.
	Warnings []string `json:"warnings,omitempty"`
	// Links are the problems and incidents the change resolves or caused.
	Links []itil.Ref `json:"links,omitempty"`
}

// Review is a post-implementation review.
type Review struct {
	// Summary is what the review found: whether the change met its aims,
	// what went wrong, what to do differently.
	Summary string `json:"summary"`
	// By is the reviewer's actor ID; At is when the review was recorded.
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// IsZero reports whether no review was recorded.
func (r Review) IsZero() bool { return r.Summary == "" && r.By == "" && r.At.IsZero() }

var (
	_ lifecycle.Entity       = (*Change)(nil)
	_ lifecycle.FieldChecker = (*Change)(nil)
)

// Clone returns a deep copy of c.
func (c *Change) Clone() lifecycle.Entity {
	d := *c
	d.Record = c.CloneRecord()
	d.Assessment.Answers = maps.Clone(c.Assessment.Answers)
	d.CIs = slices.Clone(c.CIs)
	d.Services = slices.Clone(c.Services)
	d.Assessment.Services = slices.Clone(c.Assessment.Services)
	if c.Approvals != nil {
		d.Approvals = make([]approval.Approval, len(c.Approvals))
		for i, a := range c.Approvals {
			d.Approvals[i] = a.Clone()
		}
	}
	d.Warnings = slices.Clone(c.Warnings)
	d.Links = slices.Clone(c.Links)
	return &d
}

// Attrs appends the change's indexed attributes: type, template, risk,
// category, requester, implementer, one "ci" per CI, one "service" per
// service the change puts at risk, one "link" per link
// ("problem:ID"), and one "awaiting" per slot the current round still waits
// for ("group:cab"), which is how Query.Awaiting finds the changes waiting
// for an approver.
func (c *Change) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if c.Type.Valid() {
		dst = lifecycle.AppendAttr(dst, "type", c.Type.String())
	}
	dst = lifecycle.AppendAttr(dst, "template", c.Template)
	if c.Risk.Valid() {
		dst = lifecycle.AppendAttr(dst, "risk", c.Risk.String())
	}
	dst = lifecycle.AppendAttr(dst, "category", c.Category)
	dst = lifecycle.AppendAttr(dst, "requester", c.Requester)
	dst = lifecycle.AppendAttr(dst, "implementer", c.Implementer)
	dst = lifecycle.AppendAttr(dst, "ci", c.CIs...)
	dst = lifecycle.AppendAttr(dst, "service", c.Services...)
	for _, l := range c.Links {
		dst = lifecycle.AppendAttr(dst, "link", l.Kind+":"+l.ID.String())
	}
	for _, s := range c.Approval().Pending() {
		dst = lifecycle.AppendAttr(dst, "awaiting", s.String())
	}
	return dst
}

// FieldSet reports whether the named field holds a value, for the fields a
// lifecycle may require: title, description, justification, category,
// impact, risk, cis, planned, implementation_plan, backout_plan, test_plan,
// requester, implementer, template, outcome and review.
func (c *Change) FieldSet(name string) (set, known bool) {
	switch name {
	case "title":
		return c.Title != "", true
	case "description":
		return c.Description != "", true
	case "justification":
		return c.Justification != "", true
	case "category":
		return c.Category != "", true
	case "impact":
		return c.Impact.Valid(), true
	case "risk":
		return c.Risk.Valid(), true
	case "cis":
		return len(c.CIs) > 0, true
	case "planned":
		return !c.Planned.IsZero(), true
	case "implementation_plan":
		return c.ImplementationPlan != "", true
	case "backout_plan":
		return c.BackoutPlan != "", true
	case "test_plan":
		return c.TestPlan != "", true
	case "requester":
		return c.Requester != "", true
	case "implementer":
		return c.Implementer != "", true
	case "template":
		return c.Template != "", true
	case "outcome":
		return c.Outcome.Valid(), true
	case "review":
		return !c.Review.IsZero(), true
	}
	return false, false
}

// Approval returns the current approval round: the last one, or the zero
// Approval when none was requested.
func (c *Change) Approval() approval.Approval {
	if len(c.Approvals) == 0 {
		return approval.Approval{}
	}
	return c.Approvals[len(c.Approvals)-1]
}

// current returns a pointer to the current round, or nil.
func (c *Change) current() *approval.Approval {
	if len(c.Approvals) == 0 {
		return nil
	}
	return &c.Approvals[len(c.Approvals)-1]
}

// Approved reports whether the change is authorized to be implemented: a
// standard change by its template, any other by its current approval round.
func (c *Change) Approved() bool {
	if c.Type == Standard {
		return c.Template != ""
	}
	return c.Approval().Outcome() == approval.Approved
}

// ReviewRequired reports whether the change must pass a post-implementation
// review before it closes: every emergency change, and every change whose
// implementation did not succeed.
func (c *Change) ReviewRequired() bool {
	return c.Type == Emergency || c.Outcome != Successful
}
