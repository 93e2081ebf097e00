package incident_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

var (
	_ incident.ServiceImpact = (*cmdb.Graph)(nil)
	_ incident.Owners        = (*cmdb.Graph)(nil)
)

// hallDoc is a data hall: a cooling unit keeps room hall-1 running; the
// room holds a rack of two servers of the shop's cluster (quorum two of
// three, the third in another room); the shop's application runs on the
// cluster and its database on a server of the rack.
const hallDoc = `{
  "cis": [
    {"key": "crac-1", "class": "cooling", "state": "live"},
    {"key": "hall-1", "class": "room", "state": "live"},
    {"key": "hall-2", "class": "room", "state": "live"},
    {"key": "rack-1", "class": "rack", "state": "live"},
    {"key": "web", "class": "cluster", "quorum": 2, "state": "live"},
    {"key": "web-1", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-2", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-3", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "shop-app", "class": "application", "owner_group": "shop-team", "state": "live"},
    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"},
    {"key": "wiki", "class": "business_service", "criticality": "low", "state": "live"},
    {"key": "wiki-app", "class": "application", "state": "live"}
  ],
  "relations": [
    {"from": "hall-1", "type": "depends_on", "to": "crac-1"},
    {"from": "hall-1", "type": "contains", "to": "rack-1"},
    {"from": "rack-1", "type": "contains", "to": "web-1"},
    {"from": "rack-1", "type": "contains", "to": "web-2"},
    {"from": "hall-2", "type": "contains", "to": "web-3"},
    {"from": "shop-app", "type": "runs_on", "to": "web"},
    {"from": "shop-app", "type": "provides", "to": "shop"},
    {"from": "wiki-app", "type": "runs_on", "to": "web-3"},
    {"from": "wiki-app", "type": "provides", "to": "wiki"}
  ]}`

// hall registers hallDoc on st and returns the registry's graph.
func hall(t *testing.T, st lifecycle.Store) *cmdb.Graph {
	t.Helper()
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	require.NoError(t, err)
	doc, err := cmdb.ParseDocument([]byte(hallDoc))
	require.NoError(t, err)
	_, err = reg.Import(t.Context(), cmdb.ImportParams{By: alice, Document: doc})
	require.NoError(t, err)
	return reg.Graph()
}

// TestServicesAndOwnersFromTheCMDB: an incident records the business
// services its CIs' outage affects, on Open and on AddCIs, and one opened
// without a group goes to the group that owns its first CI the CMDB knows,
// unless an assignment rule takes it; a second host sees the same.
func TestServicesAndOwnersFromTheCMDB(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		g := hall(t, st)
		desk, err := incident.NewDesk(st, incident.Config{Services: g, Owners: g, Logger: teststores.Quiet})
		require.NoError(t, err)

		cooling, err := desk.Open(ctx, incident.Draft{Title: "CRAC-1 compressor failure", Caller: alice,
			Impact: itil.ImpactHigh, Urgency: itil.UrgencyHigh, CIs: []string{"crac-1"}, Channel: incident.ChannelMonitoring})
		require.NoError(t, err)
		assert.Equal(t, "facilities_management", cooling.Group, "the owner of the cooling unit's class")
		assert.Equal(t, []string{"shop"}, cooling.Services, "two of the cluster's three servers are in the hall")
		var opened lifecycle.Change
		for ch, err := range desk.Journal(ctx, cooling.ID) {
			require.NoError(t, err)
			opened = ch
			break
		}
		assert.Contains(t, opened.Note, "assigned to facilities_management, owner of crac-1")

		app, err := desk.Open(ctx, incident.Draft{Title: "shop 500s", Caller: alice, Impact: itil.ImpactMedium,
			Urgency: itil.UrgencyMedium, CIs: []string{"unregistered-lb", "shop-app"}})
		require.NoError(t, err)
		assert.Equal(t, "shop-team", app.Group, "the first CI the CMDB knows: the CI's own owner group")

		given, err := desk.Open(ctx, incident.Draft{Title: "web-3 disk", Caller: alice, Impact: itil.ImpactLow,
			Urgency: itil.UrgencyLow, Group: "service-desk", CIs: []string{"web-3"}})
		require.NoError(t, err)
		assert.Equal(t, "service-desk", given.Group, "a group the caller names stays")
		assert.Equal(t, []string{"shop", "wiki"}, given.Services, "the shop degraded, the wiki down")

		unknown, err := desk.Open(ctx, incident.Draft{Title: "printer", Caller: alice, Impact: itil.ImpactLow,
			Urgency: itil.UrgencyLow, CIs: []string{"printer-7"}})
		require.NoError(t, err)
		assert.Empty(t, unknown.Group)
		assert.Empty(t, unknown.Services)

		grown, err := desk.AddCIs(ctx, incident.CIsParams{ID: unknown.ID, By: alice, CIs: []string{"wiki-app"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"wiki"}, grown.Services)
		var last lifecycle.Change
		for ch, err := range desk.Journal(ctx, unknown.ID) {
			require.NoError(t, err)
			last = ch
		}
		assert.Contains(t, last.Fields, lifecycle.FieldChange{Field: "services", Old: "", New: "wiki"})

		other, err := incident.NewDesk(db.Host(t), incident.Config{Logger: teststores.Quiet})
		require.NoError(t, err)
		var found []string
		for inc, err := range other.Find(ctx, incident.Query{Service: "wiki"}) {
			require.NoError(t, err)
			found = append(found, inc.Number)
		}
		assert.ElementsMatch(t, []string{given.Number, unknown.Number}, found)

		rules, err := assign.New(assign.Config{Rules: []assign.Rule{
			{Name: "shop", When: assign.When{Services: []string{"shop"}}, Group: "shop-oncall"}}})
		require.NoError(t, err)
		ruled, err := incident.NewDesk(st, incident.Config{Services: g, Owners: g, Classifier: g, Assignment: rules,
			Logger: teststores.Quiet})
		require.NoError(t, err)
		inc, err := ruled.Open(ctx, incident.Draft{Title: "web-1 hot", Caller: alice, Impact: itil.ImpactMedium,
			Urgency: itil.UrgencyHigh, CIs: []string{"web-1"}})
		require.NoError(t, err)
		assert.Equal(t, "shop-oncall", inc.Group, "a rule that matches comes first")
		inc, err = ruled.Open(ctx, incident.Draft{Title: "wiki slow", Caller: alice, Impact: itil.ImpactLow,
			Urgency: itil.UrgencyLow, CIs: []string{"wiki-app"}})
		require.NoError(t, err)
		assert.Equal(t, "application_management", inc.Group, "no rule matches: the owner")
	})
}
