package change_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// dataCentre is the map of the tests through a real CMDB: the shop's
// application runs on a VM on a server in a rack fed by a power
// distribution unit, and needs the shop's database; the wiki, on another
// server in another rack, provides the intranet; the lab's rack serves
// no business service.
//
//	pdu-1 → rack-1 → srv-1 → vm-1 → app-1 → shop (high)
//	                       shop-db → app-1
//	rack-2 → srv-2 → wiki → intranet (low)
const dataCentre = `{
  "cis": [
    {"key": "pdu-1", "class": "power", "state": "live"},
    {"key": "rack-1", "class": "rack", "state": "live"},
    {"key": "srv-1", "class": "server", "state": "live"},
    {"key": "vm-1", "class": "virtual_machine", "state": "live"},
    {"key": "app-1", "class": "application", "state": "live"},
    {"key": "shop-db", "class": "database", "state": "live"},
    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"},
    {"key": "rack-2", "class": "rack", "state": "live"},
    {"key": "srv-2", "class": "server", "state": "live"},
    {"key": "wiki", "class": "application", "state": "live"},
    {"key": "intranet", "class": "business_service", "criticality": "low", "state": "live"},
    {"key": "lab-rack", "class": "rack", "state": "live"}
  ],
  "relations": [
    {"from": "rack-1", "type": "depends_on", "to": "pdu-1"},
    {"from": "rack-1", "type": "contains", "to": "srv-1"},
    {"from": "vm-1", "type": "runs_on", "to": "srv-1"},
    {"from": "app-1", "type": "runs_on", "to": "vm-1"},
    {"from": "app-1", "type": "depends_on", "to": "shop-db"},
    {"from": "app-1", "type": "provides", "to": "shop"},
    {"from": "rack-2", "type": "contains", "to": "srv-2"},
    {"from": "wiki", "type": "runs_on", "to": "srv-2"},
    {"from": "wiki", "type": "provides", "to": "intranet"}
  ]}`

var cmdbAdmin = itil.Actor{ID: "cora", Name: "Cora Configuration Manager"}

// newCMDB returns a registry over st, with the data centre imported when
// load is set (once per database: the hosts share it).
func newCMDB(t testing.TB, st lifecycle.Store, load bool) *cmdb.Registry {
	t.Helper()
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	require.NoError(t, err)
	if load {
		doc, err := cmdb.ParseDocument([]byte(dataCentre))
		require.NoError(t, err)
		_, err = reg.Import(t.Context(), cmdb.ImportParams{By: cmdbAdmin, Document: doc})
		require.NoError(t, err)
	}
	return reg
}

// directOnly hides a graph's Ancestors and Descendants: a plain Topology.
type directOnly struct{ g *cmdb.Graph }

func (d directOnly) Parents(ctx context.Context, ci string) ([]string, error) {
	return d.g.Parents(ctx, ci)
}

func (d directOnly) Children(ctx context.Context, ci string) ([]string, error) {
	return d.g.Children(ctx, ci)
}

// proposeOn proposes a standard change on cis.
func proposeOn(t testing.TB, m *change.Manager, cis ...string) *change.Change {
	t.Helper()
	c, err := m.Propose(t.Context(), change.Draft{Template: restartWeb.Name, CIs: cis, By: alice})
	require.NoError(t, err)
	return c
}

