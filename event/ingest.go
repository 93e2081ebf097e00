package event

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Ingest validates every event, then folds each into its alert: a new dedup
// key opens an alert, a known one counts a duplicate, an ok event clears it,
// an acknowledgement acknowledges it. Suppressed events are recorded on
// their alert. It is safe for concurrent use, and by engines on several
// hosts sharing one store (see the package documentation, Hosts sharing a
// store).
//
// A context that has ended is refused with its error before anything is
// done. When any event is invalid, Ingest returns a *itil.ValidationError
// naming it ("events[2].severity") and ingests none. Errors of the store
// are returned joined, each naming its event; that event is neither
// applied nor counted, and the other events are ingested. Incident
// automation does not fail Ingest (see the package documentation,
// Incidents).
func (e *Engine) Ingest(ctx context.Context, events ...Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !e.ready.Load() {
		if err := validate(events); err != nil {
			return err
		}
		if err := e.Start(ctx); err != nil {
			return err
		}
	}
	// The alerts of the first events are looked up before they are
	// validated, so that their memory arrives while the labels are checked.
	var found [4]target
	for i := range events {
		if i < len(found) {
			found[i].sh, found[i].a = e.find(&events[i])
		}
		if err := events[i].Validate(""); err != nil {
			return eventField(i, err)
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

// validate validates events, naming the bad one.
func validate(events []Event) error {
	for i := range events {
		if err := events[i].Validate(""); err != nil {
			return eventField(i, err)
		}
	}
	return nil
}

func eventField(i int, err error) error {
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		ve.Field = "events[" + strconv.Itoa(i) + "]." + ve.Field
	}
	return err
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
		a = sh.alerts[key]
		sh.mu.RUnlock()
		return sh, a
	}
	kb := ev.appendKey(buf[:0])
	h := maphash.Bytes(e.seed, kb)
	sh := &e.shards[h&e.mask]
	sh.mu.RLock()
	a = sh.alerts[string(kb)]
	sh.mu.RUnlock()
	return sh, a
}

// ingest folds a valid event into its alert; t, when not nil, is where it
// was found to go. The event is counted once it is applied.
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
	for attempt := 0; ; attempt++ {
		if a == nil && ev.Stream.Redelivered {
			if _, a = e.find(ev); a == nil {
				seen, err := e.replayed(ctx, ev)
				if err != nil {
					return err
				}
				if seen {
					sh.replays.Add(1)
					return nil
				}
			}
			if a != nil {
				continue
			}
		}
		if a == nil {
			if ev.Severity == SeverityOK || ev.Ack {
				if _, a = e.find(ev); a != nil {
					continue // opened here since it was looked up
				}
				key := ev.Key()
				var err error
				if a, err = e.adopt(ctx, sh, key); err != nil {
					return err
				}
				if a == nil {
					if !ev.Ack && !e.cfg.Flap.Disabled {
						e.recallOK(sh, key, at) // a state in the history of a key that cleared
					}
					sh.orphans.Add(1)
					sh.events.Add(1)
					return nil
				}
			} else if fresh, locked := e.insert(sh, ev); fresh {
				a = locked
				adopted, err := e.open(ctx, a, ev, at)
				if err != nil || !adopted {
					return e.applied(ctx, sh, a, true, err)
				}
				// Another engine's alert: the event folds into it.
			} else {
				a = locked
				a.mu.Lock()
				if a.gone {
					a.mu.Unlock()
					_, a = e.find(ev)
					continue
				}
			}
		} else {
			a.mu.Lock()
			if a.gone {
				a.mu.Unlock()
				_, a = e.find(ev)
				continue
			}
		}
		if seq := ev.Stream.Sequence; seq != 0 && seq <= a.last.Stream.Sequence {
			a.mu.Unlock()
			sh.replays.Add(1)
			return nil
		}
		wrote, err := e.fold(ctx, sh, a, ev, at)
		if errors.Is(err, errGone) && attempt < maxGone {
			e.drop(a)
			a.mu.Unlock()
			a = nil
			continue
		}
		return e.applied(ctx, sh, a, wrote, err)
	}
}

