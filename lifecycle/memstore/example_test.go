package memstore_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// Task is a host's entity: a lifecycle.Record and its own fields.
type Task struct {
	lifecycle.Record
	Title string   `json:"title"`
	Team  string   `json:"team,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// Clone returns a deep copy, so the store never shares memory with callers.
func (t *Task) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	c.Tags = slices.Clone(t.Tags)
	return &c
}

// Attrs lists what Find can select tasks by, besides state and number.
func (t *Task) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if t.Team != "" {
		dst = append(dst, lifecycle.Attr{Key: "team", Value: t.Team})
	}
	for _, tag := range t.Tags {
		dst = append(dst, lifecycle.Attr{Key: "tag", Value: tag})
	}
	return dst
}

func Example() {
	ctx := context.Background()
	def, err := lifecycle.NewDefinition("task",
		[]lifecycle.State{
			{Name: "todo", Category: lifecycle.Open, Initial: true},
			{Name: "doing", Category: lifecycle.Open},
			{Name: "done", Category: lifecycle.Closed},
		},
		[]lifecycle.Event{
			{Name: "start", From: []string{"todo"}, To: "doing"},
			{Name: "finish", From: []string{"doing"}, To: "done"},
		})
	if err != nil {
		panic(err)
	}

	st := memstore.New(memstore.Config{})
	tasks, err := lifecycle.NewProcess[Task](st, def, lifecycle.ProcessConfig{Prefix: "TSK", Digits: 4})
	if err != nil {
		panic(err)
	}

	bob := itil.Actor{ID: "bob"}
	for _, d := range []Task{
		{Title: "renew certificate", Team: "network", Tags: []string{"tls"}},
		{Title: "rotate backups", Team: "storage"},
		{Title: "patch firewall", Team: "network"},
	} {
		if _, err := tasks.Create(ctx, &d, bob, ""); err != nil {
			panic(err)
		}
	}

	first, err := tasks.GetByNumber(ctx, "TSK0001")
	if err != nil {
		panic(err)
	}
	started, err := tasks.Fire(ctx, first.ID, lifecycle.Action[*Task]{Event: "start", Actor: bob, Note: "on it"})
	if err != nil {
		panic(err)
	}
	fmt.Println(started.Number, started.State, started.Version)

	// The network team's open work, oldest first.
	for t, err := range tasks.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{
		lifecycle.Eq("team", "network"),
		lifecycle.Eq("state", "todo", "doing"),
	}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(t.Number, t.State, t.Title)
	}

	for ch, err := range tasks.Journal(ctx, first.ID) {
		if err != nil {
			panic(err)
		}
		line := fmt.Sprintf("%d %s %q -> %q", ch.Seq, ch.Event, ch.From, ch.To)
		if ch.Note != "" {
			line += ": " + ch.Note
		}
		fmt.Println(line)
	}
	// Output:
	// TSK0001 doing 2
	// TSK0001 doing renew certificate
	// TSK0003 todo patch firewall
	// 1 create "" -> "todo"
	// 4 start "todo" -> "doing": on it
}
