package event

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// IncidentsSubscription is the name of the reaction that brings the
// incidents of correlation groups in line with their alerts (see
// Engine.Reactions). Its cursor in the store's outbox goes by this name.
const IncidentsSubscription = "event.incidents"

// Reactions returns the work that must follow the engine's changes, as
// subscriptions for a lifecycle.Dispatcher on the engine's store. With
// IncidentConfig.Desk set, that is IncidentsSubscription: for every change
// of an alert, it reads the alert as stored and brings its group's
// incident in line (opened, linked, reopened, resolved or noted), each
// step done once however often a change is delivered and however many
// hosts deliver it; a failure is tried again by the dispatcher, from the
// same change, until it succeeds. Without a Desk, Reactions returns nil.
//
// Every host that shares the store runs them on its dispatcher, whose
// leases share the work between hosts; a host without one calls the
// dispatcher's Drain after its writes.
func (e *Engine) Reactions() []lifecycle.Subscription {
	if e.cfg.Incidents.Desk == nil {
		return nil
	}
	return []lifecycle.Subscription{{Name: IncidentsSubscription, Notifier: incidentReaction{e}}}
}

// incidentReaction is the Notifier of IncidentsSubscription.
type incidentReaction struct{ e *Engine }

// Notify brings the incident of the changed alert's group in line.
func (r incidentReaction) Notify(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind || ch.Event == EditFlush { // a flush changes nothing automation reads
		return nil
	}
	return r.e.settle(ctx, ch.RecordID, ch.Version, ch.At)
}

// wantsAutomation reports whether the alert, just written by this engine,
// may need its group's incident brought in line at once: it cleared, or it
// is open, neither suppressed nor flapping, without an incident. a.mu is
// held.
func (e *Engine) wantsAutomation(a *alert) bool {
	ic := &e.cfg.Incidents
	switch {
	case ic.Desk == nil || ic.InlineTimeout < 0 || a.group == nil:
		return false
	case a.gone:
		return true
	}
	return !a.suppressed && !a.flapping && a.rec.Incident.IsZero()
}

// automate attempts at once what the reaction would do for the alert: on
// a context of its own, bounded by InlineTimeout, that the caller's
// cancellation does not end. A failure is logged; the reaction does it.
func (e *Engine) automate(ctx context.Context, id uuid.UUID, at time.Time) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.Incidents.InlineTimeout)
	defer cancel()
	if err := e.settle(ctx, id, 0, at); err != nil {
		e.cfg.Logger.WarnContext(ctx, "incident automation failed; the reaction will try again",
			slog.String("alert", id.String()), slog.Any("error", err))
	}
}

// settle brings the incident of the alert id's group in line with the
// alert as stored: an open alert that wants an incident gets the group's
// (opened, or reopened, as needed), and a cleared one resolves it when it
// was the group's last. version, when not zero, is the version of the
// change being delivered: an alert stored at a later one is left to the
// delivery of that later change. at is when the change was made. Errors a
// retry cannot mend (a refusal of the desk's) are logged and dropped.
func (e *Engine) settle(ctx context.Context, id uuid.UUID, version int64, at time.Time) error {
	a, err := e.proc.Get(ctx, id)
	switch {
	case errors.Is(err, lifecycle.ErrNotFound):
		return nil
	case err != nil:
		return err
	case version != 0 && a.Version > version, a.Group == uuid.Nil, a.Open() && !wantsIncident(a):
		return nil
	}
	// One settling of a group at a time on this host; other hosts are kept
	// to the store's locks.
	mu := &e.settling[int(a.Group[15])%len(e.settling)]
	mu.Lock()
	defer mu.Unlock()
	if a, err = e.proc.Get(ctx, id); err != nil {
		return err
	}
	if a.Open() {
		err = e.raise(ctx, a, at)
	} else {
		err = e.cleared(ctx, a, at)
	}
	if errors.Is(err, itil.ErrInvalid) || errors.Is(err, lifecycle.ErrTransition) || errors.Is(err, lifecycle.ErrForbidden) {
		e.cfg.Logger.WarnContext(ctx, "incident automation refused; giving up on it",
			slog.String("alert", a.Number), slog.String("dedup_key", a.DedupKey), slog.Any("error", err))
		return nil
	}
	return err
}

