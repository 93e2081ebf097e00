package event

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// restore takes over the open alerts the store holds, so that a restarted
// engine resumes them: it puts them back under their dedup keys, with their
// groups, the groups' incidents, the down CIs and the inhibition rules'
// sources and targets. NewEngine calls it once, before the engine is
// shared; it writes nothing and asks the host nothing.
//
// A record that cannot be an open alert (no dedup key, no severity, a state
// the lifecycle does not have) is skipped with a warning, and so is the
// older of two open alerts with one dedup key.
func (e *Engine) restore(ctx context.Context) error {
	var (
		alerts []*alert
		byKey  = map[string]int{} // index in alerts
	)
	for rec, err := range e.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Active()}}) {
		if err != nil {
			return fmt.Errorf("event: reading the open alerts: %w", err)
		}
		if why := unrestorable(rec); why != "" {
			e.cfg.Logger.WarnContext(ctx, "not resuming a stored alert: "+why,
				slog.String("alert", rec.Number), slog.String("dedup_key", rec.DedupKey))
			continue
		}
		a := e.revive(rec)
		if i, ok := byKey[a.key]; ok { // Find yields in creation order: a is the newer
			e.cfg.Logger.WarnContext(ctx, "two open alerts share a dedup key; resuming the newer",
				slog.String("alert", a.rec.Number), slog.String("older", alerts[i].rec.Number), slog.String("dedup_key", a.key))
			alerts[i] = nil
		}
		byKey[a.key] = len(alerts)
		alerts = append(alerts, a)
	}
	n := 0
	for _, a := range alerts {
		if a != nil {
			alerts[n] = a
			n++
		}
	}
	alerts = alerts[:n]
	e.regroup(alerts)
	for _, a := range alerts {
		a.mu.Lock()
		a.shard.mu.Lock()
		a.shard.t.put(a)
		a.shard.mu.Unlock()
		e.prepareInhibit(a)
		e.markSource(a)
		e.markDown(a)
		a.mu.Unlock()
	}
	e.restored = int64(len(alerts))
	return nil
}

// unrestorable says why a stored record cannot be resumed as an open alert,
// or returns "".
func unrestorable(rec *Alert) string {
	switch {
	case rec.DedupKey == "":
		return "no dedup key"
	case !rec.Severity.Valid() || rec.Severity == SeverityOK:
		return "severity " + rec.Severity.String() + " is not info to critical"
	case rec.State != StateOpen && rec.State != StateAcknowledged && rec.State != StateSuppressed:
		return "state " + rec.State + " is not open, acknowledged or suppressed"
	}
	return ""
}

// revive builds the in-memory alert of a stored open one. The live fields
// take the values of its last persisted change; the flap ring, which is
// not persisted, is rebuilt to the persisted FlapPercent.
func (e *Engine) revive(rec *Alert) *alert {
	h := maphash.String(e.seed, rec.DedupKey)
	a := &alert{key: rec.DedupKey, alertCold: &alertCold{shard: &e.shards[h&e.mask], hash: h}}
	a.rec = *rec
	a.rec.Highest = max(rec.Highest, rec.Severity)
	a.severity, a.flapping = rec.Severity, rec.Flapping
	a.suppressed = rec.State == StateSuppressed
	a.count, a.lastSeen, a.message, a.last = max(rec.Count, 1), rec.LastSeen, rec.Message, rec.Last
	a.saved = a.count
	if a.lastSeen.IsZero() {
		a.lastSeen = rec.FirstSeen
	}
	a.heartbeat = rec.Source == HeartbeatSource && rec.DedupKey == heartbeatKey(rec.Node)
	hist := rec.History
	if len(hist) > HistoryLen {
		hist = hist[len(hist)-HistoryLen:]
	}
	for _, c := range hist {
		a.hist.push(c)
	}
	a.rec.History = nil // the ring holds it
	if rec.Suppressed.Last != nil {
		a.suppLast = *rec.Suppressed.Last
		a.rec.Suppressed.Last = &a.suppLast
	}
	if e.cfg.Flap.Disabled {
		a.flap.init(rec.Severity)
	} else {
		a.flap.approximate(rec.Severity, flapAlternate(rec.Severity, hist), rec.FlapPercent)
	}
	return a
}

// regroup rebuilds the correlation groups of resumed alerts, oldest first,
// from the group and incident each alert recorded: a group takes the key
// the correlation rules give its first member that did not join by
// topology, and the newest incident its members were linked to.
func (e *Engine) regroup(alerts []*alert) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range alerts {
		id := a.rec.Group
		if id == uuid.Nil {
			id = newGroupID()
			a.rec.Group = id
		}
		g := e.byID[id]
		if g == nil {
			g = &group{id: id, created: a.rec.FirstSeen, lastJoin: a.rec.FirstSeen}
			e.byID[id] = g
		}
		if g.key == "" && a.rec.Parent == "" {
			g.key, g.rule, g.window = e.groupOf(a)
		}
		g.open++
		if a.rec.FirstSeen.Before(g.created) {
			g.created = a.rec.FirstSeen
		}
		if a.rec.FirstSeen.After(g.lastJoin) {
			g.lastJoin = a.rec.FirstSeen
		}
		if len(g.members) < maxGroupMembers {
			g.members = append(g.members, a.key)
		}
		if inc := a.rec.Incident; !inc.IsZero() && (g.incident.IsZero() || bytes.Compare(inc.ID[:], g.incident.ID[:]) > 0) {
			g.incident = inc
		}
		a.group = g
	}
	for _, g := range e.byID {
		if g.key == "" {
			continue // every member joined by topology: found through the down CIs only
		}
		if other := e.groups[g.key]; other == nil || other.lastJoin.Before(g.lastJoin) {
			e.groups[g.key] = g
		}
	}
}

// newGroupID returns a new group's ID.
func newGroupID() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		id = uuid.New()
	}
	return id
}

// Flush persists the live counters of every open alert that has folded
// events since it was last persisted: count, last seen, message, last
// event, suppressed events and flap percent, journaled as an edit named
// EditFlush. Call it before the host stops, so that a restarted engine
// resumes the counts, and whenever else the stored alerts should catch up
// with the live ones. An alert with nothing new is not written.
//
// It returns how many alerts it persisted. Errors of the store are
// returned joined, each naming its alert's dedup key; the other alerts
// are persisted. It is safe for concurrent use with Ingest.
func (e *Engine) Flush(ctx context.Context) (int, error) {
	var (
		n    int
		errs []error
	)
	for _, a := range e.all() {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		a.mu.Lock()
		if a.gone || a.count == a.saved {
			a.mu.Unlock()
			continue
		}
		err := e.persist(ctx, a, "", EditFlush, fmt.Sprintf("%d events since the last save", a.count-a.saved), e.cfg.Actor)
		a.mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("alert %q: %w", a.key, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
