package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// ProcessConfig configures a Process. The zero value means the defaults.
type ProcessConfig struct {
	// Prefix starts every record number. Default: the first three letters of
	// the lifecycle name, upper-cased ("incident" → "INC").
	Prefix string
	// Digits is the width of the zero-padded sequence in numbers. Default 7
	// (INC0000001).
	Digits int
	// Authorizer, when set, is asked before every create, event and edit.
	Authorizer Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Retries is how many times an action that did not name the version it
	// expects is run again on a fresh copy after a version conflict. Default
	// 3; negative means never.
	Retries int
}

// Process runs one lifecycle over a Store: it creates records, fires events
// on them with guards, hooks and authorization, journals every change and
// saves with compare-and-set. Process packages (incident, change, …) build
// their services on it. A Process is safe for concurrent use.
type Process[T Entity] struct {
	store   Store
	def     *Definition
	cfg     ProcessConfig
	newT    func() T
	newE    func() Entity
	numbers string // prefix
}

// NewProcess returns a Process for records of type *E in store st, following
// def. Call it as NewProcess[Incident](st, def, cfg).
func NewProcess[E any, T interface {
	*E
	Entity
}](st Store, def *Definition, cfg ProcessConfig) (*Process[T], error) {
	if st == nil {
		return nil, &itil.ValidationError{Field: "store", Reason: "required"}
	}
	if def == nil {
		return nil, &itil.ValidationError{Field: "definition", Reason: "required"}
	}
	if def.name == "" || def.initial == "" {
		return nil, &itil.ValidationError{Field: "definition", Reason: "not built (use NewDefinition or ParseDefinition)"}
	}
	if cfg.Prefix == "" {
		r := []rune(def.name)
		cfg.Prefix = strings.ToUpper(string(r[:min(3, len(r))]))
	}
	if err := itil.CheckText("Prefix", cfg.Prefix, 16); err != nil {
		return nil, err
	}
	if cfg.Digits == 0 {
		cfg.Digits = 7
	}
	if cfg.Digits < 1 || cfg.Digits > 18 {
		return nil, &itil.ValidationError{Field: "Digits", Reason: "must be between 1 and 18"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	p := &Process[T]{
		store: st,
		def:   def,
		cfg:   cfg,
		newT:  func() T { return T(new(E)) },
		newE:  func() Entity { return T(new(E)) },
	}
	if err := p.checkRequiredFields(); err != nil {
		return nil, err
	}
	return p, nil
}

// checkRequiredFields makes sure that every field the definition requires is
// one the entity knows, so that a typo fails at start-up, not at run time.
func (p *Process[T]) checkRequiredFields() error {
	zero := p.newT()
	fc, _ := any(zero).(FieldChecker)
	check := func(field, name string) error {
		if strings.HasPrefix(name, "fields.") {
			return nil
		}
		if fc != nil {
			if _, known := fc.FieldSet(name); known {
				return nil
			}
		}
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%s records have no field %q", p.def.name, name)}
	}
	for i, s := range p.def.states {
		for j, r := range s.Requires {
			if err := check(fmt.Sprintf("states[%d].requires[%d]", i, j), r); err != nil {
				return err
			}
		}
	}
	for i, e := range p.def.events {
		for j, r := range e.Requires {
			if err := check(fmt.Sprintf("events[%d].requires[%d]", i, j), r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Definition returns the lifecycle the process follows.
func (p *Process[T]) Definition() *Definition { return p.def }

// Store returns the process's store.
func (p *Process[T]) Store() Store { return p.store }

// Now returns the process clock's current time.
func (p *Process[T]) Now() time.Time { return p.cfg.Now() }

// Create stores t as a new record in the initial state, numbered from the
// store's sequence, and journals it as EventCreate by actor by. A zero ID is
// replaced with a new UUIDv7. t itself is not modified; the stored record is
// returned. The initial state's required fields are checked first.
func (p *Process[T]) Create(ctx context.Context, t T, by itil.Actor, note string) (T, error) {
	return p.create(ctx, nil, t, by, note)
}

// CreateIn is Create staged in tx: the record is saved when tx commits,
// with the rest of tx, or not at all. Its number is drawn at once. The
// record returned is the one tx will write: read it, but change it only
// through an action of tx (see Tx).
func (p *Process[T]) CreateIn(ctx context.Context, tx *Tx, t T, by itil.Actor, note string) (T, error) {
	if tx == nil {
		var zero T
		return zero, &itil.ValidationError{Field: "tx", Reason: "required"}
	}
	return p.create(ctx, tx, t, by, note)
}

func (p *Process[T]) create(ctx context.Context, tx *Tx, t T, by itil.Actor, note string) (T, error) {
	var zero T
	if isNil(t) {
		return zero, &itil.ValidationError{Field: "record", Reason: "required"}
	}
	t = t.Clone().(T)
	rec := t.Base()
	if rec.ID == uuid.Nil {
		id, err := newRecordID(p.store)
		if err != nil {
			return zero, err
		}
		rec.ID = id
	}
	init := p.def.states[p.def.byState[p.def.initial]]
	now := p.cfg.Now()
	rec.Kind = p.def.name
	rec.State = init.Name
	rec.StateCategory = init.Category
	rec.Version = 1
	rec.CreatedAt, rec.UpdatedAt = now, now
	if err := p.def.CheckFields(rec.Fields); err != nil {
		return zero, err
	}
	for k, v := range rec.Fields {
		if v == "" { // an empty value is an unset field
			delete(rec.Fields, k)
		}
	}
	if len(rec.Fields) == 0 {
		rec.Fields = nil
	}
	for _, name := range p.def.entry[init.Name] {
		if err := requireField(t, name, entering(init.Name)); err != nil {
			return zero, err
		}
	}
	if p.cfg.Authorizer != nil {
		if err := p.cfg.Authorizer.Authorize(ctx, AuthRequest{Actor: by, Entity: t, Event: EventCreate, To: init.Name}); err != nil {
			return zero, err
		}
	}
	n, err := p.store.NextNumber(ctx, p.cfg.Prefix)
	if err != nil {
		return zero, err
	}
	rec.Number = recordNumber(p.cfg.Prefix, p.cfg.Digits, n)
	var ch Change
	setChange(&ch, rec, EventCreate, "", by, note, now, nil)
	if tx != nil {
		tx.Put(t, 0, &ch) // t is create's copy: the Tx takes it
		return t, nil
	}
	if err := p.store.Create(ctx, t, &ch); err != nil {
		return zero, err
	}
	return t, nil
}

// Get returns the record with the given ID, or an error wrapping ErrNotFound.
func (p *Process[T]) Get(ctx context.Context, id uuid.UUID) (T, error) {
	e, err := p.store.Get(ctx, id, p.newE)
	if err != nil {
		var zero T
		return zero, err
	}
	t, ok := e.(T)
	if !ok || e.Base().Kind != p.def.name {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", p.def.name, id, ErrNotFound)
	}
	return t, nil
}

// GetByNumber returns the record with the given human number, an error
// wrapping ErrNotFound, or a *itil.ValidationError naming "number" for a
// text no store could hold (see itil.CheckText).
func (p *Process[T]) GetByNumber(ctx context.Context, number string) (T, error) {
	if err := itil.CheckText("number", number, maxNumberLength); err != nil {
		var zero T
		return zero, err
	}
	for t, err := range p.Find(ctx, Query{Where: []Cond{Eq("number", number)}, Limit: 1}) {
		return t, err
	}
	var zero T
	return zero, fmt.Errorf("%s %s: %w", p.def.name, number, ErrNotFound)
}

// Find yields the process's records that match q (q.Kind and q.New are set
// by the process).
func (p *Process[T]) Find(ctx context.Context, q Query) iter.Seq2[T, error] {
	q.Kind = p.def.name
	q.New = p.newE
	return func(yield func(T, error) bool) {
		for e, err := range p.store.Find(ctx, q) {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if !yield(e.(T), nil) {
				return
			}
		}
	}
}

// Journal yields the record's changes, oldest first.
func (p *Process[T]) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[Change, error] {
	return p.store.Journal(ctx, id)
}

// Action is one change to a record: a lifecycle event, field edits, or both.
type Action[T Entity] struct {
	// Event is the lifecycle event to fire; empty for an edit that keeps the
	// state.
	Event string
	// EventFor, when set, picks the event from the record as loaded; it
	// overrides Event. Returning "" makes the action an edit.
	EventFor func(t T) string
	// Name is the journal's event name for an edit; default EventUpdate.
	Name string
	// Actor is who acts; Note is journaled with the change, and Public
	// makes it visible to the caller or requester (see Change.Public).
	Actor  itil.Actor
	Note   string
	Public bool
	// Version, when non-zero, is the version the caller read; a record with
	// another version fails with ErrConflict and is not retried.
	Version int64
	// Apply edits the record's fields, before guards run, recording what it
	// changed in ed. An error aborts the action; nothing is saved.
	Apply func(t T, ed *Edit) error
	// Fields sets custom fields after Apply and before guards run: each
	// value is checked against the lifecycle's declaration
	// (Definition.CheckField) and journaled as "fields.NAME"; an empty
	// value unsets the field.
	Fields map[string]string
	// Always saves and journals an edit even when no field changed and no
	// note was given.
	Always bool
}

// Fire loads the record, authorizes the action, applies its edits, fires its
// event through the lifecycle (guards, state move, hooks), journals the
// change and saves with compare-and-set. On a version conflict the whole
// action is run again on a fresh copy, up to ProcessConfig.Retries times,
// unless the action names the version it expects.
//
// Errors: ErrNotFound; *TransitionError when the event may not fire in the
// record's state; ErrForbidden from the Authorizer; *itil.ValidationError
// from a required field or a guard; ErrConflict. On any error nothing is
// saved.
func (p *Process[T]) Fire(ctx context.Context, id uuid.UUID, a Action[T]) (T, error) {
	for attempt := 0; ; attempt++ {
		t, err := p.Get(ctx, id)
		if err != nil {
			return t, err
		}
		t, err = p.apply(ctx, t, &a, nil)
		if errors.Is(err, ErrConflict) && a.Version == 0 && attempt < p.cfg.Retries {
			continue
		}
		return t, err
	}
}

// FireIn is Fire staged in tx: the record is read through tx (as an earlier
// action of tx left it) and its change is saved when tx commits, with the
// rest of tx, or not at all. It does not retry: Atomic runs the whole again.
// The record returned is the one tx will write: read it, but change it only
// through another action of tx (see Tx).
func (p *Process[T]) FireIn(ctx context.Context, tx *Tx, id uuid.UUID, a Action[T]) (T, error) {
	var zero T
	if tx == nil {
		return zero, &itil.ValidationError{Field: "tx", Reason: "required"}
	}
	// A record tx reads now from the store is this action's to change, and
	// tx keeps no copy of it unless the action may change it and then fail
	// (an Apply, an EventFor, custom fields, guards or hooks): tx needs the
	// record as read for its later reads, and a failed action hands it back
	// unchanged.
	e, fresh, err := tx.take(ctx, id, p.newE)
	if err != nil {
		return zero, err
	}
	t, ok := e.(T)
	if !ok || e.Base().Kind != p.def.name {
		if fresh {
			tx.keep(id, e)
		}
		return zero, fmt.Errorf("%s %s: %w", p.def.name, id, ErrNotFound)
	}
	if fresh && (a.Apply != nil || a.EventFor != nil || len(a.Fields) > 0 || p.def.coded()) {
		tx.keep(id, e.Clone())
		fresh = false
	}
	out, err := p.apply(ctx, t, &a, tx)
	switch {
	case !fresh:
	case err != nil:
		tx.keep(id, e) // as read: the action failed before it changed anything
	case !tx.Staged(id):
		tx.keep(id, e.Clone()) // an edit that changed nothing: out is the caller's
	}
	return out, err
}

func (p *Process[T]) apply(ctx context.Context, t T, a *Action[T], stx *Tx) (T, error) {
	var zero T
	rec := t.Base()
	if a.Version != 0 && rec.Version != a.Version {
		return zero, fmt.Errorf("%s %s: read version %d, stored %d: %w", p.def.name, rec.Number, a.Version, rec.Version, ErrConflict)
	}
	event := a.Event
	if a.EventFor != nil {
		event = a.EventFor(t)
	}
	from, to, name := rec.State, rec.State, event
	toCat := rec.StateCategory
	var tr *transition
	if event != "" {
		var ok bool
		if tr, ok = p.def.transition(event, from); !ok {
			return zero, &TransitionError{Kind: p.def.name, Event: event, State: from, Allowed: p.def.Allowed(from)}
		}
		to, toCat = tr.to, tr.toCat
	} else if name = a.Name; name == "" {
		name = EventUpdate
	}
	if p.cfg.Authorizer != nil {
		if err := p.cfg.Authorizer.Authorize(ctx, AuthRequest{Actor: a.Actor, Entity: t, Event: name, From: from, To: to}); err != nil {
			return zero, err
		}
	}
	tx := p.def.firings.Get().(*firingTx)
	defer tx.release(p.def)
	ed := &tx.edit
	if a.Apply != nil {
		if err := a.Apply(t, ed); err != nil {
			return zero, err
		}
	}
	if err := p.def.setFields(rec, a.Fields, ed); err != nil {
		return zero, err
	}
	now := p.cfg.Now()
	if event != "" {
		f := &tx.firing
		if p.def.coded() {
			*f = Firing{
				Entity: t, Event: event,
				From: from, To: to,
				FromCategory: tr.fromCat, ToCategory: toCat,
				Actor: a.Actor, Note: a.Note, At: now, Edit: ed,
				def: p.def, tr: tr,
			}
		} else {
			// No guard or hook will see it: only what the required
			// fields' check and the machine read.
			f.Entity, f.Event, f.From, f.To, f.tr = t, event, from, to, tr
		}
		if err := p.def.fire(ctx, tx); err != nil {
			return zero, err
		}
	} else if !ed.Changed() && a.Note == "" && !a.Always {
		return t, nil
	}
	prev := rec.Version
	rec.State = to
	rec.StateCategory = toCat
	rec.Version++
	rec.UpdatedAt = now
	setChange(&tx.change, rec, name, from, a.Actor, a.Note, now, ed.fields)
	tx.change.Public = a.Public
	if stx != nil {
		ch := tx.change.Clone()
		stx.Put(t, prev, &ch) // t is FireIn's copy, read through stx: stx takes it
		return t, nil
	}
	if err := p.store.Update(ctx, t, prev, &tx.change); err != nil {
		return zero, err
	}
	return t, nil
}

// setChange sets c to the change that brought rec to its current state and
// version. It is written in place: a Change is large, and this runs on
// every transition.
func setChange(c *Change, rec *Record, event, from string, by itil.Actor, note string, at time.Time, fields []FieldChange) {
	*c = Change{
		ID: newChangeID(at), Kind: rec.Kind, RecordID: rec.ID, Number: rec.Number, Version: rec.Version,
		Event: event, From: from, To: rec.State, Actor: by, At: at, Note: note, Fields: fields,
	}
}
