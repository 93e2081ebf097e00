package incident_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/notify"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// pagingMonday is a Monday at 09:00 UTC, when the paging tests' rotations
// start.
var pagingMonday = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// pagingSchedules are the on-call schedules of the paging tests:
//
//   - "network": ann and bob take daily turns, handed off at 09:00 (the
//     night layer); eva covers the office hours, 09:00 to 17:00 on
//     weekdays, on top; fay overrides Monday from 17:20 to 17:40.
//   - "managers": mia, all week.
func pagingSchedules(t testing.TB) escalation.Schedules {
	t.Helper()
	network, err := oncall.New(oncall.Config{
		Layers: []oncall.Layer{
			{Name: "night", Users: []string{"ann", "bob"}, Start: pagingMonday, Turn: oncall.Daily()},
			{Name: "office", Users: []string{"eva"}, Start: pagingMonday, Turn: oncall.Weekly(),
				Restrictions: []oncall.Restriction{oncall.DailyWindow(9*time.Hour, 17*time.Hour, oncall.Weekdays()...)}},
		},
		Overrides: []oncall.Override{{User: "fay", From: pagingMonday.Add(8*time.Hour + 20*time.Minute), Until: pagingMonday.Add(8*time.Hour + 40*time.Minute)}},
	})
	require.NoError(t, err)
	managers, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Name: "managers", Users: []string{"mia"}, Start: pagingMonday, Turn: oncall.Weekly()}}})
	require.NoError(t, err)
	return escalation.Schedules{"network": network, "managers": managers}
}

// pagingPolicy is the P1 policy: the network engineer on call, then, 15
// minutes unacknowledged, the manager on call and the duty group; repeats
// times again, 30 minutes after the second level.
func pagingPolicy(t testing.TB, repeats int) *escalation.Policy {
	t.Helper()
	p, err := escalation.New(escalation.Config{
		Name: "p1",
		Levels: []escalation.Level{
			{Targets: []escalation.Target{{Schedule: "network"}}, Delay: 15 * time.Minute},
			{Targets: []escalation.Target{{Schedule: "managers"}, {Group: "duty"}}, Delay: 30 * time.Minute},
		},
		Repeats: repeats,
	})
	require.NoError(t, err)
	return p
}

// pagingConfig pages P1 incidents by pagingPolicy.
func pagingConfig(t testing.TB, repeats int) incident.Paging {
	return incident.Paging{
		Policies:  []*escalation.Policy{pagingPolicy(t, repeats)},
		Schedules: pagingSchedules(t),
		Rules:     []incident.PagingRule{{Name: "critical", Priorities: []itil.Priority{itil.P1}, Policy: "p1"}},
	}
}

// pagingDesk returns a desk over st on the clock of its bubble that pages
// by pg.
func pagingDesk(t testing.TB, st lifecycle.Store, pg incident.Paging) *incident.Desk {
	t.Helper()
	desk, err := incident.NewDesk(st, incident.Config{Logger: teststores.Quiet, Paging: pg})
	require.NoError(t, err)
	return desk
}

// inPagingBubble runs f in a synctest bubble whose clock starts on
// pagingMonday at 10:00 plus after: eva is on call for the network.
func inPagingBubble(t *testing.T, after time.Duration, f func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(pagingMonday.Add(time.Hour + after)))
		f(t)
	})
}

// pagingOpen opens a P1 incident (or, with p, one of that priority).
func pagingOpen(t testing.TB, desk *incident.Desk, p itil.Priority) *incident.Incident {
	t.Helper()
	dr := draft()
	withPriority(p)(&dr)
	inc, err := desk.Open(t.Context(), dr)
	require.NoError(t, err)
	return inc
}

// pagesOf returns the pages of an incident's journal, as
// "<clock time> <page>".
func pagesOf(t testing.TB, desk *incident.Desk, id uuid.UUID) []string {
	t.Helper()
	var out []string
	for _, c := range journal(t, desk, id) {
		if pg, ok := escalation.PageOf(c); ok {
			out = append(out, pg.At.UTC().Format("15:04")+" "+pg.String())
		}
	}
	return out
}

// pagingSweep sweeps the desk now and returns the pages it sent.
func pagingSweep(t testing.TB, desk *incident.Desk) int {
	t.Helper()
	rep, err := desk.Sweep(t.Context(), time.Now())
	require.NoError(t, err)
	return rep.Pages
}

