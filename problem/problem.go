package problem

import (
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Kind is the lifecycle name, and so the record kind, of problems.
const Kind = "problem"

// Problem is the unknown cause of one or more incidents. Once its root cause
// or a workaround is known it is also a known error (KnownError), searchable
// in the known error database (Manager.Search) until it is closed.
type Problem struct {
	lifecycle.Record

	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Category classifies the problem, in the same words as incidents'
	// categories: "network".
	Category string `json:"category,omitempty"`

	Impact   itil.Impact   `json:"impact"`
	Urgency  itil.Urgency  `json:"urgency"`
	Priority itil.Priority `json:"priority"`

	// Group is the problem management group; Assignee the problem owner.
	Group    string `json:"group,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// CIs are the configuration items affected.
	CIs []string `json:"cis,omitempty"`

	// Incidents are the incidents the problem causes; each of them links back
	// to the problem (incident.Incident.Problems).
	Incidents []itil.Ref `json:"incidents,omitempty"`
	// Changes are the changes that deliver the fix, or that caused the
	// problem.
	Changes []itil.Ref `json:"changes,omitempty"`

	// RootCause says what causes the incidents; CauseCode classifies it
	// ("software", "capacity", "configuration").
	RootCause string `json:"root_cause,omitempty"`
	CauseCode string `json:"cause_code,omitempty"`
	// Workaround is how to restore service until the fix is delivered.
	Workaround string `json:"workaround,omitempty"`
	// KnownError is set as soon as the root cause or a workaround is known,
	// at KnownErrorAt; it stays set.
	KnownError   bool      `json:"known_error,omitempty"`
	KnownErrorAt time.Time `json:"known_error_at,omitzero"`
	// Fix says what removes the root cause for good.
	Fix string `json:"fix,omitempty"`
	// FixChange is the change that delivers the fix, when StartFix or
	// Resolve named one; it is among Changes too.
	FixChange itil.Ref `json:"fix_change,omitzero"`

	// DuplicateOf is the problem this one duplicates, when it was closed as
	// a duplicate.
	DuplicateOf itil.Ref `json:"duplicate_of,omitzero"`
	// Resolution is set when the problem is closed.
	Resolution Resolution `json:"resolution,omitzero"`
	// Reanalyses counts how often the problem went back to root cause
	// analysis after it was resolved or closed.
	Reanalyses int `json:"reanalyses,omitempty"`

	// ResolvedAt is when the fix was last delivered; ClosedAt when the
	// problem was last closed.
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
}

// Resolution says how a problem was closed.
type Resolution struct {
	// Code is one of the manager's resolution codes.
	Code string `json:"code,omitempty"`
	// Notes say why.
	Notes string `json:"notes,omitempty"`
	// By is who closed it.
	By string `json:"by,omitempty"`
}

// Open reports whether the problem still needs work: its state is in the
// open or paused category.
func (p *Problem) Open() bool { return p.StateCategory.Active() }

// HasIncident reports whether the incident with the given ID is linked.
func (p *Problem) HasIncident(id uuid.UUID) bool {
	return slices.ContainsFunc(p.Incidents, func(r itil.Ref) bool { return r.ID == id })
}

// newProblem makes a problem for the stores that decode records.
func newProblem() lifecycle.Entity { return new(Problem) }

// Clone implements lifecycle.Entity.
func (p *Problem) Clone() lifecycle.Entity {
	c := *p
	c.Record = p.CloneRecord()
	c.CIs = slices.Clone(p.CIs)
	c.Incidents = slices.Clone(p.Incidents)
	c.Changes = slices.Clone(p.Changes)
	return &c
}

// Attrs implements lifecycle.Entity: the indexed attributes are priority,
// category, group, assignee, cause_code, known_error ("true"), ci (one per
// CI), incident and change (one per link, by ID).
func (p *Problem) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if p.Priority.Valid() {
		dst = append(dst, lifecycle.Attr{Key: "priority", Value: p.Priority.String()})
	}
	dst = lifecycle.AppendAttr(dst, "category", p.Category)
	dst = lifecycle.AppendAttr(dst, "group", p.Group)
	dst = lifecycle.AppendAttr(dst, "assignee", p.Assignee)
	dst = lifecycle.AppendAttr(dst, "cause_code", p.CauseCode)
	if p.KnownError {
		dst = append(dst, lifecycle.Attr{Key: "known_error", Value: strconv.FormatBool(true)})
	}
	dst = lifecycle.AppendAttr(dst, "ci", p.CIs...)
	dst = lifecycle.AppendRefAttrs(dst, "incident", p.Incidents)
	return lifecycle.AppendRefAttrs(dst, "change", p.Changes)
}

// FieldSet implements lifecycle.FieldChecker, for the fields that states of
// a problem lifecycle may require.
func (p *Problem) FieldSet(name string) (set, known bool) {
	switch name {
	case "title":
		return p.Title != "", true
	case "description":
		return p.Description != "", true
	case "category":
		return p.Category != "", true
	case "group":
		return p.Group != "", true
	case "assignee":
		return p.Assignee != "", true
	case "cis":
		return len(p.CIs) > 0, true
	case "incidents":
		return len(p.Incidents) > 0, true
	case "changes":
		return len(p.Changes) > 0, true
	case "root_cause":
		return p.RootCause != "", true
	case "cause_code":
		return p.CauseCode != "", true
	case "workaround":
		return p.Workaround != "", true
	case "fix":
		return p.Fix != "", true
	case "fix_change":
		return !p.FixChange.IsZero(), true
	case "resolution.code":
		return p.Resolution.Code != "", true
	case "resolution.notes":
		return p.Resolution.Notes != "", true
	}
	return false, false
}

// markKnown makes p a known error at now if its root cause or workaround is
// known and it is not one yet.
func markKnown(p *Problem, ed *lifecycle.Edit, now time.Time) {
	if p.KnownError || (p.RootCause == "" && p.Workaround == "") {
		return
	}
	lifecycle.Set(ed, "known_error", &p.KnownError, true)
	lifecycle.Set(ed, "known_error_at", &p.KnownErrorAt, now)
}
