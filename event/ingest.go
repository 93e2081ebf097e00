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
	for i := range events {
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
		if err := e.ingest(ctx, &events[i], now); err != nil {
			errs = append(errs, fmt.Errorf("events[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func (e *Engine) ingest(ctx context.Context, ev *Event, now time.Time) error {
	at := ev.ReceivedAt
	if at.IsZero() {
		at = now
	}
	if m := e.beats.Load(); m != nil && len(*m) > 0 {
		e.beat(ctx, *m, ev.Source, at)
	}
	var (
		buf [128]byte
		kb  []byte
		h   uint64
	)
	key := ev.DedupKey
	if key == "" {
		kb = ev.appendKey(buf[:0])
		h = maphash.Bytes(e.seed, kb)
	} else {
		h = maphash.String(e.seed, key)
	}
	sh := &e.shards[h&e.mask]
	sh.events.Add(1)
	for {
		var a *alert
		sh.mu.RLock()
		if kb != nil {
			a = sh.m[string(kb)]
		} else {
			a = sh.m[key]
		}
		sh.mu.RUnlock()
		if a == nil {
			if ev.Severity == SeverityOK || ev.Ack {
				sh.orphans.Add(1)
				return nil
			}
			if kb != nil {
				key, kb = string(kb), nil
			}
			var fresh bool
			if a, fresh = e.insert(sh, key); fresh {
				err := e.open(ctx, a, ev, at)
				a.mu.Unlock()
				return err
			}
		}
		a.mu.Lock()
		if a.gone {
			a.mu.Unlock()
			continue
		}
		err := e.fold(ctx, a, ev, at)
		a.mu.Unlock()
		return err
	}
}

// insert puts a new, locked alert under key unless one is there already,
// which it then returns with fresh false.
func (e *Engine) insert(sh *shard, key string) (a *alert, fresh bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if a := sh.m[key]; a != nil {
		return a, false
	}
	a = &alert{shard: sh}
	a.rec.DedupKey = key
	a.mu.Lock()
	sh.m[key] = a
	return a, true
}

// remove takes a cleared alert out of its shard. a.mu must be held.
func (e *Engine) remove(a *alert) {
	a.gone = true
	a.shard.mu.Lock()
	if a.shard.m[a.rec.DedupKey] == a {
		delete(a.shard.m, a.rec.DedupKey)
	}
	a.shard.mu.Unlock()
}

// open fills a new alert from its first event, correlates it, persists it
// and raises its incident. a.mu is held; on error the alert is removed.
func (e *Engine) open(ctx context.Context, a *alert, ev *Event, at time.Time) error {
	a.rec.Source, a.rec.Node, a.rec.CI, a.rec.Check = ev.Source, ev.Node, ev.ci(), ev.Check
	a.rec.Labels = ev.Labels
	a.rec.Message = ev.Message
	a.rec.Severity, a.rec.Highest = ev.Severity, ev.Severity
	a.rec.Count = 1
	a.rec.FirstSeen, a.rec.LastSeen = at, at
	a.rec.Last = *ev
	a.heartbeat = ev.Source == HeartbeatSource && a.rec.DedupKey == heartbeatKey(ev.Node)
	a.flap.init(ev.Severity)
	a.hist.push(SeverityChange{At: at, From: SeverityOK, To: ev.Severity})
	e.prepareInhibit(a)
	reason := e.suppression(ctx, a, ev, at)
	e.correlate(ctx, a, at)
	created, err := e.proc.Create(ctx, &a.rec, e.cfg.Actor, "opened: "+ev.Message)
	if err != nil {
		e.leaveGroup(a)
		e.remove(a)
		return err
	}
	a.rec.Record = created.Record
	a.shard.opened.Add(1)
	e.markDown(a)
	e.markSource(a)
	if reason != "" {
		e.recordSuppressed(a, ev, reason)
		if err := e.persist(ctx, a, EventSuppress, "", "suppressed: "+reason, e.cfg.Actor); err != nil {
			return err
		}
		return nil
	}
	e.automate(ctx, a, at)
	return nil
}

// fold adds a further event to an open alert: the hot path. It persists
// nothing unless the lifecycle changes. a.mu is held.
func (e *Engine) fold(ctx context.Context, a *alert, ev *Event, at time.Time) error {
	if ev.Ack {
		if a.rec.State != StateOpen {
			return nil // already acknowledged, or suppressed: nothing to do
		}
		return e.acknowledge(ctx, a, "acknowledged by "+ev.Source, e.cfg.Actor)
	}
	if ev.Severity == SeverityOK {
		return e.clear(ctx, a, ev, at, "cleared by an ok event from "+ev.Source)
	}
	a.shard.duplicates.Add(1)
	a.rec.Count++
	if at.After(a.rec.LastSeen) {
		a.rec.LastSeen = at
	}
	if ev.Message != "" {
		a.rec.Message = ev.Message
	}
	a.rec.Last = *ev
	prev := a.rec.Severity
	wasFlapping := a.rec.Flapping
	if !e.cfg.Flap.Disabled {
		pct := a.flap.push(ev.Severity)
		a.rec.FlapPercent = pct
		switch {
		case !wasFlapping && pct >= e.cfg.Flap.High:
			a.rec.Flapping = true
		case wasFlapping && pct < e.cfg.Flap.Low:
			a.rec.Flapping = false
		}
	}
	if ev.Severity != prev {
		a.hist.push(SeverityChange{At: at, From: prev, To: ev.Severity})
		a.rec.Severity = ev.Severity
		a.rec.Highest = max(a.rec.Highest, ev.Severity)
		e.markDown(a)
		e.markSource(a)
	}
	var err error
	switch {
	case a.rec.Flapping && !wasFlapping:
		err = e.persist(ctx, a, "", EditFlapping, fmt.Sprintf("flapping: %.1f%% state change; raises no incident while flapping", a.rec.FlapPercent), e.cfg.Actor)
	case !a.rec.Flapping && wasFlapping:
		err = e.persist(ctx, a, "", EditFlapping, fmt.Sprintf("stopped flapping: %.1f%% state change", a.rec.FlapPercent), e.cfg.Actor)
	case ev.Severity != prev && !a.rec.Flapping:
		err = e.persist(ctx, a, "", EditSeverity, prev.String()+" → "+ev.Severity.String(), e.cfg.Actor)
	}
	if err != nil {
		return err
	}
	if reason := e.suppression(ctx, a, ev, at); reason != "" {
		e.recordSuppressed(a, ev, reason)
		if a.rec.State != StateSuppressed {
			return e.persist(ctx, a, EventSuppress, "", "suppressed: "+reason, e.cfg.Actor)
		}
		return nil
	}
	if a.rec.State == StateSuppressed {
		back := EventUnsuppress
		if a.rec.Acknowledged {
			back = EventRestore
		}
		if err := e.persist(ctx, a, back, "", "no longer suppressed", e.cfg.Actor); err != nil {
			return err
		}
		e.automate(ctx, a, at)
		return nil
	}
	if ev.Severity > prev || (wasFlapping && !a.rec.Flapping) {
		e.automate(ctx, a, at)
	}
	return nil
}

// recordSuppressed counts a suppressed event on its alert and keeps it.
func (e *Engine) recordSuppressed(a *alert, ev *Event, reason string) {
	a.shard.suppressed.Add(1)
	a.rec.Suppressed.Count++
	a.rec.Suppressed.Reason = reason
	a.suppLast = *ev
	a.rec.Suppressed.Last = &a.suppLast
}

// clear closes an alert, persists it, takes it out of memory and tells its
// group. ev is the ok event, or nil for a timeout. a.mu is held.
func (e *Engine) clear(ctx context.Context, a *alert, ev *Event, at time.Time, reason string) error {
	saved := a.rec
	savedHist := a.hist
	if ev != nil {
		a.rec.Count++
		a.rec.Last = *ev
		if at.After(a.rec.LastSeen) {
			a.rec.LastSeen = at
		}
	}
	a.hist.push(SeverityChange{At: at, From: a.rec.Severity, To: SeverityOK})
	a.rec.Severity = SeverityOK
	a.rec.ClearedAt, a.rec.ClearReason = at, reason
	if err := e.persist(ctx, a, EventClear, "", reason, e.cfg.Actor); err != nil {
		a.rec, a.hist = saved, savedHist
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
