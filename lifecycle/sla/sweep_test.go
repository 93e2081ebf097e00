package sla_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
)

// ticket is the smallest record with SLA clocks: a process's entity.
type ticket struct {
	lifecycle.Record
	Priority itil.Priority `json:"priority"`
	SLA      sla.Set       `json:"sla"`
}

func (t *ticket) Clone() lifecycle.Entity {
	c := *t
	c.Record = t.CloneRecord()
	return &c
}

func (t *ticket) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// desk is a process of tickets whose enter hook keeps the clocks, as a
// process package does, and its sweeper.
type desk struct {
	proc   *lifecycle.Process[*ticket]
	policy *sla.Policy
	clock  *lifecycletest.Clock
}

// apply is what the desk does on every transition into category cat and
// what its sweep does: bring the clocks up to date and journal each
// crossing as field "sla.<clock>".
func (d *desk) apply(t *ticket, ed *lifecycle.Edit, cat lifecycle.Category, now time.Time) ([]sla.Crossing, error) {
	cs, err := t.SLA.Apply(d.policy, sla.Facts{Priority: t.Priority, Category: cat}, now)
	for _, c := range cs {
		ed.Field("sla."+c.Clock, "", c.Kind.String())
	}
	return cs, err
}

func (d *desk) sweeper() sla.Sweeper[*ticket] {
	return sla.Sweeper[*ticket]{
		Process: d.proc,
		Clocks:  func(t *ticket) *sla.Set { return &t.SLA },
		Apply: func(t *ticket, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
			return d.apply(t, ed, t.StateCategory, now)
		},
	}
}

// newDesk returns a desk of tickets with a one-hour resolution target at
// every priority, warning at 50%, on a clock the test moves.
func newDesk(t *testing.T) *desk {
	t.Helper()
	d := &desk{clock: lifecycletest.NewClock(time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))}
	d.policy = &sla.Policy{WarnPercent: 50, Targets: map[itil.Priority]sla.Targets{}}
	for p := itil.P1; p <= itil.P5; p++ {
		d.policy.Targets[p] = sla.Targets{Resolution: sla.Target{Within: time.Hour}}
	}
	def, err := lifecycle.NewDefinition("ticket", []lifecycle.State{
		{Name: "open", Category: lifecycle.Open, Initial: true},
		{Name: "waiting", Category: lifecycle.Paused},
		{Name: "done", Category: lifecycle.Closed},
	}, []lifecycle.Event{
		{Name: "wait", From: []string{"open"}, To: "waiting"},
		{Name: "finish", From: []string{"open", "waiting"}, To: "done"},
	}, lifecycle.WithHook(func(_ context.Context, f *lifecycle.Firing) error {
		_, err := d.apply(f.Entity.(*ticket), f.Edit, f.ToCategory, f.At)
		return err
	}))
	require.NoError(t, err)
	d.proc, err = lifecycle.NewProcess[ticket](memstore.New(memstore.Config{}), def, lifecycle.ProcessConfig{Prefix: "TKT", Now: d.clock.Now})
	require.NoError(t, err)
	return d
}

// open creates a ticket with its clocks started.
func (d *desk) open(t *testing.T) *ticket {
	t.Helper()
	tk := &ticket{Priority: itil.P3}
	_, err := tk.SLA.Apply(d.policy, sla.Facts{Priority: tk.Priority, Category: lifecycle.Open}, d.clock.Now())
	require.NoError(t, err)
	tk, err = d.proc.Create(t.Context(), tk, itil.System("test"), "")
	require.NoError(t, err)
	return tk
}

// swept returns the sweep entries of a record's journal as "event field=value".
func (d *desk) swept(t *testing.T, tk *ticket) []string {
	t.Helper()
	var out []string
	for c, err := range d.proc.Journal(t.Context(), tk.ID) {
		require.NoError(t, err)
		if c.Event != sla.EventWarning && c.Event != sla.EventBreach {
			continue
		}
		s := c.Event
		for _, fc := range c.Fields {
			s += " " + fc.Field + "=" + fc.New
		}
		out = append(out, s)
	}
	return out
}

