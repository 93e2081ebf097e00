package cmdb_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var (
	_ change.Dependencies  = (*cmdb.Graph)(nil)
	_ change.ServiceImpact = (*cmdb.Graph)(nil)
	_ change.Criticality   = (*cmdb.Graph)(nil)
)

// TestAncestorsAndDescendants: a CI's ancestors are what DependsOn names,
// its descendants what ImpactAll names besides it, degraded ones included;
// a CI the graph does not hold has neither, and is no error.
func TestAncestorsAndDescendants(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	reg := newRegistry(t, memstore.New(memstore.Config{}))
	importJSON(t, reg, shopDoc)
	g := reg.Graph()

	got, err := g.Ancestors(ctx, "shop")
	require.NoError(t, err)
	assert.Equal(t, []string{"db-1", "dc1", "rack-1", "shop-app", "web", "web-1", "web-2", "web-3"}, got)
	got, err = g.Descendants(ctx, "dc1")
	require.NoError(t, err)
	assert.Equal(t, []string{"rack-1", "shop", "shop-app", "web", "web-1", "web-2"}, got)
	got, err = g.Descendants(ctx, "web-3")
	require.NoError(t, err)
	assert.Equal(t, []string{"shop", "shop-app", "web"}, got, "a cluster that keeps its quorum is degraded, and reached")
	got, err = g.Ancestors(ctx, "dc1")
	require.NoError(t, err)
	assert.Empty(t, got)

	for _, f := range []func(*cmdb.Graph) ([]string, error){
		func(g *cmdb.Graph) ([]string, error) { return g.Ancestors(ctx, "nobody") },
		func(g *cmdb.Graph) ([]string, error) { return g.Descendants(ctx, "nobody") },
	} {
		got, err := f(g)
		require.NoError(t, err)
		assert.Empty(t, got)
	}
}

// TestAncestorsAndDescendantsOnRandomMaps: on random maps with cycles and
// clusters, Ancestors is DependsOn, Descendants is ImpactAll's keys
// without the CI, and each is the other's mirror.
func TestAncestorsAndDescendantsOnRandomMaps(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r := rand.New(rand.NewPCG(18, 3))
	for range 40 {
		cis := randomMap(r, 2+r.IntN(30))
		g, err := cmdb.NewGraph(cis)
		require.NoError(t, err)
		anc := map[string][]string{}
		for _, c := range cis {
			a, err := g.Ancestors(ctx, c.Key)
			require.NoError(t, err)
			deps, err := g.DependsOn(ctx, c.Key)
			require.NoError(t, err)
			assert.Equal(t, deps, a, "ancestors of %s", c.Key)
			anc[c.Key] = a

			d, err := g.Descendants(ctx, c.Key)
			require.NoError(t, err)
			all, err := g.ImpactAll(ctx, c.Key)
			require.NoError(t, err)
			var want []string
			for _, x := range all {
				if x.Key != c.Key {
					want = append(want, x.Key)
				}
			}
			assert.Equal(t, want, d, "descendants of %s", c.Key)
			assert.NotContains(t, d, c.Key)
		}
		for _, c := range cis {
			d, err := g.Descendants(ctx, c.Key)
			require.NoError(t, err)
			for _, x := range d {
				assert.True(t, slices.Contains(anc[x], c.Key), "%s is a descendant of %s, so %s is its ancestor", x, c.Key, c.Key)
			}
		}
	}
}