// applied finishes an event on the locked alert a: it unlocks a, counts
// the event unless err says it failed, and when the event wrote the alert,
// brings the group's incident in line (automate). The hot path, which
// wrote nothing, reads nothing of the alert here.
func (e *Engine) applied(ctx context.Context, sh *shard, a *alert, wrote bool, err error) error {
	if !wrote || err != nil {
		a.mu.Unlock()
		if err == nil {
			sh.events.Add(1)
		}
		return err
	}
	id, at := a.rec.ID, a.rec.UpdatedAt
	wants := e.wantsAutomation(a)
	a.mu.Unlock()
	sh.events.Add(1)
	if wants {
		e.automate(ctx, id, at)
	}
	return nil
}

// insert puts a new, locked alert for ev under its key unless one is there
// already, which it then returns, unlocked, with fresh false.
func (e *Engine) insert(sh *shard, ev *Event) (fresh bool, a *alert) {
	key := ev.Key()
	a, fresh = e.insertKey(sh, key)
	return fresh, a
}

// insertKey is insert for a key of shard sh.
func (e *Engine) insertKey(sh *shard, key string) (a *alert, fresh bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if a := sh.alerts[key]; a != nil {
		return a, false
	}
	a = &alert{key: key, alertCold: &alertCold{shard: sh}}
	a.rec.DedupKey = key
	a.mu.Lock()
	sh.alerts[key] = a
	return a, true
}

// remove takes a cleared alert out of its shard. a.mu must be held.
func (e *Engine) remove(a *alert) {
	a.gone = true
	a.shard.mu.Lock()
	if sh := a.shard; sh.alerts[a.key] == a {
		delete(sh.alerts, a.key)
	}
	a.shard.mu.Unlock()
	e.releaseInhibit(a)
}

// errHeld: the key's lock names an alert the store holds open.
var errHeld = errors.New("event: the dedup key has an open alert")

// open fills the new alert a, in its shard and locked, from its first
// event, correlates it and persists it, in one commit with the key's lock,
// which it takes. When the lock names an alert that the store holds open,
// another engine opened it: a becomes that alert, and open reports adopted
// for the event to fold into it. On error a is removed.
func (e *Engine) open(ctx context.Context, a *alert, ev *Event, at time.Time) (adopted bool, err error) {
	a.rec.Source, a.rec.Node, a.rec.CI, a.rec.Check = ev.Source, ev.Node, ev.ci(), ev.Check
	a.rec.Labels = ev.Labels
	a.setSeverity(ev.Severity)
	a.rec.Highest = ev.Severity
	a.rec.FirstSeen = at
	a.count, a.lastSeen, a.message, a.last = 1, at, ev.Message, *ev
	a.heartbeat = ev.Source == HeartbeatSource && a.rec.DedupKey == heartbeatKey(ev.Node)
	a.flap.init(ev.Severity)
	if !e.cfg.Flap.Disabled {
		e.recall(a, ev.Severity, at)
	}
	a.hist.push(SeverityChange{At: at, From: SeverityOK, To: ev.Severity})
	e.prepareInhibit(a)
	reason, rule := e.suppression(ctx, a, ev, at)
	if reason != "" {
		a.recordSuppressed(ev, reason, rule)
	}
	var stored, created *Alert
	err = lifecycle.Atomic(ctx, e.store, 0, func(tx *lifecycle.Tx) error {
		stored, created = nil, nil
		l, err := tx.Lock(ctx, alertLock(a.key))
		if err != nil {
			return err
		}
		if l.Holder != uuid.Nil {
			got, err := tx.Get(ctx, l.Holder, newAlert)
			if stored, err = openAlert(got, err, a.key); err != nil || stored != nil {
				return cmpOr(err, errHeld)
			}
		}
		if a.group == nil {
			e.correlate(ctx, a, at)
		}
		a.sync()
		c, err := e.proc.CreateIn(ctx, tx, &a.rec, e.cfg.Actor, "opened: "+ev.Message)
		if err != nil {
			return err
		}
		if reason != "" {
			if c, err = e.proc.FireIn(ctx, tx, c.ID, lifecycle.Action[*Alert]{
				Event: EventSuppress, Actor: e.cfg.Actor, Note: "suppressed: " + reason}); err != nil {
				return err
			}
		}
		l.Holder, created = c.ID, c
		return nil
	})
	switch {
	case errors.Is(err, errHeld):
		e.leaveGroup(a)
		e.releaseInhibit(a)
		*a.alertCold = alertCold{shard: a.shard}
		a.flap, a.inChange = flapRing{}, false
		e.takeOver(a, stored)
		return true, nil
	case err != nil:
		e.leaveGroup(a)
		e.remove(a)
		return false, err
	}
	a.setRecord(created.Record)
	a.shard.opened.Add(1)
	if reason != "" {
		a.shard.suppressed.Add(1)
	}
	e.markDown(a)
	e.markSource(a)
	return false, nil
}