const (
	pageL1 = "level 1, round 1: eva (network)"
	pageL2 = "level 2, round 1: mia (managers), group duty"
)

// TestPagingEscalatesUntilAcknowledged opens a P1 incident on every store:
// level 1 is paged at once, level 2 after 15 minutes unacknowledged, each
// once however often the desk sweeps; the acknowledgement stops the
// paging and is journaled. A P3 incident pages nobody.
func TestPagingEscalatesUntilAcknowledged(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inPagingBubble(t, 0, func(t *testing.T) {
			ctx := t.Context()
			desk := pagingDesk(t, db.Host(t), pagingConfig(t, 1))
			inc := pagingOpen(t, desk, itil.P1)
			quiet := pagingOpen(t, desk, itil.P3)
			assert.Equal(t, []string{"10:00 " + pageL1}, pagesOf(t, desk, inc.ID), "paged as it opened")
			assert.Equal(t, int64(2), inc.Version, "Open returns the incident as paged")
			assert.Equal(t, escalation.Paging, inc.Paging.Status())
			creation := journal(t, desk, inc.ID)[0]
			assert.Contains(t, creation.Note, "paging by policy p1 (rule critical)")

			assert.Zero(t, pagingSweep(t, desk), "level 1 was paged")
			time.Sleep(14 * time.Minute)
			assert.Zero(t, pagingSweep(t, desk), "level 1 waits 15 minutes")
			time.Sleep(time.Minute)
			assert.Equal(t, 1, pagingSweep(t, desk))
			assert.Zero(t, pagingSweep(t, desk), "once")
			assert.Equal(t, []string{"10:00 " + pageL1, "10:15 " + pageL2}, pagesOf(t, desk, inc.ID))

			time.Sleep(5 * time.Minute)
			got, err := desk.Acknowledge(ctx, incident.Params{ID: inc.ID, By: bob, Note: "on it"})
			require.NoError(t, err)
			assert.Equal(t, escalation.Acknowledged, got.Paging.Status())
			assert.Equal(t, "bob", got.Paging.AcknowledgedBy)
			acks := changesNamed(t, desk, inc.ID, incident.EventAcknowledge)
			require.Len(t, acks, 1)
			fc, ok := field(acks[0], "paging")
			require.True(t, ok)
			assert.Equal(t, "acknowledged", fc.New)
			assert.Equal(t, "on it", acks[0].Note)

			// Acknowledged again (a second click): nothing changes.
			again, err := desk.Acknowledge(ctx, incident.Params{ID: inc.ID, By: bob})
			require.NoError(t, err)
			assert.Equal(t, got.Version, again.Version)

			time.Sleep(2 * time.Hour)
			assert.Zero(t, pagingSweep(t, desk), "acknowledged: no more pages")
			assert.Len(t, pagesOf(t, desk, inc.ID), 2)
			assert.Empty(t, pagesOf(t, desk, quiet.ID), "no rule pages a P3")
			q, err := desk.Get(ctx, quiet.ID)
			require.NoError(t, err)
			assert.Equal(t, escalation.Idle, q.Paging.Status())
		})
	})
}

// TestPagingRepeats leaves a P1 incident unacknowledged: the policy runs
// twice through its levels, then stops paging.
func TestPagingRepeats(t *testing.T) {
	t.Parallel()
	inPagingBubble(t, 0, func(t *testing.T) {
		desk := pagingDesk(t, teststores.Memstore(t).Host(t), pagingConfig(t, 1))
		inc := pagingOpen(t, desk, itil.P1)
		for range 12 {
			time.Sleep(10 * time.Minute)
			pagingSweep(t, desk)
		}
		assert.Equal(t, []string{
			"10:00 " + pageL1,
			"10:15 " + pageL2,
			"10:45 level 1, round 2: eva (network)",
			"11:00 level 2, round 2: mia (managers), group duty",
		}, pagesOf(t, desk, inc.ID), "due at 10:15 and 10:45: sent by the sweeps at 10:20 and 10:50, as of their instants")
		got, err := desk.Get(t.Context(), inc.ID)
		require.NoError(t, err)
		assert.Equal(t, escalation.Exhausted, got.Paging.Status())
	})
}

