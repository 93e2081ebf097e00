package cmdb_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// A refused import writes nothing, on every store: no CI, no change in the
// log, no key claimed (the same document, put right, imports after).
func TestRefusedImportWritesNothing(t *testing.T) {
	t.Parallel()
	base := `{"cis": [
	  {"key": "old-db", "class": "database", "state": "live"},
	  {"key": "gone", "class": "server"},
	  {"key": "room", "class": "room", "relations": [{"type": "contains", "to": "rack"}]},
	  {"key": "rack", "class": "rack"}]}`
	tests := []struct {
		name  string
		doc   string
		field string // of a *itil.ValidationError or *cmdb.RuleError
		is    error
	}{
		{"unknown class", `{"cis": [{"key": "a", "class": "server"}, {"key": "b", "class": "toaster"}]}`, "cis[1].class", itil.ErrInvalid},
		{"empty key", `{"cis": [{"key": "a", "class": "server"}, {"key": "", "class": "server"}]}`, "cis[1].key", itil.ErrInvalid},
		{"blank key", `{"cis": [{"key": "  ", "class": "server"}]}`, "cis[0].key", itil.ErrInvalid},
		{"key in the document twice", `{"cis": [{"key": "a", "class": "server"}, {"key": "a", "class": "rack"}]}`, "", cmdb.ErrDuplicateKey},
		{"key stored", `{"cis": [{"key": "a", "class": "server"}, {"key": "old-db", "class": "database"}]}`, "", cmdb.ErrDuplicateKey},
		{"key of a retired CI", `{"cis": [{"key": "gone", "class": "server"}]}`, "", cmdb.ErrDuplicateKey},
		{"relationship to a missing CI", `{"cis": [{"key": "a", "class": "application", "relations": [{"type": "depends_on", "to": "nope"}]}]}`, "", lifecycle.ErrNotFound},
		{"relationship from a missing CI", `{"cis": [{"key": "a", "class": "server"}], "relations": [{"from": "nope", "type": "runs_on", "to": "a"}]}`, "", lifecycle.ErrNotFound},
		{"relationship to a retired CI", `{"cis": [{"key": "a", "class": "application", "relations": [{"type": "runs_on", "to": "gone"}]}]}`, "cis[0].relations[0].to", cmdb.ErrRetired},
		{"relationship to itself", `{"cis": [{"key": "a", "class": "server", "relations": [{"type": "runs_on", "to": "a"}]}]}`, "cis[0].relations[0].to", itil.ErrInvalid},
		{"relationship twice", `{"cis": [{"key": "a", "class": "server", "relations": [{"type": "runs_on", "to": "old-db"}]}], "relations": [{"from": "a", "type": "runs_on", "to": "old-db"}]}`, "relations[0].to", itil.ErrInvalid},
		{"unknown type", `{"cis": [{"key": "a", "class": "server"}], "relations": [{"from": "a", "type": "likes", "to": "old-db"}]}`, "relations[0].type", itil.ErrInvalid},
		{"cycle of contains in the document", `{"cis": [
		  {"key": "a", "class": "room", "relations": [{"type": "contains", "to": "b"}]},
		  {"key": "b", "class": "rack", "relations": [{"type": "contains", "to": "c"}]},
		  {"key": "c", "class": "server", "relations": [{"type": "contains", "to": "a"}]}]}`, "", cmdb.ErrCycle},
		{"cycle of contains through the store", `{"cis": [{"key": "srv", "class": "server", "relations": [{"type": "contains", "to": "room"}]}],
		  "relations": [{"from": "rack", "type": "contains", "to": "srv"}]}`, "", cmdb.ErrCycle},
		{"member_of a CI that is no cluster", `{"cis": [{"key": "a", "class": "server", "relations": [{"type": "member_of", "to": "old-db"}]}]}`, "cis[0].relations[0].to", itil.ErrInvalid},
		{"quorum above the members", `{"cis": [{"key": "c", "class": "cluster", "quorum": 3, "state": "live"},
		  {"key": "m1", "class": "server", "relations": [{"type": "member_of", "to": "c"}]},
		  {"key": "m2", "class": "server", "relations": [{"type": "member_of", "to": "c"}]}]}`, "cis[0].quorum", cmdb.ErrQuorum},
		{"quorum below 1", `{"cis": [{"key": "c", "class": "cluster", "quorum": 0}]}`, "cis[0].quorum", itil.ErrInvalid},
		{"quorum of a server", `{"cis": [{"key": "s", "class": "server", "quorum": 2}]}`, "cis[0].quorum", itil.ErrInvalid},
		{"unknown state", `{"cis": [{"key": "s", "class": "server", "state": "retired"}]}`, "cis[0].state", itil.ErrInvalid},
		{"unknown criticality", `{"cis": [{"key": "s", "class": "server", "criticality": "huge"}]}`, "cis[0].criticality", itil.ErrInvalid},
		{"attribute that is not UTF-8", "{\"cis\": [{\"key\": \"s\", \"class\": \"server\", \"attributes\": {\"x\": \"\\ud800\"}}]}", "document", itil.ErrInvalid},
		{"empty owner group", `{"cis": [{"key": "s", "class": "server", "owner_group": " "}]}`, "cis[0].owner_group", itil.ErrInvalid},
	}
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newRegistry(t, st)
		importJSON(t, reg, base)
		gone, err := reg.GetByKey(ctx, "gone")
		require.NoError(t, err)
		_, err = reg.Retire(ctx, cmdb.Params{ID: gone.ID, By: alice})
		require.NoError(t, err)
		before, end := count(t, reg, cmdb.Query{}), logEnd(t, st)

		for _, tt := range tests {
			doc, err := cmdb.ParseDocument([]byte(tt.doc))
			if err == nil {
				_, err = reg.Import(ctx, cmdb.ImportParams{By: alice, Document: doc})
			}
			require.Error(t, err, tt.name)
			assert.ErrorIs(t, err, tt.is, tt.name)
			if tt.field != "" {
				var ve *itil.ValidationError
				var re *cmdb.RuleError
				switch {
				case errors.As(err, &ve):
					assert.Equal(t, tt.field, ve.Field, tt.name)
				case errors.As(err, &re):
					assert.Equal(t, tt.field, re.Field, tt.name)
				default:
					t.Errorf("%s: %T names no field: %v", tt.name, err, err)
				}
			}
			assert.NotNil(t, lifecycle.Class(err), "%s: %v is in no class", tt.name, err)
			assert.Equal(t, before, count(t, reg, cmdb.Query{}), "%s: a CI was written", tt.name)
			assert.Equal(t, end, logEnd(t, st), "%s: a change was logged", tt.name)
		}
		// No key was claimed by the refused documents.
		importJSON(t, reg, `{"cis": [{"key": "a", "class": "server"}, {"key": "b", "class": "server"}, {"key": "c", "class": "cluster", "quorum": 1}]}`)
	})
}

