package lifecycle_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// logSnapshot returns the whole log of st, encoded: what a refused call
// must leave byte for byte as it was.
func logSnapshot(t *testing.T, st lifecycle.Outbox) string {
	t.Helper()
	var all []lifecycle.Change
	for after := int64(0); ; {
		chs, err := st.ReadLog(context.Background(), after, 0)
		require.NoError(t, err)
		if len(chs) == 0 {
			break
		}
		all = append(all, chs...)
		after = chs[len(chs)-1].Seq
	}
	b, err := json.Marshal(all)
	require.NoError(t, err)
	return string(b)
}

// recordSnapshot returns the stored ticket id, encoded.
func recordSnapshot(t *testing.T, p *lifecycle.Process[*ticket], id uuid.UUID) string {
	t.Helper()
	tk, err := p.Get(context.Background(), id)
	require.NoError(t, err)
	b, err := json.Marshal(tk)
	require.NoError(t, err)
	return string(b)
}

// TestProcessRefusesHostileInput calls the actions of a Process with nil
// records, nil transactions, zero IDs and unknown events: each fails with
// a typed error, and neither the record nor the log changes.
func TestProcessRefusesHostileInput(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		p, err := lifecycle.NewProcess[ticket](st, ticketDefinition(), lifecycle.ProcessConfig{})
		require.NoError(t, err)
		tk, err := p.Create(ctx, &ticket{Title: "printer"}, alice, "")
		require.NoError(t, err)
		var nilTicket *ticket
		assign := lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")}

		tests := []struct {
			name  string
			call  func(tx *lifecycle.Tx) error
			field string // of the *itil.ValidationError, if that is the error
			is    error  // else the error it matches
		}{
			{"Create nil", func(*lifecycle.Tx) error { _, err := p.Create(ctx, nil, alice, ""); return err }, "record", nil},
			{"Create typed nil", func(*lifecycle.Tx) error { _, err := p.Create(ctx, nilTicket, alice, ""); return err }, "record", nil},
			{"Create without required field", func(*lifecycle.Tx) error { _, err := p.Create(ctx, &ticket{}, alice, ""); return err }, "title", nil},
			{"CreateIn nil tx", func(*lifecycle.Tx) error { _, err := p.CreateIn(ctx, nil, &ticket{Title: "x"}, alice, ""); return err }, "tx", nil},
			{"CreateIn nil record", func(tx *lifecycle.Tx) error { _, err := p.CreateIn(ctx, tx, nil, alice, ""); return err }, "record", nil},
			{"CreateIn typed nil", func(tx *lifecycle.Tx) error { _, err := p.CreateIn(ctx, tx, nilTicket, alice, ""); return err }, "record", nil},
			{"Fire zero ID", func(*lifecycle.Tx) error { _, err := p.Fire(ctx, uuid.Nil, assign); return err }, "", lifecycle.ErrNotFound},
			{"Fire unknown ID", func(*lifecycle.Tx) error { _, err := p.Fire(ctx, uuid.New(), assign); return err }, "", lifecycle.ErrNotFound},
			{"Fire unknown event", func(*lifecycle.Tx) error {
				_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "explode", Actor: alice})
				return err
			}, "", lifecycle.ErrTransition},
			{"Fire reserved event", func(*lifecycle.Tx) error {
				_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: lifecycle.EventCreate, Actor: alice})
				return err
			}, "", lifecycle.ErrTransition},
			{"Fire stale version", func(*lifecycle.Tx) error {
				_, err := p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk"), Version: 7})
				return err
			}, "", lifecycle.ErrConflict},
			{"FireIn nil tx", func(*lifecycle.Tx) error { _, err := p.FireIn(ctx, nil, tk.ID, assign); return err }, "tx", nil},
			{"FireIn zero ID", func(tx *lifecycle.Tx) error { _, err := p.FireIn(ctx, tx, uuid.Nil, assign); return err }, "", lifecycle.ErrNotFound},
			{"FireIn unknown event", func(tx *lifecycle.Tx) error {
				_, err := p.FireIn(ctx, tx, tk.ID, lifecycle.Action[*ticket]{Event: "explode", Actor: alice})
				return err
			}, "", lifecycle.ErrTransition},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				log, rec := logSnapshot(t, st), recordSnapshot(t, p, tk.ID)
				tx := lifecycle.NewTx(st)
				var err error
				require.NotPanics(t, func() { err = tt.call(tx) })
				require.Error(t, err)
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				} else {
					var ve *itil.ValidationError
					require.ErrorAs(t, err, &ve, "%T: %v", err, err)
					assert.Equal(t, tt.field, ve.Field)
				}
				assert.Zero(t, tx.Len(), "a refused action stages nothing")
				require.NoError(t, tx.Commit(ctx))
				assert.Equal(t, log, logSnapshot(t, st), "the log is unchanged")
				assert.Equal(t, rec, recordSnapshot(t, p, tk.ID), "the record is unchanged")
			})
		}
	})
}

