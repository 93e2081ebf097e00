package sla_test

import (
	"context"
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

// job is the smallest record with definition clocks.
type job struct {
	lifecycle.Record
	Group  string     `json:"group"`
	Timers sla.Timers `json:"timers"`
}

func (j *job) Clone() lifecycle.Entity {
	c := *j
	c.Record = j.CloneRecord()
	c.Timers = j.Timers.Clone()
	return &c
}

func (j *job) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// jobs is a process of jobs on a resolution SLA and an OLA of the "ops"
// group, and its sweeper.
type jobs struct {
	proc  *lifecycle.Process[*job]
	defs  *sla.Definitions
	clock *lifecycletest.Clock
}

func (js *jobs) facts(j *job) sla.Facts {
	return sla.Facts{Priority: itil.P3, Category: j.StateCategory, State: j.State, Created: j.CreatedAt, Group: j.Group}
}

func (js *jobs) apply(j *job, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
	was := j.Timers.Clone()
	cs, err := j.Timers.Apply(js.defs, js.facts(j), now)
	for _, c := range cs {
		ed.Field("sla."+c.Clock, "", c.Kind.String())
	}
	for _, t := range j.Timers.List {
		old, _ := was.Timer(t.Name)
		ed.Field("sla."+t.Name+".status", old.Clock.Status.String(), t.Clock.Status.String())
	}
	return cs, err
}

func (js *jobs) sweeper() sla.TimersSweeper[*job] {
	return sla.TimersSweeper[*job]{
		Process: js.proc,
		Due: func(j *job) time.Time {
			if j.Timers.Stale(js.facts(j)) {
				return j.UpdatedAt
			}
			return j.Timers.Next()
		},
		Apply: js.apply,
	}
}

func newJobs(t *testing.T) *jobs {
	t.Helper()
	done := sla.Condition{Categories: []lifecycle.Category{lifecycle.Closed}}
	js := &jobs{clock: lifecycletest.NewClock(t0)}
	js.defs = compile(t,
		sla.Definition{Name: "resolution", Stop: done, Target: sla.Target{Within: 4 * time.Hour},
			Thresholds: []sla.Threshold{{Percent: 50, Actions: []sla.Action{{Do: sla.Notify, To: "lead"}}}}},
		sla.Definition{Name: "ola-ops", Type: sla.OLA, Group: "ops", Stop: done, Target: sla.Target{Within: time.Hour}},
	)
	def, err := lifecycle.NewDefinition("job", []lifecycle.State{
		{Name: "open", Category: lifecycle.Open, Initial: true},
		{Name: "done", Category: lifecycle.Closed},
	}, []lifecycle.Event{{Name: "finish", From: []string{"open"}, To: "done"}})
	require.NoError(t, err)
	js.proc, err = lifecycle.NewProcess[job](memstore.New(memstore.Config{}), def, lifecycle.ProcessConfig{Prefix: "JOB", Now: js.clock.Now})
	require.NoError(t, err)
	return js
}

func TestTimersSweeper(t *testing.T) {
	t.Parallel()
	js := newJobs(t)
	ctx := t.Context()
	j := &job{Group: "ops"}
	_, err := j.Timers.Apply(js.defs, sla.Facts{Priority: itil.P3, Category: lifecycle.Open, State: "open", Group: "ops"}, js.clock.Now())
	require.NoError(t, err)
	j, err = js.proc.Create(ctx, j, itil.System("test"), "")
	require.NoError(t, err)
	sw := js.sweeper()

	// Handed on by an edit: the sweep stops the OLA, at its own now (a
	// process may first apply the facts as of the edit, as incident does).
	js.clock.Advance(30 * time.Minute)
	_, err = js.proc.Fire(ctx, j.ID, lifecycle.Action[*job]{Apply: func(j *job, ed *lifecycle.Edit) error {
		lifecycle.Set(ed, "group", &j.Group, "dev")
		return nil
	}})
	require.NoError(t, err)
	js.clock.Advance(5 * time.Minute)
	for _, step := range []struct {
		advance time.Duration
		want    sla.TimersSwept
	}{
		{0, sla.TimersSwept{Swept: sla.Swept{Records: 1}}},
		{0, sla.TimersSwept{}},
		{85 * time.Minute, sla.TimersSwept{Swept: sla.Swept{Warnings: 1, Records: 1}, Actions: 1}},
		{0, sla.TimersSwept{}},
	} {
		js.clock.Advance(step.advance)
		got, err := sw.Sweep(ctx, js.clock.Now())
		require.NoError(t, err)
		assert.Equal(t, step.want, got)
	}
	stored, err := js.proc.Get(ctx, j.ID)
	require.NoError(t, err)
	ola, _ := stored.Timers.Timer("ola-ops")
	assert.Equal(t, 35*time.Minute, ola.Clock.Accrued)
	assert.Equal(t, sla.Met, ola.Outcome)
	var events []string
	for c, err := range js.proc.Journal(ctx, j.ID) {
		require.NoError(t, err)
		events = append(events, c.Event)
	}
	assert.Equal(t, []string{lifecycle.EventCreate, lifecycle.EventUpdate, sla.EventClocks, sla.EventWarning}, events)
}

func TestTimersSweeperRefusesBadConfig(t *testing.T) {
	t.Parallel()
	js := newJobs(t)
	now := js.clock.Now()
	for _, tt := range []struct {
		name  string
		edit  func(*sla.TimersSweeper[*job])
		now   time.Time
		field string
	}{
		{"no process", func(s *sla.TimersSweeper[*job]) { s.Process = nil }, now, "Process"},
		{"no due", func(s *sla.TimersSweeper[*job]) { s.Due = nil }, now, "Due"},
		{"no apply", func(s *sla.TimersSweeper[*job]) { s.Apply = nil }, now, "Apply"},
		{"zero now", func(*sla.TimersSweeper[*job]) {}, time.Time{}, "now"},
	} {
		sw := js.sweeper()
		tt.edit(&sw)
		var err error
		require.NotPanics(t, func() { _, err = sw.Sweep(context.Background(), tt.now) })
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tt.name)
		assert.Equal(t, tt.field, ve.Field, tt.name)
	}
}