// TestPagingFollowsTheSchedule pages a P1 incident opened at 16:30 all
// evening, by a policy of one level every 20 minutes: the office layer's
// eva until 17:00, then the night layer's ann, except for the page that
// falls in fay's override.
func TestPagingFollowsTheSchedule(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inPagingBubble(t, 6*time.Hour+30*time.Minute, func(t *testing.T) {
			night, err := escalation.New(escalation.Config{Name: "night", Levels: []escalation.Level{
				{Targets: []escalation.Target{{Schedule: "network"}}, Delay: 20 * time.Minute}}, Repeats: 4})
			require.NoError(t, err)
			desk := pagingDesk(t, db.Host(t), incident.Paging{
				Policies: []*escalation.Policy{night}, Schedules: pagingSchedules(t),
				Rules: []incident.PagingRule{{Policy: "night"}},
			})
			inc := pagingOpen(t, desk, itil.P1)
			for range 10 {
				time.Sleep(10 * time.Minute)
				pagingSweep(t, desk)
			}
			assert.Equal(t, []string{
				"16:30 level 1, round 1: eva (network)",
				"16:50 level 1, round 2: eva (network)",
				"17:10 level 1, round 3: ann (network)", // the office closed at 17:00
				"17:30 level 1, round 4: fay (network)", // the override, 17:20 to 17:40
				"17:50 level 1, round 5: ann (network)",
			}, pagesOf(t, desk, inc.ID))
		})
	})
}

// TestPagingResumesAfterARestart stops the desk between the levels: a desk
// started on the same store pages level 2 when it falls due, and level 1
// not again.
func TestPagingResumesAfterARestart(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inPagingBubble(t, 0, func(t *testing.T) {
			first := pagingDesk(t, db.Host(t), pagingConfig(t, 1))
			inc := pagingOpen(t, first, itil.P1)
			time.Sleep(10 * time.Minute)
			assert.Zero(t, pagingSweep(t, first))

			// The host stops; another starts on the same store.
			second := pagingDesk(t, db.Host(t), pagingConfig(t, 1))
			time.Sleep(5 * time.Minute)
			assert.Equal(t, 1, pagingSweep(t, second))
			assert.Equal(t, []string{"10:00 " + pageL1, "10:15 " + pageL2}, pagesOf(t, second, inc.ID))
			got, err := second.Get(t.Context(), inc.ID)
			require.NoError(t, err)
			assert.Equal(t, 2, got.Paging.Level)
			assert.Equal(t, 1, got.Paging.Round)
		})
	})
}

// TestPagingTwoDesksPageOnce sweeps one store from two desks at once, step
// by step through an escalation of several incidents: each page is sent
// once.
func TestPagingTwoDesksPageOnce(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inPagingBubble(t, 0, func(t *testing.T) {
			desks := []*incident.Desk{pagingDesk(t, db.Host(t), pagingConfig(t, 1)), pagingDesk(t, db.Host(t), pagingConfig(t, 1))}
			var ids []uuid.UUID
			for i := range 4 {
				ids = append(ids, pagingOpen(t, desks[i%2], itil.P1).ID)
			}
			total := 0
			for _, wait := range []time.Duration{15 * time.Minute, 30 * time.Minute, 15 * time.Minute, time.Hour} {
				time.Sleep(wait)
				var mu sync.Mutex
				var wg sync.WaitGroup
				for _, d := range desks {
					wg.Go(func() {
						rep, err := d.Sweep(t.Context(), time.Now())
						assert.NoError(t, err)
						mu.Lock()
						total += rep.Pages
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			assert.Equal(t, 3*len(ids), total, "three pages after the first of each incident")
			for _, id := range ids {
				assert.Equal(t, []string{"10:00 " + pageL1, "10:15 " + pageL2,
					"10:45 level 1, round 2: eva (network)", "11:00 level 2, round 2: mia (managers), group duty"},
					pagesOf(t, desks[0], id))
			}
		})
	})
}

// TestPagesReachANotifier delivers the pages through the outbox to a bus
// subscribed to the page event.
func TestPagesReachANotifier(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		inPagingBubble(t, 0, func(t *testing.T) {
			st := db.Host(t)
			desk := pagingDesk(t, st, pagingConfig(t, 0))
			bus := notify.NewBus()
			var mu sync.Mutex
			var got []string
			bus.Subscribe(notify.Filter{Kinds: []string{incident.Kind}, Events: []string{incident.EventPage}},
				func(_ context.Context, ch lifecycle.Change) error {
					pg, ok := escalation.PageOf(ch)
					assert.True(t, ok)
					mu.Lock()
					defer mu.Unlock()
					got = append(got, ch.Number+" "+pg.String())
					return nil
				})
			disp, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "pager", Notifier: bus}},
				lifecycle.DispatcherConfig{Logger: teststores.Quiet})
			require.NoError(t, err)

			inc := pagingOpen(t, desk, itil.P1)
			time.Sleep(15 * time.Minute)
			pagingSweep(t, desk)
			require.NoError(t, disp.Drain(t.Context()))
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, []string{inc.Number + " " + pageL1, inc.Number + " " + pageL2}, got)
		})
	})
}

