package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Draft is a new incident as reported.
type Draft struct {
	Title       string
	Description string
	// Caller is who is affected and reported it; required.
	Caller      itil.Actor
	Category    string
	Subcategory string
	// Impact and Urgency are required; Priority follows from them.
	Impact  itil.Impact
	Urgency itil.Urgency
	CIs     []string
	// Channel defaults to ChannelPortal.
	Channel Channel
	// Group and Assignee may be set at once; the incident still starts new.
	Group    string
	Assignee string
	// Parent makes the incident a child of an open incident.
	Parent uuid.UUID
	// By is who records the incident; default the caller.
	By   itil.Actor
	Note string
}

func (dr *Draft) validate() error {
	switch {
	case strings.TrimSpace(dr.Title) == "":
		return &itil.ValidationError{Field: "title", Reason: "required"}
	case len(dr.Title) > 200:
		return &itil.ValidationError{Field: "title", Reason: "longer than 200 characters"}
	case dr.Caller.ID == "":
		return &itil.ValidationError{Field: "caller", Reason: "required"}
	case !dr.Impact.Valid():
		return &itil.ValidationError{Field: "impact", Reason: "required: high, medium or low"}
	case !dr.Urgency.Valid():
		return &itil.ValidationError{Field: "urgency", Reason: "required: high, medium or low"}
	case dr.Channel != "" && !slices.Contains(channels, dr.Channel):
		return &itil.ValidationError{Field: "channel", Reason: fmt.Sprintf("unknown channel %q", dr.Channel)}
	case dr.Assignee != "" && dr.Group == "":
		return &itil.ValidationError{Field: "group", Reason: "an assignee needs an assignment group"}
	}
	return validCIs("cis", dr.CIs)
}

// Open records a new incident in the initial state, with its priority from
// the desk's matrix and its SLA clocks started.
func (d *Desk) Open(ctx context.Context, dr Draft) (*Incident, error) {
	if err := dr.validate(); err != nil {
		return nil, err
	}
	prio, err := d.cfg.Matrix.Priority(dr.Impact, dr.Urgency)
	if err != nil {
		return nil, err
	}
	if dr.By.ID == "" {
		dr.By = dr.Caller
	}
	if dr.Channel == "" {
		dr.Channel = ChannelPortal
	}
	inc := &Incident{
		Title: strings.TrimSpace(dr.Title), Description: dr.Description, Caller: dr.Caller,
		Category: dr.Category, Subcategory: dr.Subcategory,
		Impact: dr.Impact, Urgency: dr.Urgency, Priority: prio,
		Group: dr.Group, Assignee: dr.Assignee, CIs: slices.Clone(dr.CIs), Channel: dr.Channel,
		Tier: 1,
	}
	if dr.Parent != uuid.Nil {
		d.links.Lock()
		defer d.links.Unlock()
		parent, err := d.proc.Get(ctx, dr.Parent)
		if err != nil {
			return nil, fmt.Errorf("parent: %w", err)
		}
		if !parent.Open() {
			return nil, &itil.ValidationError{Field: "parent", Reason: fmt.Sprintf("%s is %s", parent.Number, parent.State)}
		}
		inc.Parent = parent.ID
	}
	if err := d.applySLA(inc, &lifecycle.Edit{}, d.def.Initial().Category, d.now()); err != nil {
		return nil, err
	}
	return d.proc.Create(ctx, inc, dr.By, dr.Note)
}