// wantsIncident reports whether a stored open alert should be linked to
// its group's incident: it is not suppressed, not flapping, and not linked.
func wantsIncident(a *Alert) bool {
	return a.State != StateSuppressed && !a.Flapping && a.Incident.IsZero()
}

// maxSettle bounds how often raise looks again at a group whose incident
// other hosts changed under it.
const maxSettle = 8

// raise links the stored open alert a to its group's incident, which the
// group's lock names: an open one, with a work note; one resolved within
// ReopenWindow of at, which it reopens; else, when a rule matches the
// alert and it did not join by topology, a new one, whose ID it reserves
// in the lock first, in a commit that conflicts with any other host's
// reservation, and then opens with that ID, so that a retry, here or on
// another host, opens it at most once.
func (e *Engine) raise(ctx context.Context, a *Alert, at time.Time) error {
	ic := &e.cfg.Incidents
	key := groupLock(a.Group)
	for range maxSettle {
		id, err := holder(ctx, e.store, key)
		if err != nil {
			return err
		}
		var inc *incident.Incident
		if id != uuid.Nil {
			switch inc, err = ic.Desk.Get(ctx, id); {
			case errors.Is(err, lifecycle.ErrNotFound):
				inc = nil // reserved, and not opened yet
			case err != nil:
				return err
			}
		}
		switch {
		case inc != nil && inc.Open():
			if _, err := ic.Desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: e.cfg.Actor, Note: joinedNote(a)}); err != nil {
				return err
			}
			if err := e.widen(ctx, inc, a); err != nil {
				return err
			}
			return e.link(ctx, a, inc.Ref())
		case inc != nil && inc.StateCategory == lifecycle.Resolved && !inc.ResolvedAt.IsZero() && at.Sub(inc.ResolvedAt) <= ic.ReopenWindow:
			_, err := ic.Desk.Reopen(ctx, incident.Params{ID: inc.ID, By: e.cfg.Actor,
				Note: "alert " + a.Number + " fired again: " + a.Message})
			if errors.Is(err, lifecycle.ErrTransition) {
				continue // reopened, or closed, meanwhile: look again
			}
			if err != nil {
				return err
			}
			return e.link(ctx, a, inc.Ref())
		}
		r := e.incidentRule(a)
		if r == nil || a.Parent != "" || e.waiting(a, at) {
			return nil // no incident, or not yet: Sweep raises it once the group's wait is over
		}
		next := id
		if id == uuid.Nil || inc != nil { // none reserved, or the one reserved is done with
			next = newIncidentID()
			moved, err := e.reserve(ctx, key, id, next)
			if err != nil {
				return err
			}
			if moved {
				continue // another host reserved one meanwhile
			}
		}
		dr := e.draft(ctx, a, r)
		dr.ID = next
		opened, err := ic.Desk.Open(ctx, dr)
		if errors.Is(err, lifecycle.ErrExists) {
			opened, err = ic.Desk.Get(ctx, next) // opened already, by an earlier try
		}
		if err != nil {
			return err
		}
		return e.link(ctx, a, opened.Ref())
	}
	return fmt.Errorf("event: the incident of group %s kept changing under alert %s: %w", a.Group, a.Number, lifecycle.ErrConflict)
}

// errMoved: the lock no longer names what the caller read.
var errMoved = errors.New("event: the lock moved")

// reserve makes the lock of key name next, provided it still names
// expect; moved reports that it did not.
func (e *Engine) reserve(ctx context.Context, key string, expect, next uuid.UUID) (moved bool, err error) {
	err = lifecycle.Atomic(ctx, e.store, 0, func(tx *lifecycle.Tx) error {
		l, err := tx.Lock(ctx, key)
		if err != nil {
			return err
		}
		if l.Holder != expect {
			return errMoved
		}
		l.Holder = next
		return nil
	})
	if errors.Is(err, errMoved) {
		return true, nil
	}
	return false, err
}

// newIncidentID returns the ID of a new incident.
func newIncidentID() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		id = uuid.New()
	}
	return id
}