// TestPagingStopsWhenTheIncidentEnds resolves one paged incident and
// cancels another: neither pages again.
func TestPagingStopsWhenTheIncidentEnds(t *testing.T) {
	t.Parallel()
	inPagingBubble(t, 0, func(t *testing.T) {
		ctx := t.Context()
		desk := pagingDesk(t, teststores.Memstore(t).Host(t), pagingConfig(t, 1))
		resolved := pagingOpen(t, desk, itil.P1)
		cancelled := pagingOpen(t, desk, itil.P1)
		time.Sleep(5 * time.Minute)
		inc, err := desk.Resolve(ctx, incident.ResolveParams{ID: resolved.ID, By: bob, Note: resolution.Notes, Code: resolution.Code})
		require.NoError(t, err)
		assert.Equal(t, escalation.Stopped, inc.Paging.Status())
		assert.Equal(t, "resolved", inc.Paging.StopReason)
		res := changesNamed(t, desk, resolved.ID, incident.EventResolve)
		require.Len(t, res, 1)
		fc, ok := field(res[0], "paging")
		require.True(t, ok)
		assert.Equal(t, "stopped", fc.New)
		inc, err = desk.Cancel(ctx, incident.Params{ID: cancelled.ID, By: carol, Note: "logged twice"})
		require.NoError(t, err)
		assert.Equal(t, "cancelled", inc.Paging.StopReason)

		time.Sleep(3 * time.Hour)
		assert.Zero(t, pagingSweep(t, desk))
		assert.Equal(t, []string{"10:00 " + pageL1}, pagesOf(t, desk, resolved.ID))
		assert.Equal(t, []string{"10:00 " + pageL1}, pagesOf(t, desk, cancelled.ID))

		_, err = desk.Acknowledge(ctx, incident.Params{ID: resolved.ID, By: bob})
		requireTransition(t, err)
		_, err = desk.Acknowledge(ctx, incident.Params{ID: resolved.ID})
		requireValidation(t, err, "by")
	})
}

// TestPagingStartsWhenThePriorityIsRaised raises a P3 incident to P1: its
// paging starts then, at once.
func TestPagingStartsWhenThePriorityIsRaised(t *testing.T) {
	t.Parallel()
	inPagingBubble(t, 0, func(t *testing.T) {
		ctx := t.Context()
		desk := pagingDesk(t, teststores.Memstore(t).Host(t), pagingConfig(t, 0))
		inc := pagingOpen(t, desk, itil.P3)
		time.Sleep(30 * time.Minute)
		assert.Zero(t, pagingSweep(t, desk))
		inc, err := desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: carol, Note: "all of sales",
			Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
		require.NoError(t, err)
		assert.Equal(t, itil.P1, inc.Priority)
		assert.Equal(t, []string{"10:30 " + pageL1}, pagesOf(t, desk, inc.ID))
		re := changesNamed(t, desk, inc.ID, "reprioritize")
		require.Len(t, re, 1)
		fc, ok := field(re[0], "paging.policy")
		require.True(t, ok)
		assert.Equal(t, "p1", fc.New)

		// Acknowledged, lowered and raised again: no new paging.
		_, err = desk.Acknowledge(ctx, incident.Params{ID: inc.ID, By: bob})
		require.NoError(t, err)
		for _, imp := range []itil.Impact{itil.ImpactMedium, itil.ImpactHigh} {
			_, err = desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: carol, Impact: imp, Urgency: itil.UrgencyHigh})
			require.NoError(t, err)
		}
		time.Sleep(time.Hour)
		assert.Zero(t, pagingSweep(t, desk))
		assert.Len(t, pagesOf(t, desk, inc.ID), 1)
	})
}

// pagingServices tells the business services of some CIs.
type pagingServices map[string][]string

