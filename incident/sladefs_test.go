package incident_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sla"
)

var (
	pausedCats   = []lifecycle.Category{lifecycle.Paused}
	finishedCats = []lifecycle.Category{lifecycle.Resolved, lifecycle.Closed, lifecycle.Cancelled}
)

// slaDefinitions compiles defs, 24x7, failing the test on error.
func slaDefinitions(t testing.TB, defs ...sla.Definition) *sla.Definitions {
	t.Helper()
	ds, err := sla.NewDefinitions(sla.DefinitionsConfig{Definitions: defs})
	require.NoError(t, err)
	return ds
}

// defsDesk returns a desk over st running defs, on the real (in a bubble:
// the fake) clock.
func defsDesk(t testing.TB, st lifecycle.Store, defs *sla.Definitions) *incident.Desk {
	t.Helper()
	desk, err := incident.NewDesk(st, incident.Config{SLADefinitions: defs, Logger: teststores.Quiet})
	require.NoError(t, err)
	return desk
}

// timer returns the incident's clock of definition name.
func timer(t testing.TB, inc *incident.Incident, name string) sla.Timer {
	t.Helper()
	tm, ok := inc.SLATimers.Timer(name)
	require.True(t, ok, "no clock %q in %+v", name, inc.SLATimers)
	return tm
}

// fieldsOf returns a change's fields by name.
func fieldsOf(c lifecycle.Change) map[string]string {
	out := map[string]string{}
	for _, f := range c.Fields {
		out[f.Field] = f.New
	}
	return out
}

// withGroup gives dr to the network group.
func withGroup(dr incident.Draft) incident.Draft {
	dr.Group = "network"
	return dr
}

// sweep sweeps with desk at the bubble's now.
func sweep(t testing.TB, desk *incident.Desk) incident.SweepReport {
	t.Helper()
	rep, err := desk.Sweep(t.Context(), time.Now())
	require.NoError(t, err)
	return rep
}

func TestSLADefinitionsOLAStopsOnHandoff(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t,
		sla.Definition{Name: "resolution", Pause: sla.Condition{Categories: pausedCats}, Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 8 * time.Hour}},
		sla.Definition{Name: "ola-network", Type: sla.OLA, Group: "network", Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 2 * time.Hour}},
		sla.Definition{Name: "ola-database", Type: sla.OLA, Group: "database", Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 2 * time.Hour}},
	)
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			desk := defsDesk(t, db.Host(t), defs)
			opened := time.Now().UTC()
			inc, err := desk.Open(ctx, incident.Draft{Title: "VPN down", Caller: alice, Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium, Group: "network"})
			require.NoError(t, err)
			assert.Equal(t, sla.Running, timer(t, inc, "ola-network").Clock.Status)
			_, ok := inc.SLATimers.Timer("ola-database")
			assert.False(t, ok, "not with the database group yet")
			_, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
			require.NoError(t, err)

			// Handed on by an edit (the incident is in progress): the sweep
			// stops the OLA as of the reassignment, 40 minutes in.
			time.Sleep(40 * time.Minute)
			_, err = desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: bob, Group: "database"})
			require.NoError(t, err)
			time.Sleep(10 * time.Minute)
			sweep(t, desk)
			inc, err = desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			ola := timer(t, inc, "ola-network")
			assert.Equal(t, sla.Stopped, ola.Clock.Status)
			assert.Equal(t, sla.Met, ola.Outcome)
			assert.Equal(t, 40*time.Minute, ola.Clock.Accrued)
			db2 := timer(t, inc, "ola-database")
			assert.Equal(t, sla.Running, db2.Clock.Status)
			assert.Equal(t, opened.Add(40*time.Minute), db2.Clock.StartedAt)
			res := timer(t, inc, "resolution")
			assert.Equal(t, sla.Running, res.Clock.Status)
			assert.Equal(t, opened, res.Clock.StartedAt)
			last := journal(t, desk, inc.ID)
			c := last[len(last)-1]
			assert.Equal(t, sla.EventClocks, c.Event)
			assert.Equal(t, "met", fieldsOf(c)["sla.ola-network.outcome"])
			assert.Zero(t, sweep(t, desk), "nothing more to do")

			// The database group keeps it past its OLA; the resolution runs on.
			time.Sleep(2 * time.Hour)
			rep := sweep(t, desk)
			assert.Equal(t, 1, rep.Breaches)
			inc, err = desk.Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.Equal(t, opened.Add(2*time.Hour+40*time.Minute), timer(t, inc, "ola-database").Clock.BreachedAt)
			assert.Equal(t, sla.Running, timer(t, inc, "resolution").Clock.Status)
			assert.True(t, timer(t, inc, "resolution").Clock.BreachedAt.IsZero())

			inc, err = desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: bob, Note: "fixed", Code: "solved_permanently"})
			require.NoError(t, err)
			assert.Equal(t, sla.Breached, timer(t, inc, "ola-database").Outcome)
			assert.Equal(t, sla.Met, timer(t, inc, "resolution").Outcome)
		})
	})
}

