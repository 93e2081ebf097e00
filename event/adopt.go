package event

import (
	"bytes"
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// The locks (lifecycle.Lock) through which engines sharing a store keep
// their rules in it: one per dedup key, whose holder is the key's open
// alert, and one per correlation group, whose holder is the group's
// incident.
func alertLock(key string) string      { return "event.alert/" + key }
func groupLock(group uuid.UUID) string { return "event.group/" + group.String() }

func newLock() lifecycle.Entity  { return new(lifecycle.Lock) }
func newAlert() lifecycle.Entity { return new(Alert) }

// holder returns the record the lock of key names, or uuid.Nil.
func holder(ctx context.Context, st lifecycle.Store, key string) (uuid.UUID, error) {
	got, err := st.Get(ctx, lifecycle.LockID(key), newLock)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, err
	}
	l, ok := got.(*lifecycle.Lock)
	if !ok {
		return uuid.Nil, nil
	}
	return l.Holder, nil
}

// openAlert returns the alert id when the store holds it open under key,
// or nil.
func openAlert(e lifecycle.Entity, err error, key string) (*Alert, error) {
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, ok := e.(*Alert)
	if !ok || a.Kind != Kind || a.DedupKey != key || !a.Open() {
		return nil, nil
	}
	return a, nil
}

// adopt takes over the open alert with key, of shard sh, that
// another engine opened: when the key's lock names an alert the store
// holds open, it puts the alert in memory, as Start would have, and
// returns it locked. It returns nil when the store holds none, and the
// alert this engine holds when it came first.
func (e *Engine) adopt(ctx context.Context, sh *shard, key string) (*alert, error) {
	for {
		id, err := holder(ctx, e.store, alertLock(key))
		if err != nil || id == uuid.Nil {
			return nil, err
		}
		got, err := e.store.Get(ctx, id, newAlert)
		rec, err := openAlert(got, err, key)
		if err != nil || rec == nil {
			return nil, err
		}
		a, fresh := e.insertKey(sh, key)
		if !fresh {
			a.mu.Lock()
			if a.gone {
				a.mu.Unlock()
				continue
			}
			return a, nil
		}
		e.takeOver(a, rec)
		return a, nil
	}
}

// takeOver makes the new, locked alert a, in its shard already, the stored
// open alert rec, in rec's group.
func (e *Engine) takeOver(a *alert, rec *Alert) {
	e.fill(a, rec)
	e.joinStored(a)
	e.prepareInhibit(a)
	e.markSource(a)
	e.markDown(a)
}

// fill makes a, new, the in-memory alert of the stored open alert rec. The
// live fields take the values of its last persisted change; the flap ring,
// which is not persisted, is rebuilt to the persisted FlapPercent.
func (e *Engine) fill(a *alert, rec *Alert) {
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
	a.hist = historyRing{}
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
}

// joinStored puts an alert taken over from the store into the group it
// recorded: the engine's group of that ID, or a new one, which becomes the
// group of its correlation key unless the engine has a group with open
// alerts for the key already.
func (e *Engine) joinStored(a *alert) {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.regroupOne(a)
	if g.key != "" {
		if other := e.groups[g.key]; other == nil || other != g && other.open == 0 {
			e.groups[g.key] = g
		}
	}
}

// regroupOne counts a resumed alert into the group it recorded, made
// anew when the engine has none of that ID. e.mu is held.
func (e *Engine) regroupOne(a *alert) *group {
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
	return g
}

// drop forgets an alert another engine closed: it leaves memory, its CI
// and inhibition sources and its group, as a cleared one does, but it is
// not counted as cleared here. a.mu is held.
func (e *Engine) drop(a *alert) {
	e.remove(a)
	e.markDown(a)
	e.markSource(a)
	e.leaveGroup(a)
}