// TestConflictsThroughTheCMDB: with a CMDB's graph as the Topology, a
// change conflicts with changes on every CI upstream and downstream of
// its CIs, however far, and the conflict says which CI relates how; a
// plain Topology over the same graph keeps to direct parents and
// children.
func TestConflictsThroughTheCMDB(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		g := newCMDB(t, st, true).Graph()
		m := hostManager(t, st, change.Config{Logger: teststores.Quiet, RefuseConflicts: true, Topology: g})

		rack := proposeOn(t, m, "rack-1")
		res, err := m.Schedule(ctx, change.ScheduleParams{ID: rack.ID, By: alice, Window: window(24, 2), Implementer: "ivan"})
		require.NoError(t, err)
		rack = res.Change

		// The application three hops above the rack.
		app := proposeOn(t, m, "app-1")
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: app.ID, By: alice, Window: window(25, 1), Implementer: "judy"})
		var ce *change.ConflictError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, change.ErrConflicts)
		require.Equal(t, []change.Conflict{{
			Kind:       change.ConflictParent,
			With:       itil.Ref{Kind: change.Kind, ID: rack.ID, Number: rack.Number},
			Window:     window(24, 2),
			State:      change.StateScheduled,
			CI:         "app-1",
			Other:      "rack-1",
			Transitive: true,
		}}, ce.Conflicts)
		assert.Contains(t, err.Error(), rack.Number+" (scheduled) on rack-1 upstream of app-1")
		got, err := m.Get(ctx, app.ID)
		require.NoError(t, err)
		assert.Equal(t, change.StateNew, got.State, "a refused change stays where it was")

		type row struct {
			kind       change.ConflictKind
			ci, other  string
			transitive bool
			text       string
		}
		rows := func(cs []change.Conflict) []row {
			var out []row
			for _, c := range cs {
				out = append(out, row{c.Kind, c.CI, c.Other, c.Transitive, c.String()})
			}
			return out
		}
		at := func(w change.Window) string { return w.String() }

		// From below and above: the power feeding the rack is its direct
		// parent, the service on the application far downstream of it.
		cs, err := m.Conflicts(ctx, &change.Change{CIs: []string{"pdu-1", "shop"}, Planned: window(24.5, 1)})
		require.NoError(t, err)
		assert.ElementsMatch(t, []row{
			{change.ConflictChild, "pdu-1", "rack-1", false, rack.Number + " (scheduled) on child rack-1 of pdu-1, " + at(window(24, 2))},
			{change.ConflictParent, "shop", "rack-1", true, rack.Number + " (scheduled) on rack-1 upstream of shop, " + at(window(24, 2))},
		}, rows(cs))

		// Downstream, transitively: the application, scheduled another day,
		// is three hops below the rack.
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: app.ID, By: alice, Window: window(48, 1), Implementer: "judy"})
		require.NoError(t, err)
		cs, err = m.Conflicts(ctx, &change.Change{CIs: []string{"rack-1"}, Planned: window(48, 1)})
		require.NoError(t, err)
		assert.Equal(t, []row{
			{change.ConflictChild, "rack-1", "app-1", true, app.Number + " (scheduled) on app-1 downstream of rack-1, " + at(window(48, 1))},
		}, rows(cs))

		// Unrelated CIs do not conflict: the wiki's server is in another rack.
		cs, err = m.Conflicts(ctx, &change.Change{CIs: []string{"srv-2", "wiki", "unknown-ci"}, Planned: window(24, 48)})
		require.NoError(t, err)
		assert.Empty(t, cs)

		// A plain Topology over the same graph: direct neighbours only, as
		// before.
		plain := hostManager(t, st, change.Config{Logger: teststores.Quiet, Topology: directOnly{g}})
		cs, err = plain.Conflicts(ctx, &change.Change{CIs: []string{"app-1"}, Planned: window(24.5, 1)})
		require.NoError(t, err)
		assert.Empty(t, cs, "the rack is three hops away")
		cs, err = plain.Conflicts(ctx, &change.Change{CIs: []string{"srv-1"}, Planned: window(24.5, 1)})
		require.NoError(t, err)
		assert.Equal(t, []row{
			{change.ConflictParent, "srv-1", "rack-1", false, rack.Number + " (scheduled) on parent rack-1 of srv-1, " + at(window(24, 2))},
		}, rows(cs))
	})
}

