package request

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// txn is one attempt at a command that writes several records: a
// lifecycle.Tx that also remembers the version at which it first read each
// record, so that a decision taken on a record (this task is pending, that
// one is done) holds for the whole commit. A record read again at another
// version, or fired on at another version than was read, ends the attempt
// with errStale, and the desk runs the command again from the start.
type txn struct {
	*lifecycle.Tx
	read map[uuid.UUID]int64
	// chosen is the person each assignment rule chose in this attempt, by
	// the rule's name: the tasks a rule assigns in one commit share its
	// one turn.
	chosen map[string]string
}

// errStale reports a record that changed between two reads of one attempt.
var errStale = fmt.Errorf("request: a record changed while the desk read it: %w", lifecycle.ErrConflict)

// atomic runs fn and commits every record it staged in one Store.Commit,
// or none: lifecycle.Atomic over the desk's store, run again on a fresh
// txn when another writer came first.
func (d *Desk) atomic(ctx context.Context, fn func(x *txn) error) error {
	for attempt := 0; ; attempt++ {
		err := lifecycle.Atomic(ctx, d.proc.Store(), 0, func(tx *lifecycle.Tx) error {
			tx.SetClock(d.cfg.Now)
			return fn(&txn{Tx: tx, read: map[uuid.UUID]int64{}, chosen: map[string]string{}})
		})
		if !errors.Is(err, errStale) || attempt >= lifecycle.DefaultRetries {
			return err
		}
	}
}

// get returns record id as x leaves it, of the kind and type T, or an
// error wrapping lifecycle.ErrNotFound.
func get[T lifecycle.Entity](ctx context.Context, x *txn, id uuid.UUID, kind string, zero func() lifecycle.Entity) (T, error) {
	var none T
	e, err := x.Get(ctx, id, zero)
	if err != nil {
		return none, err
	}
	t, ok := e.(T)
	if !ok || e.Base().Kind != kind {
		return none, fmt.Errorf("%s %s: %w", kind, id, lifecycle.ErrNotFound)
	}
	if !x.Staged(id) {
		v := e.Base().Version
		if first, ok := x.read[id]; ok && first != v {
			return none, errStale
		}
		x.read[id] = v
	}
	return t, nil
}

func (d *Desk) requestIn(ctx context.Context, x *txn, id uuid.UUID) (*Request, error) {
	return get[*Request](ctx, x, id, Kind, func() lifecycle.Entity { return new(Request) })
}

func (d *Desk) taskIn(ctx context.Context, x *txn, id uuid.UUID) (*Task, error) {
	return get[*Task](ctx, x, id, TaskKind, func() lifecycle.Entity { return new(Task) })
}

func (d *Desk) grantIn(ctx context.Context, x *txn, id uuid.UUID) (*Grant, error) {
	return get[*Grant](ctx, x, id, GrantKind, func() lifecycle.Entity { return new(Grant) })
}

// fire stages action a on record id of process p in x. On a record x read
// before and has not written, the action expects the version read.
func fire[T lifecycle.Entity](ctx context.Context, x *txn, p *lifecycle.Process[T], id uuid.UUID, a lifecycle.Action[T]) (T, error) {
	pinned := false
	if v, ok := x.read[id]; ok && a.Version == 0 && !x.Staged(id) {
		a.Version, pinned = v, true
	}
	t, err := p.FireIn(ctx, x.Tx, id, a)
	if pinned && errors.Is(err, lifecycle.ErrConflict) {
		return t, errStale
	}
	return t, err
}
