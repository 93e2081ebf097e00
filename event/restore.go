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
// sources and targets. Start calls it once, before the engine serves; it
// asks the host nothing.
//
// The stored state is the truth: of the open alerts of one dedup key, the
// one the key's lock names is resumed, else the newest, and the others are
// skipped with a warning. An alert whose lock names no open alert (one
// opened before engines kept locks) is written into its lock, and so is a
// resumed group's incident into the group's lock, so that engines sharing
// the store hold to them. A record that cannot be an open alert (no dedup
// key, no severity, a state the lifecycle does not have) is skipped with a
// warning. Nothing is put in memory until every read has succeeded.
func (e *Engine) restore(ctx context.Context) error {
	var (
		byKey = map[string][]*Alert{}
		keys  []string
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
		if e.cfg.Resume != nil && !e.cfg.Resume(rec) {
			continue
		}
		if byKey[rec.DedupKey] == nil {
			keys = append(keys, rec.DedupKey)
		}
		byKey[rec.DedupKey] = append(byKey[rec.DedupKey], rec)
	}
	var alerts []*alert
	for _, key := range keys {
		rec, err := e.restorable(ctx, key, byKey[key])
		if err != nil {
			return err
		}
		if rec != nil {
			alerts = append(alerts, e.revive(rec))
		}
	}
	if err := e.claimGroups(ctx, alerts); err != nil {
		return err
	}
	e.regroup(alerts)
	for _, a := range alerts {
		a.mu.Lock()
		a.shard.mu.Lock()
		a.shard.alerts[a.key] = a
		a.shard.mu.Unlock()
		e.prepareInhibit(a)
		e.markSource(a)
		e.markDown(a)
		a.mu.Unlock()
	}
	if m := e.beats.Load(); m != nil {
		for _, hb := range *m {
			if e.lookup(heartbeatKey(hb.source)) != nil {
				hb.missed.Store(true)
			}
		}
	}
	e.restored.Store(int64(len(alerts)))
	return nil
}

// restorable picks which of the open alerts of key, oldest first, to
// resume: the one the key's lock names, else the newest, whose ID it then
// writes into the lock. It returns nil when the lock names an open alert
// that is none of them, opened by another engine since they were read.
func (e *Engine) restorable(ctx context.Context, key string, recs []*Alert) (*Alert, error) {
	id, err := holder(ctx, e.store, alertLock(key))
	if err != nil {
		return nil, fmt.Errorf("event: reading the lock of %q: %w", key, err)
	}
	pick := recs[len(recs)-1] // Find yields in creation order: the newest
	named := false
	for _, r := range recs {
		if r.ID == id {
			pick, named = r, true
		}
	}
	for _, r := range recs {
		if r != pick {
			why := "two open alerts share a dedup key; resuming the newer"
			if named {
				why = "two open alerts share a dedup key; resuming the one its lock names"
			}
			e.cfg.Logger.WarnContext(ctx, why, slog.String("alert", pick.Number), slog.String("other", r.Number), slog.String("dedup_key", key))
		}
	}
	if named {
		return pick, nil
	}
	err = lifecycle.Atomic(ctx, e.store, 0, func(tx *lifecycle.Tx) error {
		l, err := tx.Lock(ctx, alertLock(key))
		if err != nil {
			return err
		}
		if l.Holder != uuid.Nil && l.Holder != pick.ID {
			got, err := tx.Get(ctx, l.Holder, newAlert)
			if other, err := openAlert(got, err, key); err != nil || other != nil {
				return cmpOr(err, errHeld)
			}
		}
		l.Holder = pick.ID
		return nil
	})
	switch {
	case errors.Is(err, errHeld):
		e.cfg.Logger.WarnContext(ctx, "not resuming a stored alert: its dedup key has a newer open alert",
			slog.String("alert", pick.Number), slog.String("dedup_key", key))
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("event: writing the lock of %q: %w", key, err)
	}
	return pick, nil
}

// claimGroups writes the incident of each group of the resumed alerts
// (the newest its members were linked to, as regroup takes) into the
// group's lock when the lock names none (an incident raised before engines
// kept locks), so that the group raises no second one.
func (e *Engine) claimGroups(ctx context.Context, alerts []*alert) error {
	claims := map[uuid.UUID]uuid.UUID{}
	for _, a := range alerts {
		inc, g := a.rec.Incident.ID, a.rec.Group
		if inc == uuid.Nil || g == uuid.Nil {
			continue
		}
		if have, ok := claims[g]; !ok || bytes.Compare(inc[:], have[:]) > 0 {
			claims[g] = inc
		}
	}
	for g, inc := range claims {
		if _, err := e.reserve(ctx, groupLock(g), uuid.Nil, inc); err != nil {
			return fmt.Errorf("event: writing the lock of group %s: %w", g, err)
		}
	}
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

// revive builds the in-memory alert of a stored open one (see fill).
func (e *Engine) revive(rec *Alert) *alert {
	h := maphash.String(e.seed, rec.DedupKey)
	a := &alert{key: rec.DedupKey, alertCold: &alertCold{shard: &e.shards[h&e.mask]}}
	e.fill(a, rec)
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
		e.regroupOne(a)
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
// are persisted. An alert another engine has closed meanwhile is dropped,
// not written. It is safe for concurrent use with Ingest.
func (e *Engine) Flush(ctx context.Context) (int, error) {
	var (
		n    int
		errs []error
	)
	if err := e.begin(ctx); err != nil {
		return 0, err
	}
	for _, a := range e.all() {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		a.mu.Lock()
		if a.gone || a.count == a.saved {
			a.mu.Unlock()
			continue
		}
		err := e.persist(ctx, a, e.cfg.Actor, nil, step{name: EditFlush, note: fmt.Sprintf("%d events since the last save", a.count-a.saved)})
		if errors.Is(err, errGone) {
			e.drop(a) // another engine closed it: nothing of it to save
			a.mu.Unlock()
			continue
		}
		a.mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("alert %q: %w", a.key, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