// TestScheduleRefusesTransitiveConflictsOnce: changes on CIs of one chain
// of dependencies, none of them neighbours (the rack and the application
// three hops above it; the power, the server and the application), are
// scheduled into one window at once from two Managers on one store, each
// following the CMDB through its own registry: exactly one of each round
// is scheduled, and every other is refused with a conflict with that one.
// A change on an unrelated CI in the same window is scheduled too.
func TestScheduleRefusesTransitiveConflictsOnce(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		var hosts []*change.Manager
		for i := range 2 {
			st := db.Host(t)
			g := newCMDB(t, st, i == 0).Graph()
			hosts = append(hosts, hostManager(t, st, change.Config{Logger: teststores.Quiet, RefuseConflicts: true, Topology: g, Services: g}))
		}
		rounds := [][]string{
			{"rack-1", "app-1", "rack-1", "app-1"}, // three hops apart
			{"pdu-1", "srv-1", "app-1"},            // two, two and four hops apart
			{"pdu-1", "vm-1", "shop"},              // three, two and five
		}
		for r, cis := range rounds {
			w := window(24+float64(24*r), 1)
			cis := append(slices.Clone(cis), "srv-2") // the control, in another rack
			cs := make([]*change.Change, len(cis))
			for i, ci := range cis {
				cs[i] = proposeOn(t, hosts[i%2], ci)
			}
			errs := make([]error, len(cs))
			var wg sync.WaitGroup
			for i, c := range cs {
				wg.Go(func() {
					_, errs[i] = hosts[i%2].Schedule(ctx, change.ScheduleParams{
						ID: c.ID, By: alice, Window: w, Implementer: fmt.Sprintf("eng-%d-%d", r, i),
					})
				})
			}
			wg.Wait()
			control := len(cs) - 1
			require.NoError(t, errs[control], "round %d: the unrelated change is scheduled", r)
			var winner *change.Change
			for i, err := range errs[:control] {
				if err == nil {
					require.Nil(t, winner, "round %d: %s and %s are both scheduled", r, cs[i].Number, winner)
					winner = cs[i]
				}
			}
			require.NotNil(t, winner, "round %d: one change is scheduled", r)
			for i, err := range errs[:control] {
				if cs[i] == winner {
					continue
				}
				var ce *change.ConflictError
				require.ErrorAs(t, err, &ce, "round %d, change on %s", r, cis[i])
				require.NotEmpty(t, ce.Conflicts)
				transitive := false
				for _, c := range ce.Conflicts {
					assert.Equal(t, winner.Number, c.With.Number, "round %d: refused for the one scheduled", r)
					transitive = transitive || c.Transitive
				}
				if cis[i] != winner.CIs[0] {
					assert.True(t, transitive, "round %d: %s conflicts with %s through other CIs", r, cis[i], winner.CIs[0])
				}
			}
			scheduled := 0
			for c, err := range hosts[1].Calendar(ctx, change.CalendarQuery{From: w.Start, To: w.End}) {
				require.NoError(t, err)
				scheduled++
				assert.Contains(t, []string{winner.Number, cs[control].Number}, c.Number)
			}
			assert.Equal(t, 2, scheduled, "round %d", r)
		}
	})
}

// TestServicesOfAChange: with Config.Services a change records the
// business services an outage of its CIs would affect, when proposed,
// when its CIs change and at assessment (journaled as "services"), and
// found by Query.Service; their criticality raises the risk.
func TestServicesOfAChange(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newCMDB(t, st, true)
		g := reg.Graph()
		m := hostManager(t, st, change.Config{Logger: teststores.Quiet, Services: g, Questionnaire: questionnaire})

		d := draft(change.Normal, "shop-db")
		d.Impact = itil.ImpactLow
		c, err := m.Propose(ctx, d)
		require.NoError(t, err)
		assert.Equal(t, []string{"shop"}, c.Services, "shop-db is two hops under the shop")

		found := func(service string) []string {
			var out []string
			for c, err := range m.Find(ctx, change.Query{Service: service}) {
				require.NoError(t, err)
				out = append(out, c.Number)
			}
			return out
		}
		assert.Equal(t, []string{c.Number}, found("shop"))
		assert.Empty(t, found("intranet"))

		// New CIs, new services, journaled.
		cis := []string{"srv-2"}
		c, err = m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, CIs: &cis})
		require.NoError(t, err)
		assert.Equal(t, []string{"intranet"}, c.Services)
		assert.Equal(t, []string{c.Number}, found("intranet"))
		assert.Empty(t, found("shop"))
		j := journal(t, m, c.ID)
		assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "services", Old: "shop", New: "intranet"})

		// A low-criticality service leaves a low-impact, unlikely change low.
		c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow})
		require.NoError(t, err)
		assert.Equal(t, change.RiskLow, c.Risk)
		assert.Equal(t, []string{"intranet"}, c.Assessment.Services)
		assert.Equal(t, itil.ImpactLow, c.Assessment.Criticality)
		assert.Equal(t, change.RiskLow, c.Assessment.Floor)

		// The shop's database: the shop goes down with it, and it is of
		// high criticality, so the matrix reads a high impact.
		cis = []string{"shop-db"}
		_, err = m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, CIs: &cis})
		require.NoError(t, err)
		c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow})
		require.NoError(t, err)
		assert.Equal(t, itil.ImpactLow, c.Impact, "the change's own impact stays")
		assert.Equal(t, change.Assessment{
			Method: change.MethodMatrix, Impact: itil.ImpactHigh, Likelihood: change.LikelihoodLow,
			Services: []string{"shop"}, Criticality: itil.ImpactHigh, Floor: change.RiskModerate,
			Risk: change.RiskModerate, By: alice.ID, At: t0,
		}, c.Assessment)
		assert.Equal(t, change.RiskModerate, c.Risk, "never low with the shop at stake")

		// The questionnaire scores it low; the shop's criticality does not.
		c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Answers: map[string]string{"outage": "no", "tested": "yes"}})
		require.NoError(t, err)
		assert.Equal(t, change.MethodQuestionnaire, c.Assessment.Method)
		assert.Equal(t, change.RiskModerate, c.Risk)
		assert.Equal(t, change.RiskModerate, c.Assessment.Floor)

		// The CMDB changes: a report on the database now provides the
		// intranet. The next assessment records the services again.
		_, err = reg.Register(ctx, cmdb.RegisterParams{By: cmdbAdmin, Item: cmdb.Item{
			Key: "reports", Class: cmdb.ClassApplication, State: cmdb.StateLive,
			Relations: []cmdb.Relation{{Type: cmdb.DependsOn, To: "shop-db"}, {Type: cmdb.Provides, To: "intranet"}},
		}})
		require.NoError(t, err)
		c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodLow})
		require.NoError(t, err)
		assert.Equal(t, []string{"intranet", "shop"}, c.Services)
		assert.Equal(t, []string{"intranet", "shop"}, c.Assessment.Services)
		j = journal(t, m, c.ID)
		assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "services", Old: "shop", New: "intranet,shop"})

		// Without an impact of its own, a change takes its CIs' criticality.
		d = draft(change.Normal, "app-1")
		d.Impact = 0
		c, err = m.Propose(ctx, d)
		require.NoError(t, err)
		c, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodMedium})
		require.NoError(t, err)
		assert.Equal(t, change.RiskHigh, c.Risk)
		assert.Equal(t, itil.ImpactHigh, c.Assessment.Impact)

		// A CI the CMDB does not know puts nothing at risk, and counts
		// nothing; without an impact, the matrix has none to read.
		d = draft(change.Normal, "lab-7")
		d.Impact = 0
		c, err = m.Propose(ctx, d)
		require.NoError(t, err)
		assert.Empty(t, c.Services)
		_, err = m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Likelihood: change.LikelihoodMedium})
		assertInvalid(t, err, "impact")

		// A standard change keeps its template's risk.
		s := proposeOn(t, m, "shop-db")
		assert.Equal(t, []string{"intranet", "shop"}, s.Services)
		assert.Equal(t, change.RiskLow, s.Risk)
	})
}

