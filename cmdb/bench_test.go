package cmdb_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/itil-go/itil/cmdb"
)

// Size of the benchmark's map.
const (
	benchCIs       = 100_000
	benchRelations = 300_000
)

// benchMap returns a map of a data centre estate of benchCIs CIs and
// benchRelations relationships: sites contain rooms contain racks contain
// servers and network devices; servers form clusters; virtual machines run
// on servers and clusters; applications, databases and queues run on VMs,
// depend on each other and provide business and technical services. The
// CI it is asked about in the benchmarks is "srv-9001", a server of the
// first cluster.
func benchMap() []*cmdb.CI {
	r := rand.New(rand.NewPCG(1, 2))
	var cis []*cmdb.CI
	rels := 0
	add := func(key string, class cmdb.Class) *cmdb.CI {
		c := &cmdb.CI{Key: key, Class: class}
		cis = append(cis, c)
		return c
	}
	relate := func(c *cmdb.CI, t cmdb.RelType, to string) {
		if c.Key == to || c.Related(t, to) {
			return
		}
		c.Relations = append(c.Relations, cmdb.Relation{Type: t, To: to})
		rels++
	}
	pick := func(prefix string, n int) string { return fmt.Sprintf("%s-%d", prefix, r.IntN(n)) }
	const (
		sites, rooms, racks, power, cooling = 10, 200, 2000, 400, 200
		netdevs, servers, clusters, storage = 1000, 15000, 2000, 1000
		vms, dbs, queues, bsvcs, tsvcs      = 38000, 8000, 2000, 2000, 1000
	)
	apps := benchCIs - (sites + rooms + racks + power + cooling + netdevs + servers + clusters + storage + vms + dbs + queues + bsvcs + tsvcs)
	for i := range sites {
		add(fmt.Sprintf("site-%d", i), cmdb.ClassSite)
	}
	for i := range power {
		add(fmt.Sprintf("pwr-%d", i), cmdb.ClassPower)
	}
	for i := range cooling {
		add(fmt.Sprintf("cool-%d", i), cmdb.ClassCooling)
	}
	for i := range rooms {
		c := add(fmt.Sprintf("room-%d", i), cmdb.ClassRoom)
		relate(c, cmdb.DependsOn, pick("cool", cooling))
		relate(cis[i%sites], cmdb.Contains, c.Key)
	}
	for i := range racks {
		c := add(fmt.Sprintf("rack-%d", i), cmdb.ClassRack)
		relate(c, cmdb.DependsOn, pick("pwr", power))
		relate(cis[sites+power+cooling+i%rooms], cmdb.Contains, c.Key) // its room
	}
	rackOf := func(i int) *cmdb.CI { return cis[sites+power+cooling+rooms+i%racks] }
	for i := range netdevs {
		c := add(fmt.Sprintf("net-%d", i), cmdb.ClassNetworkDevice)
		relate(rackOf(i), cmdb.Contains, c.Key)
	}
	for i := range clusters {
		c := add(fmt.Sprintf("cl-%d", i), cmdb.ClassCluster)
		c.Quorum = 2
	}
	for i := range servers {
		c := add(fmt.Sprintf("srv-%d", i), cmdb.ClassServer)
		relate(rackOf(i), cmdb.Contains, c.Key)
		relate(c, cmdb.ConnectsTo, pick("net", netdevs))
		if i >= servers-3*clusters { // the last servers form clusters of three
			relate(c, cmdb.MemberOf, fmt.Sprintf("cl-%d", (i-(servers-3*clusters))/3))
		}
	}
	for i := range storage {
		add(fmt.Sprintf("sto-%d", i), cmdb.ClassStorage)
	}
	for i := range vms {
		c := add(fmt.Sprintf("vm-%d", i), cmdb.ClassVirtualMachine)
		if i%2 == 0 {
			relate(c, cmdb.RunsOn, pick("cl", clusters))
		} else {
			relate(c, cmdb.RunsOn, pick("srv", servers-3*clusters))
		}
		relate(c, cmdb.DependsOn, pick("sto", storage))
		relate(c, cmdb.ConnectsTo, pick("net", netdevs))
	}
	for i := range bsvcs {
		add(fmt.Sprintf("bs-%d", i), cmdb.ClassBusinessService)
	}
	for i := range tsvcs {
		add(fmt.Sprintf("ts-%d", i), cmdb.ClassTechnicalService)
	}
	for i := range dbs {
		c := add(fmt.Sprintf("db-%d", i), cmdb.ClassDatabase)
		relate(c, cmdb.RunsOn, pick("vm", vms))
		relate(c, cmdb.DependsOn, pick("sto", storage))
	}
	for i := range queues {
		c := add(fmt.Sprintf("q-%d", i), cmdb.ClassQueue)
		relate(c, cmdb.RunsOn, pick("vm", vms))
	}
	var appCIs []*cmdb.CI
	for i := range apps {
		c := add(fmt.Sprintf("app-%d", i), cmdb.ClassApplication)
		relate(c, cmdb.RunsOn, pick("vm", vms))
		relate(c, cmdb.Provides, pick("bs", bsvcs))
		appCIs = append(appCIs, c)
	}
	for i := range tsvcs { // some applications provide the technical services
		relate(appCIs[i], cmdb.Provides, fmt.Sprintf("ts-%d", i))
	}
	for rels < benchRelations { // the rest: applications need databases, queues and technical services
		c := appCIs[r.IntN(len(appCIs))]
		switch r.IntN(3) {
		case 0:
			relate(c, cmdb.DependsOn, pick("db", dbs))
		case 1:
			relate(c, cmdb.DependsOn, pick("q", queues))
		default:
			relate(c, cmdb.DependsOn, pick("ts", tsvcs))
		}
	}
	return cis
}