func TestSLADefinitionsRetroactiveStart(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t, sla.Definition{
		Name: "work", Start: sla.Condition{States: []string{incident.StateInProgress}}, Retroactive: true,
		Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: time.Hour},
		Thresholds: []sla.Threshold{{Percent: 50}},
	})
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			desk := defsDesk(t, db.Host(t), defs)
			opened := time.Now().UTC()
			inc, err := desk.Open(ctx, withGroup(draft()))
			require.NoError(t, err)
			assert.Empty(t, inc.SLATimers.List, "not in progress yet")
			time.Sleep(45 * time.Minute)
			inc, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
			require.NoError(t, err)
			work := timer(t, inc, "work")
			assert.Equal(t, opened, work.Clock.StartedAt, "counted from the creation")
			assert.Equal(t, []sla.Raised{{Percent: 50, At: opened.Add(30 * time.Minute)}}, work.Raised)
			assert.Equal(t, opened.Add(time.Hour), work.Clock.Deadline)
			cs := journal(t, desk, inc.ID)
			f := fieldsOf(cs[len(cs)-1])
			assert.Equal(t, "warning", f["sla.work"])
			assert.Equal(t, "50", f["sla.work.threshold"])
		})
	})
}

func TestSLADefinitionsPause(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t, sla.Definition{
		Name: "resolution", Pause: sla.Condition{Categories: pausedCats}, Stop: sla.Condition{Categories: finishedCats},
		Target: sla.Target{Within: 8 * time.Hour},
	})
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			desk := defsDesk(t, db.Host(t), defs)
			inc, err := desk.Open(ctx, withGroup(draft()))
			require.NoError(t, err)
			_, err = desk.Start(ctx, incident.Params{ID: inc.ID, By: bob})
			require.NoError(t, err)
			time.Sleep(time.Hour)
			inc, err = desk.Hold(ctx, incident.HoldParams{ID: inc.ID, By: bob, Reason: incident.AwaitingVendor})
			require.NoError(t, err)
			res := timer(t, inc, "resolution")
			assert.Equal(t, sla.Paused, res.Clock.Status)
			assert.True(t, res.Due.IsZero())
			time.Sleep(10 * time.Hour) // past the target, paused
			assert.Zero(t, sweep(t, desk))
			inc, err = desk.Resume(ctx, incident.Params{ID: inc.ID, By: bob})
			require.NoError(t, err)
			res = timer(t, inc, "resolution")
			assert.Equal(t, sla.Running, res.Clock.Status)
			assert.Equal(t, time.Hour, res.Clock.Accrued)
			assert.Equal(t, 10*time.Hour, res.Clock.PausedFor)
			assert.Equal(t, time.Now().UTC().Add(7*time.Hour), res.Clock.Deadline)
		})
	})
}

