package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// ticket is a small process entity: the Record every entity embeds, a
// title, and an assignment group that Find can filter on.
type ticket struct {
	lifecycle.Record
	Title string   `json:"title"`
	Group string   `json:"group,omitempty"`
	Tags  []string `json:"tags,omitempty"`
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

// ticketDefinition is a lifecycle of four states.
func ticketDefinition() *lifecycle.Definition {
	def, err := lifecycle.NewDefinition("ticket",
		[]lifecycle.State{
			{Name: "new", Category: lifecycle.Open, Initial: true},
			{Name: "in_progress", Category: lifecycle.Open},
			{Name: "on_hold", Category: lifecycle.Paused},
			{Name: "resolved", Category: lifecycle.Resolved},
		},
		[]lifecycle.Event{
			{Name: "start", From: []string{"new"}, To: "in_progress"},
			{Name: "hold", From: []string{"in_progress"}, To: "on_hold"},
			{Name: "resume", From: []string{"on_hold"}, To: "in_progress"},
			{Name: "resolve", From: []string{"new", "in_progress"}, To: "resolved"},
		})
	if err != nil {
		panic(err)
	}
	return def
}

// A process on a SQLite file: migrate once, then create, transition, find
// and read the journal.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "itil.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	st, err := sqlstore.New(db, sqlstore.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{Prefix: "TKT"})
	if err != nil {
		log.Fatal(err)
	}
	alice := itil.Actor{ID: "alice", Name: "Alice"}
	t, err := p.Create(ctx, &ticket{Title: "printer jammed", Group: "facilities"}, alice, "")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Fire(ctx, t.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice}); err != nil {
		log.Fatal(err)
	}

	for t, err := range p.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("group", "facilities")}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.Number, t.Title, t.State, "version", t.Version)
	}
	for ch, err := range p.Journal(ctx, t.ID) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d %s %q → %q\n", ch.Seq, ch.Event, ch.From, ch.To)
	}
	// Output:
	// TKT0000001 printer jammed in_progress version 2
	// 1 create "" → "new"
	// 2 start "new" → "in_progress"
}