// TestBatchCheckRefusesMalformed gives Batch.Check and every store's Commit
// each kind of malformed batch: a *itil.ValidationError names the part,
// and nothing is written.
func TestBatchCheckRefusesMalformed(t *testing.T) {
	t.Parallel()
	id, other := uuid.New(), uuid.New()
	rec := func(id uuid.UUID, version int64) *ticket {
		return &ticket{Record: lifecycle.Record{ID: id, Kind: "ticket", Number: "TIC1", State: "new", StateCategory: lifecycle.Open, Version: version}, Title: "x"}
	}
	change := func(id uuid.UUID, version int64) *lifecycle.Change {
		return &lifecycle.Change{ID: uuid.New(), Kind: "ticket", RecordID: id, Number: "TIC1", Version: version, Event: lifecycle.EventCreate, To: "new", Actor: alice}
	}
	tests := []struct {
		name  string
		b     lifecycle.Batch
		field string
	}{
		{"empty", lifecycle.Batch{}, "batch"},
		{"nil entity", lifecycle.Batch{Writes: []lifecycle.Write{{Change: change(id, 1)}}}, "writes[0].entity"},
		{"zero ID", lifecycle.Batch{Writes: []lifecycle.Write{{Entity: rec(uuid.Nil, 1), Change: change(uuid.Nil, 1)}}}, "writes[0].entity.id"},
		{"negative expect", lifecycle.Batch{Writes: []lifecycle.Write{{Entity: rec(id, 1), Expect: -1, Change: change(id, 1)}}}, "writes[0].expect"},
		{"change of another record", lifecycle.Batch{Writes: []lifecycle.Write{{Entity: rec(id, 1), Change: change(other, 1)}}}, "writes[0].change.record_id"},
		{"second write at the wrong version", lifecycle.Batch{Writes: []lifecycle.Write{
			{Entity: rec(id, 1), Change: change(id, 1)},
			{Entity: rec(id, 3), Expect: 2, Change: change(id, 3)},
		}}, "writes[1].expect"},
		{"read without ID", lifecycle.Batch{Reads: []lifecycle.Read{{Version: 1}}}, "reads[0].id"},
		{"read without version", lifecycle.Batch{Reads: []lifecycle.Read{{ID: id}}}, "reads[0].version"},
		{"read twice", lifecycle.Batch{Reads: []lifecycle.Read{{ID: id, Version: 1}, {ID: id, Version: 1}}}, "reads[1].id"},
		{"read and written", lifecycle.Batch{
			Writes: []lifecycle.Write{{Entity: rec(id, 1), Change: change(id, 1)}},
			Reads:  []lifecycle.Read{{ID: other, Version: 1}, {ID: id, Version: 1}},
		}, "reads[1].id"},
		{"bad write after a good one", lifecycle.Batch{Writes: []lifecycle.Write{
			{Entity: rec(id, 1), Change: change(id, 1)},
			{Entity: rec(uuid.Nil, 1), Change: change(uuid.Nil, 1)},
		}}, "writes[1].entity.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ve *itil.ValidationError
			require.ErrorAs(t, tt.b.Check(), &ve)
			assert.Equal(t, tt.field, ve.Field, ve.Reason)
		})
	}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		st := db.Host(t)
		for _, tt := range tests {
			log := logSnapshot(t, st)
			var err error
			require.NotPanics(t, func() { err = st.Commit(t.Context(), tt.b) }, tt.name)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, tt.name)
			assert.Equal(t, tt.field, ve.Field, tt.name)
			assert.Equal(t, log, logSnapshot(t, st), "%s: nothing is written", tt.name)
			_, err = st.Get(t.Context(), id, func() lifecycle.Entity { return new(ticket) })
			assert.ErrorIs(t, err, lifecycle.ErrNotFound, tt.name)
		}
	})
}