// link records the incident on the stored alert a, compared and set on
// its version; when another writer came first, it reads the alert again,
// and leaves it when it is linked or closed by then.
func (e *Engine) link(ctx context.Context, a *Alert, ref itil.Ref) error {
	for attempt := 0; ; attempt++ {
		prev := a.Version
		t, err := e.proc.Fire(ctx, a.ID, lifecycle.Action[*Alert]{Name: EditIncident, Actor: e.cfg.Actor,
			Note: "linked to " + ref.Number, Version: prev,
			Apply: func(t *Alert, ed *lifecycle.Edit) error {
				lifecycle.Set(ed, "incident", &t.Incident, ref)
				return nil
			}})
		if err == nil {
			e.learn(t, prev, ref)
			return nil
		}
		if !errors.Is(err, lifecycle.ErrConflict) || attempt == maxRefresh {
			return err
		}
		if a, err = e.proc.Get(ctx, a.ID); err != nil {
			return err
		}
		if !a.Open() || !a.Incident.IsZero() {
			return nil
		}
	}
}

// learn tells the engine's memory that the stored alert t, written from
// version prev, is linked to ref: its group, and its live alert when the
// engine holds it at prev. A live alert at another version learns it at
// its next write, from the store.
func (e *Engine) learn(t *Alert, prev int64, ref itil.Ref) {
	e.mu.Lock()
	if g := e.byID[t.Group]; g != nil {
		g.incident = ref
	}
	e.mu.Unlock()
	a := e.lookup(t.DedupKey)
	if a == nil {
		return
	}
	a.mu.Lock()
	if !a.gone && a.rec.ID == t.ID && a.rec.Version == prev {
		a.rec.Record = t.Record
		a.rec.Incident = ref
	}
	a.mu.Unlock()
}

// cleared resolves, or notes, the incident of the group of the stored
// closed alert a once no alert of the group is open.
func (e *Engine) cleared(ctx context.Context, a *Alert, at time.Time) error {
	for _, err := range e.proc.Find(ctx, lifecycle.Query{
		Where: []lifecycle.Cond{lifecycle.Eq("group", a.Group.String()), lifecycle.Active()}, Limit: 1}) {
		return err // an open alert, or an error: nothing to resolve yet
	}
	ic := &e.cfg.Incidents
	id, err := holder(ctx, e.store, groupLock(a.Group))
	if err != nil || id == uuid.Nil {
		return err
	}
	inc, err := ic.Desk.Get(ctx, id)
	switch {
	case errors.Is(err, lifecycle.ErrNotFound):
		return nil
	case err != nil:
		return err
	case !inc.Open():
		return nil
	}
	when := a.ClearedAt
	if when.IsZero() {
		when = at
	}
	note := fmt.Sprintf("%s (last: %s at %s)", clearedNote, a.Number, when.UTC().Format(time.RFC3339))
	if ic.OnCleared == NoteIncident {
		noted, err := e.notedCleared(ctx, inc.ID)
		if err != nil || noted {
			return err
		}
		_, err = ic.Desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: e.cfg.Actor, Note: note})
		return err
	}
	_, err = ic.Desk.Resolve(ctx, incident.ResolveParams{ID: inc.ID, By: e.cfg.Actor, Note: note, Code: ic.ResolutionCode})
	if errors.Is(err, lifecycle.ErrTransition) {
		return nil // resolved meanwhile
	}
	return err
}

// The notes the engine leaves on incidents begin so.
const (
	clearedNote = "all alerts of the group have cleared"
	joinedStart = "alert "
)

// notedCleared reports whether the engine's last note on the incident says
// that the group's alerts have all cleared, with no alert joining since.
func (e *Engine) notedCleared(ctx context.Context, id uuid.UUID) (bool, error) {
	cleared := false
	for n, err := range e.cfg.Incidents.Desk.Notes(ctx, id, false) {
		if err != nil {
			return false, err
		}
		if n.By.ID != e.cfg.Actor.ID {
			continue
		}
		switch {
		case strings.HasPrefix(n.Text, clearedNote):
			cleared = true
		case strings.HasPrefix(n.Text, joinedStart):
			cleared = false
		}
	}
	return cleared, nil
}

