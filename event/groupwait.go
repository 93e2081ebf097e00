package event

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// waiting reports whether the group of the stored alert a is still in its
// wait (IncidentConfig.GroupWait) at at: the wait counts from the group's
// first alert that this engine saw, or from a's first event when the
// engine knows no earlier one (a restart forgets them).
func (e *Engine) waiting(a *Alert, at time.Time) bool {
	wait := e.cfg.Incidents.GroupWait
	if wait <= 0 {
		return false
	}
	start := a.FirstSeen
	e.mu.Lock()
	if g := e.byID[a.Group]; g != nil && g.created.Before(start) {
		start = g.created
	}
	e.mu.Unlock()
	return at.Sub(start) < wait
}

// waiter is an open alert Sweep may settle: one without an incident that
// would raise its group's, or join it.
type waiter struct {
	a         *alert
	id        uuid.UUID
	severity  Severity
	firstSeen time.Time
	group     *group
	joined    bool // joined a down parent's group: raises none of its own
}

// waiters returns the live alerts that wait for their group's incident:
// those that may raise it, the most severe first and then the oldest, so
// that a group's incident is raised from its most severe alert, with its
// title and priority; then those that joined a down parent's group.
func (e *Engine) waiters() []waiter {
	var out []waiter
	for _, a := range e.all() {
		a.mu.Lock()
		unlinked := a.group != nil && !a.gone && !a.suppressed && !a.flapping && a.rec.Incident.IsZero()
		if unlinked && (a.rec.Parent != "" || e.incidentRule(&a.rec) != nil) {
			out = append(out, waiter{a: a, id: a.rec.ID, severity: a.severity, firstSeen: a.rec.FirstSeen, group: a.group, joined: a.rec.Parent != ""})
		}
		a.mu.Unlock()
	}
	slices.SortFunc(out, func(x, y waiter) int {
		if x.joined != y.joined { // the alerts that raise first, then those that join
			if x.joined {
				return 1
			}
			return -1
		}
		if x.severity != y.severity { // the most severe raises its group's incident
			return int(y.severity) - int(x.severity)
		}
		return x.firstSeen.Compare(y.firstSeen)
	})
	return out
}

// settleWaiting ends the waits that are over at now: it first moves each
// waiting alert whose CI has a parent that went down meanwhile into the
// parent's group, as if the parent's alert had come first; then raises the
// incident of each group whose wait is over from its most severe alert,
// and links the alerts of groups that have one. It returns how many alerts joined a
// parent's group and how many it linked to an incident.
func (e *Engine) settleWaiting(ctx context.Context, now time.Time) (joined, linked int, err error) {
	if e.cfg.Incidents.Desk == nil {
		return 0, 0, nil
	}
	var errs []error
	if e.cfg.Topology != nil {
		for _, w := range e.waiters() {
			if w.joined {
				continue
			}
			switch moved, err := e.joinParent(ctx, w.a); {
			case err != nil:
				errs = append(errs, err)
			case moved:
				joined++
			}
		}
	}
	for _, w := range e.waiters() {
		if err := ctx.Err(); err != nil {
			return joined, linked, errors.Join(append(errs, err)...)
		}
		e.mu.Lock()
		known := w.group != nil && !w.group.incident.IsZero()
		due := w.group != nil && now.Sub(w.group.created) >= e.cfg.Incidents.GroupWait
		e.mu.Unlock()
		if !known && (w.joined || !due) {
			continue
		}
		switch ok, err := e.settleOne(ctx, w.id, now); {
		case err != nil:
			errs = append(errs, fmt.Errorf("alert %s: %w", w.id, err))
		case ok:
			linked++
		}
	}
	return joined, linked, errors.Join(errs...)
}

// settleOne settles the incident of the waiting alert id at now, unless
// another engine sharing the store linked it meanwhile, and tells the live
// alert what the store holds of it then; linked reports that this engine
// linked it.
func (e *Engine) settleOne(ctx context.Context, id uuid.UUID, now time.Time) (linked bool, err error) {
	before, err := e.proc.Get(ctx, id)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	after := before
	if before.Incident.IsZero() {
		if err := e.settle(ctx, id, 0, now); err != nil {
			return false, err
		}
		if after, err = e.proc.Get(ctx, id); err != nil {
			return false, err
		}
	}
	if !after.Incident.IsZero() {
		e.know(after)
	}
	return before.Incident.IsZero() && !after.Incident.IsZero(), nil
}

// know takes into the live alert the incident of the stored alert t, when
// the live alert does not know one yet.
func (e *Engine) know(t *Alert) {
	a := e.lookup(t.DedupKey)
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gone || a.rec.ID != t.ID || !a.rec.Incident.IsZero() {
		return
	}
	if t.Version >= a.rec.Version {
		a.rec.Record = t.Record
	}
	a.rec.Incident = t.Incident
}

// joinParent moves the live waiting alert a into the group of a down
// parent of its CI, if it has one now, and persists the move, journaled
// as EditGroup; moved reports that it did.
func (e *Engine) joinParent(ctx context.Context, a *alert) (moved bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gone || a.group == nil || a.rec.CI == "" || a.rec.Parent != "" || !a.rec.Incident.IsZero() {
		return false, nil
	}
	to, parent := e.downAncestor(ctx, a.rec.CI, a.group)
	if to == nil {
		return false, nil
	}
	e.mu.Lock()
	if to.open == 0 { // its alerts cleared since
		e.mu.Unlock()
		return false, nil
	}
	from := a.group
	move := func(from, to *group) {
		from.open--
		to.open++
		a.group, a.rec.Group = to, to.id
	}
	move(from, to)
	if a.lastSeen.After(to.lastJoin) {
		to.lastJoin = a.lastSeen
	}
	if len(to.members) < maxGroupMembers && !slices.Contains(to.members, a.key) {
		to.members = append(to.members, a.key)
	}
	e.mu.Unlock()
	a.rec.Parent = parent
	err = e.persist(ctx, a, e.cfg.Actor, nil, step{name: EditGroup,
		note: "joined the group of " + parent + ", which its CI depends on and which went down within the group wait"})
	if err != nil {
		e.mu.Lock()
		move(to, from)
		e.mu.Unlock()
		a.rec.Parent = ""
		if errors.Is(err, errGone) {
			e.drop(a)
			return false, nil
		}
		return false, fmt.Errorf("alert %s: %w", a.rec.Number, err)
	}
	return true, nil
}
