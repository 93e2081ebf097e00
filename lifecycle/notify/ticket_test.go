package notify_test

import (
	"github.com/itil-go/itil/lifecycle"
)

// ticket is the smallest entity a lifecycle.Process runs: a Record and a
// title.
type ticket struct {
	lifecycle.Record
	Title string
}

func (t *ticket) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	return &c
}

func (t *ticket) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// ticketLifecycle returns a small lifecycle: open and working take turns
// (start, stop) until the work is resolved and closed.
func ticketLifecycle() (*lifecycle.Definition, error) {
	return lifecycle.NewDefinition("ticket",
		[]lifecycle.State{
			{Name: "open", Category: lifecycle.Open, Initial: true},
			{Name: "working", Category: lifecycle.Open},
			{Name: "resolved", Category: lifecycle.Resolved},
			{Name: "closed", Category: lifecycle.Closed},
		},
		[]lifecycle.Event{
			{Name: "start", From: []string{"open"}, To: "working"},
			{Name: "stop", From: []string{"working"}, To: "open"},
			{Name: "resolve", From: []string{"working"}, To: "resolved"},
			{Name: "close", From: []string{"resolved"}, To: "closed"},
		})
}