// journal returns a change's journal.
func journal(t testing.TB, m *change.Manager, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for ch, err := range m.Journal(t.Context(), id) {
		require.NoError(t, err)
		out = append(out, ch)
	}
	return out
}

// TestServiceFreeze: a freeze of a business service refuses a change on a
// CI two hops under the service, naming the service; it lets in a change
// on a CI under no such service, and an emergency change with a warning.
func TestServiceFreeze(t *testing.T) {
	t.Parallel()
	peak := change.Freeze{Name: "black friday", Reason: "peak trading", Window: window(20, 12), Services: []string{"shop", "intranet"}}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newCMDB(t, st, true)
		g := reg.Graph()
		m := hostManager(t, st, change.Config{Logger: teststores.Quiet, Topology: g, Services: g, Freezes: []change.Freeze{peak}})
		require.NoError(t, m.Start(ctx))

		c := proposeOn(t, m, "shop-db")
		_, err := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: bob.ID})
		var fe *change.FreezeError
		require.ErrorAs(t, err, &fe)
		assert.ErrorIs(t, err, change.ErrFrozen)
		assert.ErrorIs(t, err, lifecycle.ErrRefused)
		assert.Equal(t, []change.FreezeHit{{Freeze: "black friday", Reason: "peak trading", Window: window(20, 12), Services: []string{"shop"}}}, fe.Hits)
		assert.Contains(t, err.Error(), `freeze "black friday" `+window(20, 12).String()+" for service shop: peak trading")
		got, err := m.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, change.StateNew, got.State)

		// After the freeze it may go.
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(32, 1), Implementer: bob.ID})
		require.NoError(t, err)

		// The power distribution unit feeds the rack the shop runs in:
		// covered, five hops under the shop.
		p := proposeOn(t, m, "pdu-1")
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: p.ID, By: alice, Window: window(24, 1), Implementer: "ivan"})
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, []string{"shop"}, fe.Hits[0].Services)
		// A CI under no business service, and one the CMDB does not know.
		for _, ci := range []string{"lab-rack", "lab-7"} {
			c := proposeOn(t, m, ci)
			_, err = m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: "judy-" + ci})
			require.NoError(t, err, ci)
		}

		// Both services at once.
		both, err := m.FrozenFor(ctx, window(24, 1), "shop-db", "wiki")
		require.NoError(t, err)
		require.Len(t, both, 1)
		assert.Equal(t, []string{"shop", "intranet"}, both[0].Services, "in the freeze's order")
		assert.Contains(t, both[0].String(), "for services shop, intranet")
		assert.Empty(t, m.Frozen(window(24, 1), "shop-db"), "Frozen judges by CIs only")

		// An emergency change is let in, with the freeze in its warnings.
		e, err := m.Propose(ctx, change.Draft{Type: change.Emergency, Title: "Patch the database", CIs: []string{"shop-db"}, By: alice,
			ImplementationPlan: "apply the patch", BackoutPlan: "restore the snapshot"})
		require.NoError(t, err)
		_, err = m.RequestApproval(ctx, change.RequestApprovalParams{ID: e.ID, By: alice})
		require.NoError(t, err)
		_, err = m.Approve(ctx, change.DecideParams{ID: e.ID, By: erin})
		require.NoError(t, err)
		res, err := m.Schedule(ctx, change.ScheduleParams{ID: e.ID, By: alice, Window: window(22, 1), Implementer: "kim"})
		require.NoError(t, err)
		require.Len(t, res.Freezes, 1)
		assert.Equal(t, []string{"shop"}, res.Freezes[0].Services)
		require.Len(t, res.Change.Warnings, 1)
		assert.Contains(t, res.Change.Warnings[0], "emergency change in freeze \"black friday\"")
		assert.Contains(t, res.Change.Warnings[0], "for service shop")

		// The calendar of a CI shows the freezes of the services above it.
		ics := func(ci string) string {
			var buf bytes.Buffer
			require.NoError(t, m.WriteICS(ctx, &buf, change.CalendarQuery{From: t0, To: t0.Add(48 * time.Hour), CI: ci}))
			return strings.ReplaceAll(buf.String(), "\r\n ", "")
		}
		assert.Contains(t, ics("shop-db"), "SUMMARY:Change freeze: black friday")
		assert.Contains(t, ics("shop-db"), `Services: shop\, intranet`)
		assert.Contains(t, ics("shop-db"), `Services at risk: shop`)
		assert.NotContains(t, ics("lab-rack"), "black friday")
	})
}

