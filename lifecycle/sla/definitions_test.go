package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

var (
	openCat     = []lifecycle.Category{lifecycle.Open}
	pausedCat   = []lifecycle.Category{lifecycle.Paused}
	finishedCat = []lifecycle.Category{lifecycle.Resolved, lifecycle.Closed, lifecycle.Cancelled}
)

// compile builds a set of defs on no calendars, failing the test on error.
func compile(t testing.TB, defs ...sla.Definition) *sla.Definitions {
	t.Helper()
	ds, err := sla.NewDefinitions(sla.DefinitionsConfig{Definitions: defs})
	require.NoError(t, err)
	return ds
}

// p3 are the facts of a new P3 record, opened at t0.
func p3() sla.Facts {
	return sla.Facts{Priority: itil.P3, Category: lifecycle.Open, State: "new", Created: t0}
}

func TestDefinitionConditions(t *testing.T) {
	t.Parallel()
	def := sla.Definition{
		Name:   "resolution",
		When:   sla.When{Priorities: []itil.Priority{itil.P2, itil.P3}, Categories: []string{"network"}, Services: []string{"email", "vpn"}, CIClasses: []string{"router"}},
		Start:  sla.Condition{Categories: openCat, States: []string{"triage"}},
		Pause:  sla.Condition{Categories: pausedCat, States: []string{"awaiting_vendor"}},
		Stop:   sla.Condition{Categories: finishedCat},
		Target: sla.Target{Within: 4 * time.Hour},
	}
	ola := sla.Definition{Name: "ola", Type: sla.OLA, Group: "network", Target: sla.Target{Within: time.Hour}}
	resp := sla.Definition{Name: "response", Stop: sla.Condition{Responded: true}, Final: true, Target: sla.Target{Within: time.Hour}}
	ds := compile(t, def, ola, resp)
	base := func(mod func(*sla.Facts)) sla.Facts {
		f := p3()
		f.RecordCategory, f.Services, f.CIClasses, f.Group = "network", []string{"vpn"}, []string{"server", "router"}, "network"
		if mod != nil {
			mod(&f)
		}
		return f
	}
	for _, tt := range []struct {
		name  string
		facts sla.Facts
		want  map[string]sla.Status // absent: no clock
	}{
		{"all conditions met", base(nil), map[string]sla.Status{"resolution": sla.Running, "ola": sla.Running, "response": sla.Running}},
		{"other priority", base(func(f *sla.Facts) { f.Priority = itil.P1 }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
		{"other record category", base(func(f *sla.Facts) { f.RecordCategory = "hardware" }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
		{"no service of the list", base(func(f *sla.Facts) { f.Services = []string{"erp"} }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
		{"no CI class of the list", base(func(f *sla.Facts) { f.CIClasses = nil }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
		{"another group", base(func(f *sla.Facts) { f.Group = "desktop" }), map[string]sla.Status{"resolution": sla.Running, "response": sla.Running}},
		{"start by state name", base(func(f *sla.Facts) { f.Category, f.State = lifecycle.Paused, "triage" }), map[string]sla.Status{"resolution": sla.Paused, "ola": sla.Running, "response": sla.Running}},
		{"paused category: no start", base(func(f *sla.Facts) { f.Category, f.State = lifecycle.Paused, "on_hold" }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
		{"responded", base(func(f *sla.Facts) { f.Responded = true }), map[string]sla.Status{"resolution": sla.Running, "ola": sla.Running, "response": sla.Stopped}},
		{"resolved at once", base(func(f *sla.Facts) { f.Category, f.State = lifecycle.Resolved, "resolved" }), map[string]sla.Status{"ola": sla.Running, "response": sla.Running}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ts sla.Timers
			_, err := ts.Apply(ds, tt.facts, t0)
			require.NoError(t, err)
			got := map[string]sla.Status{}
			for _, tm := range ts.List {
				got[tm.Name] = tm.Clock.Status
			}
			assert.Equal(t, tt.want, got)
		})
	}

	// A running clock follows its pause and stop conditions.
	var ts sla.Timers
	_, err := ts.Apply(ds, base(nil), t0)
	require.NoError(t, err)
	for _, step := range []struct {
		name string
		mod  func(*sla.Facts)
		want sla.Status
	}{
		{"paused category", func(f *sla.Facts) { f.Category, f.State = lifecycle.Paused, "on_hold" }, sla.Paused},
		{"paused by state name", func(f *sla.Facts) { f.State = "awaiting_vendor" }, sla.Paused},
		{"open again", nil, sla.Running},
		{"no longer applies", func(f *sla.Facts) { f.Priority = itil.P4 }, sla.Stopped},
		{"applies again", nil, sla.Running},
		{"resolved", func(f *sla.Facts) { f.Category, f.State = lifecycle.Resolved, "resolved" }, sla.Stopped},
		{"reopened", nil, sla.Running},
	} {
		_, err := ts.Apply(ds, base(step.mod), after(time.Minute))
		require.NoError(t, err, step.name)
		res, ok := ts.Timer("resolution")
		require.True(t, ok)
		assert.Equal(t, step.want, res.Clock.Status, step.name)
	}
}

func TestDefinitionThresholdsRaisedOnce(t *testing.T) {
	t.Parallel()
	notify := sla.Action{Do: sla.Notify, To: "lead"}
	ds := compile(t, sla.Definition{
		Name: "resolution", Stop: sla.Condition{Categories: finishedCat},
		Target: sla.Target{Within: 4 * time.Hour},
		Thresholds: []sla.Threshold{
			{Percent: 100, Actions: []sla.Action{{Do: sla.Escalate, To: "second-line"}}},
			{Percent: 50, Actions: []sla.Action{notify}},
			{Percent: 75, Actions: []sla.Action{{Do: sla.RaisePriority}}},
		},
	})
	var ts sla.Timers
	_, err := ts.Apply(ds, p3(), t0)
	require.NoError(t, err)
	assert.Equal(t, after(2*time.Hour), ts.Next())

	// A late look reports every threshold passed, at its own instant.
	cs, err := ts.Apply(ds, p3(), after(3*time.Hour+time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []sla.Crossing{
		{Clock: "resolution", Kind: sla.Warning, At: after(2 * time.Hour), Target: 4 * time.Hour, Percent: 50, Actions: []sla.Action{notify}},
		{Clock: "resolution", Kind: sla.Warning, At: after(3 * time.Hour), Target: 4 * time.Hour, Percent: 75, Actions: []sla.Action{{Do: sla.RaisePriority}}},
	}, cs)
	assert.Equal(t, after(4*time.Hour), ts.Next())
	for range 3 {
		cs, err = ts.Apply(ds, p3(), after(3*time.Hour+2*time.Minute))
		require.NoError(t, err)
		assert.Empty(t, cs, "raised once")
	}
	cs, err = ts.Apply(ds, p3(), after(5*time.Hour))
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, sla.Breach, cs[0].Kind)
	assert.Equal(t, 100, cs[0].Percent)
	assert.True(t, ts.Next().IsZero())

	// A higher priority with a shorter target does not raise them again.
	res, _ := ts.Timer("resolution")
	assert.Equal(t, after(4*time.Hour), res.Clock.BreachedAt)
	assert.Len(t, res.Raised, 3)
	f := p3()
	f.Category = lifecycle.Resolved
	_, err = ts.Apply(ds, f, after(6*time.Hour))
	require.NoError(t, err)
	res, _ = ts.Timer("resolution")
	assert.Equal(t, sla.Breached, res.Outcome)
}

func TestDefinitionRetroactiveStart(t *testing.T) {
	t.Parallel()
	for _, retro := range []bool{false, true} {
		ds := compile(t, sla.Definition{
			Name: "assigned", Start: sla.Condition{States: []string{"assigned"}},
			Retroactive: retro, Target: sla.Target{Within: time.Hour},
			Thresholds: []sla.Threshold{{Percent: 50}},
		})
		var ts sla.Timers
		_, err := ts.Apply(ds, p3(), t0)
		require.NoError(t, err)
		assert.Empty(t, ts.List, "not started before its condition holds")
		f := p3()
		f.State = "assigned"
		cs, err := ts.Apply(ds, f, after(40*time.Minute))
		require.NoError(t, err)
		tm, ok := ts.Timer("assigned")
		require.True(t, ok)
		if retro {
			assert.Equal(t, t0, tm.Clock.StartedAt)
			require.Len(t, cs, 1, "the warning at 30 minutes, since the creation")
			assert.Equal(t, after(30*time.Minute), cs[0].At)
			assert.Equal(t, after(time.Hour), ts.Next())
		} else {
			assert.Equal(t, after(40*time.Minute), tm.Clock.StartedAt)
			assert.Empty(t, cs)
			assert.Equal(t, after(70*time.Minute), ts.Next())
		}
	}
}

func TestDefinitionOLAHandoff(t *testing.T) {
	t.Parallel()
	ds := compile(t,
		sla.Definition{Name: "ola-network", Type: sla.OLA, Group: "network", Stop: sla.Condition{Categories: finishedCat}, Target: sla.Target{Within: time.Hour}},
		sla.Definition{Name: "resolution", Stop: sla.Condition{Categories: finishedCat}, Target: sla.Target{Within: 8 * time.Hour}},
	)
	f := p3()
	f.Group = "network"
	var ts sla.Timers
	_, err := ts.Apply(ds, f, t0)
	require.NoError(t, err)
	f.Group = "database"
	require.True(t, ts.Stale(f))
	_, err = ts.Apply(ds, f, after(40*time.Minute))
	require.NoError(t, err)
	require.False(t, ts.Stale(f))
	ola, _ := ts.Timer("ola-network")
	assert.Equal(t, sla.Stopped, ola.Clock.Status)
	assert.Equal(t, sla.Met, ola.Outcome)
	assert.Equal(t, 40*time.Minute, ola.Clock.Accrued)
	res, _ := ts.Timer("resolution")
	assert.Equal(t, sla.Running, res.Clock.Status)

	// Back with the group: its time counts on against the same target.
	f.Group = "network"
	_, err = ts.Apply(ds, f, after(2*time.Hour))
	require.NoError(t, err)
	ola, _ = ts.Timer("ola-network")
	assert.Equal(t, sla.Running, ola.Clock.Status)
	assert.Equal(t, sla.Pending, ola.Outcome)
	assert.Equal(t, after(2*time.Hour+20*time.Minute), ola.Due)
	cs, err := ts.Apply(ds, f, after(3*time.Hour))
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, sla.Breach, cs[0].Kind)
	assert.Equal(t, "ola-network", cs[0].Clock)
}

func TestPolicyDefinitionsMatchSet(t *testing.T) {
	t.Parallel()
	pol, _ := officePolicy(t)
	ds, err := pol.Definitions()
	require.NoError(t, err)
	steps := []struct {
		at time.Duration
		f  sla.Facts
	}{
		{0, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}},
		{2 * time.Hour, sla.Facts{Priority: itil.P3, Category: lifecycle.Paused}},
		{5 * time.Hour, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}},
		{6 * time.Hour, sla.Facts{Priority: itil.P2, Category: lifecycle.Open, Responded: true}},
		{30 * time.Hour, sla.Facts{Priority: itil.P2, Category: lifecycle.Open, Responded: true}},
		{31 * time.Hour, sla.Facts{Priority: itil.P2, Category: lifecycle.Resolved, Responded: true}},
		{32 * time.Hour, sla.Facts{Priority: itil.P2, Category: lifecycle.Open, Responded: true}},
		{80 * time.Hour, sla.Facts{Priority: itil.P2, Category: lifecycle.Closed, Responded: true}},
	}
	var set sla.Set
	var ts sla.Timers
	for _, s := range steps {
		want, err := set.Apply(pol, s.f, after(s.at))
		require.NoError(t, err)
		got, err := ts.Apply(ds, s.f, after(s.at))
		require.NoError(t, err)
		require.Len(t, got, len(want), "at %v", s.at)
		for i := range want {
			assert.Equal(t, want[i].Clock, got[i].Clock, "at %v", s.at)
			assert.Equal(t, want[i].Kind, got[i].Kind, "at %v", s.at)
			assert.Equal(t, want[i].At, got[i].At, "at %v", s.at)
		}
		for _, c := range []sla.Clock{set.Response, set.Resolution} {
			tm, ok := ts.Timer(c.Name)
			require.True(t, ok, c.Name)
			assert.Equal(t, c.Status, tm.Clock.Status, "%s at %v", c.Name, s.at)
			assert.Equal(t, c.Accrued, tm.Clock.Accrued, "%s at %v", c.Name, s.at)
			assert.Equal(t, c.Deadline, tm.Clock.Deadline, "%s at %v", c.Name, s.at)
			assert.Equal(t, c.Target, tm.Clock.Target, "%s at %v", c.Name, s.at)
		}
	}
}

func TestNewDefinitionsRefuses(t *testing.T) {
	t.Parallel()
	ok := func() sla.Definition {
		return sla.Definition{Name: "resolution", Target: sla.Target{Within: time.Hour}}
	}
	with := func(mod func(*sla.Definition)) []sla.Definition {
		d := ok()
		mod(&d)
		return []sla.Definition{d}
	}
	for _, tt := range []struct {
		name  string
		defs  []sla.Definition
		cals  map[string]*sla.Calendar
		field string
	}{
		{"none", nil, nil, "definitions"},
		{"no name", with(func(d *sla.Definition) { d.Name = "" }), nil, "definitions[0].name"},
		{"duplicate name", []sla.Definition{ok(), ok()}, nil, "definitions[1].name"},
		{"unknown type", with(func(d *sla.Definition) { d.Type = 7 }), nil, "definitions[0].type"},
		{"OLA without group", with(func(d *sla.Definition) { d.Type = sla.OLA }), nil, "definitions[0].group"},
		{"SLA with group", with(func(d *sla.Definition) { d.Group = "network" }), nil, "definitions[0].group"},
		{"unknown state category", with(func(d *sla.Definition) {
			d.Stop.Categories = []lifecycle.Category{lifecycle.Resolved, 9}
		}), nil, "definitions[0].stop.categories[1]"},
		{"empty state name", with(func(d *sla.Definition) { d.Pause.States = []string{""} }), nil, "definitions[0].pause.states[0]"},
		{"bad priority condition", with(func(d *sla.Definition) { d.When.Priorities = []itil.Priority{0} }), nil, "definitions[0].when.priorities[0]"},
		{"NUL in a service", with(func(d *sla.Definition) { d.When.Services = []string{"a\x00"} }), nil, "definitions[0].when.services[0]"},
		{"zero target", with(func(d *sla.Definition) { d.Target = sla.Target{} }), nil, "definitions[0].target.within"},
		{"negative target", with(func(d *sla.Definition) { d.Target.Within = -time.Minute }), nil, "definitions[0].target.within"},
		{"zero target of a priority", with(func(d *sla.Definition) { d.Targets = map[itil.Priority]sla.Target{itil.P2: {}} }), nil, "definitions[0].targets.P2.within"},
		{"unknown calendar", with(func(d *sla.Definition) { d.Target.Calendar = "office" }), nil, "definitions[0].target.calendar"},
		{"unknown calendar of a priority", with(func(d *sla.Definition) {
			d.Targets = map[itil.Priority]sla.Target{itil.P1: {Within: time.Hour, Calendar: "office"}}
		}), map[string]*sla.Calendar{"business": sla.Always()}, "definitions[0].targets.P1.calendar"},
		{"missing calendar", []sla.Definition{ok()}, map[string]*sla.Calendar{"business": nil}, "calendars[business]"},
		{"threshold above 100", with(func(d *sla.Definition) { d.Thresholds = []sla.Threshold{{Percent: 50}, {Percent: 101}} }), nil, "definitions[0].thresholds[1].percent"},
		{"threshold below 1", with(func(d *sla.Definition) { d.Thresholds = []sla.Threshold{{Percent: 0}} }), nil, "definitions[0].thresholds[0].percent"},
		{"threshold twice", with(func(d *sla.Definition) { d.Thresholds = []sla.Threshold{{Percent: 50}, {Percent: 50}} }), nil, "definitions[0].thresholds[1].percent"},
		{"unknown action", with(func(d *sla.Definition) {
			d.Thresholds = []sla.Threshold{{Percent: 50, Actions: []sla.Action{{Do: sla.Notify, To: "x"}, {Do: 42}}}}
		}), nil, "definitions[0].thresholds[0].actions[1].do"},
		{"reassign without group", with(func(d *sla.Definition) {
			d.Thresholds = []sla.Threshold{{Percent: 75, Actions: []sla.Action{{Do: sla.Reassign}}}}
		}), nil, "definitions[0].thresholds[0].actions[0].to"},
		{"escalate without group", with(func(d *sla.Definition) {
			d.Thresholds = []sla.Threshold{{Percent: 75, Actions: []sla.Action{{Do: sla.Escalate}}}}
		}), nil, "definitions[0].thresholds[0].actions[0].to"},
		{"notify nobody", with(func(d *sla.Definition) {
			d.Thresholds = []sla.Threshold{{Percent: 75, Actions: []sla.Action{{Do: sla.Notify}}}}
		}), nil, "definitions[0].thresholds[0].actions[0].to"},
		{"raise priority naming someone", with(func(d *sla.Definition) {
			d.Thresholds = []sla.Threshold{{Percent: 75, Actions: []sla.Action{{Do: sla.RaisePriority, To: "x"}}}}
		}), nil, "definitions[0].thresholds[0].actions[0].to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sla.NewDefinitions(sla.DefinitionsConfig{Calendars: tt.cals, Definitions: tt.defs})
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, ve.Reason)
		})
	}
}

func TestDefinitionsJSONRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, field string }{
		{`[]`, "definitions"},
		{`{"definitions":{}}`, "definitions"},
		{`{"definitions":[{"name":"r","target":{"within":"1h"},"stop":{"categories":["open","done"]}}]}`, "definitions[0].stop.categories[1]"},
		{`{"definitions":[{"name":"r","type":"xla","target":{"within":"1h"}}]}`, "definitions[0].type"},
		{`{"definitions":[{"name":"r","target":{"within":"soon"}}]}`, "definitions[0].target.within"},
		{`{"definitions":[{"name":"r","targets":{"P9":{"within":"1h"}}}]}`, "definitions[0].targets"},
		{`{"definitions":[{"name":"r","targets":{"P1":{"within":"1h"},"p1":{"within":"2h"}}}]}`, "definitions[0].targets.p1"},
		{`{"definitions":[{"name":"r","target":{"within":"1h"},"thresholds":[{"percent":50,"actions":[{"do":"page"}]}]}]}`, "definitions[0].thresholds[0].actions[0].do"},
		{`{"definitions":[{"name":"r","target":{"within":"1h"},"when":{"priorities":["P0"]}}]}`, "definitions[0].when.priorities[0]"},
		{`{"definitions":[{"name":"r","target":{"within":"1h"},"thresholds":[{"percent":"50"}]}]}`, "definitions[0].thresholds.percent"},
		{`{"definitions":[{"name":"r","target":{"within":"1h"},"thresholds":[{"percent":150}]}]}`, "definitions[0].thresholds[0].percent"},
		{"{\"definitions\":[{\"name\":\"r\xff\",\"target\":{\"within\":\"1h\"}}]}", "definitions[0]"},
		{`{"calendars":{"office":{"zone":"Nowhere/City"}},"definitions":[]}`, "calendars[office].zone"},
		{`{"definitions":[{"name":"r","target":{"within":"1h","calendar":"office"}}]}`, "definitions[0].target.calendar"},
		{`{"definitions":[{"name":"o","type":"ola","target":{"within":"1h"}}]}`, "definitions[0].group"},
	} {
		var ds sla.Definitions
		err := json.Unmarshal([]byte(tt.in), &ds)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tt.in)
		assert.Equal(t, tt.field, ve.Field, "%s: %s", tt.in, ve.Reason)
	}
}

func TestDefinitionsJSONRoundTrip(t *testing.T) {
	t.Parallel()
	pol, _ := officePolicy(t)
	conv, err := pol.Definitions()
	require.NoError(t, err)
	cfg := conv.Config()
	cfg.Definitions = append(cfg.Definitions, sla.Definition{
		Name: "ola-network", Type: sla.OLA, Group: "network",
		When:        sla.When{Priorities: []itil.Priority{itil.P1, itil.P2}, Categories: []string{"network"}, Services: []string{"vpn"}, CIClasses: []string{"router"}},
		Start:       sla.Condition{Categories: openCat, States: []string{"triage"}},
		Pause:       sla.Condition{Categories: pausedCat},
		Stop:        sla.Condition{Categories: finishedCat, Responded: true},
		Final:       true,
		Retroactive: true,
		Target:      sla.Target{Within: 2 * time.Hour, Calendar: "business"},
		Targets:     map[itil.Priority]sla.Target{itil.P1: {Within: 30 * time.Minute}},
		Thresholds: []sla.Threshold{
			{Percent: 50, Actions: []sla.Action{{Do: sla.Notify, To: "network-lead"}, {Do: sla.RaisePriority}}},
			{Percent: 100, Actions: []sla.Action{{Do: sla.Escalate, To: "network-2nd"}, {Do: sla.Reassign, To: "network-3rd"}}},
		},
	})
	ds, err := sla.NewDefinitions(cfg)
	require.NoError(t, err)
	b, err := json.Marshal(ds)
	require.NoError(t, err)
	var back sla.Definitions
	require.NoError(t, json.Unmarshal(b, &back), string(b))
	assert.Equal(t, ds.Config().Definitions, back.Config().Definitions)
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(again))

	// The clocks of a record round-trip too.
	var ts sla.Timers
	f := p3()
	f.Group, f.RecordCategory, f.Priority = "network", "network", itil.P2
	_, err = ts.Apply(ds, f, t0)
	require.NoError(t, err)
	_, err = ts.Apply(ds, f, after(90*time.Minute))
	require.NoError(t, err)
	tb, err := json.Marshal(ts)
	require.NoError(t, err)
	var tback sla.Timers
	require.NoError(t, json.Unmarshal(tb, &tback), string(tb))
	assert.Equal(t, ts, tback)
}
