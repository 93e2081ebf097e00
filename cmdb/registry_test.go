package cmdb_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var (
	_ event.Topology    = (*cmdb.Graph)(nil)
	_ event.Criticality = (*cmdb.Graph)(nil)
	_ change.Topology   = (*cmdb.Graph)(nil)
	_ lifecycle.Entity  = (*cmdb.CI)(nil)
)

func TestLifecycleOnEveryStore(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		st := db.Host(t)
		reg := newRegistry(t, st)
		require.NoError(t, reg.Start(ctx))

		srv := register(t, reg, cmdb.Item{Key: "srv-1", Class: cmdb.ClassServer, Attributes: map[string]string{"serial": "X1"}})
		assert.Equal(t, cmdb.StatePlanned, srv.State)
		assert.Equal(t, "CI0000001", srv.Number)
		assert.Equal(t, cmdb.GroupTechnical, srv.OwnerGroup)
		assert.NotZero(t, srv.ID)

		app := register(t, reg, cmdb.Item{Key: "app-1", Class: cmdb.ClassApplication, OwnerGroup: "shop-team",
			Criticality: itil.ImpactMedium, Relations: []cmdb.Relation{{Type: cmdb.RunsOn, To: "srv-1"}}})
		assert.Equal(t, "shop-team", app.OwnerGroup)
		assert.True(t, app.Related(cmdb.RunsOn, "srv-1"))

		srv, err := reg.GoLive(ctx, cmdb.Params{ID: srv.ID, By: alice})
		require.NoError(t, err)
		assert.Equal(t, cmdb.StateLive, srv.State)
		srv, err = reg.StartMaintenance(ctx, cmdb.Params{ID: srv.ID, By: alice, Note: "firmware"})
		require.NoError(t, err)
		assert.Equal(t, cmdb.StateMaintenance, srv.State)
		srv, err = reg.EndMaintenance(ctx, cmdb.Params{ID: srv.ID, Version: srv.Version, By: alice})
		require.NoError(t, err)
		assert.Equal(t, cmdb.StateLive, srv.State)

		_, err = reg.EndMaintenance(ctx, cmdb.Params{ID: srv.ID, By: alice})
		var te *lifecycle.TransitionError
		assert.ErrorAs(t, err, &te)

		srv, err = reg.Update(ctx, cmdb.UpdateParams{ID: srv.ID, By: alice, Attributes: map[string]string{"serial": "", "ip": "10.0.0.1"},
			Criticality: itil.ImpactLow})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"ip": "10.0.0.1"}, srv.Attributes)
		assert.Equal(t, itil.ImpactLow, srv.Criticality)

		got, err := reg.GetByKey(ctx, "srv-1")
		require.NoError(t, err)
		assert.Equal(t, srv.Version, got.Version)
		_, err = reg.GetByKey(ctx, "nope")
		assert.ErrorIs(t, err, lifecycle.ErrNotFound)

		var events []string
		for ch, err := range reg.Journal(ctx, srv.ID) {
			require.NoError(t, err)
			events = append(events, ch.Event)
		}
		assert.Equal(t, []string{lifecycle.EventCreate, cmdb.EventGoLive, cmdb.EventStartMaintenance,
			cmdb.EventEndMaintenance, cmdb.EventEdit}, events)

		assert.Equal(t, 2, count(t, reg, cmdb.Query{}))
		assert.Equal(t, 1, count(t, reg, cmdb.Query{Function: cmdb.Technical}))
		assert.Equal(t, 1, count(t, reg, cmdb.Query{RelatedTo: "srv-1"}))
		assert.Equal(t, 1, count(t, reg, cmdb.Query{State: cmdb.StateLive}))
		assert.Equal(t, 1, count(t, reg, cmdb.Query{Group: "shop-team", Class: cmdb.ClassApplication}))

		parents, err := reg.Graph().Parents(ctx, "app-1")
		require.NoError(t, err)
		assert.Equal(t, []string{"srv-1"}, parents)

		// Retire: refused while app-1 runs on srv-1; then app-1 first.
		_, err = reg.Retire(ctx, cmdb.Params{ID: srv.ID, By: alice})
		assert.ErrorIs(t, err, cmdb.ErrInUse)
		assert.ErrorIs(t, err, lifecycle.ErrRefused)
		var re *cmdb.RuleError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, []string{"app-1"}, re.CIs)
		app, err = reg.Retire(ctx, cmdb.Params{ID: app.ID, By: alice})
		require.NoError(t, err)
		assert.Empty(t, app.Relations)
		_, err = reg.Retire(ctx, cmdb.Params{ID: srv.ID, By: alice})
		require.NoError(t, err)
		n, err := reg.Graph().Len(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "retired CIs leave the graph")

		// The journal is the outbox: every change is in the log.
		chs, err := st.ReadLog(ctx, 0, 100)
		require.NoError(t, err)
		assert.Len(t, chs, 8) // 2 creates, 3 moves, 1 edit, 2 retirements
	})
}

