package lifecycle_test

import (
	"slices"

	"github.com/itil-go/itil/lifecycle"
)

// ticket is the entity the kernel's tests run on.
type ticket struct {
	lifecycle.Record
	Title      string   `json:"title"`
	Group      string   `json:"group,omitempty"`
	Resolution string   `json:"resolution,omitempty"`
	HoldReason string   `json:"hold_reason,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Entered    int      `json:"entered,omitempty"` // counted by a hook
}

func (t *ticket) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	c.Tags = slices.Clone(t.Tags)
	return &c
}

func (t *ticket) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if t.Group != "" {
		dst = append(dst, lifecycle.Attr{Key: "group", Value: t.Group})
	}
	for _, tag := range t.Tags {
		dst = append(dst, lifecycle.Attr{Key: "tag", Value: tag})
	}
	return dst
}

func (t *ticket) FieldSet(name string) (set, known bool) {
	switch name {
	case "title":
		return t.Title != "", true
	case "group":
		return t.Group != "", true
	case "resolution":
		return t.Resolution != "", true
	case "hold_reason":
		return t.HoldReason != "", true
	}
	return false, false
}

var ticketStates = []lifecycle.State{
	{Name: "new", Category: lifecycle.Open, Initial: true, Requires: []string{"title"}},
	{Name: "assigned", Category: lifecycle.Open, Requires: []string{"group"}},
	{Name: "in_progress", Category: lifecycle.Open},
	{Name: "on_hold", Category: lifecycle.Paused, Requires: []string{"hold_reason"}},
	{Name: "resolved", Category: lifecycle.Resolved, Requires: []string{"resolution"}},
	{Name: "closed", Category: lifecycle.Closed},
	{Name: "cancelled", Category: lifecycle.Cancelled},
}

var ticketEvents = []lifecycle.Event{
	{Name: "assign", From: []string{"new", "assigned"}, To: "assigned"},
	{Name: "start", From: []string{"assigned"}, To: "in_progress"},
	{Name: "hold", From: []string{"in_progress"}, To: "on_hold"},
	{Name: "resume", From: []string{"on_hold"}, To: "in_progress"},
	{Name: "resolve", From: []string{"new", "assigned", "in_progress"}, To: "resolved"},
	{Name: "reopen", From: []string{"resolved"}, To: "in_progress"},
	{Name: "close", From: []string{"resolved"}, To: "closed"},
	{Name: "cancel", From: []string{"new", "assigned"}, To: "cancelled"},
}

func ticketDefinition(opts ...lifecycle.Option) *lifecycle.Definition {
	d, err := lifecycle.NewDefinition("ticket", ticketStates, ticketEvents, opts...)
	if err != nil {
		panic(err)
	}
	return d
}

// fill sets every field any state requires, so that every event can fire.
func fill(t *ticket, _ *lifecycle.Edit) error {
	t.Group, t.Resolution, t.HoldReason = "desk", "fixed", "awaiting caller"
	return nil
}
