package cmdb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle/assign"
)

var (
	_ assign.Classifier   = (*cmdb.Graph)(nil)
	_ event.ServiceHealth = (*cmdb.Graph)(nil)
)

// TestQuestionsOfTheProcesses: the services an outage affects, a CI's
// class and owner, for CIs the graph holds and CIs it does not.
func TestQuestionsOfTheProcesses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	cis := append(cluster3(), ci("db", cmdb.ClassDatabase, rel(cmdb.Provides, "svc")), ci("other", cmdb.ClassBusinessService))
	cis[len(cis)-1].OwnerGroup = "shop-team"
	g, err := cmdb.NewGraph(cis)
	require.NoError(t, err)

	for _, tc := range []struct {
		down []string
		want []string
	}{
		{[]string{"n1"}, []string{"svc"}},            // degraded: the cluster keeps its quorum
		{[]string{"n1", "n2"}, []string{"svc"}},      // down
		{[]string{"db", "nowhere"}, []string{"svc"}}, // an unknown CI is left out
		{[]string{"svc", "other"}, []string{"other", "svc"}},
		{[]string{"nowhere"}, nil},
		{nil, nil},
	} {
		got, err := g.Services(ctx, tc.down...)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%v", tc.down)
	}

	degraded, out, err := g.Health(ctx, "n1")
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"svc": {"n1"}}, degraded, "the cluster keeps its quorum")
	assert.Empty(t, out)
	degraded, out, err = g.Health(ctx, "n2", "n1", "db", "other", "nowhere")
	require.NoError(t, err)
	assert.Empty(t, degraded)
	assert.Equal(t, map[string][]string{"svc": {"db", "n1", "n2"}, "other": {"other"}}, out)

	class, services, err := g.Classify(ctx, "db")
	require.NoError(t, err)
	assert.Equal(t, "database", class)
	assert.Equal(t, []string{"svc"}, services)
	class, services, err = g.Classify(ctx, "nowhere")
	require.NoError(t, err)
	assert.Empty(t, class)
	assert.Empty(t, services)

	for key, want := range map[string]string{"n1": "technical_management", "db": "application_management",
		"other": "shop-team", "nowhere": ""} {
		got, err := g.Owner(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, want, got, key)
	}
}
