package cluster_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/event/cluster"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
)

// node is one host process: its connections to NATS and to the shared
// store, its desk, its cluster host and its dispatcher.
type node struct {
	name  string
	nc    *nats.Conn
	js    jetstream.JetStream
	store *mortalStore
	desk  *incident.Desk
	host  *cluster.Host
	stop  context.CancelFunc
	done  chan struct{}
}

// clusterTest is the shape of a deployment under test.
type clusterTest struct {
	partitions int
	ackWait    time.Duration
}

// newNode starts a host on the server and the store.
func (ct clusterTest) newNode(t *testing.T, s *server.Server, db teststores.DB, name string, preferred ...int) *node {
	t.Helper()
	nc, js := connect(t, s)
	raw := db.Host(t)
	st := &mortalStore{Store: raw}
	desk, err := incident.NewDesk(st, incident.Config{})
	require.NoError(t, err)
	h, err := cluster.New(cluster.Config{
		JetStream: js, Store: st, Name: name, Partitions: ct.partitions, AckWait: ct.ackWait,
		Logger: testLogger(), Preferred: preferred,
		Engine: event.Config{
			Logger: teststores.Quiet,
			Flap:   event.FlapConfig{Disabled: true},
			Incidents: event.IncidentConfig{Desk: desk, GroupWait: -1,
				Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}},
		},
	})
	require.NoError(t, err)
	require.NoError(t, h.Setup(t.Context(), 1))
	require.NoError(t, h.Start(t.Context()))
	disp, err := lifecycle.NewDispatcher(raw.(lifecycle.Outbox), h.Reactions(), lifecycle.DispatcherConfig{
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Logger: teststores.Quiet})
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.WithoutCancel(t.Context()))
	n := &node{name: name, nc: nc, js: js, store: st, desk: desk, host: h, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(n.done)
		_ = disp.Run(ctx)
	}()
	t.Cleanup(func() {
		stop()
		<-n.done
		_ = h.Stop(context.WithoutCancel(t.Context()))
	})
	return n
}

// kill ends the node as a killed process ends: nothing it held in memory
// is saved, its store calls fail, it stops pulling and its NATS
// connection drops.
func (n *node) kill() {
	n.store.kill()
	n.stop()
	<-n.done
	// Leave the group before the connection closes: a member whose
	// connection closed under it spins on its closed watcher. With its
	// store dead, the host saves nothing on the way out.
	_ = n.host.Stop(context.Background())
	n.nc.Close()
}

// workload is the events of the failover tests: keys keys, steps events
// each, the key's groups of ten an Alertmanager group. A key's events
// never begin with ok nor repeat it, so that every event folds into an
// alert; even keys end cleared, odd ones open.
func workload(keys, steps int) []event.Event {
	pattern := []event.Severity{event.SeverityMajor, event.SeverityMajor, event.SeverityCritical, event.SeverityOK,
		event.SeverityMajor, event.SeverityOK, event.SeverityMajor, event.SeverityCritical, event.SeverityMajor}
	evs := make([]event.Event, 0, keys*steps)
	for s := range steps {
		for k := range keys {
			sev := pattern[s%len(pattern)]
			if s == steps-1 {
				sev = event.SeverityOK
				if k%2 == 1 {
					sev = event.SeverityCritical
				}
			}
			if s > 0 && sev == event.SeverityOK && pattern[(s-1)%len(pattern)] == event.SeverityOK {
				sev = event.SeverityMinor
			}
			evs = append(evs, event.Event{
				Source: "alertmanager", Node: "node-" + strconv.Itoa(k), Check: "up", Severity: sev,
				Group: "g" + strconv.Itoa(k/10), Message: "step " + strconv.Itoa(s),
			})
		}
	}
	return evs
}

// settle waits, bounded by ctx, until every partition's consumer has no
// message pending or unacknowledged, then drains the nodes' reactions.
func (ct clusterTest) settle(t *testing.T, ctx context.Context, js jetstream.JetStream, nodes ...*node) {
	t.Helper()
	for {
		idle := true
		for p := range ct.partitions {
			c, err := js.Consumer(ctx, "ITIL_EVENTS", "itil-events-p"+strconv.Itoa(p))
			require.NoError(t, err)
			info, err := c.Info(ctx)
			require.NoError(t, err)
			if info.NumPending > 0 || info.NumAckPending > 0 {
				idle = false
			}
		}
		if idle {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the partitions did not drain before the test's deadline")
		case <-time.After(50 * time.Millisecond):
		}
	}
	for _, n := range nodes {
		n.stop() // its dispatcher's lease would hold the drain off
		<-n.done
		d, err := lifecycle.NewDispatcher(n.store.Store.(lifecycle.Outbox), n.host.Reactions(), lifecycle.DispatcherConfig{Logger: teststores.Quiet})
		require.NoError(t, err)
		require.NoError(t, d.Drain(ctx))
	}
}

