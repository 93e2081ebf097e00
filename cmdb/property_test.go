package cmdb_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/cmdb"
)

// randomMap returns a random graph of n CIs: random classes, a few
// clusters with members and quorums (some above their members, as a
// planned cluster has), and random relationships of every type, cycles
// included.
func randomMap(r *rand.Rand, n int) []*cmdb.CI {
	classes := cmdb.Classes()
	cis := make([]*cmdb.CI, n)
	for i := range cis {
		c := &cmdb.CI{Key: fmt.Sprintf("ci-%d", i), Class: classes[r.IntN(len(classes))]}
		if r.IntN(4) == 0 {
			c.Class = cmdb.ClassBusinessService
		}
		if r.IntN(6) == 0 {
			c.Class = cmdb.ClassCluster
		}
		if c.Class == cmdb.ClassCluster {
			c.Quorum = 1 + r.IntN(4)
		}
		cis[i] = c
	}
	types := []cmdb.RelType{cmdb.RunsOn, cmdb.DependsOn, cmdb.ConnectsTo, cmdb.Contains, cmdb.Provides}
	edges := r.IntN(3 * n)
	for range edges {
		from, to := cis[r.IntN(n)], cis[r.IntN(n)]
		t := types[r.IntN(len(types))]
		if to.Class == cmdb.ClassCluster && r.IntN(2) == 0 {
			t = cmdb.MemberOf
		}
		if from == to || from.Related(t, to.Key) {
			continue
		}
		from.Relations = append(from.Relations, cmdb.Relation{Type: t, To: to.Key})
	}
	return cis
}

// bruteImpact evaluates every CI's status by the rules of cmdb.RelType,
// again and again over the whole graph, until nothing changes: the least
// fixpoint, computed the slow and obvious way.
func bruteImpact(cis []*cmdb.CI, down []string) map[string]cmdb.Status {
	st := map[string]cmdb.Status{}
	isDown := map[string]bool{}
	for _, d := range down {
		isDown[d] = true
	}
	worse := func(a, b cmdb.Status) cmdb.Status { return max(a, b) }
	for changed := true; changed; {
		changed = false
		for _, c := range cis {
			s := cmdb.Up
			if isDown[c.Key] {
				s = cmdb.Down
			}
			for _, r := range c.Relations {
				switch r.Type {
				case cmdb.RunsOn, cmdb.DependsOn, cmdb.ConnectsTo:
					s = worse(s, st[r.To])
				}
			}
			var members []cmdb.Status
			for _, o := range cis {
				for _, r := range o.Relations {
					if r.To != c.Key {
						continue
					}
					switch r.Type {
					case cmdb.Contains, cmdb.Provides:
						s = worse(s, st[o.Key])
					case cmdb.MemberOf:
						members = append(members, st[o.Key])
					}
				}
			}
			if len(members) > 0 {
				up, hurt := 0, false
				for _, m := range members {
					if m != cmdb.Down {
						up++
					}
					hurt = hurt || m != cmdb.Up
				}
				need := min(max(c.Quorum, 1), len(members))
				switch {
				case up < need:
					s = worse(s, cmdb.Down)
				case hurt:
					s = worse(s, cmdb.Degraded)
				}
			}
			if s != st[c.Key] {
				st[c.Key] = s
				changed = true
			}
		}
	}
	return st
}

// Impact agrees with the brute-force fixpoint on random graphs with
// redundancy, for every CI's status and for the business services.
func TestImpactAgreesWithBruteForce(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for seed := range uint64(600) {
		r := rand.New(rand.NewPCG(seed, 7))
		cis := randomMap(r, 2+r.IntN(40))
		g, err := cmdb.NewGraph(cis)
		require.NoError(t, err, "seed %d", seed)
		var down []string
		for range 1 + r.IntN(3) {
			down = append(down, cis[r.IntN(len(cis))].Key)
		}
		want := bruteImpact(cis, down)

		all, err := g.ImpactAll(ctx, down...)
		require.NoError(t, err, "seed %d", seed)
		got := map[string]cmdb.Status{}
		for _, a := range all {
			got[a.Key] = a.Status
		}
		var wantServices []cmdb.Affected
		for _, c := range cis {
			if s := want[c.Key]; s != cmdb.Up {
				require.Equal(t, s, got[c.Key], "seed %d: %s with %v down", seed, c.Key, down)
				if c.Class == cmdb.ClassBusinessService {
					wantServices = append(wantServices, cmdb.Affected{Key: c.Key, Class: c.Class, Status: s})
				}
			} else {
				require.NotContains(t, got, c.Key, "seed %d: %s is up with %v down", seed, c.Key, down)
			}
		}
		slices.SortFunc(wantServices, func(a, b cmdb.Affected) int { return compareKeys(a.Key, b.Key) })
		services, err := g.Impact(ctx, down...)
		require.NoError(t, err)
		require.Equal(t, wantServices, services, "seed %d", seed)
	}
}

func compareKeys(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
