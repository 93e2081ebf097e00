// Package cluster runs event management on several hosts over NATS
// JetStream: a monitoring bridge as two or three replicas behind a load
// balancer, for availability and, past one machine's event rate, for
// throughput. The in-process event.Engine stays the default; a host
// reaches for this package when one host is not enough.
//
//	js, _ := jetstream.New(nc)                    // the host's NATS connection
//	h, err := cluster.New(cluster.Config{
//		JetStream: js,
//		Store:     st,                          // shared by every host: PostgreSQL
//		Engine:    event.Config{Incidents: event.IncidentConfig{Desk: desk}},
//		Partitions: 8,
//	})
//	err = h.Setup(ctx, 1)                        // the stream and the consumer group
//	err = h.Start(ctx)                           // join every partition, as owner or standby
//	disp, _ := lifecycle.NewDispatcher(st, h.Reactions(), lifecycle.DispatcherConfig{})
//	go disp.Run(ctx)                             // incidents follow the alerts, on any host
//	err = h.Ingest(ctx, ev)                      // or http.Handle(…, event.AlertmanagerHandler(h, …))
//	go func() { for now := range time.Tick(10 * time.Second) { h.Sweep(ctx, now) } }()
//	defer h.Stop(ctx)
//
// # Partitions
//
// Any host accepts events and publishes each to one of Partitions
// subjects, "<partition>.<Subject>", of one stream. The partition is
// FNV-1a of the event's partition key modulo Partitions; the key is the
// correlation group the engine's rules put the event in
// (event.Engine.GroupKey), so that a group never spans partitions, or, with
// Config.PartitionLabel, the value of that label (a site, a room).
//
// The partitions are consumed through a static partitioned consumer group
// (github.com/synadia-io/orbit.go/pcgroups): one member, and one durable
// consumer, per partition. Every host joins every member; JetStream pins
// each member's consumer to one host at a time and keeps the other hosts
// waiting as hot standbys. The host pinned to a partition owns it: it runs
// the partition's event.Engine, whose Config.Resume takes over only the
// partition's open alerts from the shared store. Config.Preferred spreads
// the first pins over the hosts of a deployment started together.
//
// # Exactly once, across a failover
//
// A partition applies its messages in batches: it ingests the batch's
// events into its engine, flushes the engine (event.Engine.Flush), and only
// then acknowledges each message. Every alert write carries the alert's
// last event with its stream position (event.Position), so that the store
// says, per dedup key, up to which message of the stream it has applied.
//
// When the pinned host stops pulling (it crashed, or lost NATS), JetStream
// pins a standby after AckWait. The standby resumes the partition's open
// alerts from the store, then reads the partition's messages that the
// group had not seen acknowledged, from the consumer's acknowledgement
// floor to the stream's last message of the partition, in stream order,
// and applies them before anything else. An event that the host before had
// applied and saved is skipped as a replay (event.Stats.Replays); one it
// had applied only in memory, or not at all, is applied. The consumer
// redelivers the same messages later, in no particular order: they are at
// or below what the partition has applied and are acknowledged unread.
// Every event a partition applies is checked against the store, since a
// host taking a partition over may have applied it before its first
// delivery here. So every key's alert counts each event once however many
// hosts fail, no dedup key has two open alerts (the engine's key lock),
// and no correlation group two incidents (its group lock).
//
// Before it applies a batch, a host checks that the consumer is still
// pinned to it; a host that lost its pin without knowing (cut off from
// NATS, then back) drops its engine, unsaved, and leaves the batch to the
// owner. A host that regains a partition rebuilds its engine from the
// store.
//
// What each failure costs: a host that crashes loses nothing; its
// partitions stop for AckWait (at least one second, five by default) and
// the standby rereads what was not acknowledged. A host cut off from NATS
// costs the same. A failure of the store fails the batch, which is applied
// again, before any later message of the partition, on an engine resumed
// from the store.
//
// # What crosses partitions
//
//   - Correlation groups and their incidents never do: the partition key
//     is the group's key. The group's incident is opened once, named by
//     the group's lock in the store, by whichever host runs the reaction
//     (Host.Reactions, on every host's dispatcher).
//   - Topology and inhibition see the alerts of their own partition: a
//     parent CI down in another partition is not seen, nor an inhibition
//     source there. A deployment that relies on them partitions by a label
//     their alerts share (Config.PartitionLabel: the site, the room).
//   - Maintenance windows are configuration (event.Config.Maintenance),
//     the same on every host; change windows are read from the store
//     (event.Config.ChangeWindows), which every host shares.
//   - Sweeps: Host.Sweep publishes a tick into every partition; its owner
//     sweeps its engine at the tick's instant, in order with its events,
//     once per instant however many hosts tick.
//   - Heartbeats and business-service health are each engine's own: a
//     source's events fall in many partitions, so a heartbeat registered
//     on one engine would miss the others'. They are not run across
//     hosts; a deployment that needs them runs them on one in-process
//     engine of its own.
//
// # Bad input on the wire
//
// A message that does not decode as an event, or whose key belongs to
// another partition, is counted (Stats.DeadLetters), logged, published to
// Config.DeadLetter with the reason, the subject and the sequence in its
// headers, and acknowledged with its batch: it never blocks its partition.
package cluster