// cmpOr returns err, or else alt.
func cmpOr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

// fold adds a further event to an open alert of shard sh: the hot path. A
// duplicate that changes nothing of the alert's lifecycle (same severity,
// steady, not suppressed) updates the live counters in place and persists
// nothing. It reports whether it wrote the alert. a.mu is held.
func (e *Engine) fold(ctx context.Context, sh *shard, a *alert, ev *Event, at time.Time) (wrote bool, err error) {
	if ev.Ack {
		if a.rec.State != StateOpen {
			return false, nil // already acknowledged, or suppressed: nothing to do
		}
		err := e.acknowledge(ctx, a, 0, e.cfg.Actor, "acknowledged by "+ev.Source, nil)
		if errors.Is(err, lifecycle.ErrTransition) && a.rec.State != StateOpen {
			return false, nil // another engine acknowledged or suppressed it meanwhile
		}
		return err == nil, err
	}
	if ev.Severity == SeverityOK {
		if e.flapsOn(a) {
			e.foldFlappingOK(sh, a, ev, at)
			return false, nil
		}
		err := e.clear(ctx, a, ev, at, "cleared by an ok event from "+ev.Source)
		return err == nil, err
	}
	if ev.Severity == a.severity && !a.flapping && !a.suppressed && a.flap.changes == 0 {
		// Every state in the flap ring is this severity: pushing it again
		// changes nothing.
		reason, rule := e.suppression(ctx, a, ev, at)
		if reason == "" {
			sh.duplicates.Add(1)
			a.count++
			if at.After(a.lastSeen) {
				a.lastSeen = at
			}
			if ev.Message != "" {
				a.message = ev.Message
			}
			a.last = *ev
			return false, nil
		}
		return e.foldChange(ctx, sh, a, ev, at, &suppressed{reason, rule})
	}
	wrote, err = e.foldChange(ctx, sh, a, ev, at, nil)
	if errors.Is(err, lifecycle.ErrTransition) {
		// Another engine moved the alert to a state the change does not
		// start from; with the alert as it is now, try once more.
		wrote, err = e.foldChange(ctx, sh, a, ev, at, nil)
	}
	return wrote, err
}

// suppressed is why an event is suppressed, when that is known already.
type suppressed struct{ reason, rule string }

// undo is what foldChange changes of a live alert, to put back when its
// write fails.
type undo struct {
	count             int64
	lastSeen          time.Time
	message           string
	last, suppLast    Event
	flap              flapRing
	hist              historyRing
	severity, highest Severity
	flapping          bool
	inhibited         string
	supp              Suppression
}

func (a *alert) save() *undo {
	return &undo{count: a.count, lastSeen: a.lastSeen, message: a.message, last: a.last, suppLast: a.suppLast,
		flap: a.flap, hist: a.hist, severity: a.severity, highest: a.rec.Highest, flapping: a.flapping,
		inhibited: a.rec.Inhibited, supp: a.rec.Suppressed}
}

// restore puts the live alert back as it was. a.mu is held.
func (e *Engine) restoreLive(a *alert, u *undo) {
	a.count, a.lastSeen, a.message, a.last, a.suppLast = u.count, u.lastSeen, u.message, u.last, u.suppLast
	a.flap, a.hist = u.flap, u.hist
	a.setSeverity(u.severity)
	a.rec.Highest = u.highest
	a.setFlapping(u.flapping)
	a.rec.Inhibited, a.rec.Suppressed = u.inhibited, u.supp
	e.markDown(a)
	e.markSource(a)
}

