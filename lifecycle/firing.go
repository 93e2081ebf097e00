package lifecycle

import (
	"context"
	"errors"
	"fmt"
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
// and the change handed to the store (which keeps neither), and a looplab/fsm
// machine of the definition whose callbacks read the firing in hand, so no
// argument is boxed per event.
type firingTx struct {
	firing Firing
	edit   Edit
	change Change
	fsm    *fsm.FSM
	ctx    context.Context // the caller's, for guards and hooks
}

// newFiringTx builds a firingTx and its machine. Only the callbacks the
// definition needs are registered: looplab looks up eight callback keys per
// event once any is, and none while there are none.
func (d *Definition) newFiringTx() any {
	tx := &firingTx{}
	cbs := fsm.Callbacks{}
	if len(d.guards) > 0 {
		cbs["before_event"] = func(_ context.Context, e *fsm.Event) { d.beforeEvent(tx.ctx, &tx.firing, e) }
	}
	if len(d.hooks) > 0 {
		cbs["enter_state"] = func(context.Context, *fsm.Event) { d.enterState(tx.ctx, &tx.firing) }
	}
	tx.fsm = fsm.NewFSM(d.initial, d.fsmDesc, cbs)
	return tx
}

// coded reports whether the definition has guards or hooks, which see the
// whole firing.
func (d *Definition) coded() bool { return len(d.guards) > 0 || len(d.hooks) > 0 }

// release returns tx to d's pool. Everything in it is overwritten at its
// next use; only the entity is let go now, so the pool does not keep it.
func (tx *firingTx) release(d *Definition) {
	tx.firing.Entity = nil
	tx.edit.fields = tx.edit.fields[:0]
	d.firings.Put(tx)
}

// String says what a firing is, for errors: "event resolve to state resolved".
func (f *Firing) String() string { return "event " + f.Event + " to state " + f.To }

// entering is what requires the fields of a state a record starts in.
type entering string

func (s entering) String() string { return "state " + string(s) }

// fire checks the fields the firing in tx requires, then runs its event
// through tx's looplab/fsm machine: guards in the before-event callback,
// hooks in the enter-state callback.
func (d *Definition) fire(ctx context.Context, tx *firingTx) error {
	f := &tx.firing
	if err := f.checkRequired(); err != nil {
		return err
	}
	// Guards and hooks get the caller's context from tx. looplab derives a
	// cancellable context for every event, which under a cancellable parent
	// costs a registration in the parent; a background one spares it.
	tx.ctx = ctx
	tx.fsm.SetState(f.From)
	err := tx.fsm.Event(context.Background(), f.Event)
	tx.ctx = nil
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

func (d *Definition) beforeEvent(ctx context.Context, f *Firing, e *fsm.Event) {
	for _, g := range d.guards {
		if err := g(ctx, f); err != nil {
			e.Cancel(err)
			return
		}
	}
}

func (d *Definition) enterState(ctx context.Context, f *Firing) {
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
		if err := requireField(f.Entity, name, f); err != nil {
			return err
		}
	}
	return nil
}

// requireField reports a *itil.ValidationError naming field when e does not
// hold a value for it. by says what requires it: a *Firing, or a string.
func requireField(e Entity, field string, by fmt.Stringer) error {
	if custom, ok := strings.CutPrefix(field, "fields."); ok {
		if e.Base().Fields[custom] == "" {
			return &itil.ValidationError{Field: field, Reason: "required by " + by.String()}
		}
		return nil
	}
	fc, ok := e.(FieldChecker)
	if !ok {
		return &itil.ValidationError{Field: field, Reason: "required by " + by.String() + ", but the record has no such field"}
	}
	set, known := fc.FieldSet(field)
	switch {
	case !known:
		return &itil.ValidationError{Field: field, Reason: "required by " + by.String() + ", but the record has no such field"}
	case !set:
		return &itil.ValidationError{Field: field, Reason: "required by " + by.String()}
	}
	return nil
}
