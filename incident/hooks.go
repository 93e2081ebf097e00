package incident

import (
	"context"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// guard checks the desk's rules before every transition, by category:
// a resolution's code must be one of the desk's, and a resolved incident
// may be reopened only within the reopen window.
func (d *Desk) guard(_ context.Context, f *lifecycle.Firing) error {
	inc := f.Entity.(*Incident)
	if f.ToCategory == lifecycle.Resolved && f.FromCategory != lifecycle.Resolved && inc.Resolution.Code != "" && !d.codes[inc.Resolution.Code] {
		return &itil.ValidationError{Field: "resolution.code", Reason: fmt.Sprintf("%q is not one of the desk's resolution codes", inc.Resolution.Code)}
	}
	if f.FromCategory == lifecycle.Resolved && f.ToCategory.Active() {
		if since := f.At.Sub(inc.ResolvedAt); since > d.cfg.ReopenWindow {
			return &WindowError{Rule: "reopen", Window: d.cfg.ReopenWindow, Since: since}
		}
	}
	return nil
}

// enter keeps an incident's timestamps and SLA clocks in step with its
// state, by category, whenever it enters a new state.
func (d *Desk) enter(ctx context.Context, f *lifecycle.Firing) error {
	inc := f.Entity.(*Incident)
	if inc.RespondedAt.IsZero() && f.To != d.initial.Name && f.ToCategory.Active() {
		lifecycle.Set(f.Edit, "responded_at", &inc.RespondedAt, f.At)
	}
	switch f.ToCategory {
	case lifecycle.Resolved:
		lifecycle.Set(f.Edit, "resolved_at", &inc.ResolvedAt, f.At)
	case lifecycle.Closed, lifecycle.Cancelled:
		lifecycle.Set(f.Edit, "closed_at", &inc.ClosedAt, f.At)
	}
	if f.FromCategory == lifecycle.Paused && f.ToCategory != lifecycle.Paused {
		lifecycle.Set(f.Edit, "hold_reason", &inc.HoldReason, "")
	}
	if d.cfg.SLADefinitions != nil {
		_, err := d.followDefinitions(ctx, inc, f.Edit, f.To, f.ToCategory, f.At)
		return err
	}
	_, err := d.applySLA(inc, f.Edit, f.ToCategory, f.At)
	return err
}

// applySLA brings the incident's SLA clocks up to date for category cat at
// now, journaling each warning or breach it observes, once, as a field
// change "sla.<clock>" → "warning" or "breach" ("warning+breach" when both
// fall due at once), and returns the crossings.
//
// With Config.SLADefinitions it brings the definitions' clocks up to date
// instead (see followDefinitions), for the callers that hold no context
// (a draft, a reprioritization): the Classifier, if asked, is asked
// without one.
func (d *Desk) applySLA(inc *Incident, ed *lifecycle.Edit, cat lifecycle.Category, now time.Time) ([]sla.Crossing, error) {
	if d.cfg.SLADefinitions != nil {
		return d.followDefinitions(context.Background(), inc, ed, inc.State, cat, now)
	}
	crossings, err := inc.SLA.Apply(d.cfg.SLA, facts(inc, cat), now)
	if err != nil || len(crossings) == 0 {
		return crossings, err
	}
	kinds := make(map[string]string, len(crossings))
	for _, c := range crossings {
		if k := kinds[c.Clock]; k != "" {
			kinds[c.Clock] = k + "+" + c.Kind.String()
		} else {
			kinds[c.Clock] = c.Kind.String()
		}
	}
	for _, c := range crossings {
		if k, ok := kinds[c.Clock]; ok {
			ed.Field("sla."+c.Clock, "", k)
			delete(kinds, c.Clock)
		}
	}
	return crossings, nil
}

// facts are what the SLA clocks need to know of an incident in category cat.
func facts(inc *Incident, cat lifecycle.Category) sla.Facts {
	return sla.Facts{Priority: inc.Priority, Category: cat, Responded: !inc.RespondedAt.IsZero()}
}

// WindowError reports an action refused because a time window has passed,
// such as reopening an incident resolved too long ago. It matches
// ErrWindowPassed and its class, lifecycle.ErrRefused.
type WindowError struct {
	Rule   string        // the rule: "reopen"
	Window time.Duration // how long the window is
	Since  time.Duration // how long ago it opened
}

// Error names the rule and the times.
func (e *WindowError) Error() string {
	return fmt.Sprintf("incident: %s window of %s has passed (%s ago)", e.Rule, e.Window, e.Since.Round(time.Minute))
}

// Is reports whether target is ErrWindowPassed or lifecycle.ErrRefused.
func (e *WindowError) Is(target error) bool {
	return target == ErrWindowPassed || target == lifecycle.ErrRefused
}