func TestCommandsRefuseBadInput(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newRegistry(t, st)
		importJSON(t, reg, shopDoc)
		key := func(k string) *cmdb.CI {
			c, err := reg.GetByKey(ctx, k)
			require.NoError(t, err)
			return c
		}
		dc1, rack, web, web1, app := key("dc1"), key("rack-1"), key("web"), key("web-1"), key("shop-app")
		end := logEnd(t, st)

		relate := func(id *cmdb.CI, typ cmdb.RelType, to string) error {
			_, err := reg.Relate(ctx, cmdb.RelateParams{ID: id.ID, By: alice, Type: typ, To: to})
			return err
		}
		tests := []struct {
			name  string
			err   error
			field string
			is    error
		}{
			{"register: no actor", func() error {
				_, err := reg.Register(ctx, cmdb.RegisterParams{Item: cmdb.Item{Key: "x", Class: cmdb.ClassServer}})
				return err
			}(), "By", itil.ErrInvalid},
			{"register: no class", func() error {
				_, err := reg.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: "x"}})
				return err
			}(), "item.class", itil.ErrInvalid},
			{"register: duplicate key", func() error {
				_, err := reg.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: "web-1", Class: cmdb.ClassServer}})
				return err
			}(), "", cmdb.ErrDuplicateKey},
			{"register: key too long", func() error {
				_, err := reg.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: strings.Repeat("k", cmdb.MaxKey+1), Class: cmdb.ClassServer}})
				return err
			}(), "item.key", itil.ErrInvalid},
			{"relate: cycle of contains", relate(web1, cmdb.Contains, "dc1"), "relation.to", cmdb.ErrCycle},
			{"relate: to a missing CI", relate(app, cmdb.DependsOn, "nope"), "", lifecycle.ErrNotFound},
			{"relate: unknown type", relate(app, 0, "db-1"), "relation.type", itil.ErrInvalid},
			{"relate: empty target", relate(app, cmdb.DependsOn, ""), "relation.to", itil.ErrInvalid},
			{"relate: twice", relate(dc1, cmdb.Contains, "rack-1"), "relation.to", itil.ErrInvalid},
			{"relate: member of a rack", relate(app, cmdb.MemberOf, "rack-1"), "relation.to", itil.ErrInvalid},
			{"relate: stale version", func() error {
				_, err := reg.Relate(ctx, cmdb.RelateParams{ID: rack.ID, Version: rack.Version - 1, By: alice, Type: cmdb.DependsOn, To: "db-1"})
				return err
			}(), "", lifecycle.ErrConflict},
			{"unrelate: not related", func() error {
				_, err := reg.Unrelate(ctx, cmdb.RelateParams{ID: app.ID, By: alice, Type: cmdb.Contains, To: "db-1"})
				return err
			}(), "relation.to", itil.ErrInvalid},
			{"unrelate: below quorum", func() error {
				w2 := key("web-2")
				if _, err := reg.Unrelate(ctx, cmdb.RelateParams{ID: w2.ID, By: alice, Type: cmdb.MemberOf, To: "web"}); err != nil {
					return err
				}
				_, err := reg.Unrelate(ctx, cmdb.RelateParams{ID: web1.ID, By: alice, Type: cmdb.MemberOf, To: "web"})
				return err
			}(), "quorum", cmdb.ErrQuorum},
			{"update: quorum above members", func() error {
				_, err := reg.Update(ctx, cmdb.UpdateParams{ID: web.ID, By: alice, Quorum: 3})
				return err
			}(), "Quorum", cmdb.ErrQuorum},
			{"update: quorum of a server", func() error {
				_, err := reg.Update(ctx, cmdb.UpdateParams{ID: web1.ID, By: alice, Quorum: 2})
				return err
			}(), "Quorum", itil.ErrInvalid},
			{"update: negative quorum", func() error {
				_, err := reg.Update(ctx, cmdb.UpdateParams{ID: web.ID, By: alice, Quorum: -1})
				return err
			}(), "Quorum", itil.ErrInvalid},
			{"retire: in use", func() error {
				_, err := reg.Retire(ctx, cmdb.Params{ID: key("db-1").ID, By: alice})
				return err
			}(), "", cmdb.ErrInUse},
			{"go live: not planned", func() error {
				_, err := reg.GoLive(ctx, cmdb.Params{ID: web.ID, By: alice})
				return err
			}(), "", lifecycle.ErrTransition},
		}
		// "unrelate: below quorum" removed web-2 from the cluster first, on
		// purpose: it is the one change the table makes.
		end++
		for _, tt := range tests {
			require.Error(t, tt.err, tt.name)
			assert.ErrorIs(t, tt.err, tt.is, tt.name)
			if tt.field != "" {
				var ve *itil.ValidationError
				var re *cmdb.RuleError
				switch {
				case errors.As(tt.err, &ve):
					assert.Equal(t, tt.field, ve.Field, tt.name)
				case errors.As(tt.err, &re):
					assert.Equal(t, tt.field, re.Field, tt.name)
				default:
					t.Errorf("%s: %T names no field: %v", tt.name, tt.err, tt.err)
				}
			}
		}
		assert.Equal(t, end, logEnd(t, st), "only the one unrelate was logged")

		// A planned cluster may lack its quorum; it may not go live so.
		c := register(t, reg, cmdb.Item{Key: "new-cl", Class: cmdb.ClassCluster, Quorum: 2})
		register(t, reg, cmdb.Item{Key: "new-1", Class: cmdb.ClassServer, Relations: []cmdb.Relation{{Type: cmdb.MemberOf, To: "new-cl"}}})
		_, err := reg.GoLive(ctx, cmdb.Params{ID: c.ID, By: alice})
		assert.ErrorIs(t, err, cmdb.ErrQuorum)
		register(t, reg, cmdb.Item{Key: "new-2", Class: cmdb.ClassServer, Relations: []cmdb.Relation{{Type: cmdb.MemberOf, To: "new-cl"}}})
		c, err = reg.GoLive(ctx, cmdb.Params{ID: c.ID, By: alice})
		require.NoError(t, err)
		assert.Equal(t, cmdb.StateLive, c.State)
	})
}
