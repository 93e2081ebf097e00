package change

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// CalendarQuery selects changes on the calendar: those with a window that
// overlaps [From, To) and that are not yet completed, closed or cancelled.
type CalendarQuery struct {
	// From and To bound the range; both are required.
	From, To time.Time
	// CI, when set, selects the changes that touch the CI.
	CI string
	// Implementer, when set, selects the changes of that implementer.
	Implementer string
}

func (q CalendarQuery) window() (Window, error) {
	if err := checkKey("ci", q.CI); err != nil {
		return Window{}, err
	}
	if err := checkKey("implementer", q.Implementer); err != nil {
		return Window{}, err
	}
	w := Window{Start: q.From, End: q.To}
	if err := w.Validate("range"); err != nil {
		return Window{}, err
	}
	return w, nil
}

// Calendar yields the changes on the calendar that q selects, by the start
// of their windows. It catches the calendar up with the store's log, reads
// the calendar and then each change from the store, so a change that moved
// off the range meanwhile is left out. A bad query yields one
// *itil.ValidationError on "range.start", "range.end", "ci" or
// "implementer"; the store's errors end the listing.
func (m *Manager) Calendar(ctx context.Context, q CalendarQuery) iter.Seq2[*Change, error] {
	return func(yield func(*Change, error) bool) {
		w, err := q.window()
		if err != nil {
			yield(nil, err)
			return
		}
		if err := m.catchUp(ctx); err != nil {
			yield(nil, err)
			return
		}
		x := m.index
		x.mu.RLock()
		var hits []hit
		switch {
		case q.CI != "":
			hits = x.query(nil, x.byCI, q.CI, w, uuid.Nil, 0)
		case q.Implementer != "":
			hits = x.query(nil, x.byPerson, q.Implementer, w, uuid.Nil, 0)
		default:
			hits = x.query(nil, nil, "", w, uuid.Nil, 0)
		}
		x.mu.RUnlock()
		for _, h := range hits {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			c, err := m.Get(ctx, h.id)
			if errors.Is(err, lifecycle.ErrNotFound) {
				continue
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !q.selects(c, w) {
				continue
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

// selects reports whether c, as read from the store, is still on the
// calendar range and matches q.
func (q CalendarQuery) selects(c *Change, w Window) bool {
	switch {
	case c.Planned.IsZero() || !c.StateCategory.Active() || !c.Planned.Overlaps(w):
		return false
	case q.CI != "" && !slices.Contains(c.CIs, q.CI):
		return false
	case q.Implementer != "" && c.Implementer != q.Implementer:
		return false
	}
	return true
}

// Windows answers whether configuration items are inside an approved
// implementation window, so that the alerts a change causes can be told
// from real failures. Package event defines the one-method interface it
// needs (event.ChangeWindows, InChangeWindow); *Windows satisfies it:
//
//	engine, err := event.NewEngine(st, event.Config{ChangeWindows: changes.Windows()})
//
// It is safe for concurrent use and answers from the Manager's calendar
// (plus Config.Topology, when set: the CIs a CI depends on), caught up
// with the store's log first.
type Windows struct {
	m *Manager
}

// Windows returns the Manager's window view.
func (m *Manager) Windows() *Windows { return &Windows{m: m} }

// Active reports whether ci, or a CI it depends on, is inside the window
// of an approved change that is scheduled or being implemented at instant
// at, and which change that is (the one whose window started first). The
// CIs it depends on are its direct parents through Config.Topology and,
// when the Topology is also a Dependencies (as a CMDB's graph is), all its
// ancestors, however far, as Conflicts follows them: a change on the
// power or cooling of a rack covers the servers in the rack, the VMs on
// them and the applications on those. The window is the planned one: an
// implementation that overruns it is no longer covered, so that its
// alerts are seen.
//
// Errors: a *itil.ValidationError on "ci" for an empty or unstorable name;
// the Topology's; the store's from catching up.
func (w *Windows) Active(ctx context.Context, ci string, at time.Time) (bool, itil.Ref, error) {
	if ci == "" {
		return false, itil.Ref{}, &itil.ValidationError{Field: "ci", Reason: "required"}
	}
	if err := checkKey("ci", ci); err != nil {
		return false, itil.Ref{}, err
	}
	cis, err := w.upstream(ctx, ci)
	if err != nil {
		return false, itil.Ref{}, err
	}
	if err := w.m.catchUp(ctx); err != nil {
		return false, itil.Ref{}, err
	}
	instant := Window{Start: at, End: at.Add(time.Nanosecond)}
	x := w.m.index
	x.mu.RLock()
	var hits []hit
	for _, c := range cis {
		hits = x.query(hits, x.byCI, c, instant, uuid.Nil, 0)
	}
	x.mu.RUnlock()
	var best *hit
	for i := range hits {
		if h := &hits[i]; h.live && (best == nil || h.start < best.start) {
			best = h
		}
	}
	if best == nil {
		return false, itil.Ref{}, nil
	}
	return true, itil.Ref{Kind: Kind, ID: best.id, Number: best.number}, nil
}

// upstream returns ci and the CIs it depends on: its parents through the
// Topology and, with a Dependencies topology, its ancestors, each once.
func (w *Windows) upstream(ctx context.Context, ci string) ([]string, error) {
	cis := []string{ci}
	topo := w.m.cfg.Topology
	if topo == nil {
		return cis, nil
	}
	parents, err := topo.Parents(ctx, ci)
	if err != nil {
		return nil, fmt.Errorf("change: parents of %s: %w", ci, err)
	}
	deps, ok := topo.(Dependencies)
	if !ok {
		return append(cis, parents...), nil
	}
	ancestors, err := deps.Ancestors(ctx, ci)
	if err != nil {
		return nil, fmt.Errorf("change: ancestors of %s: %w", ci, err)
	}
	seen := map[string]bool{ci: true}
	for _, list := range [][]string{parents, ancestors} {
		for _, c := range list {
			if !seen[c] {
				seen[c] = true
				cis = append(cis, c)
			}
		}
	}
	return cis, nil
}

// InChangeWindow is Active without the change's reference: the method that
// package event's ChangeWindows interface asks for.
func (w *Windows) InChangeWindow(ctx context.Context, ci string, at time.Time) (bool, error) {
	ok, _, err := w.Active(ctx, ci, at)
	return ok, err
}
