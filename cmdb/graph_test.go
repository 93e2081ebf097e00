package cmdb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle"
)

// ci is a CI of a snapshot, for NewGraph.
func ci(key string, class cmdb.Class, rels ...cmdb.Relation) *cmdb.CI {
	return &cmdb.CI{Key: key, Class: class, Relations: rels}
}

func rel(t cmdb.RelType, to string) cmdb.Relation { return cmdb.Relation{Type: t, To: to} }

func TestImpactFollowsEachRelationship(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	tests := []struct {
		name string
		cis  []*cmdb.CI
		down []string
		want []cmdb.Affected
	}{{
		name: "runs_on: the host takes its guest down",
		cis:  []*cmdb.CI{ci("vm", cmdb.ClassVirtualMachine), ci("svc", cmdb.ClassBusinessService, rel(cmdb.RunsOn, "vm"))},
		down: []string{"vm"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "runs_on: a guest does not take its host down",
		cis:  []*cmdb.CI{ci("svc", cmdb.ClassBusinessService), ci("vm", cmdb.ClassVirtualMachine, rel(cmdb.RunsOn, "svc"))},
		down: []string{"vm"},
	}, {
		name: "depends_on and connects_to, transitively",
		cis: []*cmdb.CI{ci("sw", cmdb.ClassNetworkDevice), ci("srv", cmdb.ClassServer, rel(cmdb.ConnectsTo, "sw")),
			ci("db", cmdb.ClassDatabase, rel(cmdb.RunsOn, "srv")), ci("svc", cmdb.ClassBusinessService, rel(cmdb.DependsOn, "db"))},
		down: []string{"sw"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "contains: the container takes its contents down, not the reverse",
		cis: []*cmdb.CI{ci("room", cmdb.ClassRoom, rel(cmdb.Contains, "rack")), ci("rack", cmdb.ClassRack, rel(cmdb.Contains, "srv")),
			ci("srv", cmdb.ClassServer), ci("svc", cmdb.ClassBusinessService, rel(cmdb.RunsOn, "srv")),
			ci("other", cmdb.ClassBusinessService, rel(cmdb.RunsOn, "room"))},
		down: []string{"room"},
		want: []cmdb.Affected{{Key: "other", Class: cmdb.ClassBusinessService, Status: cmdb.Down}, {Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "contains: contents do not take the container down",
		cis:  []*cmdb.CI{ci("rack", cmdb.ClassRack, rel(cmdb.Contains, "srv")), ci("srv", cmdb.ClassServer), ci("svc", cmdb.ClassBusinessService, rel(cmdb.RunsOn, "rack"))},
		down: []string{"srv"},
	}, {
		name: "provides",
		cis:  []*cmdb.CI{ci("app", cmdb.ClassApplication, rel(cmdb.Provides, "svc")), ci("svc", cmdb.ClassBusinessService)},
		down: []string{"app"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "member_of: a cluster of three, quorum two, survives one member down, degraded",
		cis:  cluster3(),
		down: []string{"n1"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Degraded}},
	}, {
		name: "member_of: two members down take it down",
		cis:  cluster3(),
		down: []string{"n1", "n3"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "member_of: a member behind a down switch counts as down",
		cis:  append(cluster3(), ci("sw", cmdb.ClassNetworkDevice), ci("x", cmdb.ClassServer, rel(cmdb.ConnectsTo, "sw"), rel(cmdb.Contains, "n2"))),
		down: []string{"n1", "sw"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "member_of: the cluster down does not take its members down",
		cis:  append(cluster3(), ci("other", cmdb.ClassBusinessService, rel(cmdb.RunsOn, "n1"))),
		down: []string{"c"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}, {
		name: "a cycle of depends_on ends",
		cis: []*cmdb.CI{ci("a", cmdb.ClassApplication, rel(cmdb.DependsOn, "b")), ci("b", cmdb.ClassApplication, rel(cmdb.DependsOn, "a"), rel(cmdb.DependsOn, "db")),
			ci("db", cmdb.ClassDatabase), ci("svc", cmdb.ClassBusinessService, rel(cmdb.DependsOn, "a"))},
		down: []string{"db"},
		want: []cmdb.Affected{{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := cmdb.NewGraph(tt.cis)
			require.NoError(t, err)
			got, err := g.Impact(ctx, tt.down...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// cluster3 is a service on an application on a cluster c of n1, n2, n3
// with a quorum of two.
func cluster3() []*cmdb.CI {
	c := ci("c", cmdb.ClassCluster)
	c.Quorum = 2
	return []*cmdb.CI{c,
		ci("n1", cmdb.ClassServer, rel(cmdb.MemberOf, "c")), ci("n2", cmdb.ClassServer, rel(cmdb.MemberOf, "c")),
		ci("n3", cmdb.ClassServer, rel(cmdb.MemberOf, "c")),
		ci("app", cmdb.ClassApplication, rel(cmdb.RunsOn, "c"), rel(cmdb.Provides, "svc")), ci("svc", cmdb.ClassBusinessService)}
}

func TestTopologyQuestions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	cis := cluster3()
	cis[len(cis)-1].Criticality = itil.ImpactHigh
	cis = append(cis, ci("rack", cmdb.ClassRack, rel(cmdb.Contains, "n1"), rel(cmdb.Contains, "n2")))
	g, err := cmdb.NewGraph(cis)
	require.NoError(t, err)

	parents, err := g.Parents(ctx, "n1")
	require.NoError(t, err)
	assert.Equal(t, []string{"rack"}, parents)
	parents, err = g.Parents(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, []string{"n1", "n2", "n3"}, parents)
	children, err := g.Children(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, []string{"app"}, children)
	children, err = g.Children(ctx, "rack")
	require.NoError(t, err)
	assert.Equal(t, []string{"n1", "n2"}, children)
	none, err := g.Parents(ctx, "unknown")
	require.NoError(t, err)
	assert.Nil(t, none)

	deps, err := g.DependsOn(ctx, "svc")
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "c", "n1", "n2", "n3", "rack"}, deps)

	for key, want := range map[string]itil.Impact{"rack": itil.ImpactHigh, "n1": 0, "app": itil.ImpactHigh, "unknown": 0} {
		got, err := g.Criticality(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, want, got, key)
	}

	all, err := g.ImpactAll(ctx, "rack")
	require.NoError(t, err)
	assert.Equal(t, []cmdb.Affected{{Key: "app", Class: cmdb.ClassApplication, Status: cmdb.Down},
		{Key: "c", Class: cmdb.ClassCluster, Status: cmdb.Down}, {Key: "n1", Class: cmdb.ClassServer, Status: cmdb.Down},
		{Key: "n2", Class: cmdb.ClassServer, Status: cmdb.Down}, {Key: "rack", Class: cmdb.ClassRack, Status: cmdb.Down},
		{Key: "svc", Class: cmdb.ClassBusinessService, Status: cmdb.Down}}, all)

	_, err = g.Impact(ctx, "unknown")
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = g.Impact(ctx)
	assert.ErrorIs(t, err, itil.ErrInvalid)
	_, err = g.DependsOn(ctx, "unknown")
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
}

func TestNewGraphRefusesBadSnapshots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cis   []*cmdb.CI
		field string
	}{
		{"nil CI", []*cmdb.CI{nil}, "cis[0]"},
		{"empty key", []*cmdb.CI{ci("", cmdb.ClassServer)}, "cis[0].key"},
		{"no class", []*cmdb.CI{ci("a", 0)}, "cis[0].class"},
		{"duplicate key", []*cmdb.CI{ci("a", cmdb.ClassServer), ci("a", cmdb.ClassRack)}, "cis[1].key"},
		{"unknown target", []*cmdb.CI{ci("a", cmdb.ClassServer, rel(cmdb.RunsOn, "b"))}, "cis[0].relations[0].to"},
		{"bad type", []*cmdb.CI{ci("a", cmdb.ClassServer, rel(9, "a"))}, "cis[0].relations[0].type"},
		{"to itself", []*cmdb.CI{ci("a", cmdb.ClassServer, rel(cmdb.RunsOn, "a"))}, "cis[0].relations[0].to"},
		{"twice", []*cmdb.CI{ci("a", cmdb.ClassServer, rel(cmdb.RunsOn, "b"), rel(cmdb.RunsOn, "b")), ci("b", cmdb.ClassServer)}, "cis[0].relations[1].to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := cmdb.NewGraph(tt.cis)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}