// failingServices is a ServiceImpact that fails.
type failingServices struct{}

func (failingServices) Services(context.Context, ...string) ([]string, error) {
	return nil, errors.New("cmdb down")
}

// TestServiceFreezeBadInput: the services of a freeze need
// Config.Services; names are checked; a service the CMDB does not know is
// refused by CheckFreezes and Start with a *itil.ValidationError naming
// it, and a freeze used all the same covers every change; a failing
// ServiceImpact fails the step and writes nothing.
func TestServiceFreezeBadInput(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := window(20, 12)
	f := newFixture(t, change.Config{})
	g := newCMDB(t, f.st, true).Graph()

	for _, tc := range []struct {
		name     string
		services change.ServiceImpact
		fs       []change.Freeze
		field    string
	}{
		{"no service impact", nil, []change.Freeze{{Name: "peak", Window: w, Services: []string{"shop"}}}, "freezes[0].services"},
		{"empty name", g, []change.Freeze{{Name: "a", Window: w}, {Name: "peak", Window: w, Services: []string{"shop", " "}}}, "freezes[1].services[1]"},
		{"twice", g, []change.Freeze{{Name: "peak", Window: w, Services: []string{"shop", "shop"}}}, "freezes[0].services[1]"},
	} {
		_, err := change.NewManager(f.st, change.Config{Freezes: tc.fs, Services: tc.services})
		assertInvalid(t, err, tc.field)
		m, err := change.NewManager(f.st, change.Config{Services: tc.services})
		require.NoError(t, err, tc.name)
		assertInvalid(t, m.SetFreezes(tc.fs), tc.field)
		assertInvalid(t, m.CheckFreezes(ctx, tc.fs), tc.field)
	}
	_, err := change.NewManager(f.st, change.Config{Services: (*cmdb.Graph)(nil)})
	assertInvalid(t, err, "services")

	// Unknown to the CMDB: a typo, and a CI that is no business service.
	for _, unknown := range []string{"shpo", "app-1"} {
		fs := []change.Freeze{{Name: "peak", Window: w, Services: []string{"shop", unknown}}}
		m := hostManager(t, f.st, change.Config{Logger: teststores.Quiet, Services: g, Freezes: fs})
		err := m.Start(ctx)
		assertInvalid(t, err, "freezes[0].services[1]")
		assert.ErrorContains(t, err, unknown)
		assertInvalid(t, m.CheckFreezes(ctx, fs), "freezes[0].services[1]")
		require.NoError(t, m.CheckFreezes(ctx, fs[:0]))

		// Used all the same, it covers every change, even one under
		// neither service: a freeze errs on the side of caution.
		c := proposeOn(t, m, "srv-2")
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 1), Implementer: bob.ID})
		var fe *change.FreezeError
		require.ErrorAs(t, err, &fe, unknown)
		assert.Empty(t, fe.Hits[0].Services)
	}

	// A ServiceImpact that fails fails the step, which writes nothing.
	m := hostManager(t, f.st, change.Config{Logger: teststores.Quiet, Services: failingServices{}, Freezes: []change.Freeze{{Name: "peak", Window: w, Services: []string{"shop"}}}})
	_, err = m.Propose(ctx, draft(change.Normal, "shop-db"))
	assert.ErrorContains(t, err, "cmdb down")
	assert.ErrorContains(t, m.Start(ctx), "cmdb down")
	plain := hostManager(t, f.st, change.Config{Logger: teststores.Quiet})
	s := proposeOn(t, plain, "shop-db")
	_, err = m.Schedule(ctx, change.ScheduleParams{ID: s.ID, By: alice, Window: window(24, 1), Implementer: bob.ID})
	assert.ErrorContains(t, err, "cmdb down")
	n, err := plain.Propose(ctx, draft(change.Normal, "shop-db"))
	require.NoError(t, err)
	_, err = m.Assess(ctx, change.AssessParams{ID: n.ID, By: alice, Likelihood: change.LikelihoodLow})
	assert.ErrorContains(t, err, "cmdb down")
	for _, c := range []*change.Change{s, n} {
		got, err := m.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
}