// widen raises the open incident inc of a's group to a's impact and
// urgency where they are higher, and adds a's CI when inc lacks it, so
// that the group's incident does not depend on which alert came first.
// Both are idempotent: a retry changes nothing more.
func (e *Engine) widen(ctx context.Context, inc *incident.Incident, a *Alert) error {
	ic := &e.cfg.Incidents
	lv := e.levels(ctx, a)
	impact, urgency := min(inc.Impact, lv.Impact), min(inc.Urgency, lv.Urgency) // 1 is the highest
	if impact != inc.Impact || urgency != inc.Urgency {
		_, err := ic.Desk.Reprioritize(ctx, incident.ReprioritizeParams{ID: inc.ID, By: e.cfg.Actor,
			Impact: impact, Urgency: urgency,
			Note: fmt.Sprintf("alert %s (%s) of the group raises the impact and urgency", a.Number, a.Severity)})
		if err != nil {
			return err
		}
	}
	if a.CI != "" && !slices.Contains(inc.CIs, a.CI) {
		_, err := ic.Desk.AddCIs(ctx, incident.CIsParams{ID: inc.ID, By: e.cfg.Actor, CIs: []string{a.CI},
			Note: "alert " + a.Number + " of the group is on " + a.CI})
		if err != nil {
			return err
		}
	}
	return nil
}

// levels are the impact and urgency of the stored alert a: its severity's
// Levels, the impact raised to its CI's criticality when that is higher.
func (e *Engine) levels(ctx context.Context, a *Alert) Levels {
	ic := &e.cfg.Incidents
	lv, ok := ic.Levels[a.Severity]
	if !ok {
		lv = Levels{itil.ImpactLow, itil.UrgencyLow}
	}
	if ic.Criticality != nil && a.CI != "" {
		imp, err := ic.Criticality.Criticality(ctx, a.CI)
		switch {
		case err != nil:
			e.cfg.Logger.WarnContext(ctx, "asking for a CI's criticality", slog.String("alert", a.Number),
				slog.String("ci", a.CI), slog.Any("error", err))
		case imp.Valid() && imp < lv.Impact:
			lv.Impact = imp
		}
	}
	return lv
}

// draft is the incident the stored alert a raises by rule r.
func (e *Engine) draft(ctx context.Context, a *Alert, r *IncidentRule) incident.Draft {
	ic := &e.cfg.Incidents
	lv := e.levels(ctx, a)
	group := r.Group
	if group == "" && ic.Owners != nil && a.CI != "" {
		owner, err := ic.Owners.Owner(ctx, a.CI)
		switch {
		case err != nil:
			e.cfg.Logger.WarnContext(ctx, "asking for a CI's owner", slog.String("alert", a.Number),
				slog.String("ci", a.CI), slog.Any("error", err))
		case itil.CheckText("group", owner, incident.MaxName) == nil:
			group = owner
		}
	}
	if group == "" {
		group = ic.Group
	}
	dr := incident.Draft{
		Title:       title(a),
		Description: fmt.Sprintf("Raised by rule %q from alert %s (%s).\n\n%s%s", r.Name, a.Number, a.DedupKey, a.Message, truncatedNote(a)),
		Caller:      e.cfg.Actor, By: e.cfg.Actor,
		Category: r.Category, Impact: lv.Impact, Urgency: lv.Urgency,
		Channel: incident.ChannelMonitoring, Group: group,
	}
	if a.CI != "" {
		dr.CIs = []string{a.CI}
	}
	return dr
}

// maxTitle is the longest incident title, in characters.
const maxTitle = 200

// title is the title of the incident the alert raises, cut to maxTitle
// characters.
func title(a *Alert) string {
	t := fmt.Sprintf("[%s] %s", a.Severity, a.Message)
	if a.Message == "" {
		t = fmt.Sprintf("[%s] %s %s on %s", a.Severity, a.Source, a.Check, a.Node)
	}
	return itil.Shorten(t, maxTitle, "...")
}

func joinedNote(a *Alert) string {
	return fmt.Sprintf("%s%s joined (%s, %s): %s%s", joinedStart, a.Number, a.DedupKey, a.Severity, a.Message, truncatedNote(a))
}

// truncatedNote says how many alerts of the group the sender left out of
// the notification that carried a's last event, or nothing.
func truncatedNote(a *Alert) string {
	if a.Last.Truncated <= 0 {
		return ""
	}
	return fmt.Sprintf("\n\nThe sender left %d alerts of this group out of its notification (%s).", a.Last.Truncated, a.Source)
}