func (s pagingServices) Services(_ context.Context, cis ...string) ([]string, error) {
	var out []string
	for _, ci := range cis {
		out = append(out, s[ci]...)
	}
	return out, nil
}

// TestPagingRulesChoose opens incidents that the rules tell apart by
// priority, group and service: the first rule that matches chooses.
func TestPagingRulesChoose(t *testing.T) {
	t.Parallel()
	inPagingBubble(t, 0, func(t *testing.T) {
		policy := func(name string, target escalation.Target) *escalation.Policy {
			p, err := escalation.New(escalation.Config{Name: name, Levels: []escalation.Level{{Targets: []escalation.Target{target}}}})
			require.NoError(t, err)
			return p
		}
		desk, err := incident.NewDesk(teststores.Memstore(t).Host(t), incident.Config{
			Logger:   teststores.Quiet,
			Services: pagingServices{"erp-db": {"erp"}},
			Paging: incident.Paging{
				Policies: []*escalation.Policy{
					policy("major", escalation.Target{Schedule: "managers"}),
					policy("dba", escalation.Target{Group: "dba"}),
					policy("erp", escalation.Target{User: "erp-owner"}),
				},
				Schedules: pagingSchedules(t),
				Rules: []incident.PagingRule{
					{Priorities: []itil.Priority{itil.P1}, Policy: "major"},
					{Groups: []string{"dba"}, Priorities: []itil.Priority{itil.P2, itil.P3}, Policy: "dba"},
					{Services: []string{"erp"}, Policy: "erp"},
				},
			},
		})
		require.NoError(t, err)
		for _, tt := range []struct {
			name string
			edit func(*incident.Draft)
			want string
		}{
			{"P1 first", func(dr *incident.Draft) { withPriority(itil.P1)(dr); dr.Group = "dba"; dr.CIs = []string{"erp-db"} }, "level 1, round 1: mia (managers)"},
			{"group", func(dr *incident.Draft) { dr.Group = "dba"; dr.CIs = []string{"erp-db"} }, "level 1, round 1: group dba"},
			{"group, not its priority", func(dr *incident.Draft) { withPriority(itil.P5)(dr); dr.Group = "dba" }, ""},
			{"service", func(dr *incident.Draft) { dr.CIs = []string{"erp-db"} }, "level 1, round 1: erp-owner"},
			{"none", func(dr *incident.Draft) {}, ""},
		} {
			dr := draft()
			tt.edit(&dr)
			inc, err := desk.Open(t.Context(), dr)
			require.NoError(t, err)
			pages := pagesOf(t, desk, inc.ID)
			if tt.want == "" {
				assert.Empty(t, pages, tt.name)
				continue
			}
			assert.Equal(t, []string{"10:00 " + tt.want}, pages, tt.name)
		}
	})
}

// TestPagingConfigErrors refuses bad paging configurations, each naming
// its field.
func TestPagingConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		edit  func(*incident.Paging)
		field string
	}{
		{"unknown schedule", func(pg *incident.Paging) { delete(pg.Schedules, "managers") }, "Paging.Policies[0].levels[1].targets[0].schedule"},
		{"no schedules", func(pg *incident.Paging) { pg.Schedules = nil }, "Paging.Policies[0].levels[0].targets[0].schedule"},
		{"nil schedule", func(pg *incident.Paging) { pg.Schedules["spare"] = nil }, "Paging.Schedules[spare]"},
		{"nil policy", func(pg *incident.Paging) { pg.Policies = append(pg.Policies, nil) }, "Paging.Policies[1]"},
		{"two of a name", func(pg *incident.Paging) { pg.Policies = append(pg.Policies, pg.Policies[0]) }, "Paging.Policies[1].name"},
		{"rule without policy", func(pg *incident.Paging) { pg.Rules[0].Policy = "" }, "Paging.Rules[0].policy"},
		{"rule with unknown policy", func(pg *incident.Paging) { pg.Rules[0].Policy = "p9" }, "Paging.Rules[0].policy"},
		{"bad priority", func(pg *incident.Paging) { pg.Rules[0].Priorities = []itil.Priority{itil.P1, 9} }, "Paging.Rules[0].priorities[1]"},
		{"empty group", func(pg *incident.Paging) { pg.Rules[0].Groups = []string{""} }, "Paging.Rules[0].groups[0]"},
		{"bad service", func(pg *incident.Paging) { pg.Rules[0].Services = []string{"a", "\xff"} }, "Paging.Rules[0].services[1]"},
		{"bad name", func(pg *incident.Paging) { pg.Rules[0].Name = "\x00" }, "Paging.Rules[0].name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pg := pagingConfig(t, 1)
			tt.edit(&pg)
			desk, err := incident.NewDesk(teststores.Memstore(t).Host(t), incident.Config{Paging: pg})
			requireValidation(t, err, tt.field)
			assert.Nil(t, desk)
		})
	}
}