// foldChange folds an event that may change the alert's lifecycle: its
// severity, its flapping, its suppression. What changed is persisted in
// one write; if the write fails, the live alert is put back as it was and
// nothing is counted. supp, when not nil, is the event's suppression,
// known already. It reports whether it wrote the alert. a.mu is held.
func (e *Engine) foldChange(ctx context.Context, sh *shard, a *alert, ev *Event, at time.Time, supp *suppressed) (bool, error) {
	u := a.save()
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
		if f := e.cfg.Flap.next(wasFlapping, pct); f != wasFlapping {
			a.setFlapping(f)
		}
	}
	if ev.Severity != prev {
		a.hist.push(SeverityChange{At: at, From: prev, To: ev.Severity})
		a.setSeverity(ev.Severity)
		a.rec.Highest = max(a.rec.Highest, ev.Severity)
		e.markDown(a)
		e.markSource(a)
	}
	var steps []step
	switch {
	case a.flapping && !wasFlapping:
		steps = append(steps, step{name: EditFlapping, note: fmt.Sprintf("flapping: %.1f%% state change; raises no incident while flapping", a.flap.percent())})
	case !a.flapping && wasFlapping:
		steps = append(steps, step{name: EditFlapping, note: fmt.Sprintf("stopped flapping: %.1f%% state change", a.flap.percent())})
	case ev.Severity != prev && !a.flapping:
		steps = append(steps, step{name: EditSeverity, note: prev.String() + " → " + ev.Severity.String()})
	}
	if supp == nil {
		supp = new(suppressed)
		supp.reason, supp.rule = e.suppression(ctx, a, ev, at)
	}
	switch {
	case supp.reason != "":
		a.recordSuppressed(ev, supp.reason, supp.rule)
		if !a.suppressed {
			steps = append(steps, step{event: EventSuppress, note: "suppressed: " + supp.reason})
		}
	case a.suppressed:
		back := EventUnsuppress
		if a.rec.Acknowledged {
			back = EventRestore
		}
		a.rec.Inhibited = ""
		steps = append(steps, step{event: back, note: "no longer suppressed"})
	}
	if len(steps) > 0 {
		if err := e.persist(ctx, a, e.cfg.Actor, nil, steps...); err != nil {
			e.restoreLive(a, u)
			return false, err
		}
	}
	sh.duplicates.Add(1)
	if supp.reason != "" {
		sh.suppressed.Add(1)
	}
	return len(steps) > 0, nil
}

// recordSuppressed records a suppressed event on its alert; rule names the
// inhibition rule that muted it, if one did. a.mu is held.
func (a *alert) recordSuppressed(ev *Event, reason, rule string) {
	a.rec.Inhibited = rule
	a.rec.Suppressed.Count++
	a.rec.Suppressed.Reason = reason
	a.suppLast = *ev
	a.rec.Suppressed.Last = &a.suppLast
}

// clear closes an alert and releases its key's lock in one commit, takes
// it out of memory and out of its group. ev is the ok event, or nil for a
// timeout. a.mu is held.
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
	release := func(tx *lifecycle.Tx) error {
		l, err := tx.Lock(ctx, alertLock(a.key))
		if err == nil && l.Holder == a.rec.ID {
			l.Holder = uuid.Nil
		}
		return err
	}
	if err := e.persist(ctx, a, e.cfg.Actor, release, step{event: EventClear, note: reason}); err != nil {
		record := a.rec.Record // as refreshed, if it was
		a.rec, a.hist = saved, savedHist
		a.rec.Record = record
		a.rec.Acknowledged = a.rec.Acknowledged || record.State == StateAcknowledged
		a.count, a.lastSeen, a.last = count, lastSeen, last
		a.severity = saved.Severity
		return err
	}
	a.shard.cleared.Add(1)
	if ev != nil {
		e.remember(a, at)
	}
	e.remove(a)
	e.markDown(a)
	e.markSource(a)
	e.leaveGroup(a)
	return nil
}
