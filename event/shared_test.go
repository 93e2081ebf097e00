package event_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/internal/teststores"
)

// TestEnginesSharingAStore: two hosts' engines on one store hold one open
// alert per dedup key between them, whichever host an event reaches; an
// ok event clears the alert the other host opened; an alert one host
// closed is never written to again by the other, whose next event opens
// a new alert; and after both restart, no closed alert comes back.
func TestEnginesSharingAStore(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		c := newClock()
		a, b := newHost(t, db.Host(t), c, nil, nil), newHost(t, db.Host(t), c, nil, nil)
		disk := func(node string, sev event.Severity) event.Event {
			return event.Event{Source: "zabbix", Node: node, Check: "disk", Severity: sev, Message: "disk on " + node}
		}

		// One alert, at whichever host its events arrive.
		require.NoError(t, a.engine.Ingest(ctx, disk("db-1", event.SeverityCritical)))
		require.NoError(t, b.engine.Ingest(ctx, disk("db-1", event.SeverityCritical)))
		drain(t, a, b)
		stored := alertsOf(t, a.engine)
		require.Len(t, stored, 1, "one alert for one dedup key")
		first := stored[0]
		assert.Equal(t, int64(1), a.engine.Stats().Opened)
		assert.Zero(t, b.engine.Stats().Opened, "b folded into a's alert")
		onB, err := b.engine.Alert(ctx, "zabbix/db-1/disk")
		require.NoError(t, err)
		assert.Equal(t, first.ID, onB.ID)
		incs := checkOneIncidentPerGroup(t, a.engine, a.desk)
		assert.Len(t, incs, 1, "one incident")

		// An ok event at the host that never saw the alert clears it.
		require.NoError(t, a.engine.Ingest(ctx, disk("db-2", event.SeverityCritical)))
		require.NoError(t, b.engine.Ingest(ctx, disk("db-2", event.SeverityOK)))
		assert.Zero(t, b.engine.Stats().Orphans, "the ok event found a's alert")
		for _, al := range alertsOf(t, a.engine) {
			if al.DedupKey == "zabbix/db-2/disk" {
				assert.Equal(t, event.StateClosed, al.State)
			}
		}
		drain(t, a, b)

		// Closed at b, db-1's alert is not written to by a, whose next
		// event opens a new alert, and a critical then raises its incident.
		c.Advance(time.Minute)
		require.NoError(t, b.engine.Ingest(ctx, disk("db-1", event.SeverityOK)))
		require.NoError(t, a.engine.Ingest(ctx, disk("db-1", event.SeverityWarning)))
		got, err := a.engine.Get(ctx, first.ID)
		require.NoError(t, err)
		assert.Equal(t, event.StateClosed, got.State)
		now, err := a.engine.Alert(ctx, "zabbix/db-1/disk")
		require.NoError(t, err)
		assert.NotEqual(t, first.ID, now.ID, "a new alert")
		assert.Equal(t, event.SeverityWarning, now.Severity)
		require.NoError(t, a.engine.Ingest(ctx, disk("db-1", event.SeverityCritical)))
		drain(t, a, b)
		raised, err := a.engine.Get(ctx, now.ID)
		require.NoError(t, err)
		require.False(t, raised.Incident.IsZero(), "the critical raised an incident")
		inc, err := a.desk.Get(ctx, raised.Incident.ID)
		require.NoError(t, err)
		assert.True(t, inc.Open())
		checkAlertInvariants(t, a.engine)

		// Both restart: the closed alerts stay closed; the open one is
		// resumed by both, and one host closing it leaves the other's
		// next events to a new alert.
		a = newHost(t, db.Host(t), c, nil, nil)
		b = newHost(t, db.Host(t), c, nil, nil)
		assert.Equal(t, int64(1), a.engine.Stats().Restored)
		assert.Equal(t, int64(1), b.engine.Stats().Restored)
		for _, h := range []*host{a, b} {
			for al, err := range h.engine.Alerts(ctx) {
				require.NoError(t, err)
				assert.Equal(t, now.ID, al.ID, "only the open alert is resumed")
			}
		}
		c.Advance(time.Minute)
		require.NoError(t, b.engine.Ingest(ctx, disk("db-1", event.SeverityOK)))
		require.NoError(t, a.engine.Ingest(ctx, disk("db-1", event.SeverityMajor)))
		require.NoError(t, a.engine.Ingest(ctx, disk("db-1", event.SeverityCritical)))
		drain(t, a, b)
		checkAlertInvariants(t, a.engine)
		last, err := a.engine.Alert(ctx, "zabbix/db-1/disk")
		require.NoError(t, err)
		assert.NotEqual(t, now.ID, last.ID)
		stored3, err := a.engine.Get(ctx, last.ID)
		require.NoError(t, err)
		assert.False(t, stored3.Incident.IsZero(), "the new alert has its incident")
		checkOneIncidentPerGroup(t, a.engine, a.desk)
	})
}

// TestAcknowledgeAtTheOtherHost: an acknowledgement reaching the host
// that does not hold the alert acknowledges it rather than being an
// orphan; Acknowledge does the same.
func TestAcknowledgeAtTheOtherHost(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		c := newClock()
		a, b := newHost(t, db.Host(t), c, nil, nil), newHost(t, db.Host(t), c, nil, nil)
		require.NoError(t, a.engine.Ingest(ctx,
			event.Event{Source: "pd", DedupKey: "k1", Severity: event.SeverityWarning},
			event.Event{Source: "pd", DedupKey: "k2", Severity: event.SeverityWarning}))
		require.NoError(t, b.engine.Ingest(ctx, event.Event{Source: "pd", DedupKey: "k1", Ack: true}))
		assert.Zero(t, b.engine.Stats().Orphans)
		got, err := b.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "k2", By: itil.Actor{ID: "bob"}, Note: "mine"})
		require.NoError(t, err)
		assert.True(t, got.Acknowledged)
		for _, al := range alertsOf(t, a.engine) {
			assert.Equal(t, event.StateAcknowledged, al.State, al.DedupKey)
		}
		_, err = b.engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "k3", By: itil.Actor{ID: "bob"}})
		require.ErrorIs(t, err, event.ErrNoAlert)
		checkAlertInvariants(t, a.engine)
	})
}

// TestOpenRaceAcrossEngines: engines racing to open one dedup key open it
// once.
func TestOpenRaceAcrossEngines(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		c := newClock()
		hosts := []*host{newHost(t, db.Host(t), c, nil, nil), newHost(t, db.Host(t), c, nil, nil)}
		ev := event.Event{Source: "s", Node: "n", Check: "c", Severity: event.SeverityWarning}
		errs := make(chan error, 8)
		for i := range 8 {
			go func() { errs <- hosts[i%2].engine.Ingest(ctx, ev) }()
		}
		for range 8 {
			require.NoError(t, <-errs)
		}
		require.Len(t, alertsOf(t, hosts[0].engine), 1)
		var opened int64
		for _, h := range hosts {
			opened += h.engine.Stats().Opened
			assert.Equal(t, int64(4), h.engine.Stats().Events)
		}
		assert.Equal(t, int64(1), opened)
		checkAlertInvariants(t, hosts[0].engine)
	})
}
