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
	EventSLAWarning = sla.EventWarning
	EventSLABreach  = sla.EventBreach
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
	swept, err := sla.Sweeper[*Incident]{
		Process: d.proc,
		Clocks:  func(inc *Incident) *sla.Set { return &inc.SLA },
		Apply: func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
			return d.applySLA(inc, ed, inc.StateCategory, now)
		},
		Actor: sys,
	}.Sweep(ctx, now)
	rep.Warnings, rep.Breaches = swept.Warnings, swept.Breaches
	if err != nil {
		errs = append(errs, err)
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