// TestWindowsThroughTheCMDB: with a CMDB's graph as the Topology, a
// maintenance window on a CI covers every CI that depends on it, however
// far: a change on the power feeding a rack covers the servers in the
// rack, the VMs on them, the applications on those and the business
// service they provide, and nothing that does not depend on it; a plain
// Topology over the same graph keeps to direct parents.
func TestWindowsThroughTheCMDB(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		g := newCMDB(t, st, true).Graph()
		m := hostManager(t, st, change.Config{Logger: teststores.Quiet, Topology: g})
		plain := hostManager(t, st, change.Config{Logger: teststores.Quiet, Topology: directOnly{g}})

		power := proposeOn(t, m, "pdu-1")
		res, err := m.Schedule(ctx, change.ScheduleParams{ID: power.ID, By: alice, Window: window(24, 2), Implementer: "ivan"})
		require.NoError(t, err)
		power = res.Change
		app := proposeOn(t, m, "app-1")
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: app.ID, By: alice, Window: window(48, 1), Implementer: "judy"})
		require.NoError(t, err)

		in := window(24.5, 0).Start
		tests := []struct {
			ci          string
			deps, plain bool
		}{
			{"pdu-1", true, true},
			{"rack-1", true, true}, // the power's child
			{"srv-1", true, false},
			{"vm-1", true, false},
			{"app-1", true, false},
			{"shop", true, false}, // the service the application provides
			{"shop-db", false, false},
			{"srv-2", false, false},
			{"wiki", false, false},
			{"lab-rack", false, false},
			{"unknown-ci", false, false},
		}
		for _, tt := range tests {
			ok, ref, err := m.Windows().Active(ctx, tt.ci, in)
			require.NoError(t, err, tt.ci)
			assert.Equal(t, tt.deps, ok, "%s through the graph", tt.ci)
			if ok {
				assert.Equal(t, itil.Ref{Kind: change.Kind, ID: power.ID, Number: power.Number}, ref, tt.ci)
			}
			ok, _, err = plain.Windows().Active(ctx, tt.ci, in)
			require.NoError(t, err, tt.ci)
			assert.Equal(t, tt.plain, ok, "%s through direct parents", tt.ci)
		}

		// Downstream changes do not cover what they depend on.
		at := window(48.5, 0).Start
		for ci, want := range map[string]bool{"app-1": true, "shop": true, "vm-1": false, "pdu-1": false, "shop-db": false} {
			ok, _, err := m.Windows().Active(ctx, ci, at)
			require.NoError(t, err)
			assert.Equal(t, want, ok, ci)
		}
	})
}