func TestSLADefinitionsThresholdActionsOnceAcrossDesks(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t, sla.Definition{
		Name: "resolution", Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 4 * time.Hour},
		Thresholds: []sla.Threshold{
			{Percent: 50, Actions: []sla.Action{{Do: sla.Notify, To: "duty-manager"}, {Do: sla.Notify, To: "network-lead"}}},
			{Percent: 75, Actions: []sla.Action{{Do: sla.RaisePriority}, {Do: sla.Reassign, To: "network-senior"}}},
			{Percent: 100, Actions: []sla.Action{{Do: sla.Escalate, To: "network-2nd"}}},
		},
	})
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			desks := []*incident.Desk{defsDesk(t, db.Host(t), defs), defsDesk(t, db.Host(t), defs)}
			opened := time.Now().UTC()
			inc, err := desks[0].Open(ctx, incident.Draft{Title: "VPN down", Caller: alice, Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium, Group: "network", Assignee: "bob"})
			require.NoError(t, err)
			require.Equal(t, itil.P3, inc.Priority)

			// sweepBoth sweeps twice from each desk at once and sums the
			// reports.
			sweepBoth := func() incident.SweepReport {
				var mu sync.Mutex
				var sum incident.SweepReport
				var wg sync.WaitGroup
				for i := range 4 {
					wg.Go(func() {
						rep, err := desks[i%2].Sweep(ctx, time.Now())
						assert.NoError(t, err)
						mu.Lock()
						sum.Warnings += rep.Warnings
						sum.Breaches += rep.Breaches
						sum.Actions += rep.Actions
						mu.Unlock()
					})
				}
				wg.Wait()
				return sum
			}
			for _, step := range []struct {
				sleep time.Duration
				want  incident.SweepReport
			}{
				{time.Hour, incident.SweepReport{}},
				{time.Hour, incident.SweepReport{Warnings: 1, Actions: 2}},
				{0, incident.SweepReport{}},
				{time.Hour, incident.SweepReport{Warnings: 1, Actions: 2}},
				{30 * time.Minute, incident.SweepReport{}},
				{30 * time.Minute, incident.SweepReport{Breaches: 1, Actions: 1}},
				{time.Hour, incident.SweepReport{}},
			} {
				time.Sleep(step.sleep)
				assert.Equal(t, step.want, sweepBoth(), "after %v", time.Since(opened))
			}

			inc, err = desks[1].Get(ctx, inc.ID)
			require.NoError(t, err)
			assert.Equal(t, itil.P2, inc.Priority, "raised one step")
			assert.Equal(t, "network-2nd", inc.Group)
			assert.Empty(t, inc.Assignee)
			assert.Equal(t, 2, inc.Reassignments)
			assert.Equal(t, 2, inc.Tier)
			assert.Equal(t, 1, inc.Escalations)
			res := timer(t, inc, "resolution")
			assert.Equal(t, []sla.Raised{
				{Percent: 50, At: opened.Add(2 * time.Hour)},
				{Percent: 75, At: opened.Add(3 * time.Hour)},
				{Percent: 100, At: opened.Add(4 * time.Hour)},
			}, res.Raised)

			var sweeps []map[string]string
			for _, c := range journal(t, desks[0], inc.ID) {
				if c.Event == sla.EventWarning || c.Event == sla.EventBreach {
					sweeps = append(sweeps, fieldsOf(c))
				}
			}
			require.Len(t, sweeps, 3)
			assert.Equal(t, map[string]string{
				"sla.resolution": "warning", "sla.resolution.threshold": "50",
				"sla.resolution.50.notify": "duty-manager, network-lead",
			}, sweeps[0])
			assert.Equal(t, map[string]string{
				"sla.resolution": "warning", "sla.resolution.threshold": "75",
				"priority": "P2", "reassignments": "1", "group": "network-senior", "assignee": "",
			}, sweeps[1])
			assert.Equal(t, map[string]string{
				"sla.resolution": "breach", "sla.resolution.threshold": "100",
				"tier": "2", "escalations": "1", "reassignments": "2", "group": "network-2nd",
			}, sweeps[2])
		})
	})
}

