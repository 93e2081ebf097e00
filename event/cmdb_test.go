package event_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
)

var _ event.Owners = (*cmdb.Graph)(nil)

// coolingDoc is a data hall whose cooling unit keeps room hall-1 running;
// the room's rack holds two of the three servers of the shop's cluster
// (quorum two), whose application provides the shop.
const coolingDoc = `{
  "cis": [
    {"key": "crac-1", "class": "cooling", "state": "live"},
    {"key": "hall-1", "class": "room", "state": "live"},
    {"key": "rack-1", "class": "rack", "state": "live"},
    {"key": "web", "class": "cluster", "quorum": 2, "state": "live"},
    {"key": "web-1", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-2", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-3", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "shop-app", "class": "application", "state": "live"},
    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"}
  ],
  "relations": [
    {"from": "hall-1", "type": "depends_on", "to": "crac-1"},
    {"from": "hall-1", "type": "contains", "to": "rack-1"},
    {"from": "rack-1", "type": "contains", "to": "web-1"},
    {"from": "rack-1", "type": "contains", "to": "web-2"},
    {"from": "shop-app", "type": "runs_on", "to": "web"},
    {"from": "shop-app", "type": "provides", "to": "shop"}
  ]}`

// TestCoolingFailureThroughTheCMDB: with a CMDB's graph as Topology,
// Criticality and Owners, a cooling unit's failure and the alarms of the
// servers three hops below it make one incident, whichever comes first:
// the cooling unit's, assigned to facilities management, at the impact of
// the shop it takes down, naming the shop; the servers' alerts join its
// group. On memstore, SQLite and PostgreSQL.
func TestCoolingFailureThroughTheCMDB(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"cooling first", "servers first"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			teststores.Each(t, func(t *testing.T, db teststores.DB) {
				t.Parallel()
				ctx := t.Context()
				st := db.Host(t)
				reg, err := cmdb.NewRegistry(st, cmdb.Config{})
				require.NoError(t, err)
				doc, err := cmdb.ParseDocument([]byte(coolingDoc))
				require.NoError(t, err)
				_, err = reg.Import(ctx, cmdb.ImportParams{By: itil.Actor{ID: "cmdb-admin"}, Document: doc})
				require.NoError(t, err)
				g := reg.Graph()
				clk := newClock()
				desk, err := incident.NewDesk(st, incident.Config{Now: clk.Now, Services: g, Owners: g, Logger: teststores.Quiet})
				require.NoError(t, err)
				engine, err := event.NewEngine(st, event.Config{Now: clk.Now, Topology: g, Logger: teststores.Quiet,
					Incidents: event.IncidentConfig{Desk: desk, Criticality: g, Owners: g,
						Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}}})
				require.NoError(t, err)

				cooling := event.Event{Source: "bms", Node: "crac-1", CI: "crac-1", Check: "compressor",
					Severity: event.SeverityCritical, Message: "CRAC-1 compressor failed"}
				var servers []event.Event
				for _, s := range []string{"web-1", "web-2"} {
					servers = append(servers, event.Event{Source: "ipmi", Node: s, CI: s, Check: "inlet_temp",
						Severity: event.SeverityCritical, Message: s + " inlet at 41°C"})
				}
				if order == "cooling first" {
					require.NoError(t, engine.Ingest(ctx, cooling))
					clk.Advance(10 * time.Second)
					require.NoError(t, engine.Ingest(ctx, servers...))
				} else {
					require.NoError(t, engine.Ingest(ctx, servers...))
					clk.Advance(10 * time.Second)
					require.NoError(t, engine.Ingest(ctx, cooling))
				}
				clk.Advance(25 * time.Second)
				_, err = engine.Sweep(ctx, clk.Now())
				require.NoError(t, err)
				clk.Advance(10 * time.Second)
				_, err = engine.Sweep(ctx, clk.Now())
				require.NoError(t, err)

				var incs []*incident.Incident
				for inc, err := range desk.Find(ctx, incident.Query{}) {
					require.NoError(t, err)
					incs = append(incs, inc)
				}
				require.Len(t, incs, 1, "one outage, one incident")
				inc := incs[0]
				assert.Contains(t, inc.Title, "CRAC-1 compressor failed")
				assert.Equal(t, "facilities_management", inc.Group, "the cooling unit's owner")
				assert.Equal(t, itil.ImpactHigh, inc.Impact, "the shop's criticality")
				assert.Equal(t, []string{"shop"}, inc.Services)
				for _, s := range []string{"web-1", "web-2"} {
					a, err := engine.Alert(ctx, "ipmi/"+s+"/inlet_temp")
					require.NoError(t, err)
					assert.Equal(t, "crac-1", a.Parent, "%s: the ancestor that is down", s)
					assert.Equal(t, inc.ID, a.Incident.ID, s)
				}
			})
		})
	}
}
