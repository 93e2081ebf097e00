package incident_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// benchIncidents is how many incidents the Find benchmarks search.
const benchIncidents = 1_000_000

var benchGroups = []string{"network", "desktop", "servers", "apps", "database", "storage", "security", "telephony", "printing", "identity"}

// benchQuery is the page the Find benchmarks read: the first 50 open P1
// incidents of one group.
var benchQuery = incident.Query{Open: true, Priority: itil.P1, Group: "network", Limit: 50}

// benchDesk builds, once per test binary, a desk over a memstore holding
// benchIncidents incidents, all opened and moved through the desk itself:
// impact and urgency (so priority), group and state drawn at random with a
// fixed seed; half of them resolved or closed.
var benchDesk = sync.OnceValues(func() (*incident.Desk, error) {
	ctx := context.Background()
	clock := newClock(monday9)
	desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{Now: clock.Now})
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	caller := itil.Actor{ID: "caller"}
	tech := itil.Actor{ID: "tech"}
	res := incident.Resolution{Code: "solved_permanently", Notes: "fixed"}
	for i := range benchIncidents {
		clock.Advance(time.Second)
		inc, err := desk.Open(ctx, incident.Draft{
			Title:   fmt.Sprintf("incident %d", i),
			Caller:  caller,
			Impact:  itil.Impact(1 + rnd.IntN(3)),
			Urgency: itil.Urgency(1 + rnd.IntN(3)),
			Group:   benchGroups[rnd.IntN(len(benchGroups))],
		})
		if err != nil {
			return nil, err
		}
		// Eight equally likely ends: new, assigned, in progress, on hold,
		// resolved twice, closed twice.
		id := inc.ID
		switch rnd.IntN(8) {
		case 0:
		case 1:
			_, err = desk.Assign(ctx, incident.AssignParams{ID: id, By: tech, Group: inc.Group, Assignee: "tech"})
		case 2:
			_, err = desk.Start(ctx, incident.Params{ID: id, By: tech})
		case 3:
			if _, err = desk.Start(ctx, incident.Params{ID: id, By: tech}); err == nil {
				_, err = desk.Hold(ctx, incident.HoldParams{ID: id, By: tech, Reason: incident.AwaitingCaller})
			}
		case 4, 5:
			_, err = desk.Resolve(ctx, incident.ResolveParams{ID: id, By: tech, Note: res.Notes, Code: res.Code})
		case 6, 7:
			if _, err = desk.Resolve(ctx, incident.ResolveParams{ID: id, By: tech, Note: res.Notes, Code: res.Code}); err == nil {
				_, err = desk.Close(ctx, incident.Params{ID: id, By: tech})
			}
		}
		if err != nil {
			return nil, err
		}
	}
	// The index must give the answer a scan gives.
	want, err := scanPage(ctx, desk)
	if err != nil {
		return nil, err
	}
	var got []uuid.UUID
	for inc, err := range desk.Find(ctx, benchQuery) {
		if err != nil {
			return nil, err
		}
		got = append(got, inc.ID)
	}
	if len(got) != benchQuery.Limit || !slices.Equal(got, want) {
		return nil, fmt.Errorf("the indexed page (%d incidents) differs from the scanned one (%d)", len(got), len(want))
	}
	return desk, nil
})

// scanPage computes benchQuery's page without an index: every incident in
// ID order, filtered in Go.
func scanPage(ctx context.Context, desk *incident.Desk) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for inc, err := range desk.Find(ctx, incident.Query{}) {
		if err != nil {
			return nil, err
		}
		if inc.Open() && inc.Priority == benchQuery.Priority && inc.Group == benchQuery.Group {
			out = append(out, inc.ID)
			if len(out) == benchQuery.Limit {
				break
			}
		}
	}
	return out, nil
}

func loadBenchDesk(b *testing.B) *incident.Desk {
	b.Helper()
	start := time.Now()
	desk, err := benchDesk()
	if err != nil {
		b.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.Logf("built %d incidents through the desk in %s; heap %d MiB", benchIncidents, d.Round(time.Second), ms.HeapAlloc>>20)
	}
	// Collect the garbage of the build (or of the benchmark before) now,
	// so that the loop does not pay for it.
	runtime.GC()
	return desk
}

// BenchmarkFindOpenP1 reads the first page of 50 open P1 incidents of one
// group out of a million, through the store's indexes.
func BenchmarkFindOpenP1(b *testing.B) {
	desk := loadBenchDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range desk.Find(ctx, benchQuery) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchQuery.Limit {
			b.Fatalf("got %d incidents, want %d", n, benchQuery.Limit)
		}
	}
}

// BenchmarkFindOpenP1Scan is the baseline for BenchmarkFindOpenP1: the same
// page found by reading the incidents in order with no filter and keeping
// the matching ones in Go.
func BenchmarkFindOpenP1Scan(b *testing.B) {
	desk := loadBenchDesk(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ids, err := scanPage(ctx, desk)
		if err != nil {
			b.Fatal(err)
		}
		if len(ids) != benchQuery.Limit {
			b.Fatalf("got %d incidents, want %d", len(ids), benchQuery.Limit)
		}
	}
}

// benchGrow is how many incidents the store of BenchmarkDeskOpenAssign
// holds at most: past it, the benchmark starts again on a new store.
const benchGrow = 100_000

// BenchmarkDeskOpenAssign opens an incident and assigns it, on a memstore
// that grows to benchGrow incidents, beside the kernel's
// BenchmarkTransition (lifecycle/bench_test.go). B/incident is the heap in
// use, after a collection, per incident held: measured once, over
// benchGrow incidents opened and assigned.
func BenchmarkDeskOpenAssign(b *testing.B) {
	ctx := context.Background()
	caller := itil.Actor{ID: "caller"}
	tech := itil.Actor{ID: "tech", Groups: []string{"network"}}
	newDesk := func() *incident.Desk {
		desk, err := incident.NewDesk(memstore.New(memstore.Config{}), incident.Config{})
		if err != nil {
			b.Fatal(err)
		}
		return desk
	}
	openAssign := func(desk *incident.Desk) {
		inc, err := desk.Open(ctx, incident.Draft{Title: "VPN down", Caller: caller,
			Impact: itil.ImpactMedium, Urgency: itil.UrgencyHigh, CIs: []string{"vpn-gw-1"}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := desk.Assign(ctx, incident.AssignParams{ID: inc.ID, Version: inc.Version, By: tech, Group: "network", Assignee: "tech"}); err != nil {
			b.Fatal(err)
		}
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	desk := newDesk()
	for range benchGrow {
		openAssign(desk)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(desk)
	perIncident := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / benchGrow

	desk = newDesk()
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if n == benchGrow {
			b.StopTimer()
			desk, n = newDesk(), 0
			runtime.GC()
			b.StartTimer()
		}
		openAssign(desk)
		n++
	}
	b.ReportMetric(perIncident, "B/incident")
}
