package event_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
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

// coolingStack imports coolingDoc into st and returns a clock, and an
// incident desk and an event engine on it that ask the CMDB's graph for
// services, owners, topology and criticality; tune edits the engine's
// config first.
func coolingStack(t *testing.T, st lifecycle.Store, tune func(*event.Config, *cmdb.Graph)) (*clock, *incident.Desk, *event.Engine) {
	t.Helper()
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	require.NoError(t, err)
	doc, err := cmdb.ParseDocument([]byte(coolingDoc))
	require.NoError(t, err)
	_, err = reg.Import(t.Context(), cmdb.ImportParams{By: itil.Actor{ID: "cmdb-admin"}, Document: doc})
	require.NoError(t, err)
	g := reg.Graph()
	clk := newClock()
	desk, err := incident.NewDesk(st, incident.Config{Now: clk.Now, Services: g, Owners: g, Logger: teststores.Quiet})
	require.NoError(t, err)
	cfg := event.Config{Now: clk.Now, Topology: g, Logger: teststores.Quiet,
		Incidents: event.IncidentConfig{Desk: desk, Criticality: g, Owners: g,
			Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}}}
	if tune != nil {
		tune(&cfg, g)
	}
	engine, err := event.NewEngine(st, cfg)
	require.NoError(t, err)
	return clk, desk, engine
}

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
				clk, desk, engine := coolingStack(t, db.Host(t), nil)

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
				_, err := engine.Sweep(ctx, clk.Now())
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

// TestServiceLosesRedundancy: a server of the shop's cluster of three
// (quorum two) goes down: Sweep raises the shop's health alert at warning,
// which joins the server's group, whose incident names the shop; a second
// server down makes the shop down (major); both back up clear it. Sweeps
// that find nothing new write nothing. On memstore, SQLite and PostgreSQL.
func TestServiceLosesRedundancy(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		clk, desk, engine := coolingStack(t, db.Host(t), func(c *event.Config, g *cmdb.Graph) {
			c.Services, c.Incidents.GroupWait = g, -1
		})
		sweep := func() event.SweepReport {
			clk.Advance(10 * time.Second)
			rep, err := engine.Sweep(ctx, clk.Now())
			require.NoError(t, err)
			return rep
		}
		health := func() *event.Alert {
			a, err := engine.Alert(ctx, event.ServiceSource+"/shop/redundancy")
			if errors.Is(err, event.ErrNoAlert) {
				return nil
			}
			require.NoError(t, err)
			return a
		}
		server := func(name string, sev event.Severity) {
			require.NoError(t, engine.Ingest(ctx, event.Event{Source: "ipmi", Node: name, Check: "power", Severity: sev,
				Message: name + " power supply failed"}))
		}

		assert.Zero(t, sweep().Services, "nothing down")
		server("web-3", event.SeverityCritical)
		assert.Equal(t, 1, sweep().Services)
		a := health()
		require.NotNil(t, a)
		assert.Equal(t, event.SeverityWarning, a.Severity)
		assert.Equal(t, "shop lost redundancy: down web-3", a.Message)
		srv, err := engine.Alert(ctx, "ipmi/web-3/power")
		require.NoError(t, err)
		assert.Equal(t, srv.Group, a.Group, "the service's alert joins the server's group")
		assert.Equal(t, srv.Incident.ID, a.Incident.ID)
		inc, err := desk.Get(ctx, srv.Incident.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{"shop"}, inc.Services)
		assert.Equal(t, "technical_management", inc.Group)
		assert.Zero(t, sweep().Services, "nothing changed: nothing written")

		server("web-1", event.SeverityCritical)
		assert.Equal(t, 1, sweep().Services)
		assert.Equal(t, event.SeverityMajor, health().Severity, "two of three down: below the quorum")

		server("web-1", event.SeverityOK)
		server("web-3", event.SeverityOK)
		assert.Equal(t, 1, sweep().Services)
		assert.Nil(t, health(), "cleared")
		assert.Zero(t, sweep().Services)
	})
}
