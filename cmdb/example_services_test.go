package cmdb_test

import (
	"context"
	"fmt"

	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
)

// What the graph serves to incident and event beside the checks of the
// other test files.
var (
	_ incident.ServiceImpact = (*cmdb.Graph)(nil)
	_ incident.Owners        = (*cmdb.Graph)(nil)
	_ event.Owners           = (*cmdb.Graph)(nil)
)

// shopMap is a shop on a cluster of two web servers with a quorum of one,
// and a database on one server: what the examples below ask about.
func shopMap() *cmdb.Graph {
	rel := func(t cmdb.RelType, to string) cmdb.Relation { return cmdb.Relation{Type: t, To: to} }
	g, err := cmdb.NewGraph([]*cmdb.CI{
		{Key: "web", Class: cmdb.ClassCluster, Quorum: 1},
		{Key: "web-1", Class: cmdb.ClassServer, Relations: []cmdb.Relation{rel(cmdb.MemberOf, "web")}},
		{Key: "web-2", Class: cmdb.ClassServer, Relations: []cmdb.Relation{rel(cmdb.MemberOf, "web")}},
		{Key: "db-1", Class: cmdb.ClassServer},
		{Key: "shop-db", Class: cmdb.ClassDatabase, Relations: []cmdb.Relation{rel(cmdb.RunsOn, "db-1")}},
		{Key: "shop-app", Class: cmdb.ClassApplication, Relations: []cmdb.Relation{
			rel(cmdb.DependsOn, "shop-db"), rel(cmdb.Provides, "shop"), rel(cmdb.RunsOn, "web")}},
		{Key: "shop", Class: cmdb.ClassBusinessService},
	})
	if err != nil {
		panic(err)
	}
	return g
}

// Services tells the business services an outage of CIs affects, down or
// degraded: what incident.Config.Services records on an incident and
// change.Config.Services on a change.
func ExampleGraph_Services() {
	ctx := context.Background()
	g := shopMap()
	for _, cis := range [][]string{{"web-1"}, {"db-1"}, {"unknown-ci"}} {
		services, err := g.Services(ctx, cis...)
		if err != nil {
			panic(err)
		}
		fmt.Println(cis, "affects", services)
	}
	// Output:
	// [web-1] affects [shop]
	// [db-1] affects [shop]
	// [unknown-ci] affects []
}

// Health tells which business services the CIs down leave degraded and
// which down, each with the CIs it comes from: what event.Config.Services
// raises service alerts from.
func ExampleGraph_Health() {
	ctx := context.Background()
	g := shopMap()
	for _, down := range [][]string{{"web-1"}, {"web-1", "web-2"}, {"web-1", "db-1"}} {
		degraded, out, err := g.Health(ctx, down...)
		if err != nil {
			panic(err)
		}
		fmt.Println(down, "down: degraded", degraded, "down", out)
	}
	// Output:
	// [web-1] down: degraded map[shop:[web-1]] down map[]
	// [web-1 web-2] down: degraded map[] down map[shop:[web-1 web-2]]
	// [web-1 db-1] down: degraded map[] down map[shop:[db-1 web-1]]
}
