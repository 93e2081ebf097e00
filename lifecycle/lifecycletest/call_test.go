package lifecycletest_test

import (
	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
)

// call is the entity of the kit's tests and example: a service desk call.
type call struct {
	lifecycle.Record
	Title string `json:"title"`
	Group string `json:"group,omitempty"`
}

func (c *call) Clone() lifecycle.Entity {
	d := *c
	d.Record = c.CloneRecord()
	return &d
}

func (c *call) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if c.Group != "" {
		dst = append(dst, lifecycle.Attr{Key: "group", Value: c.Group})
	}
	return dst
}

var (
	ann = itil.Actor{ID: "ann"}
	dan = itil.Actor{ID: "dan"}
)

// newDesk returns a Process of calls over st, on clk's time.
func newDesk(st lifecycle.Store, clk *lifecycletest.Clock) *lifecycle.Process[*call] {
	def, err := lifecycle.NewDefinition("call",
		[]lifecycle.State{
			{Name: "new", Category: lifecycle.Open, Initial: true},
			{Name: "assigned", Category: lifecycle.Open},
			{Name: "resolved", Category: lifecycle.Resolved},
		},
		[]lifecycle.Event{
			{Name: "assign", From: []string{"new", "assigned"}, To: "assigned"},
			{Name: "resolve", From: []string{"assigned"}, To: "resolved"},
		})
	if err != nil {
		panic(err)
	}
	p, err := lifecycle.NewProcess[call](st, def, lifecycle.ProcessConfig{Now: clk.Now})
	if err != nil {
		panic(err)
	}
	return p
}

// assign is the action that gives a call to group.
func assign(group string, by itil.Actor) lifecycle.Action[*call] {
	return lifecycle.Action[*call]{Event: "assign", Actor: by, Apply: func(c *call, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "group", &c.Group, group)
		return nil
	}}
}
