package change

import (
	"context"
	"fmt"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// ScheduleResult is a scheduled change and what scheduling it found.
type ScheduleResult struct {
	// Change is the change as saved.
	Change *Change
	// Conflicts are the other changes the window collides with.
	Conflicts []Conflict
	// Freezes are the freeze occurrences an emergency change was let into.
	Freezes []FreezeHit
}

// Schedule sets the window of an authorized change (a standard change is
// authorized by its template) and moves it to scheduled; a scheduled change
// is moved to its new window. The window is checked against the freeze
// windows and the calendar:
//
//   - a normal or standard change inside a freeze that covers it (see
//     FrozenFor: by its CIs, or by the business services their outage
//     would affect) is refused with a *FreezeError; an emergency change is
//     let in, and the freeze is returned, logged and recorded in the
//     change's Warnings;
//   - conflicting changes (same CI, a CI upstream or downstream through
//     the Topology, the same implementer) are returned and recorded in
//     Warnings, or refused with a *ConflictError under
//     Config.RefuseConflicts.
//
// The check and the write are one commit that takes the calendar locks of
// the change's CIs, every CI related to them and the implementer (see lock.go),
// so that of two changes scheduled over each other at once, on one host or
// several, the second always sees the first: under RefuseConflicts exactly
// one of them is scheduled.
//
// Errors besides those: *itil.ValidationError on "by", "note",
// "implementer" (a text that cannot be stored), "window.start",
// "window.end" (ends before it starts), "window" (longer than the
// template allows) or a field the scheduled state requires ("cis",
// "implementer"); *ApprovalError when the change is not approved;
// *approval.SegregationError when the implementer decided on the change;
// *lifecycle.TransitionError; the Topology's and the ServiceImpact's
// errors; lifecycle.ErrNotFound,
// lifecycle.ErrConflict (the version given is not the stored one, or
// other writers kept taking the same locks first).
func (m *Manager) Schedule(ctx context.Context, p ScheduleParams) (ScheduleResult, error) {
	if err := checkParams(p.params()); err != nil {
		return ScheduleResult{}, err
	}
	if err := checkKey("implementer", p.Implementer); err != nil {
		return ScheduleResult{}, err
	}
	if err := p.Window.Validate("window"); err != nil {
		return ScheduleResult{}, err
	}
	var res ScheduleResult
	c, err := m.fireAtomic(ctx, p.ID, func(_ *lifecycle.Definition, tx *lifecycle.Tx) lifecycle.Action[*Change] {
		act := action(p.params())
		act.Event = EventSchedule
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			res = ScheduleResult{}
			if !c.Approved() {
				return &ApprovalError{Number: c.Number, Event: EventSchedule, State: c.Approval().Outcome()}
			}
			implementer := c.Implementer
			if s := strings.TrimSpace(p.Implementer); s != "" {
				implementer = s
			}
			if err := checkImplementer(c, implementer); err != nil {
				return err
			}
			if t, ok := m.templates[c.Template]; ok && c.Type == Standard && t.MaxDuration > 0 && p.Window.Duration() > t.MaxDuration {
				return &itil.ValidationError{Field: "window", Reason: fmt.Sprintf("template %q allows at most %s", t.Name, t.MaxDuration)}
			}
			hits, err := m.FrozenFor(ctx, p.Window, c.CIs...)
			if err != nil {
				return err
			}
			if len(hits) > 0 && c.Type != Emergency {
				return &FreezeError{Number: c.Number, Hits: hits}
			}
			look, err := m.related(ctx, c.CIs)
			if err != nil {
				return err
			}
			// Locks first, then the log: see lock.go.
			if err := calendarLocks(ctx, tx, look, implementer); err != nil {
				return err
			}
			if err := m.catchUp(ctx); err != nil {
				return err
			}
			conflicts := m.conflicts(c.ID, p.Window, look, implementer)
			if len(conflicts) > 0 && m.cfg.RefuseConflicts {
				return &ConflictError{Number: c.Number, Conflicts: conflicts}
			}
			var warnings []string
			for _, h := range hits {
				warnings = append(warnings, "emergency change in "+h.String())
			}
			for _, cf := range conflicts {
				warnings = append(warnings, "conflicts with "+cf.String())
			}
			ed.Field("planned", windowText(c.Planned), windowText(p.Window))
			c.Planned = p.Window
			lifecycle.Set(ed, "implementer", &c.Implementer, implementer)
			ed.Field("warnings", strings.Join(c.Warnings, "; "), strings.Join(warnings, "; "))
			c.Warnings = warnings
			res.Conflicts, res.Freezes = conflicts, hits
			return nil
		}
		return act
	})
	if err != nil {
		return ScheduleResult{}, err
	}
	res.Change = c
	for _, h := range res.Freezes {
		m.cfg.Logger.Warn("emergency change scheduled in a freeze", "change", c.Number, "freeze", h.Freeze, "window", h.Window.String())
	}
	return res, nil
}
