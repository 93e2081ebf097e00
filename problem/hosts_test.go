package problem_test

import (
	"context"
	"encoding/json"
	"iter"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// host is one host process on a shared store: its own desk and manager over
// its own handle of the store.
type host struct {
	store lifecycle.Store
	desk  *incident.Desk
	mgr   *problem.Manager
}

// quiet discards what the desks, managers and dispatchers log.
var quiet = slog.New(slog.DiscardHandler)

// newHost returns a host over st, with the manager configured by cfg.
func newHost(t testing.TB, st lifecycle.Store, cfg problem.Config) *host {
	t.Helper()
	return newHostWithDesk(t, st, cfg, incident.Config{})
}

// newHostWithDesk is newHost with the desk configured by dcfg.
func newHostWithDesk(t testing.TB, st lifecycle.Store, cfg problem.Config, dcfg incident.Config) *host {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if dcfg.Logger == nil {
		dcfg.Logger = quiet
	}
	desk, err := incident.NewDesk(st, dcfg)
	require.NoError(t, err)
	mgr, err := problem.NewManager(st, desk, cfg)
	require.NoError(t, err)
	return &host{store: st, desk: desk, mgr: mgr}
}

// openIncident opens incidentDraft() on the host's desk.
func (h *host) openIncident(t testing.TB) *incident.Incident {
	t.Helper()
	inc, err := h.desk.Open(t.Context(), incidentDraft())
	require.NoError(t, err)
	return inc
}

// snapshot is what a refused call must leave as it was: the records as
// stored (JSON), their journals, and the whole log.
type snapshot struct {
	records  map[uuid.UUID]string
	journals map[uuid.UUID][]lifecycle.Change
	log      []lifecycle.Change
}

// takeSnapshot reads the records with the given IDs, their journals and
// the log from st.
func takeSnapshot(t testing.TB, st lifecycle.Store, ids ...uuid.UUID) snapshot {
	t.Helper()
	ctx := t.Context()
	s := snapshot{records: map[uuid.UUID]string{}, journals: map[uuid.UUID][]lifecycle.Change{}}
	for _, id := range ids {
		e, err := st.Get(ctx, id, func() lifecycle.Entity { return new(rawRecord) })
		require.NoError(t, err)
		data, err := json.Marshal(e)
		require.NoError(t, err)
		s.records[id] = string(data)
		for c, err := range st.Journal(ctx, id) {
			require.NoError(t, err)
			s.journals[id] = append(s.journals[id], c)
		}
	}
	s.log = readLog(t, st)
	return s
}

// rawRecord keeps a record's stored body as it is, on the stores that
// decode; memstore hands back the entity it keeps.
type rawRecord struct {
	lifecycle.Record
	body []byte
}

func (r *rawRecord) Clone() lifecycle.Entity {
	c := *r
	c.Record = r.CloneRecord()
	return &c
}

func (r *rawRecord) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// UnmarshalJSON keeps the body.
func (r *rawRecord) UnmarshalJSON(data []byte) error {
	r.body = append([]byte(nil), data...)
	return json.Unmarshal(data, &r.Record)
}

// MarshalJSON returns the body kept.
func (r *rawRecord) MarshalJSON() ([]byte, error) { return r.body, nil }

// readLog returns every change in st's log, in order.
func readLog(t testing.TB, st lifecycle.Store) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for {
		var after int64
		if len(out) > 0 {
			after = out[len(out)-1].Seq
		}
		chs, err := st.ReadLog(t.Context(), after, 0)
		require.NoError(t, err)
		if len(chs) == 0 {
			return out
		}
		out = append(out, chs...)
	}
}

// logChanges returns the changes st's log holds after seq.
func logChanges(t testing.TB, st lifecycle.Store, seq int64) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for _, c := range readLog(t, st) {
		if c.Seq > seq {
			out = append(out, c)
		}
	}
	return out
}

// lastSeq returns the Seq of the last change in st's log.
func lastSeq(t testing.TB, st lifecycle.Store) int64 {
	t.Helper()
	l := readLog(t, st)
	if len(l) == 0 {
		return 0
	}
	return l[len(l)-1].Seq
}

// counting is a store that counts the calls made to it.
type counting struct {
	lifecycle.Store
	calls int
}

func (c *counting) NextNumber(ctx context.Context, prefix string) (int64, error) {
	c.calls++
	return c.Store.NextNumber(ctx, prefix)
}

func (c *counting) Get(ctx context.Context, id uuid.UUID, zero func() lifecycle.Entity) (lifecycle.Entity, error) {
	c.calls++
	return c.Store.Get(ctx, id, zero)
}

func (c *counting) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	c.calls++
	return c.Store.Find(ctx, q)
}

func (c *counting) ReadLog(ctx context.Context, after int64, limit int) ([]lifecycle.Change, error) {
	c.calls++
	return c.Store.ReadLog(ctx, after, limit)
}
