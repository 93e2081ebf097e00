package event

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Params is what a command on an alert with no inputs of its own takes
// (Edit): the alert's ID, the version the caller read, who acts, a note and
// custom fields (see lifecycle.Params).
type Params = lifecycle.Params

// AcknowledgeParams acknowledges an open alert, named by its ID or by its
// dedup key: give either, or both when they agree.
type AcknowledgeParams struct {
	// ID is the alert's, as Get and Find return it.
	ID uuid.UUID
	// Version, when not zero, is the alert's version the caller read: an
	// alert changed since fails with lifecycle.ErrConflict and nothing is
	// written. Zero acknowledges the alert as it is.
	Version int64
	// By is who acknowledges; required.
	By itil.Actor
	// Note is journaled with the acknowledgement.
	Note string
	// Fields sets custom fields with it, as Config.Fields declares them.
	Fields map[string]string
	// Key is the alert's dedup key (Event.Key), for a caller that knows
	// the event and not the alert.
	Key string
}

// Fire is not one of the engine's commands, unlike the other services':
// the engine, not its callers, owns an alert's life. It suppresses and
// unsuppresses alerts as windows and inhibitions open and close, clears
// them at ok events and timeouts, releasing the dedup key's lock and the
// group's hold on the incident in the same commit, and keeps the live
// state (acknowledgement, suppression, group) in memory beside the record.
// An event fired on the stored record past the engine would leave the
// lock, the group and the memory out of step with it. The one transition a
// caller makes is Acknowledge; Edit sets a note and custom fields.

// Acknowledge acknowledges the open alert that p names by ID or dedup key,
// held by this engine or, when another engine sharing the store opened it,
// as the store holds it, setting p.Fields with it.
//
// Errors: a *itil.ValidationError naming a bad or missing key, by, note,
// version or fields.NAME (or a field the acknowledged state requires);
// ErrNoAlert (class lifecycle.ErrNotFound) when no open alert has the key
// or ID; *lifecycle.TransitionError when the alert is not open (already
// acknowledged, suppressed, or closed); lifecycle.ErrConflict when p.Version
// is stale; ctx's and the store's errors. On an error nothing is written.
func (e *Engine) Acknowledge(ctx context.Context, p AcknowledgeParams) (*Alert, error) {
	if p.ID == uuid.Nil && p.Key == "" {
		return nil, invalid("key", "give the alert's ID or its dedup key")
	}
	if err := itil.CheckText("key", p.Key, MaxKeyLen); err != nil {
		return nil, err
	}
	if err := e.checkParams(p.Version, p.By, p.Note, p.Fields); err != nil {
		return nil, err
	}
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	s, closed, err := e.onLive(ctx, p.ID, p.Key, p.Version, func(a *alert) error {
		return e.acknowledge(ctx, a, p.Version, p.By, p.Note, p.Fields)
	})
	switch {
	case err != nil:
		return nil, err
	case closed != nil:
		return nil, e.def.TransitionError(EventAcknowledge, closed.State)
	case s == nil:
		return nil, noAlert(p.ID, p.Key)
	}
	return s, nil
}

// Edit journals p.Note and sets p.Fields on the alert p.ID, open or
// closed, as an edit named lifecycle.EventUpdate; an open alert keeps its
// live counters. At least a note or a field is required.
//
// Errors: a *itil.ValidationError naming a bad id, by, note, version or
// fields.NAME, and for unsetting a field the acknowledged state requires
// on an acknowledged alert; ErrNoAlert (class lifecycle.ErrNotFound) when
// no alert has the ID; lifecycle.ErrConflict when p.Version is stale; ctx's
// and the store's errors. On an error nothing is written.
func (e *Engine) Edit(ctx context.Context, p Params) (*Alert, error) {
	switch {
	case p.ID == uuid.Nil:
		return nil, invalid("id", "required")
	case p.Note == "" && len(p.Fields) == 0:
		return nil, invalid("note", "give a note or fields to edit")
	}
	if err := e.checkParams(p.Version, p.By, p.Note, p.Fields); err != nil {
		return nil, err
	}
	if err := e.begin(ctx); err != nil {
		return nil, err
	}
	s, closed, err := e.onLive(ctx, p.ID, "", p.Version, func(a *alert) error {
		if err := e.checkUnset(a.rec.Acknowledged || a.rec.State == StateAcknowledged, p.Fields); err != nil {
			return err
		}
		return e.persistAt(ctx, a, p.By, p.Version, nil,
			step{name: lifecycle.EventUpdate, note: p.Note, fields: p.Fields})
	})
	switch {
	case err != nil:
		return nil, err
	case closed != nil:
		// A closed alert is the store's alone: no engine resumes it.
		if err := e.checkUnset(closed.Acknowledged, p.Fields); err != nil {
			return nil, err
		}
		return e.proc.Fire(ctx, p.ID, lifecycle.Action[*Alert]{
			Actor: p.By, Note: p.Note, Fields: p.Fields, Version: p.Version})
	case s == nil:
		return nil, noAlert(p.ID, "")
	}
	return s, nil
}