func TestGraphFollowsAnotherHost(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		a, b := newRegistry(t, db.Host(t)), newRegistry(t, db.Host(t))
		importJSON(t, a, shopDoc)
		affected, err := b.Graph().Impact(ctx, "web-1", "web-2")
		require.NoError(t, err)
		assert.Equal(t, []cmdb.Affected{{Key: "shop", Class: cmdb.ClassBusinessService, Status: cmdb.Down}}, affected)

		app, err := a.GetByKey(ctx, "shop-app")
		require.NoError(t, err)
		_, err = a.Unrelate(ctx, cmdb.RelateParams{ID: app.ID, By: alice, Type: cmdb.RunsOn, To: "web"})
		require.NoError(t, err)
		affected, err = b.Graph().Impact(ctx, "web-1", "web-2")
		require.NoError(t, err)
		assert.Empty(t, affected, "b's graph saw a's unrelate")
	})
}

func TestConfigGroups(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := memstore.New(memstore.Config{})
	reg, err := cmdb.NewRegistry(st, cmdb.Config{Groups: map[cmdb.Function]string{cmdb.Facilities: "dc-ops"}})
	require.NoError(t, err)
	c, err := reg.Register(ctx, cmdb.RegisterParams{By: alice, Item: cmdb.Item{Key: "room-1", Class: cmdb.ClassRoom}})
	require.NoError(t, err)
	assert.Equal(t, "dc-ops", c.OwnerGroup)

	for name, cfg := range map[string]cmdb.Config{
		"unknown function": {Groups: map[cmdb.Function]string{9: "x"}},
		"empty group":      {Groups: map[cmdb.Function]string{cmdb.Service: ""}},
	} {
		_, err := cmdb.NewRegistry(st, cfg)
		assert.ErrorIs(t, err, itil.ErrInvalid, name)
	}
	_, err = cmdb.NewRegistry(nil, cmdb.Config{})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "store", ve.Field)
}

func TestClassesAndFunctions(t *testing.T) {
	t.Parallel()
	want := map[cmdb.Function][]string{
		cmdb.Facilities:  {"site", "room", "rack", "power", "cooling"},
		cmdb.Technical:   {"server", "network_device", "storage", "virtual_machine", "cluster"},
		cmdb.Application: {"application", "database", "queue"},
		cmdb.Service:     {"business_service", "technical_service"},
	}
	got := map[cmdb.Function][]string{}
	for _, c := range cmdb.Classes() {
		got[c.Function()] = append(got[c.Function()], c.String())
		back, err := cmdb.ParseClass(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, back)
	}
	assert.Equal(t, want, got)
	_, err := cmdb.ParseClass("toaster")
	assert.ErrorIs(t, err, itil.ErrInvalid)
	assert.Equal(t, "facilities_management", cmdb.Facilities.DefaultGroup())
	assert.Equal(t, "service_management", cmdb.ClassBusinessService.Function().DefaultGroup())
	assert.False(t, errors.Is(cmdb.ErrCycle, lifecycle.ErrConflict))
	assert.ErrorIs(t, cmdb.ErrDuplicateKey, lifecycle.ErrConflict)
}
