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
	Actions  int // SLA threshold actions run (Config.SLADefinitions)
	Closed   int // resolved incidents closed automatically
	Children int // children of resolved parents resolved
	Pages    int // pages sent (Config.Paging)
}

// Sweep is for the host to call on a ticker (every minute, say). It raises
// the SLA warnings and breaches that are due, each exactly once, journaled
// as "sla_warning" or "sla_breach" with fields "sla.<clock>"; closes
// incidents resolved longer ago than Config.AutoCloseAfter; and resolves the
// open children of resolved parents that an earlier resolution missed. With
// Config.SLADefinitions it raises their thresholds and runs their actions
// in the same change, and brings to the clocks what an edit changed (a
// reassignment handing an OLA on), journaled as "sla_clocks" when it
// crosses nothing. The clocks live in the records, so a restarted host
// resumes them where they were. It visits every incident that still needs work. With Config.Paging
// it sends the pages that are due, each once, journaled as "page" (see
// package escalation): an escalation lives in its incident, so a restarted
// host pages its next level, not its first again.
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var errs []error
	sys := itil.System("incident-sweep")
	swept, err := d.sweepSLA(ctx, sys, now)
	rep.Warnings, rep.Breaches, rep.Actions = swept.Warnings, swept.Breaches, swept.Actions
	if err != nil {
		errs = append(errs, err)
	}
	pages, err := d.sweepPages(ctx, now)
	rep.Pages = pages
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
