package incident

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// The journal events of a sweep.
const (
	EventSLAWarning = "sla_warning"
	EventSLABreach  = "sla_breach"
)

// SweepReport counts what a sweep did.
type SweepReport struct {
	Warnings int // SLA warnings raised
	Breaches int // SLA breaches raised
	Closed   int // resolved incidents closed automatically
	Children int // children of resolved parents resolved
}

// Sweep is for the host to call on a ticker (every minute, say). It raises
// the SLA warnings and breaches that are due, each exactly once, journaled
// as "sla_warning" or "sla_breach" with fields "sla.<clock>"; closes
// incidents resolved longer ago than Config.AutoCloseAfter; and resolves the
// open children of resolved parents that an earlier resolution missed. The
// clocks live in the records, so a restarted host resumes them where they
// were. It visits every incident that still needs work.
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var errs []error
	sys := itil.System("incident-sweep")
	for inc, err := range d.Find(ctx, Query{Open: true}) {
		if err != nil {
			return rep, err
		}
		due := inc.SLA.Next()
		if due.IsZero() || due.After(now) {
			continue
		}
		// Find what is due on a copy, to name the journal event.
		probe := inc.Clone().(*Incident)
		crossings, err := probe.SLA.Apply(d.cfg.SLA, facts(probe, probe.StateCategory), now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(crossings) == 0 {
			continue
		}
		warnings, breaches := sla.Count(crossings)
		name := EventSLAWarning
		if breaches > 0 {
			name = EventSLABreach
		}
		_, err = d.proc.Fire(ctx, inc.ID, lifecycle.Action[*Incident]{Name: name, Actor: sys, Version: inc.Version,
			Apply: func(inc *Incident, ed *lifecycle.Edit) error {
				return d.applySLA(inc, ed, inc.StateCategory, now)
			}})
		switch {
		case errors.Is(err, lifecycle.ErrConflict):
			continue // changed meanwhile: the change applied the clocks, or the next sweep will
		case err != nil:
			errs = append(errs, err)
			continue
		}
		rep.Warnings += warnings
		rep.Breaches += breaches
	}
	for inc, err := range d.Find(ctx, Query{Categories: []lifecycle.Category{lifecycle.Resolved}}) {
		if err != nil {
			return rep, err
		}
		rep.Children += d.resolveChildren(ctx, inc, true)
		if d.cfg.AutoCloseAfter < 0 || now.Sub(inc.ResolvedAt) < d.cfg.AutoCloseAfter {
			continue
		}
		ev, ok := d.def.EventToward(inc.State, lifecycle.Closed, EventClose)
		if !ok {
			continue
		}
		_, err := d.proc.Fire(ctx, inc.ID, lifecycle.Action[*Incident]{Event: ev, Actor: sys, Version: inc.Version,
			Note: "closed automatically after " + d.cfg.AutoCloseAfter.String() + " resolved"})
		switch {
		case errors.Is(err, lifecycle.ErrConflict):
		case err != nil:
			errs = append(errs, err)
		default:
			rep.Closed++
		}
	}
	return rep, errors.Join(errs...)
}
