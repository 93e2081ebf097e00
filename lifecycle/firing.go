package lifecycle

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"github.com/itil-go/itil"
)

// Firing is one event being fired on one record: what guards and hooks see.
type Firing struct {
	// Entity is the record being changed: a private copy until it is saved.
	Entity Entity
	// Event is the event's name.
	Event string
	// From and To are the states before and after, with their categories.
	From, To                 string
	FromCategory, ToCategory Category
	// Actor, Note and At describe who fires the event, why and when.
	Actor itil.Actor
	Note  string
	At    time.Time
	// Edit collects field changes for the journal; hooks that change fields
	// record them here.
	Edit *Edit

	def     *Definition
	tr      *transition
	hookErr error
}

// firingTx holds what one action needs besides the record, allocated once
// and pooled per definition: the firing that guards and hooks see, the edit
// and the change handed to the store (which keeps neither).
type firingTx struct {
	firing Firing
	edit   Edit
	change Change
}

func (tx *firingTx) release(d *Definition) {
	clear(tx.edit.fields)
	fields := tx.edit.fields[:0]
	*tx = firingTx{}
	tx.edit.fields = fields
	d.firings.Put(tx)
}

// fire runs f.Event through a pooled looplab/fsm machine: guards in the
// before-event callback, hooks in the enter-state callback.
func (d *Definition) fire(ctx context.Context, f *Firing) error {
	m := d.pool.Get().(*fsm.FSM)
	defer d.pool.Put(m)
	m.SetState(f.From)
	err := m.Event(ctx, f.Event, f)
	if err != nil {
		var noTransition fsm.NoTransitionError
		var canceled fsm.CanceledError
		switch {
		case errors.As(err, &noTransition) && noTransition.Err == nil:
			// A self-transition: guards passed, nothing to enter.
			err = nil
		case errors.As(err, &canceled) && canceled.Err != nil:
			err = canceled.Err
		case errors.As(err, new(fsm.InvalidEventError)), errors.As(err, new(fsm.UnknownEventError)):
			err = &TransitionError{Kind: d.name, Event: f.Event, State: f.From, Allowed: d.Allowed(f.From)}
		}
	}
	if err == nil {
		err = f.hookErr
	}
	return err
}

func (d *Definition) beforeEvent(ctx context.Context, e *fsm.Event) {
	f := e.Args[0].(*Firing)
	if err := f.checkRequired(); err != nil {
		e.Cancel(err)
		return
	}
	for _, g := range d.guards {
		if err := g(ctx, f); err != nil {
			e.Cancel(err)
			return
		}
	}
}

func (d *Definition) enterState(ctx context.Context, e *fsm.Event) {
	f := e.Args[0].(*Firing)
	for _, h := range d.hooks {
		if err := h(ctx, f); err != nil {
			f.hookErr = err
			return
		}
	}
}

// checkRequired checks the fields the event and, on entry, its target state
// require.
func (f *Firing) checkRequired() error {
	for _, name := range f.tr.requires {
		if err := requireField(f.Entity, name, "event "+f.Event+" to state "+f.To); err != nil {
			return err
		}
	}
	return nil
}

// requireField reports a *itil.ValidationError naming field when e does not
// hold a value for it.
func requireField(e Entity, field, by string) error {
	if custom, ok := strings.CutPrefix(field, "fields."); ok {
		if e.Base().Fields[custom] == "" {
			return &itil.ValidationError{Field: field, Reason: "required by " + by}
		}
		return nil
	}
	fc, ok := e.(FieldChecker)
	if !ok {
		return &itil.ValidationError{Field: field, Reason: "required by " + by + ", but the record has no such field"}
	}
	set, known := fc.FieldSet(field)
	switch {
	case !known:
		return &itil.ValidationError{Field: field, Reason: "required by " + by + ", but the record has no such field"}
	case !set:
		return &itil.ValidationError{Field: field, Reason: "required by " + by}
	}
	return nil
}
