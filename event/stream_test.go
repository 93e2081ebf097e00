package event_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// at returns a copy of ev at position seq of a stream.
func at(ev event.Event, seq uint64, redelivered bool) event.Event {
	ev.Stream = event.Position{Sequence: seq, Redelivered: redelivered}
	return ev
}

// diskEvent is the event of one key that the stream tests send.
func diskEvent(sev event.Severity) event.Event {
	return event.Event{Source: "prom", Node: "db-1", Check: "disk", Severity: sev}
}

func TestStreamReplaysAreSkipped(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		c := newClock()
		a := newHost(t, db.Host(t), c, nil, nil)
		// Host a applies 1..5, saves them, applies 6 and 7 in memory
		// only, and is lost before it acknowledges any.
		for seq := uint64(1); seq <= 7; seq++ {
			require.NoError(t, a.engine.Ingest(t.Context(), at(diskEvent(event.SeverityMajor), seq, false)))
			if seq == 5 {
				_, err := a.engine.Flush(t.Context())
				require.NoError(t, err)
			}
		}
		// Its successor is redelivered 1..7 and then receives 8 and 9.
		b := newHost(t, db.Host(t), c, nil, nil)
		for seq := uint64(1); seq <= 9; seq++ {
			require.NoError(t, b.engine.Ingest(t.Context(), at(diskEvent(event.SeverityMajor), seq, seq <= 7)))
		}
		live, err := b.engine.Alert(t.Context(), "prom/db-1/disk")
		require.NoError(t, err)
		assert.Equal(t, int64(9), live.Count, "each event of the stream counted once")
		assert.Equal(t, uint64(9), live.Last.Stream.Sequence)
		assert.Equal(t, int64(5), b.engine.Stats().Replays, "1..5 were saved; 6 and 7 were not")
		_, err = b.engine.Flush(t.Context())
		require.NoError(t, err)
		stored := alertsOf(t, b.engine)
		require.Len(t, stored, 1)
		assert.Equal(t, int64(9), stored[0].Count)
	})
}

func TestStreamReplayOfAClearedAlert(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		c := newClock()
		a := newHost(t, db.Host(t), c, nil, nil)
		require.NoError(t, a.engine.Ingest(t.Context(),
			at(diskEvent(event.SeverityMajor), 1, false), at(diskEvent(event.SeverityOK), 2, false)))
		b := newHost(t, db.Host(t), c, nil, nil)
		// 1 opened an alert and 2 cleared it: redelivered, they do
		// neither again; 3 opens the key's next alert.
		require.NoError(t, b.engine.Ingest(t.Context(),
			at(diskEvent(event.SeverityMajor), 1, true), at(diskEvent(event.SeverityOK), 2, true)))
		assert.Equal(t, int64(2), b.engine.Stats().Replays)
		stored := alertsOf(t, b.engine)
		require.Len(t, stored, 1, "no alert opened again")
		assert.False(t, stored[0].Open())
		require.NoError(t, b.engine.Ingest(t.Context(), at(diskEvent(event.SeverityMajor), 3, true)))
		var open []*event.Alert
		for al, err := range b.engine.Find(t.Context(), event.Query{Open: true}) {
			require.NoError(t, err)
			open = append(open, al)
		}
		require.Len(t, open, 1, "an event redelivered but never applied is applied")
		assert.Equal(t, int64(1), open[0].Count)
		assert.Len(t, alertsOf(t, b.engine), 2, "the cleared alert and the new one")
	})
}

func TestStreamStaleEngineDoesNotOverwrite(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		c := newClock()
		a := newHost(t, db.Host(t), c, nil, nil)
		require.NoError(t, a.engine.Ingest(t.Context(), at(diskEvent(event.SeverityMajor), 1, false),
			at(diskEvent(event.SeverityMajor), 2, false)))
		// Host b takes the stream over while a still holds the alert and
		// applies events up to 6, which it saves.
		b := newHost(t, db.Host(t), c, nil, nil)
		for seq := uint64(2); seq <= 6; seq++ {
			require.NoError(t, b.engine.Ingest(t.Context(), at(diskEvent(event.SeverityMajor), seq, seq == 2)))
		}
		_, err := b.engine.Flush(t.Context())
		require.NoError(t, err)
		// a, behind, flushes what it holds: it must not write over b.
		n, err := a.engine.Flush(t.Context())
		require.NoError(t, err)
		assert.Zero(t, n)
		stored := alertsOf(t, b.engine)
		require.Len(t, stored, 1)
		assert.Equal(t, int64(6), stored[0].Count)
		assert.Equal(t, uint64(6), stored[0].Last.Stream.Sequence)
	})
}

func TestResumeTakesOverItsShare(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		c := newClock()
		a := newHost(t, db.Host(t), c, nil, nil)
		require.NoError(t, a.engine.Ingest(t.Context(),
			event.Event{Source: "prom", Node: "web-1", Check: "http", Severity: event.SeverityMajor},
			event.Event{Source: "prom", Node: "web-2", Check: "http", Severity: event.SeverityMajor}))
		b := newHost(t, db.Host(t), c, nil, func(cfg *event.Config) {
			cfg.Resume = func(al *event.Alert) bool { return al.Node == "web-1" }
		})
		assert.Equal(t, int64(1), b.engine.Stats().Restored)
		var keys []string
		for al, err := range b.engine.Alerts(t.Context()) {
			require.NoError(t, err)
			keys = append(keys, al.DedupKey)
		}
		assert.Equal(t, []string{"prom/web-1/http"}, keys)
	})
}

func TestGroupKeyKeepsAGroupTogether(t *testing.T) {
	t.Parallel()
	e, err := event.NewEngine(memstore.New(memstore.Config{}), event.Config{Correlation: []event.CorrelationRule{{Name: "by-site", By: []string{"site"}}}})
	require.NoError(t, err)
	one := event.Event{Source: "prom", Node: "web-1", Check: "http", Severity: event.SeverityMajor, Labels: map[string]string{"site": "fra"}}
	two := event.Event{Source: "prom", Node: "db-1", Check: "disk", Severity: event.SeverityMinor, Labels: map[string]string{"site": "fra"}}
	other := event.Event{Source: "prom", Node: "db-1", Check: "disk", Severity: event.SeverityMinor, Labels: map[string]string{"site": "ams"}}
	assert.Equal(t, e.GroupKey(&one), e.GroupKey(&two))
	assert.NotEqual(t, e.GroupKey(&one), e.GroupKey(&other))
	sender := event.Event{Source: "alertmanager", Node: "x", Check: "y", Severity: event.SeverityMajor, Group: "{}:{alertname=\"a\"}"}
	assert.Equal(t, e.GroupKey(&sender), e.AlertGroupKey(&event.Alert{Source: sender.Source, DedupKey: sender.Key(), Last: sender}))
}

func TestRedeliveredWithoutSequenceIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ev := diskEvent(event.SeverityMajor)
	ev.Stream.Redelivered = true
	err := f.engine.Ingest(t.Context(), ev)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events[0].stream.sequence", ve.Field)
}
