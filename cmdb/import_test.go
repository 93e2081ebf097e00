package cmdb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

func TestImportOnEveryStore(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newRegistry(t, st)
		cis := importJSON(t, reg, shopDoc)
		require.Len(t, cis, 9)
		for i, want := range []string{"dc1", "rack-1", "web", "web-1", "web-2", "web-3", "db-1", "shop-app", "shop"} {
			assert.Equal(t, want, cis[i].Key)
			assert.Equal(t, cmdb.StateLive, cis[i].State, want)
		}
		assert.Equal(t, []cmdb.Relation{{Type: cmdb.Contains, To: "web-1"}, {Type: cmdb.Contains, To: "web-2"}}, cis[1].Relations)
		assert.Equal(t, 3, count(t, reg, cmdb.Query{MemberOf: "web"}))

		// A second document relates new CIs to stored ones, and adds
		// relationships to a stored CI, journaled on it.
		more := importJSON(t, reg, `{
		  "cis": [{"key": "web-4", "class": "server", "state": "maintenance", "relations": [{"type": "member_of", "to": "web"}]}],
		  "relations": [{"from": "rack-1", "type": "contains", "to": "web-4"}, {"from": "rack-1", "type": "contains", "to": "web-3"}]}`)
		require.Len(t, more, 2)
		assert.Equal(t, "web-4", more[0].Key)
		assert.Equal(t, cmdb.StateMaintenance, more[0].State)
		assert.Equal(t, "rack-1", more[1].Key)
		assert.Len(t, more[1].Relations, 4)
		var last lifecycle.Change
		for ch, err := range reg.Journal(ctx, more[1].ID) {
			require.NoError(t, err)
			last = ch
		}
		assert.Equal(t, cmdb.EventRelate, last.Event)
		assert.Equal(t, []lifecycle.FieldChange{{Field: "relations", New: "+contains web-3, +contains web-4"}}, last.Fields)

		affected, err := reg.Graph().Impact(ctx, "rack-1")
		require.NoError(t, err)
		assert.Equal(t, []cmdb.Affected{{Key: "shop", Class: cmdb.ClassBusinessService, Status: cmdb.Down}}, affected)
		affected, err = reg.Graph().Impact(ctx, "web-2", "web-3")
		require.NoError(t, err)
		assert.Equal(t, []cmdb.Affected{{Key: "shop", Class: cmdb.ClassBusinessService, Status: cmdb.Degraded}}, affected,
			"two of four members down: a quorum of two is up")
	})
}

func TestImportNeedsADocument(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, teststores.Memstore(t).Host(t))
	_, err := reg.Import(t.Context(), cmdb.ImportParams{By: alice})
	assert.ErrorContains(t, err, "Document")
	for name, doc := range map[string]string{
		"not JSON":       `{"cis": [`,
		"two values":     `{} {}`,
		"unknown member": `{"cis": [], "extra": 1}`,
		"wrong type":     `{"cis": [{"key": 7}]}`,
	} {
		_, err := cmdb.ParseDocument([]byte(doc))
		assert.ErrorContains(t, err, "invalid document", name)
	}
}