// checkExact checks the shared store after the workload: every key's
// alerts count exactly the events sent for it, no key has two open
// alerts, no correlation group two incidents, and every incident whose
// alerts all cleared is resolved.
func checkExact(t *testing.T, ctx context.Context, n *node, sent []event.Event) {
	t.Helper()
	want := map[string]int64{}
	for i := range sent {
		want[sent[i].Key()]++
	}
	got := map[string]int64{}
	open := map[string]int{}
	groups := map[string]map[string]bool{}
	alertsOf := map[string][]*event.Alert{}
	for a, err := range n.host.Find(ctx, event.Query{}) {
		require.NoError(t, err)
		got[a.DedupKey] += a.Count
		if a.Open() {
			open[a.DedupKey]++
		}
		if !a.Incident.IsZero() {
			g := a.Group.String()
			if groups[g] == nil {
				groups[g] = map[string]bool{}
			}
			groups[g][a.Incident.ID.String()] = true
			alertsOf[a.Incident.ID.String()] = append(alertsOf[a.Incident.ID.String()], a)
		}
	}
	bad := 0
	for k, w := range want {
		if got[k] != w && bad < 10 {
			bad++
			t.Errorf("%s counts %d events, %d were sent", k, got[k], w)
			if bad == 1 && os.Getenv("ITIL_CLUSTER_LOG") != "" {
				for a, err := range n.host.Find(ctx, event.Query{DedupKey: []string{k}}) {
					require.NoError(t, err)
					t.Logf("  %s %s count %d last seq %d", a.Number, a.State, a.Count, a.Last.Stream.Sequence)
					for ch, err := range n.store.Store.Journal(ctx, a.ID) {
						require.NoError(t, err)
						t.Logf("    v%d %s %q by %s %v", ch.Version, ch.Event, ch.Note, ch.Actor.ID, ch.Fields)
					}
				}
			}
		}
	}
	assert.Len(t, got, len(want), "keys with alerts")
	for k, c := range open {
		assert.LessOrEqual(t, c, 1, "%s has %d open alerts", k, c)
	}
	for g, incs := range groups {
		assert.LessOrEqual(t, len(incs), 1, "group %s has %d incidents", g, len(incs))
	}
	resolved := 0
	for id, alerts := range alertsOf {
		allCleared := true
		for _, a := range alerts {
			allCleared = allCleared && !a.Open()
		}
		if !allCleared {
			continue
		}
		inc, err := n.desk.Get(ctx, mustUUID(t, id))
		require.NoError(t, err)
		if assert.False(t, inc.Open(), "%s: its alerts cleared, it is %s", inc.Number, inc.State) {
			resolved++
		}
	}
	t.Logf("%d keys, %d events, %d incidents resolved with their alerts", len(want), len(sent), resolved)
}

// size returns the failover tests' keys (of ten events each): 1,000, or
// ITIL_CLUSTER_KEYS (10000 for the full 100,000 events, which takes
// minutes under -race on two cores).
func size(t *testing.T) (keys, steps int) {
	if v := os.Getenv("ITIL_CLUSTER_KEYS"); v != "" {
		k, err := strconv.Atoi(v)
		require.NoError(t, err)
		return k, 10
	}
	return 1000, 10
}

func TestFailoverKeepsCountsExact(t *testing.T) {
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
		defer cancel()
		ct := clusterTest{partitions: 6, ackWait: 2 * time.Second}
		s := startServer(t)
		nodes := []*node{ct.newNode(t, s, db, "a", 0, 3), ct.newNode(t, s, db, "b", 1, 4), ct.newNode(t, s, db, "c", 2, 5)}
		keys, steps := size(t)
		evs := workload(keys, steps)
		const chunk = 500
		live := nodes
		var killedAt time.Time
		for i, c := 0, 0; i < len(evs); i, c = i+chunk, c+1 {
			if i >= len(evs)/2 && killedAt.IsZero() {
				// c's partitions hold events it applied in memory and
				// did not save, and events it saved and did not
				// acknowledge.
				nodes[2].kill()
				killedAt = time.Now()
				live = nodes[:2]
			}
			require.NoError(t, live[c%len(live)].host.Ingest(ctx, evs[i:min(i+chunk, len(evs))]...))
		}
		ct.settle(t, ctx, nodes[0].js, live...)
		var owned []int
		for _, n := range live {
			o, err := n.host.Owned(ctx)
			require.NoError(t, err)
			owned = append(owned, o...)
		}
		assert.ElementsMatch(t, []int{0, 1, 2, 3, 4, 5}, owned, "every partition owned by a live host")
		st := nodes[0].host.Stats()
		st1 := nodes[1].host.Stats()
		t.Logf("takeovers %d+%d, replays %d+%d, dead letters %d", st.Takeovers, st1.Takeovers,
			st.Engine.Replays, st1.Engine.Replays, st.DeadLetters+st1.DeadLetters)
		checkExact(t, ctx, nodes[0], evs)
	})
}

// testLogger is the hosts' logger: quiet, unless ITIL_CLUSTER_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("ITIL_CLUSTER_LOG") == "" {
		return teststores.Quiet
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// mustUUID parses id.
func mustUUID(t *testing.T, id string) uuid.UUID {
	t.Helper()
	u, err := uuid.Parse(id)
	require.NoError(t, err)
	return u
}
