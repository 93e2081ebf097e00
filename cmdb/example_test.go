package cmdb_test

import (
	"context"
	"fmt"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// A web shop on a cluster of three servers with a quorum of two: one server
// down leaves the shop degraded, two take it down.
func Example() {
	ctx := context.Background()
	reg, err := cmdb.NewRegistry(memstore.New(memstore.Config{}), cmdb.Config{})
	if err != nil {
		panic(err)
	}
	alice := itil.Actor{ID: "alice"}
	doc, err := cmdb.ParseDocument([]byte(`{
	  "cis": [
	    {"key": "web", "class": "cluster", "quorum": 2, "state": "live"},
	    {"key": "web-1", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
	    {"key": "web-2", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
	    {"key": "web-3", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
	    {"key": "shop-app", "class": "application", "state": "live"},
	    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"}
	  ],
	  "relations": [
	    {"from": "shop-app", "type": "runs_on", "to": "web"},
	    {"from": "shop-app", "type": "provides", "to": "shop"}
	  ]}`))
	if err != nil {
		panic(err)
	}
	cis, err := reg.Import(ctx, cmdb.ImportParams{By: alice, Document: doc})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(cis), "CIs;", cis[1].Key, "is owned by", cis[1].OwnerGroup)

	g := reg.Graph()
	for _, down := range [][]string{{"web-1"}, {"web-1", "web-2"}} {
		affected, err := g.Impact(ctx, down...)
		if err != nil {
			panic(err)
		}
		fmt.Println(down, "down:", affected[0].Key, affected[0].Status)
	}
	deps, _ := g.DependsOn(ctx, "shop")
	fmt.Println("shop depends on", deps)
	crit, _ := g.Criticality(ctx, "web")
	fmt.Println("an outage of web has", crit, "impact")
	// Output:
	// 6 CIs; web-1 is owned by technical_management
	// [web-1] down: shop degraded
	// [web-1 web-2] down: shop down
	// shop depends on [shop-app web web-1 web-2 web-3]
	// an outage of web has high impact
}
