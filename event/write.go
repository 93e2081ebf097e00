package event

import (
	"context"
	"errors"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// errGone: the alert the engine holds was closed in the store, by another
// engine sharing it. The engine drops it and takes the event for one of a
// new alert.
var errGone = errors.New("event: the alert was closed by another engine")

// maxGone bounds how often one event finds its alert closed under it.
const maxGone = 4

// maxRefresh bounds how often a write of an alert is tried again after
// another engine wrote the alert first.
const maxRefresh = 4

// step is one journaled change of a persisted write: a lifecycle event,
// or, when event is empty, an edit journaled as name.
type step struct {
	event, name, note string
	fields            map[string]string // custom fields set with it
}

// target is the state an event of the lifecycle leads to.
func (s step) target() string {
	switch s.event {
	case EventAcknowledge, EventRestore:
		return StateAcknowledged
	case EventSuppress:
		return StateSuppressed
	case EventUnsuppress:
		return StateOpen
	case EventClear:
		return StateClosed
	}
	return ""
}

// persist writes the steps on the stored alert in one commit, with what
// also stages, copying the live fields into it and recording the ones that
// matter. The write compares and sets on the version the engine holds: when
// another engine wrote the alert meanwhile, the engine takes in what it
// wrote (refresh) and tries again, skipping the steps whose state the
// alert has reached; when the alert is closed in the store, persist
// returns errGone and writes nothing. a.mu is held.
func (e *Engine) persist(ctx context.Context, a *alert, by itil.Actor, also func(tx *lifecycle.Tx) error, steps ...step) error {
	return e.persistAt(ctx, a, by, 0, also, steps...)
}

// persistAt is persist at the version a caller read, when that is not
// zero: the write compares and sets on it, and a conflict is the caller's
// lifecycle.ErrConflict, not tried again. a.mu is held.
func (e *Engine) persistAt(ctx context.Context, a *alert, by itil.Actor, exact int64, also func(tx *lifecycle.Tx) error, steps ...step) error {
	refreshed := false
	for attempt := 0; ; attempt++ {
		tx := lifecycle.NewTx(e.store)
		var (
			t   *Alert
			err error
		)
		version := a.rec.Version
		if exact != 0 {
			version = exact
		}
		for _, s := range steps {
			if refreshed && s.event != "" && a.rec.State == s.target() {
				continue // another engine took it there
			}
			t, err = e.proc.FireIn(ctx, tx, a.rec.ID, lifecycle.Action[*Alert]{
				Event: s.event, Name: s.name, Actor: by, Note: s.note, Always: true, Version: version,
				Fields: s.fields, Apply: a.applyLive,
			})
			if err != nil {
				break
			}
			version = 0 // a later step reads what the earlier staged
		}
		if err == nil && also != nil {
			err = also(tx)
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err == nil {
			if t != nil {
				a.setRecord(t.Record)
			}
			return nil
		}
		if !errors.Is(err, lifecycle.ErrConflict) || exact != 0 || attempt == maxRefresh {
			return err
		}
		if err := e.refresh(ctx, a); err != nil {
			return err
		}
		refreshed = true
	}
}

// applyLive copies the live alert into t, the stored one, keeping t's
// record, and notes the fields that matter in ed. a.mu is held.
func (a *alert) applyLive(t *Alert, ed *lifecycle.Edit) error {
	live := a.snapshot()
	lifecycle.Set(ed, "severity", &t.Severity, live.Severity)
	lifecycle.Set(ed, "highest", &t.Highest, live.Highest)
	lifecycle.Set(ed, "flapping", &t.Flapping, live.Flapping)
	lifecycle.Set(ed, "incident", &t.Incident, live.Incident)
	lifecycle.Set(ed, "group", &t.Group, live.Group)
	lifecycle.Set(ed, "parent", &t.Parent, live.Parent)
	rec := t.Record
	*t = *live
	t.Record = rec
	return nil
}

// refresh takes in what another engine wrote of the alert: its record
// (version and state), its acknowledgement and its incident, and the
// greater count. It returns errGone when the store holds the alert closed,
// or holds it no more, or holds it with a later event of a stream than the
// engine's (another engine took the stream's events for it over). a.mu is held.
func (e *Engine) refresh(ctx context.Context, a *alert) error {
	stored, err := e.proc.Get(ctx, a.rec.ID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return errGone
	}
	if err != nil {
		return err
	}
	if !stored.Open() || stored.Last.Stream.Sequence > a.last.Stream.Sequence {
		// Closed, or another engine applied later events of the stream
		// to it (see Position): what this engine holds is behind.
		return errGone
	}
	a.rec.Record = stored.Record
	a.suppressed = stored.State == StateSuppressed
	a.rec.Acknowledged = a.rec.Acknowledged || stored.Acknowledged
	if !stored.Incident.IsZero() {
		a.rec.Incident = stored.Incident
	}
	a.count = max(a.count, stored.Count)
	return nil
}