// checkParams checks what every command's params carry.
func (e *Engine) checkParams(version int64, by itil.Actor, note string, fields map[string]string) error {
	if version < 0 {
		return invalid("version", "must not be negative")
	}
	if err := checkActor("by", by); err != nil {
		return err
	}
	if err := itil.CheckText("note", note, MaxMessageLen); err != nil {
		return err
	}
	return e.def.CheckFields(fields)
}

// checkUnset refuses to unset, on an alert that was acknowledged, a field
// the acknowledged state requires: the engine restores such an alert to
// acknowledged when its suppression ends, with no caller to set it again.
func (e *Engine) checkUnset(acknowledged bool, fields map[string]string) error {
	if !acknowledged {
		return nil
	}
	for _, req := range e.def.Requires(StateAcknowledged) {
		if v, ok := fields[req[len("fields."):]]; ok && v == "" {
			return invalid(req, "required while the alert is acknowledged")
		}
	}
	return nil
}

// noAlert is ErrNoAlert for the ID or key a command was given.
func noAlert(id uuid.UUID, key string) error {
	if id != uuid.Nil {
		return fmt.Errorf("alert %s: %w", id, ErrNoAlert)
	}
	return fmt.Errorf("%q: %w", key, ErrNoAlert)
}

// onLive runs act on the open alert id, or else the open alert of dedup
// key key, held by this engine or taken over from the store, with a.mu
// held, after checking version against it, and returns a copy of the alert
// act left. It returns a nil alert when no open alert matches, and then,
// when id names a closed alert, that alert as stored. act's errGone (the
// alert was closed under it) drops the alert and looks again.
func (e *Engine) onLive(ctx context.Context, id uuid.UUID, key string, version int64, act func(a *alert) error) (s, closed *Alert, err error) {
	for attempt := 0; ; attempt++ {
		a, closed, err := e.live(ctx, id, key)
		if err != nil || a == nil {
			return nil, closed, err
		}
		err = e.checkVersion(ctx, a, version)
		if err == nil {
			err = act(a)
		}
		if errors.Is(err, errGone) && attempt < maxGone {
			e.drop(a)
			a.mu.Unlock()
			continue
		}
		if err == nil {
			s = a.snapshot()
		}
		a.mu.Unlock()
		return s, nil, err
	}
}

// live returns the open alert id (when id is set) or of key, locked, or
// nil; when id names a closed alert, it returns that alert as stored.
func (e *Engine) live(ctx context.Context, id uuid.UUID, key string) (a *alert, closed *Alert, err error) {
	if id != uuid.Nil {
		stored, err := e.proc.Get(ctx, id)
		if errors.Is(err, lifecycle.ErrNotFound) {
			return nil, nil, noAlert(id, "")
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case key != "" && key != stored.DedupKey:
			return nil, nil, invalid("key", "%q is not the dedup key of alert %s", key, stored.Number)
		case !stored.Open():
			return nil, stored, nil
		}
		key = stored.DedupKey
	}
	h := maphash.String(e.seed, key)
	sh := &e.shards[h&e.mask]
	for attempt := 0; ; attempt++ {
		if a = e.lookup(key); a == nil {
			if a, err = e.adopt(ctx, sh, key); err != nil || a == nil {
				return nil, nil, err
			}
		} else {
			a.mu.Lock()
			if a.gone {
				a.mu.Unlock()
				continue
			}
		}
		if id == uuid.Nil || a.rec.ID == id {
			return a, nil, nil
		}
		// The engine holds another alert of the key: one that another
		// engine closed, before it opened id, or one opened after id closed.
		err = e.refresh(ctx, a)
		if errors.Is(err, errGone) && attempt < maxGone {
			e.drop(a)
			a.mu.Unlock()
			continue
		}
		a.mu.Unlock()
		if err != nil {
			return nil, nil, err
		}
		if stored, err := e.proc.Get(ctx, id); err != nil || !stored.Open() {
			return nil, stored, err
		}
		return nil, nil, nil
	}
}

// checkVersion checks that the alert is at version, when that is not
// zero, reading it again from the store when the engine holds another
// version. a.mu is held.
func (e *Engine) checkVersion(ctx context.Context, a *alert, version int64) error {
	if version == 0 || version == a.rec.Version {
		return nil
	}
	if err := e.refresh(ctx, a); err != nil {
		return err
	}
	if version != a.rec.Version {
		return fmt.Errorf("alert %s: read version %d, stored %d: %w", a.rec.Number, version, a.rec.Version, lifecycle.ErrConflict)
	}
	return nil
}

// acknowledge marks the alert acknowledged and persists it, at version
// when that is not zero. a.mu is held.
func (e *Engine) acknowledge(ctx context.Context, a *alert, version int64, by itil.Actor, note string, fields map[string]string) error {
	was := a.rec.Acknowledged
	a.rec.Acknowledged = true
	if err := e.persistAt(ctx, a, by, version, nil, step{event: EventAcknowledge, note: note, fields: fields}); err != nil {
		a.rec.Acknowledged = was || a.rec.State == StateAcknowledged
		return err
	}
	return nil
}
