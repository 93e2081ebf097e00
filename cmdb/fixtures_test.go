package cmdb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle"
)

var alice = itil.Actor{ID: "alice", Name: "Alice Configuration Manager"}

// newRegistry returns a registry over st.
func newRegistry(t testing.TB, st lifecycle.Store) *cmdb.Registry {
	t.Helper()
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	require.NoError(t, err)
	return reg
}

// register registers one CI and fails the test on an error.
func register(t testing.TB, reg *cmdb.Registry, it cmdb.Item) *cmdb.CI {
	t.Helper()
	c, err := reg.Register(t.Context(), cmdb.RegisterParams{By: alice, Item: it})
	require.NoError(t, err, "register %s", it.Key)
	return c
}

// importJSON parses and imports a document and fails the test on an error.
func importJSON(t testing.TB, reg *cmdb.Registry, doc string) []*cmdb.CI {
	t.Helper()
	d, err := cmdb.ParseDocument([]byte(doc))
	require.NoError(t, err)
	cis, err := reg.Import(t.Context(), cmdb.ImportParams{By: alice, Document: d})
	require.NoError(t, err)
	return cis
}

// count returns how many CIs the registry finds for q.
func count(t testing.TB, reg *cmdb.Registry, q cmdb.Query) int {
	t.Helper()
	n := 0
	for _, err := range reg.Find(t.Context(), q) {
		require.NoError(t, err)
		n++
	}
	return n
}

// logEnd returns the Seq of the last change in the store's log.
func logEnd(t testing.TB, st lifecycle.Store) int64 {
	t.Helper()
	var seq int64
	for {
		chs, err := st.ReadLog(context.Background(), seq, 500)
		require.NoError(t, err)
		if len(chs) == 0 {
			return seq
		}
		seq = chs[len(chs)-1].Seq
	}
}

// shopDoc is a small map: a shop on an application that runs on a cluster
// of three servers (quorum two) in one rack, and depends on a database.
const shopDoc = `{
  "cis": [
    {"key": "dc1", "class": "site", "state": "live"},
    {"key": "rack-1", "class": "rack", "state": "live"},
    {"key": "web", "class": "cluster", "quorum": 2, "state": "live"},
    {"key": "web-1", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-2", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "web-3", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "web"}]},
    {"key": "db-1", "class": "database", "criticality": "medium", "state": "live"},
    {"key": "shop-app", "class": "application", "state": "live"},
    {"key": "shop", "class": "business_service", "criticality": "high", "state": "live"}
  ],
  "relations": [
    {"from": "dc1", "type": "contains", "to": "rack-1"},
    {"from": "rack-1", "type": "contains", "to": "web-1"},
    {"from": "rack-1", "type": "contains", "to": "web-2"},
    {"from": "shop-app", "type": "runs_on", "to": "web"},
    {"from": "shop-app", "type": "depends_on", "to": "db-1"},
    {"from": "shop-app", "type": "provides", "to": "shop"}
  ]}`
