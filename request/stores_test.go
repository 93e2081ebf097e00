package request_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/request"
)

// hosts are desks on one store, as several host processes would run them,
// sharing a clock.
type hosts struct {
	desks  []*request.Desk
	stores []lifecycle.Store
	clock  *fakeClock
}

// newHosts opens n desks on db with cfg (the fixture catalog when it has
// none).
func newHosts(t testing.TB, db teststores.DB, n int, cfg request.Config) *hosts {
	t.Helper()
	h := &hosts{clock: lifecycletest.NewClock(monday9)}
	if cfg.Now == nil {
		cfg.Now = h.clock.Now
	}
	if cfg.Catalog == nil {
		cat, err := request.NewCatalog(laptopItem(), mouseItem(), onboardingItem(), erpItem(), wikiItem())
		require.NoError(t, err)
		cfg.Catalog = cat
	}
	for range n {
		st := db.Host(t)
		d, err := request.NewDesk(st, cfg)
		require.NoError(t, err)
		h.desks = append(h.desks, d)
		h.stores = append(h.stores, st)
	}
	return h
}

// storeState is everything a store holds, encoded: every record in the
// log, each record's journal, and the log itself. A refused call leaves it
// byte for byte as it was.
type storeState struct {
	Records  map[uuid.UUID]string
	Journals map[uuid.UUID]string
	Log      string
}

// snapshot reads the state of st.
func snapshot(t testing.TB, st lifecycle.Store) storeState {
	t.Helper()
	ctx := context.Background()
	s := quickSnapshot(t, st)
	s.Journals = map[uuid.UUID]string{}
	for id := range s.Records {
		var j []lifecycle.Change
		for c, err := range st.Journal(ctx, id) {
			require.NoError(t, err)
			j = append(j, c)
		}
		s.Journals[id] = encode(t, j)
	}
	return s
}

// quickSnapshot is snapshot without the journals, which take a query per
// record: every record of the desk's kinds, and the log.
func quickSnapshot(t testing.TB, st lifecycle.Store) storeState {
	t.Helper()
	ctx := context.Background()
	var log []lifecycle.Change
	for after := int64(0); ; {
		chs, err := st.ReadLog(ctx, after, 0)
		require.NoError(t, err)
		if len(chs) == 0 {
			break
		}
		log = append(log, chs...)
		after = chs[len(chs)-1].Seq
	}
	s := storeState{Records: map[uuid.UUID]string{}, Log: encode(t, log)}
	for _, kind := range []string{request.Kind, request.TaskKind, request.GrantKind} {
		for e, err := range st.Find(ctx, lifecycle.Query{Kind: kind, New: zeroOf(kind)}) {
			require.NoError(t, err)
			s.Records[e.Base().ID] = encode(t, e)
		}
	}
	return s
}

// zeroOf returns the zero entity of a record kind of the desk.
func zeroOf(kind string) func() lifecycle.Entity {
	switch kind {
	case request.TaskKind:
		return func() lifecycle.Entity { return new(request.Task) }
	case request.GrantKind:
		return func() lifecycle.Entity { return new(request.Grant) }
	}
	return func() lifecycle.Entity { return new(request.Request) }
}

func encode(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// events returns the events of the journal of record id, in order.
func events(t testing.TB, d *request.Desk, id uuid.UUID) []string {
	t.Helper()
	var out []string
	for _, c := range journal(t, d, id) {
		out = append(out, c.Event)
	}
	return out
}