// TestNewProcessRefusesBadConfig checks that NewProcess names what is
// missing or out of range.
func TestNewProcessRefusesBadConfig(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	odd, err := ticketDefinition().Extend([]lifecycle.State{{Name: "odd", Category: lifecycle.Open, Requires: []string{"colour"}}},
		[]lifecycle.Event{{Name: "oddify", From: []string{"new"}, To: "odd"}})
	require.NoError(t, err)
	for _, tt := range []struct {
		name  string
		st    lifecycle.Store
		def   *lifecycle.Definition
		cfg   lifecycle.ProcessConfig
		field string
	}{
		{"nil store", nil, ticketDefinition(), lifecycle.ProcessConfig{}, "store"},
		{"nil definition", st, nil, lifecycle.ProcessConfig{}, "definition"},
		{"digits too many", st, ticketDefinition(), lifecycle.ProcessConfig{Digits: 19}, "Digits"},
		{"digits negative", st, ticketDefinition(), lifecycle.ProcessConfig{Digits: -1}, "Digits"},
		{"unknown required field", st, odd, lifecycle.ProcessConfig{}, "states[7].requires[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p *lifecycle.Process[*ticket]
			var err error
			require.NotPanics(t, func() { p, err = lifecycle.NewProcess[ticket](tt.st, tt.def, tt.cfg) })
			assert.Nil(t, p)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestNewDefinitionRefusesNilCode checks that a nil option, guard or hook
// is refused when the definition is built, not met as a panic when an
// event fires.
func TestNewDefinitionRefusesNilCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		opts  []lifecycle.Option
		field string
	}{
		{"nil option", []lifecycle.Option{lifecycle.WithGuard(func(context.Context, *lifecycle.Firing) error { return nil }), nil}, "options[1]"},
		{"nil guard", []lifecycle.Option{lifecycle.WithGuard(nil)}, "guards[0]"},
		{"nil hook", []lifecycle.Option{lifecycle.WithHook(func(context.Context, *lifecycle.Firing) error { return nil }), lifecycle.WithHook(nil)}, "hooks[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { _, err = lifecycle.NewDefinition("ticket", ticketStates, ticketEvents, tt.opts...) })
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			require.NotPanics(t, func() { _, err = ticketDefinition().With(tt.opts...) })
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

// TestNewDispatcherRefusesBadConfig checks that NewDispatcher names the
// subscription that is wrong, and that the zero config takes defaults.
func TestNewDispatcherRefusesBadConfig(t *testing.T) {
	t.Parallel()
	st := memstore.New(memstore.Config{})
	n := &recorder{}
	for _, tt := range []struct {
		name  string
		box   lifecycle.Outbox
		subs  []lifecycle.Subscription
		field string
	}{
		{"nil outbox", nil, nil, "outbox"},
		{"nameless", st, []lifecycle.Subscription{{Name: "a", Notifier: n}, {Notifier: n}}, "subscriptions[1].name"},
		{"name twice", st, []lifecycle.Subscription{{Name: "a", Notifier: n}, {Name: "b", Notifier: n}, {Name: "a", Notifier: n}}, "subscriptions[2].name"},
		{"no notifier", st, []lifecycle.Subscription{{Name: "a"}}, "subscriptions[0].notifier"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var d *lifecycle.Dispatcher
			var err error
			require.NotPanics(t, func() { d, err = lifecycle.NewDispatcher(tt.box, tt.subs, lifecycle.DispatcherConfig{}) })
			assert.Nil(t, d)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	d, err := lifecycle.NewDispatcher(st, nil, lifecycle.DispatcherConfig{Batch: -1, Lease: -1, Poll: -1, MinBackoff: -1, MaxBackoff: -1})
	require.NoError(t, err, "out-of-range durations and sizes take the defaults")
	require.NoError(t, d.Drain(t.Context()))
}
