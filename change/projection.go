package change

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/itil-go/itil/lifecycle"
)

// The calendar is a lifecycle.Projection of the store's log: every change
// with a planned window that is still active, in the interval trees of the
// index. Each Manager replays the log into its own index and follows it,
// so that every host sharing the store answers from the same calendar.
// Before the calendar answers (Conflicts, Calendar, Windows, and Schedule
// before it judges a window) the Manager catches up with the log, so an
// answer reflects every change committed before the question, whichever
// host made it. Nothing has to be called to keep it current; Start reads
// the log once at start-up, and Run keeps the index warm so that a catch-up
// finds little to do.

// Start reads the calendar from the store's log, so that the first
// question a host is asked does not wait for it and a store that cannot be
// read fails at start-up, and checks the freezes against Config.Services
// (CheckFreezes), so that a freeze naming a service the CMDB does not know
// fails at start-up too. It is optional: the Manager catches up before
// every answer from the calendar anyway. Calling it again catches up with
// what was committed since.
//
// Errors: ctx's, the store's from reading its log and changes; a
// *itil.ValidationError on "freezes[i].services[j]"; the ServiceImpact's.
func (m *Manager) Start(ctx context.Context) error {
	if err := m.catchUp(ctx); err != nil {
		return err
	}
	if err := m.CheckFreezes(ctx, m.Freezes()); err != nil {
		return err
	}
	m.cfg.Logger.DebugContext(ctx, "change calendar read from the log", "changes", m.index.len(), "seq", m.calendar.Seq())
	return nil
}

// Run follows the store's log until ctx ends, catching up at every write
// the store announces (lifecycle.Waker) and at least every poll (default
// one second), and returns nil then. It only keeps the calendar warm:
// answers are current without it.
func (m *Manager) Run(ctx context.Context, poll time.Duration) error {
	return m.calendar.Run(ctx, poll)
}

// catchUp brings the calendar up to date with the store's log.
func (m *Manager) catchUp(ctx context.Context) error {
	if err := m.calendar.CatchUp(ctx); err != nil {
		return fmt.Errorf("change: reading the calendar from the log: %w", err)
	}
	return nil
}

// follow applies one change of the log to the calendar: a change record's
// entry puts the record, as it is stored now, into the index. The stored
// record may be newer than the entry; the entries of the versions between
// are then skipped, so a replay reads each record about once.
func (m *Manager) follow(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind || m.index.seen(ch.RecordID, ch.Version) {
		return nil
	}
	c, err := m.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	m.index.put(c, m.live(c))
	return nil
}
