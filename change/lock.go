package change

import (
	"context"
	"slices"

	"github.com/itil-go/itil/lifecycle"
)

// calendarRetries is how many times a step that takes calendar locks runs
// again when another writer took one of them first. Each rerun sees that
// writer's change, so a step is retried only as often as other steps on
// the same CIs or implementer commit while it runs.
const calendarRetries = 64

// The keys of the calendar's locks (lifecycle.Lock): one per CI, one per
// implementer.
const (
	ciLockPrefix          = "change.calendar/ci/"
	implementerLockPrefix = "change.calendar/implementer/"
)

// Conflicts are refused in the store, not in one Manager's memory: every
// write that puts a change on the calendar or moves it takes, in the same
// commit, the calendar lock of each CI the change touches and of its
// implementer (lockOwn). A write that also judges conflicts (Schedule)
// takes, besides, the locks of every CI its conflicts are looked for on:
// the related CIs the Topology reports for each of its CIs, its parents
// and children and, with a Dependencies topology, every ancestor and
// descendant (calendarLocks). Every CI looked in is locked in the commit
// that judges it, however far away it is.
//
// That is enough. Schedule finds a conflict with another change d only on
// a CI it looks in (its own CIs and those related to them) that d touches,
// or on a shared implementer; d's write took the lock of each CI d touches
// and of d's implementer, and Schedule takes the locks of every CI it
// looks in and of its implementer, so the two commits share a lock. One of
// them commits first; the other fails with lifecycle.ErrConflict and runs
// again, now seeing the first. Whether the Topology is symmetric does not
// matter, nor how far it reaches: each writer locks what it looks in, and
// what it is found by (its own CIs) is a subset of that. Taking a change
// off the calendar (cancel, completion) takes no lock: it can only remove
// conflicts.
//
// The guarantee holds for the topology as each Schedule reads it: the
// relations are the CMDB's, not records of this commit, so a relationship
// added after two changes were scheduled does not make them conflict
// after the fact. The price of a wide topology is locks: a change to a
// site's power looks in, and locks, everything in the site, and two
// changes on CIs that share an ancestor (two applications in one rack)
// both take its lock, so that one of them runs again after the other
// commits, although they do not conflict.
//
// The order matters: the locks are taken (which reads their versions)
// before the calendar catches up with the log, so that every change
// committed under one of those locks before is in the log the calendar
// reads, and any committed after makes this commit fail.

// lockOwn takes the calendar locks of c's CIs and implementer in tx.
func (m *Manager) lockOwn(ctx context.Context, tx *lifecycle.Tx, c *Change) error {
	return lockCalendar(ctx, tx, c.CIs, c.Implementer)
}

// calendarLocks takes in tx the calendar locks of every CI in look (c's
// own and related CIs) and of implementer.
func calendarLocks(ctx context.Context, tx *lifecycle.Tx, look []related, implementer string) error {
	cis := make([]string, 0, len(look))
	for _, r := range look {
		cis = append(cis, r.other)
	}
	return lockCalendar(ctx, tx, cis, implementer)
}

func lockCalendar(ctx context.Context, tx *lifecycle.Tx, cis []string, implementer string) error {
	keys := make([]string, 0, len(cis)+1)
	for _, ci := range cis {
		keys = append(keys, ciLockPrefix+ci)
	}
	if implementer != "" {
		keys = append(keys, implementerLockPrefix+implementer)
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := tx.Lock(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// placement is what the calendar keeps of a change: whether it is on it,
// and where.
type placement struct {
	on          bool
	planned     Window
	cis         []string
	implementer string
}

// placementOf returns c's placement.
func placementOf(c *Change) placement {
	return placement{on: !c.Planned.IsZero() && c.StateCategory.Active(), planned: c.Planned, cis: slices.Clone(c.CIs), implementer: c.Implementer}
}

// equal reports whether e and o put a change in the same place.
func (e placement) equal(o placement) bool {
	return e.on == o.on && e.planned.Start.Equal(o.planned.Start) && e.planned.End.Equal(o.planned.End) &&
		slices.Equal(e.cis, o.cis) && e.implementer == o.implementer
}
