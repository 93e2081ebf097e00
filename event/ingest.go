package event

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"time"

	"github.com/itil-go/itil"
)

// Ingest validates every event, then folds each into its alert: a new dedup
// key opens an alert, a known one counts a duplicate, an ok event clears it,
// an acknowledgement acknowledges it. Suppressed events are recorded on
// their alert. It is safe for concurrent use.
//
// When any event is invalid, Ingest returns a *itil.ValidationError naming
// it ("events[2].severity") and ingests none. Errors of the store are
// returned joined, each naming its event; the other events are ingested.
// Failures of incident automation are logged, not returned: the event was
// ingested.
func (e *Engine) Ingest(ctx context.Context, events ...Event) error {
	// The alerts of the first events are looked up before they are
	// validated, so that their memory arrives while the labels are checked.
	var found [4]target
	for i := range events {
		if i < len(found) {
			found[i].sh, found[i].a = e.find(&events[i])
		}
		if err := events[i].Validate(""); err != nil {
			var ve *itil.ValidationError
			if errors.As(err, &ve) {
				ve.Field = "events[" + strconv.Itoa(i) + "]." + ve.Field
			}
			return err
		}
	}
	now := e.cfg.Now()
	var errs []error
	for i := range events {
		var t *target
		if i < len(found) {
			t = &found[i]
		}
		if err := e.ingest(ctx, &events[i], now, t); err != nil {
			errs = append(errs, fmt.Errorf("events[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// target is an event's shard and the open alert of its dedup key, if there
// was one when it was looked up.
type target struct {
	sh *shard
	a  *alert
}

// find returns the shard of ev's dedup key and the open alert under it, if
// any, without building the key.
func (e *Engine) find(ev *Event) (*shard, *alert) {
	var (
		buf [128]byte
		a   *alert
	)
	if key := ev.DedupKey; key != "" {
		h := maphash.String(e.seed, key)
		sh := &e.shards[h&e.mask]
		sh.mu.RLock()
		a = get(&sh.t, h, key)
		sh.mu.RUnlock()
		return sh, a
	}
	kb := ev.appendKey(buf[:0])
	h := maphash.Bytes(e.seed, kb)
	sh := &e.shards[h&e.mask]
	sh.mu.RLock()
	a = get(&sh.t, h, kb)
	sh.mu.RUnlock()
	return sh, a
}

// ingest folds a valid event into its alert; t, when not nil, is where it
// was found to go.
func (e *Engine) ingest(ctx context.Context, ev *Event, now time.Time, t *target) error {
	at := ev.ReceivedAt
	if at.IsZero() {
		at = now
	}
	if m := e.beats.Load(); m != nil && len(*m) > 0 {
		e.beat(ctx, *m, ev.Source, at)
	}
	var (
		sh *shard
		a  *alert
	)
	if t != nil {
		sh, a = t.sh, t.a
	} else {
		sh, a = e.find(ev)
	}
	sh.events.Add(1)
	for {
		if a == nil {
			if ev.Severity == SeverityOK || ev.Ack {
				sh.orphans.Add(1)
				return nil
			}
			var fresh bool
			if a, fresh = e.insert(sh, ev); fresh {
				err := e.open(ctx, a, ev, at)
				a.mu.Unlock()
				return err
			}
		}
		a.mu.Lock()
		if a.gone {
			a.mu.Unlock()
			_, a = e.find(ev)
			continue
		}
		err := e.fold(ctx, sh, a, ev, at)
		a.mu.Unlock()
		return err
	}
}

// insert puts a new, locked alert for ev under its key unless one is there
// already, which it then returns with fresh false.
func (e *Engine) insert(sh *shard, ev *Event) (a *alert, fresh bool) {
	key := ev.Key()
	h := maphash.String(e.seed, key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if a := get(&sh.t, h, key); a != nil {
		return a, false
	}
	a = &alert{key: key, alertCold: &alertCold{shard: sh, hash: h}}
	a.rec.DedupKey = key
	a.mu.Lock()
	sh.t.put(a)
	return a, true
}

// remove takes a cleared alert out of its shard. a.mu must be held.
func (e *Engine) remove(a *alert) {
	a.gone = true
	a.shard.mu.Lock()
	a.shard.t.delete(a)
	a.shard.mu.Unlock()
	e.releaseInhibit(a)
}

// open fills a new alert from its first event, correlates it, persists it
// and raises its incident. a.mu is held; on error the alert is removed.
func (e *Engine) open(ctx context.Context, a *alert, ev *Event, at time.Time) error {
	a.rec.Source, a.rec.Node, a.rec.CI, a.rec.Check = ev.Source, ev.Node, ev.ci(), ev.Check
	a.rec.Labels = ev.Labels
	a.setSeverity(ev.Severity)
	a.rec.Highest = ev.Severity
	a.rec.FirstSeen = at
	a.count, a.lastSeen, a.message, a.last = 1, at, ev.Message, *ev
	a.heartbeat = ev.Source == HeartbeatSource && a.rec.DedupKey == heartbeatKey(ev.Node)
	a.flap.init(ev.Severity)
	a.hist.push(SeverityChange{At: at, From: SeverityOK, To: ev.Severity})
	e.prepareInhibit(a)
	reason, rule := e.suppression(ctx, a, ev, at)
	e.correlate(ctx, a, at)
	a.sync()
	created, err := e.proc.Create(ctx, &a.rec, e.cfg.Actor, "opened: "+ev.Message)
	if err != nil {
		e.leaveGroup(a)
		e.remove(a)
		return err
	}
	a.setRecord(created.Record)
	a.shard.opened.Add(1)
	e.markDown(a)
	e.markSource(a)
	if reason != "" {
		e.recordSuppressed(a, ev, reason, rule)
		if err := e.persist(ctx, a, EventSuppress, "", "suppressed: "+reason, e.cfg.Actor); err != nil {
			return err
		}
		return nil
	}
	e.automate(ctx, a, at)
	return nil
}

// fold adds a further event to an open alert of shard sh: the hot path. It
// persists nothing unless the lifecycle changes, and keeps to the head of
// the alert unless something changes. a.mu is held.
func (e *Engine) fold(ctx context.Context, sh *shard, a *alert, ev *Event, at time.Time) error {
	if ev.Ack {
		if a.rec.State != StateOpen {
			return nil // already acknowledged, or suppressed: nothing to do
		}
		return e.acknowledge(ctx, a, "acknowledged by "+ev.Source, e.cfg.Actor)
	}
	if ev.Severity == SeverityOK {
		return e.clear(ctx, a, ev, at, "cleared by an ok event from "+ev.Source)
	}
	sh.duplicates.Add(1)
	a.count++
	if at.After(a.lastSeen) {
		a.lastSeen = at
	}
	if ev.Message != "" {
		a.message = ev.Message
	}
	a.last = *ev
	prev := a.severity
	wasFlapping := a.flapping
	if !e.cfg.Flap.Disabled {
		pct := a.flap.push(ev.Severity)
		switch {
		case !wasFlapping && pct >= e.cfg.Flap.High:
			a.setFlapping(true)
		case wasFlapping && pct < e.cfg.Flap.Low:
			a.setFlapping(false)
		}
	}
	if ev.Severity != prev {
		a.hist.push(SeverityChange{At: at, From: prev, To: ev.Severity})
		a.setSeverity(ev.Severity)
		a.rec.Highest = max(a.rec.Highest, ev.Severity)
		e.markDown(a)
		e.markSource(a)
	}
	var err error
	switch {
	case a.flapping && !wasFlapping:
		err = e.persist(ctx, a, "", EditFlapping, fmt.Sprintf("flapping: %.1f%% state change; raises no incident while flapping", a.flap.percent()), e.cfg.Actor)
	case !a.flapping && wasFlapping:
		err = e.persist(ctx, a, "", EditFlapping, fmt.Sprintf("stopped flapping: %.1f%% state change", a.flap.percent()), e.cfg.Actor)
	case ev.Severity != prev && !a.flapping:
		err = e.persist(ctx, a, "", EditSeverity, prev.String()+" → "+ev.Severity.String(), e.cfg.Actor)
	}
	if err != nil {
		return err
	}
	if reason, rule := e.suppression(ctx, a, ev, at); reason != "" {
		e.recordSuppressed(a, ev, reason, rule)
		if !a.suppressed {
			return e.persist(ctx, a, EventSuppress, "", "suppressed: "+reason, e.cfg.Actor)
		}
		return nil
	}
	if a.suppressed {
		back := EventUnsuppress
		if a.rec.Acknowledged {
			back = EventRestore
		}
		inhibited := a.rec.Inhibited
		a.rec.Inhibited = ""
		if err := e.persist(ctx, a, back, "", "no longer suppressed", e.cfg.Actor); err != nil {
			a.rec.Inhibited = inhibited
			return err
		}
		e.automate(ctx, a, at)
		return nil
	}
	if ev.Severity > prev || (wasFlapping && !a.flapping) {
		e.automate(ctx, a, at)
	}
	return nil
}

// recordSuppressed counts a suppressed event on its alert and keeps it;
// rule names the inhibition rule that muted it, if one did.
func (e *Engine) recordSuppressed(a *alert, ev *Event, reason, rule string) {
	a.shard.suppressed.Add(1)
	a.rec.Inhibited = rule
	a.rec.Suppressed.Count++
	a.rec.Suppressed.Reason = reason
	a.suppLast = *ev
	a.rec.Suppressed.Last = &a.suppLast
}

// clear closes an alert, persists it, takes it out of memory and tells its
// group. ev is the ok event, or nil for a timeout. a.mu is held.
func (e *Engine) clear(ctx context.Context, a *alert, ev *Event, at time.Time, reason string) error {
	saved, savedHist := a.rec, a.hist
	count, lastSeen, last := a.count, a.lastSeen, a.last
	if ev != nil {
		a.count++
		a.last = *ev
		if at.After(a.lastSeen) {
			a.lastSeen = at
		}
	}
	a.hist.push(SeverityChange{At: at, From: a.severity, To: SeverityOK})
	a.setSeverity(SeverityOK)
	a.rec.ClearedAt, a.rec.ClearReason = at, reason
	if err := e.persist(ctx, a, EventClear, "", reason, e.cfg.Actor); err != nil {
		a.rec, a.hist = saved, savedHist
		a.count, a.lastSeen, a.last = count, lastSeen, last
		a.severity = saved.Severity
		return err
	}
	a.shard.cleared.Add(1)
	e.remove(a)
	e.markDown(a)
	e.markSource(a)
	e.leaveGroup(a)
	e.groupCleared(ctx, a, at)
	return nil
}
