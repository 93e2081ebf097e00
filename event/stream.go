package event

import (
	"context"
	"fmt"

	"github.com/itil-go/itil/lifecycle"
)

// replayed reports whether the store holds an alert of ev's key whose last
// event is at ev's position in the stream or after it: ev, redelivered
// while no alert of its key is open in memory, was applied before.
func (e *Engine) replayed(ctx context.Context, ev *Event) (bool, error) {
	var w lifecycle.Conds
	w.Eq("dedup_key", ev.Key())
	for rec, err := range e.proc.Find(ctx, lifecycle.Query{Where: w}) {
		if err != nil {
			return false, fmt.Errorf("event: looking for a replay of %q: %w", ev.Key(), err)
		}
		if rec.Last.Stream.Sequence >= ev.Stream.Sequence {
			return true, nil
		}
	}
	return false, nil
}

// GroupKey returns the key of the correlation group the engine's rules put
// ev's alert in, before topology: the first correlation rule's that
// applies, else the sender's group (Event.Group), else the dedup key's.
// Hosts that partition their events (see package event/cluster) partition
// by it, so that a correlation group never spans partitions.
func (e *Engine) GroupKey(ev *Event) string {
	key, _, _ := e.groupOfFacts(ev.Labels, ev.ci(), ev.Source, ev.Group, ev.Key())
	return key
}

// AlertGroupKey is GroupKey for a stored alert: the key its first event
// would have had, from its labels, CI, source, sender's group and dedup
// key.
func (e *Engine) AlertGroupKey(a *Alert) string {
	key, _, _ := e.groupOfFacts(a.Labels, a.CI, a.Source, a.Last.Group, a.DedupKey)
	return key
}
