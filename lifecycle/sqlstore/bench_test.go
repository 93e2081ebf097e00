package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// benchTicket creates a ticket in state in_progress and returns it with its
// process.
func benchTicket(b *testing.B, st *sqlstore.Store) (*lifecycle.Process[*ticket], *ticket) {
	b.Helper()
	ctx := b.Context()
	p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
	require.NoError(b, err)
	tk, err := p.Create(ctx, &ticket{Title: "printer jammed", Group: "facilities", Tags: []string{"printer"}}, bob, "")
	require.NoError(b, err)
	tk, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: bob})
	require.NoError(b, err)
	return p, tk
}

// BenchmarkSQLTransition is one full transition per op through
// lifecycle.Process: load the record, fire the event (hold, then resume),
// journal the change and save it with compare-and-set, with the change in
// the outbox, in one write.
func BenchmarkSQLTransition(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			st := newStore(b, be.target(b))
			p, tk := benchTicket(b, st)
			ctx := b.Context()
			events := [2]string{"hold", "resume"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: events[i&1], Actor: bob}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSQLRawUpdate is the floor of BenchmarkSQLTransition: the same
// record row written with one plain UPDATE, and one change row with one
// INSERT, in a transaction, encoding both as JSON as any store must.
func BenchmarkSQLRawUpdate(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			st := newStore(b, be.target(b))
			_, tk := benchTicket(b, st)
			db := st.DB()
			ph, id := placeholders(st.Dialect()), any(tk.ID)
			at := func(t time.Time) any { return t }
			if st.Dialect() == sqlstore.SQLite {
				id = tk.ID[:]
				at = func(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) }
			}
			update := fmt.Sprintf("UPDATE itil_records SET state = %s, state_category = %s, version = %s, updated_at = %s, body = %s WHERE id = %s",
				ph(1), ph(2), ph(3), ph(4), ph(5), ph(6))
			insert := fmt.Sprintf("INSERT INTO itil_changes (id, record_id, kind, number, version, event, at, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
				ph(1), ph(2), ph(3), ph(4), ph(5), ph(6), ph(7), ph(8))
			states := [2]string{"on_hold", "in_progress"}
			cats := [2]lifecycle.Category{lifecycle.Paused, lifecycle.Open}
			ctx := b.Context()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				now := time.Now()
				from := tk.State
				tk.State, tk.StateCategory, tk.Version, tk.UpdatedAt = states[i&1], cats[i&1], tk.Version+1, now
				ch := lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: tk.Kind, RecordID: tk.ID, Number: tk.Number,
					Version: tk.Version, Event: "raw", From: from, To: tk.State, Actor: bob, At: now}
				if err := rawWrite(ctx, db, update, insert, tk, &ch, id, at); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func rawWrite(ctx context.Context, db *sql.DB, update, insert string, tk *ticket, ch *lifecycle.Change, id any, at func(time.Time) any) error {
	body, err := json.Marshal(tk)
	if err != nil {
		return err
	}
	cbody, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	chID := any(ch.ID)
	if _, ok := id.([]byte); ok {
		chID = ch.ID[:]
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if _, err := tx.ExecContext(ctx, update, tk.State, tk.StateCategory.String(), tk.Version, at(tk.UpdatedAt), string(body), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insert, chID, id, ch.Kind, ch.Number, ch.Version, ch.Event, at(ch.At), string(cbody)); err != nil {
		return err
	}
	return tx.Commit()
}

func placeholders(d sqlstore.Dialect) func(int) string {
	if d == sqlstore.Postgres {
		return func(n int) string { return fmt.Sprintf("$%d", n) }
	}
	return func(int) string { return "?" }
}

// BenchmarkSQLCommit is two records moved in one commit, to set beside
// BenchmarkSQLTransition, which moves one: "Store" loads both records and
// saves each with a transition's write and change through one
// Store.Commit; "Atomic" fires an event on each through Process.FireIn in
// one lifecycle.Atomic.
func BenchmarkSQLCommit(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name+"/Store", func(b *testing.B) {
			st := newStore(b, be.target(b))
			_, first := benchTicket(b, st)
			_, second := benchTicket(b, st)
			states := [2]string{"on_hold", "in_progress"}
			cats := [2]lifecycle.Category{lifecycle.Paused, lifecycle.Open}
			zero := func() lifecycle.Entity { return new(ticket) }
			ctx := b.Context()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				var writes [2]lifecycle.Write
				var changes [2]lifecycle.Change
				for k, id := range [2]uuid.UUID{first.ID, second.ID} {
					e, err := st.Get(ctx, id, zero)
					if err != nil {
						b.Fatal(err)
					}
					tk := e.(*ticket)
					from := tk.State
					tk.State, tk.StateCategory = states[i&1], cats[i&1]
					tk.Version++
					tk.UpdatedAt = time.Now()
					changes[k] = lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: tk.Kind, RecordID: tk.ID, Number: tk.Number,
						Version: tk.Version, Event: "move", From: from, To: tk.State, Actor: bob, At: tk.UpdatedAt}
					writes[k] = lifecycle.Write{Entity: tk, Expect: tk.Version - 1, Change: &changes[k]}
				}
				if err := st.Commit(ctx, lifecycle.Batch{Writes: writes[:]}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(be.name+"/Atomic", func(b *testing.B) {
			st := newStore(b, be.target(b))
			p, first := benchTicket(b, st)
			_, second := benchTicket(b, st)
			ctx := b.Context()
			events := [2]string{"hold", "resume"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				err := lifecycle.Atomic(ctx, st, 0, func(tx *lifecycle.Tx) error {
					for _, id := range [2]uuid.UUID{first.ID, second.ID} {
						if _, err := p.FireIn(ctx, tx, id, lifecycle.Action[*ticket]{Event: events[i&1], Actor: bob}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