// TestAcknowledgeWithoutPaging acknowledges an incident nobody pages: the
// incident is left as it is, with the note journaled.
func TestAcknowledgeWithoutPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	inc := f.open(t)
	got, err := f.desk.Acknowledge(t.Context(), incident.Params{ID: inc.ID, By: bob})
	require.NoError(t, err)
	assert.Equal(t, inc.Version, got.Version, "nothing to write")
	got, err = f.desk.Acknowledge(t.Context(), incident.Params{ID: inc.ID, By: bob, Note: "seen"})
	require.NoError(t, err)
	assert.Equal(t, escalation.Idle, got.Paging.Status())
	assert.True(t, slices.Contains(events(t, f.desk, inc.ID), incident.EventAcknowledge))
	_, err = f.desk.Acknowledge(t.Context(), incident.Params{By: bob})
	requireValidation(t, err, "id")
}

// A P1 incident pages the network engineer on call as it opens; nobody
// acknowledges, so the sweep 15 minutes later pages the second level; the
// engineer then acknowledges and the paging stops.
func ExampleDesk_Acknowledge() {
	ctx := context.Background()
	monday := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	clock := newClock(monday.Add(time.Hour))
	network, err := oncall.New(oncall.Config{Layers: []oncall.Layer{
		{Users: []string{"ann", "bob"}, Start: monday, Turn: oncall.Daily()}}})
	if err != nil {
		panic(err)
	}
	p1, err := escalation.New(escalation.Config{Name: "p1", Levels: []escalation.Level{
		{Targets: []escalation.Target{{Schedule: "network"}}, Delay: 15 * time.Minute},
		{Targets: []escalation.Target{{User: "mia"}, {Group: "network-leads"}}},
	}})
	if err != nil {
		panic(err)
	}
	st := memstore.New(memstore.Config{})
	desk, err := incident.NewDesk(st, incident.Config{Now: clock.Now, Paging: incident.Paging{
		Policies:  []*escalation.Policy{p1},
		Schedules: escalation.Schedules{"network": network},
		Rules:     []incident.PagingRule{{Priorities: []itil.Priority{itil.P1}, Policy: "p1"}},
	}})
	if err != nil {
		panic(err)
	}
	// A notifier on the outbox sends the pages.
	bus := notify.NewBus()
	bus.Subscribe(notify.Filter{Events: []string{incident.EventPage}}, func(_ context.Context, ch lifecycle.Change) error {
		pg, _ := escalation.PageOf(ch)
		fmt.Printf("%s page %s %s\n", pg.At.Format("15:04"), ch.Number, pg)
		return nil
	})
	disp, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "pager", Notifier: bus}}, lifecycle.DispatcherConfig{})
	if err != nil {
		panic(err)
	}

	inc, err := desk.Open(ctx, incident.Draft{Title: "VPN down", Caller: itil.Actor{ID: "alice"},
		Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh})
	if err != nil {
		panic(err)
	}
	rep, err := desk.Sweep(ctx, clock.Advance(15*time.Minute))
	if err != nil {
		panic(err)
	}
	if err := disp.Drain(ctx); err != nil {
		panic(err)
	}
	fmt.Println("pages sent by the sweep:", rep.Pages)
	clock.Advance(3 * time.Minute)
	inc, err = desk.Acknowledge(ctx, incident.Params{ID: inc.ID, By: itil.Actor{ID: "ann"}, Note: "looking"})
	if err != nil {
		panic(err)
	}
	fmt.Println(inc.Number, inc.Paging.Status(), "by", inc.Paging.AcknowledgedBy)
	// Output:
	// 10:00 page INC0000001 level 1, round 1: ann (network)
	// 10:15 page INC0000001 level 2, round 1: mia, group network-leads
	// pages sent by the sweep: 1
	// INC0000001 acknowledged by ann
}
