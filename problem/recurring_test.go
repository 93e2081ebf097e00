package problem_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/problem"
)

// onCI opens an incident on the given CIs in category cat.
func onCI(cat string, cis ...string) func(*incident.Draft) {
	return func(dr *incident.Draft) { dr.Category, dr.CIs = cat, cis }
}

func TestRecurringByCI(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	old := f.openIncident(t) // outside the window
	f.clock.Advance(8 * 24 * time.Hour)
	linked := f.openIncident(t) // covered by a problem already
	_ = f.open(t, func(dr *problem.Draft) { dr.Incidents = []uuid.UUID{linked.ID} })
	closed := f.incidentIn(t, incident.StateClosed) // left the desk
	var want []uuid.UUID
	for i := range 3 {
		f.clock.Advance(time.Hour)
		inc := f.openIncident(t, func(dr *incident.Draft) {
			if i == 1 {
				dr.Title, dr.Impact, dr.Urgency = "VPN down for the whole floor", itil.ImpactHigh, itil.UrgencyMedium
			}
		})
		want = append(want, inc.ID)
	}
	f.openIncident(t, onCI("email", "mail-1"))
	f.openIncident(t, onCI("email", "mail-1"))

	proposals, err := f.mgr.Recurring(ctx, problem.RecurringQuery{})
	require.NoError(t, err)
	require.Len(t, proposals, 1, "mail-1 recurs only twice")
	pr := proposals[0]
	assert.Equal(t, problem.ByCI, pr.By)
	assert.Equal(t, "vpn-gw-1", pr.Key)
	assert.Equal(t, want, refIDs(pr.Incidents), "not the old, the linked or the closed incident")
	assert.NotContains(t, refIDs(pr.Incidents), old.ID)
	assert.NotContains(t, refIDs(pr.Incidents), closed.ID)
	assert.Equal(t, "3 incidents on vpn-gw-1: VPN drops every few minutes", pr.Title)
	assert.Equal(t, "network", pr.Category)
	assert.Equal(t, []string{"vpn-gw-1"}, pr.CIs)
	assert.Equal(t, itil.ImpactHigh, pr.Impact, "the highest impact among them")
	assert.Equal(t, itil.UrgencyMedium, pr.Urgency)
	assert.Equal(t, f.getIncident(t, want[0]).CreatedAt, pr.First)
	assert.Equal(t, f.clock.Now(), pr.Last)
	assert.Contains(t, pr.Description, "VPN down for the whole floor")

	proposals, err = f.mgr.Recurring(ctx, problem.RecurringQuery{MinCount: 2})
	require.NoError(t, err)
	require.Len(t, proposals, 2)
	assert.Equal(t, []string{"vpn-gw-1", "mail-1"}, []string{proposals[0].Key, proposals[1].Key}, "largest first")

	proposals, err = f.mgr.Recurring(ctx, problem.RecurringQuery{Window: 90 * time.Minute})
	require.NoError(t, err)
	assert.Empty(t, proposals, "only two in the last 90 minutes")
}

func TestRecurringByCategory(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	for _, ci := range []string{"sw-1", "sw-2", "sw-3"} {
		f.openIncident(t, onCI("network", ci))
	}
	f.openIncident(t, onCI("", "sw-4"))
	proposals, err := f.mgr.Recurring(t.Context(), problem.RecurringQuery{By: problem.ByCategory})
	require.NoError(t, err)
	require.Len(t, proposals, 1)
	assert.Equal(t, "network", proposals[0].Key)
	assert.Equal(t, "network", proposals[0].Category)
	assert.Empty(t, proposals[0].CIs)
	assert.Len(t, proposals[0].Incidents, 3)
	assert.Equal(t, "3 network incidents: VPN drops every few minutes", proposals[0].Title)
}

func TestOpenProposal(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	for range 3 {
		f.openIncident(t)
	}
	proposals, err := f.mgr.Recurring(ctx, problem.RecurringQuery{})
	require.NoError(t, err)
	require.Len(t, proposals, 1)

	p, err := f.mgr.OpenProposal(ctx, problem.ProposalParams{By: carol, Proposal: proposals[0]})
	require.NoError(t, err)
	assert.Equal(t, proposals[0].Title, p.Title)
	assert.Equal(t, refIDs(proposals[0].Incidents), refIDs(p.Incidents))
	for _, r := range p.Incidents {
		assert.Equal(t, []uuid.UUID{p.ID}, refIDs(f.getIncident(t, r.ID).Problems))
	}

	proposals2, err := f.mgr.Recurring(ctx, problem.RecurringQuery{})
	require.NoError(t, err)
	assert.Empty(t, proposals2, "the problem covers them now")

	_, err = f.mgr.OpenProposal(ctx, problem.ProposalParams{By: carol, Proposal: proposals[0]})
	requireValidation(t, err, "incidents")
}

func TestProposeAllGivesEachIncidentToOneProblem(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	for range 3 {
		f.openIncident(t, onCI("network", "vpn-gw-1", "core-sw-1"))
	}
	for range 2 {
		f.openIncident(t, onCI("network", "core-sw-1"))
	}
	ps, err := f.mgr.ProposeAll(ctx, problem.ProposeAllParams{By: carol})
	require.NoError(t, err)
	require.Len(t, ps, 1, "vpn-gw-1's three went to core-sw-1's problem, the larger")
	assert.Len(t, ps[0].Incidents, 5)
	assert.Equal(t, []string{"core-sw-1"}, ps[0].CIs)

	ps, err = f.mgr.ProposeAll(ctx, problem.ProposeAllParams{By: carol})
	require.NoError(t, err)
	assert.Empty(t, ps)
}

func TestRecurringBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	tests := []struct {
		name  string
		q     problem.RecurringQuery
		field string
	}{
		{"one incident", problem.RecurringQuery{MinCount: 1}, "min_count"},
		{"negative count", problem.RecurringQuery{MinCount: -3}, "min_count"},
		{"negative window", problem.RecurringQuery{Window: -time.Hour}, "window"},
		{"unknown grouping", problem.RecurringQuery{By: "caller"}, "by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.mgr.Recurring(t.Context(), tt.q)
			requireValidation(t, err, tt.field)
			_, err = f.mgr.ProposeAll(t.Context(), problem.ProposeAllParams{By: carol, Query: tt.q})
			requireValidation(t, err, tt.field)
		})
	}
	_, err := f.mgr.ProposeAll(t.Context(), problem.ProposeAllParams{By: itil.Actor{}})
	requireValidation(t, err, "by")
}

// TestProposalFitsTheLimits proposes a problem for more incidents, with
// longer titles, than a title and a description hold: the proposal is cut
// to the limits in characters, says how many incidents it leaves out of
// its description, and opens.
func TestProposalFitsTheLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	title := strings.Repeat("é", 5) + strings.Repeat("x", 180) + " jams" // within the desk's 200 bytes
	const n = 60
	for range n {
		f.clock.Advance(time.Minute)
		f.openIncident(t, func(dr *incident.Draft) { dr.Title = title })
	}
	proposals, err := f.mgr.Recurring(t.Context(), problem.RecurringQuery{})
	require.NoError(t, err)
	require.Len(t, proposals, 1)
	pr := proposals[0]
	assert.Equal(t, problem.MaxTitle, utf8.RuneCountInString(pr.Title))
	assert.True(t, strings.HasSuffix(pr.Title, "..."))
	assert.LessOrEqual(t, utf8.RuneCountInString(pr.Description), problem.MaxText)
	assert.Regexp(t, `\n- and \d+ more$`, pr.Description)
	listed := strings.Count(pr.Description, "\n- INC")
	assert.Contains(t, pr.Description, fmt.Sprintf("\n- and %d more", n-listed))

	p, err := f.mgr.OpenProposal(t.Context(), problem.ProposalParams{By: carol, Proposal: pr})
	require.NoError(t, err)
	assert.Len(t, p.Incidents, n)
	assert.Equal(t, pr.Description, p.Description)
}

// TestRecurringByService: incidents on different CIs of one business
// service, as the desk records the services from the CMDB, recur together
// by service, though no CI recurs; on memstore, SQLite and PostgreSQL.
func TestRecurringByService(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg, err := cmdb.NewRegistry(st, cmdb.Config{})
		require.NoError(t, err)
		doc, err := cmdb.ParseDocument([]byte(`{"cis": [
		  {"key": "shop", "class": "business_service", "state": "live"},
		  {"key": "shop-web", "class": "application", "state": "live", "relations": [{"type": "provides", "to": "shop"}]},
		  {"key": "shop-db", "class": "database", "state": "live"},
		  {"key": "shop-mq", "class": "queue", "state": "live"}],
		 "relations": [{"from": "shop-web", "type": "depends_on", "to": "shop-db"},
		               {"from": "shop-web", "type": "depends_on", "to": "shop-mq"}]}`))
		require.NoError(t, err)
		_, err = reg.Import(ctx, cmdb.ImportParams{By: carol, Document: doc})
		require.NoError(t, err)
		desk, err := incident.NewDesk(st, incident.Config{Services: reg.Graph(), Logger: quiet})
		require.NoError(t, err)
		mgr, err := problem.NewManager(st, desk, problem.Config{Logger: quiet})
		require.NoError(t, err)
		var want []uuid.UUID
		for _, ci := range []string{"shop-db", "shop-mq", "shop-web", "printer-1"} {
			inc, err := desk.Open(ctx, incident.Draft{Title: "checkout fails", Caller: carol, Category: "software",
				Impact: itil.ImpactMedium, Urgency: itil.UrgencyHigh, CIs: []string{ci}})
			require.NoError(t, err)
			if ci != "printer-1" {
				want = append(want, inc.ID)
			}
		}

		byCI, err := mgr.Recurring(ctx, problem.RecurringQuery{})
		require.NoError(t, err)
		assert.Empty(t, byCI, "no CI recurs")
		proposals, err := mgr.Recurring(ctx, problem.RecurringQuery{By: problem.ByService})
		require.NoError(t, err)
		require.Len(t, proposals, 1)
		pr := proposals[0]
		assert.Equal(t, problem.ByService, pr.By)
		assert.Equal(t, "shop", pr.Key)
		assert.Equal(t, want, refIDs(pr.Incidents))
		assert.Equal(t, "3 incidents affecting shop: checkout fails", pr.Title)
		assert.Equal(t, "software", pr.Category)
		assert.True(t, strings.HasPrefix(pr.Description, "3 incidents with service shop recurred"), pr.Description)

		p, err := mgr.OpenProposal(ctx, problem.ProposalParams{By: carol, Proposal: pr})
		require.NoError(t, err)
		assert.Len(t, p.Incidents, 3)
		again, err := mgr.Recurring(ctx, problem.RecurringQuery{By: problem.ByService})
		require.NoError(t, err)
		assert.Empty(t, again, "a problem covers them now")
	})
}