func TestSLADefinitionsResumeAfterRestart(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t, sla.Definition{
		Name: "resolution", Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 4 * time.Hour},
		Thresholds: []sla.Threshold{{Percent: 50}, {Percent: 75}},
	})
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			opened := time.Now().UTC()
			inc, err := defsDesk(t, db.Host(t), defs).Open(ctx, draft())
			require.NoError(t, err)

			time.Sleep(3*time.Hour + 30*time.Minute)
			restarted := defsDesk(t, db.Host(t), defs)
			assert.Equal(t, incident.SweepReport{Warnings: 2}, sweep(t, restarted))
			inc, err = restarted.Get(ctx, inc.ID)
			require.NoError(t, err)
			res := timer(t, inc, "resolution")
			assert.Equal(t, opened, res.Clock.StartedAt)
			assert.Equal(t, []sla.Raised{{Percent: 50, At: opened.Add(2 * time.Hour)}, {Percent: 75, At: opened.Add(3 * time.Hour)}}, res.Raised)
			assert.Equal(t, opened.Add(4*time.Hour), res.Due)

			// The incident, clocks and all, round-trips through JSON.
			b, err := json.Marshal(inc)
			require.NoError(t, err)
			var back incident.Incident
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, inc.SLATimers, back.SLATimers)
		})
	})
}

func TestSLADefinitionsFromPolicy(t *testing.T) {
	t.Parallel()
	defs, err := sla.DefaultPolicy().Definitions()
	require.NoError(t, err)
	f := newFixture(t, incident.Config{SLADefinitions: defs})
	ctx := t.Context()
	inc := f.open(t, withPriority(itil.P1))
	assert.Equal(t, sla.Idle, inc.SLA.Resolution.Status, "the policy's clocks stay idle")
	assert.Equal(t, 4*time.Hour, timer(t, inc, sla.ResolutionClock).Clock.Target)
	f.clock.Advance(16 * time.Minute)
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, incident.SweepReport{Warnings: 1, Breaches: 1}, rep)
	cs := journal(t, f.desk, inc.ID)
	c := cs[len(cs)-1]
	assert.Equal(t, incident.EventSLABreach, c.Event)
	assert.Equal(t, "warning+breach", fieldsOf(c)["sla.response"])

	inc, err = f.desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: carol, Impact: itil.ImpactMedium, Urgency: itil.UrgencyMedium, Note: "one user"})
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour, timer(t, inc, sla.ResolutionClock).Clock.Target, "retargeted to P3")
}

// impact says every CI affects the shop.
type impact struct{}

func (impact) Services(context.Context, ...string) ([]string, error) { return []string{"shop"}, nil }

func TestSLADefinitionsServicesAndCIClasses(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t,
		sla.Definition{Name: "shop", When: sla.When{Services: []string{"shop"}}, Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 2 * time.Hour}},
		sla.Definition{Name: "database", When: sla.When{CIClasses: []string{"database"}}, Stop: sla.Condition{Categories: finishedCats}, Target: sla.Target{Within: 4 * time.Hour}},
		sla.Definition{Name: "servers", When: sla.When{CIClasses: []string{"server"}}, Target: sla.Target{Within: 4 * time.Hour}},
	)
	f := newFixture(t, incident.Config{SLADefinitions: defs, Services: impact{}, Classifier: classes{"shop-db": "database"}})
	ctx := t.Context()
	opened := f.clock.Now()
	inc := f.open(t, func(dr *incident.Draft) { dr.CIs = []string{"shop-db"} })
	assert.Equal(t, []string{"shop"}, inc.Services)
	assert.Equal(t, sla.Running, timer(t, inc, "database").Clock.Status)
	_, ok := inc.SLATimers.Timer("servers")
	assert.False(t, ok)

	// The services Open found after the clocks started reach them on the
	// first sweep, as of the creation.
	f.clock.Advance(time.Minute)
	rep, err := f.desk.Sweep(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Zero(t, rep)
	inc, err = f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, opened, timer(t, inc, "shop").Clock.StartedAt)
	assert.Equal(t, opened.Add(2*time.Hour), timer(t, inc, "shop").Due)
}

func TestSLADefinitionsUnknownState(t *testing.T) {
	t.Parallel()
	defs := slaDefinitions(t, sla.Definition{Name: "vendor", Start: sla.Condition{States: []string{incident.StateInProgress}},
		Pause: sla.Condition{States: []string{incident.StateOnHold, "awaiting_vendor"}}, Target: sla.Target{Within: time.Hour}})
	_, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{SLADefinitions: defs})
	requireValidation(t, err, "SLADefinitions.definitions[0].pause.states[1]")
}