// TestSweeperRaisesEachCrossingOnce checks that a sweep journals the
// warning and the breach of a record nobody touches, each once however
// often it runs, skips records with nothing due, paused records and
// closed ones, and counts what it raised.
func TestSweeperRaisesEachCrossingOnce(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	quiet := d.open(t)
	paused := d.open(t)
	_, err := d.proc.Fire(ctx, paused.ID, lifecycle.Action[*ticket]{Event: "wait"})
	require.NoError(t, err)
	closed := d.open(t)
	_, err = d.proc.Fire(ctx, closed.ID, lifecycle.Action[*ticket]{Event: "finish"})
	require.NoError(t, err)
	sw := d.sweeper()

	steps := []struct {
		advance time.Duration
		want    sla.Swept
	}{
		{10 * time.Minute, sla.Swept{}},                        // nothing due
		{20 * time.Minute, sla.Swept{Warnings: 1, Records: 1}}, // 30 minutes: the warning
		{0, sla.Swept{}}, // raised once
		{30 * time.Minute, sla.Swept{Breaches: 1, Records: 1}}, // an hour: the breach
		{time.Hour, sla.Swept{}},                               // raised once
	}
	for i, s := range steps {
		d.clock.Advance(s.advance)
		got, err := sw.Sweep(ctx, d.clock.Now())
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.want, got, "step %d", i)
	}
	assert.Equal(t, []string{"sla_warning sla.resolution=warning", "sla_breach sla.resolution=breach"}, d.swept(t, quiet))
	assert.Empty(t, d.swept(t, paused), "a paused clock is not swept")
	assert.Empty(t, d.swept(t, closed), "a closed record is not swept")

	for c, err := range d.proc.Journal(ctx, quiet.ID) {
		require.NoError(t, err)
		if c.Event == sla.EventWarning {
			assert.Equal(t, itil.System("sla-sweep"), c.Actor, "the default actor")
		}
	}
}

// TestSweeperBothAtOnce checks that a warning and a breach falling due
// between two sweeps are one change, named a breach.
func TestSweeperBothAtOnce(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	tk := d.open(t)
	d.clock.Advance(2 * time.Hour)
	sw := d.sweeper()
	sw.Actor = itil.System("ticket-sweep")
	got, err := sw.Sweep(t.Context(), d.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, sla.Swept{Warnings: 1, Breaches: 1, Records: 1}, got)
	j := d.swept(t, tk)
	require.Len(t, j, 1)
	assert.Equal(t, "sla_breach sla.resolution=breach", j[0])
	stored, err := d.proc.Get(t.Context(), tk.ID)
	require.NoError(t, err)
	assert.False(t, stored.SLA.Resolution.BreachedAt.IsZero(), "the clocks are saved with the change")
}

// TestSweeperLeavesChangedRecords checks that a record changed between the
// sweep's read and its write is left to the change: the sweep writes
// nothing to it and reports no error.
func TestSweeperLeavesChangedRecords(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	tk := d.open(t)
	d.clock.Advance(40 * time.Minute)
	sw := d.sweeper()
	apply := sw.Apply
	raced := false
	sw.Apply = func(t2 *ticket, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
		if !raced { // another host's change, after the sweep read the record
			raced = true
			_, err := d.proc.Fire(t.Context(), tk.ID, lifecycle.Action[*ticket]{Note: "a work note"})
			require.NoError(t, err)
		}
		return apply(t2, ed, now)
	}
	got, err := sw.Sweep(t.Context(), d.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, sla.Swept{}, got)
	assert.Empty(t, d.swept(t, tk))
}

// TestSweeperReportsRecordErrors checks that a record whose clocks the
// process refuses is named in the error and does not stop the sweep.
func TestSweeperReportsRecordErrors(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	bad := d.open(t)
	good := d.open(t)
	d.clock.Advance(40 * time.Minute)
	sw := d.sweeper()
	apply := sw.Apply
	refused := errors.New("clocks refused")
	sw.Apply = func(t *ticket, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
		if t.ID == bad.ID {
			return nil, refused
		}
		return apply(t, ed, now)
	}
	got, err := sw.Sweep(t.Context(), d.clock.Now())
	require.ErrorIs(t, err, refused)
	assert.Contains(t, err.Error(), bad.Number)
	assert.Equal(t, sla.Swept{Warnings: 1, Records: 1}, got)
	assert.Len(t, d.swept(t, good), 1)
	assert.Empty(t, d.swept(t, bad))
}

// TestSweeperRefusesBadConfig checks that a Sweeper missing what it needs,
// and a zero now, are refused naming the field, without a panic.
func TestSweeperRefusesBadConfig(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	now := d.clock.Now()
	tests := []struct {
		name  string
		edit  func(*sla.Sweeper[*ticket])
		now   time.Time
		field string
	}{
		{"no process", func(s *sla.Sweeper[*ticket]) { s.Process = nil }, now, "Process"},
		{"no clocks", func(s *sla.Sweeper[*ticket]) { s.Clocks = nil }, now, "Clocks"},
		{"no apply", func(s *sla.Sweeper[*ticket]) { s.Apply = nil }, now, "Apply"},
		{"zero now", func(*sla.Sweeper[*ticket]) {}, time.Time{}, "now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sw := d.sweeper()
			tt.edit(&sw)
			var err error
			require.NotPanics(t, func() { _, err = sw.Sweep(t.Context(), tt.now) })
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}