// benchCI is the CI whose outage the benchmarks ask about.
const benchCI = "srv-9001"

// heapAfter returns the live heap after build, which must return what it
// built, and the built value. Only what the value holds stays live.
func heapAfter[T any](build func() T) (uint64, T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.HeapAlloc - before.HeapAlloc, v
}

// BenchmarkImpact: the business services affected by one server's outage
// on a map of 100,000 CIs and 300,000 relationships. "graph" is
// cmdb.Graph (redundancy honoured); "bfs" the obvious breadth-first
// search over a map[string][]string of the direction of impact, which
// knows nothing of quorums. B/CI is the live heap of each structure per CI,
// the CIs it was built from released.
func BenchmarkImpact(b *testing.B) {
	ctx := b.Context()
	b.Run("graph", func(b *testing.B) {
		heap, g := heapAfter(func() *cmdb.Graph {
			g, err := cmdb.NewGraph(benchMap())
			if err != nil {
				b.Fatal(err)
			}
			return g
		})
		affected, err := g.Impact(ctx, benchCI)
		if err != nil || len(affected) == 0 {
			b.Fatalf("impact of %s: %v, %v", benchCI, affected, err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := g.Impact(ctx, benchCI); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(heap)/benchCIs, "B/CI")
		b.ReportMetric(float64(len(affected)), "services")
		runtime.KeepAlive(g)
	})
	b.Run("bfs", func(b *testing.B) {
		type adjacency struct {
			next    map[string][]string
			service map[string]bool
		}
		heap, adj := heapAfter(func() adjacency {
			a := adjacency{next: map[string][]string{}, service: map[string]bool{}}
			for _, c := range benchMap() {
				if c.Class == cmdb.ClassBusinessService {
					a.service[c.Key] = true
				}
				for _, r := range c.Relations {
					switch r.Type {
					case cmdb.Contains, cmdb.Provides, cmdb.MemberOf:
						a.next[c.Key] = append(a.next[c.Key], r.To)
					default:
						a.next[r.To] = append(a.next[r.To], c.Key)
					}
				}
			}
			return a
		})
		bfs := func(start string) []string {
			seen := map[string]bool{start: true}
			queue := []string{start}
			var out []string
			for len(queue) > 0 {
				k := queue[0]
				queue = queue[1:]
				if adj.service[k] {
					out = append(out, k)
				}
				for _, n := range adj.next[k] {
					if !seen[n] {
						seen[n] = true
						queue = append(queue, n)
					}
				}
			}
			return out
		}
		found := bfs(benchCI)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			bfs(benchCI)
		}
		b.StopTimer()
		b.ReportMetric(float64(heap)/benchCIs, "B/CI")
		b.ReportMetric(float64(len(found)), "services")
		runtime.KeepAlive(adj)
	})
}
