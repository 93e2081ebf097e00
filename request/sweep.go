package request

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
)

// zeroRound is "no approval needed".
var zeroRound approval.Approval

// The journal names of the changes Sweep makes when an SLA clock crosses
// its warning or its deadline.
const (
	EventSLAWarning = "sla_warning"
	EventSLABreach  = "sla_breach"
)

// SweepReport counts what a sweep did.
type SweepReport struct {
	// Expired counts grants whose expiry opened a revocation request.
	Expired int
	// Resumed counts requests taken a step on that a failure had left
	// behind: submitted but not sent for approval, approved but not in
	// fulfilment, in fulfilment with tasks to open or all done, revoking
	// grants without a revocation request.
	Resumed int
	// Closed counts fulfilled requests closed after Config.AutoCloseAfter.
	Closed int
	// Warnings and Breaches count the SLA warnings and breaches raised.
	Warnings, Breaches int
}

// Sweep is for the host to call on a ticker (every few minutes, say). It
// raises the SLA warnings and breaches that are due, each exactly once,
// journaled as "sla_warning" or "sla_breach" with fields "sla.<clock>"; it
// opens a revocation request for every grant expired by now, exactly once
// each (the request's ID is fixed on the grant, with compare-and-set, before
// the request is created); resumes requests that a failure between two
// steps left behind; and closes requests fulfilled longer ago than
// Config.AutoCloseAfter. It reads every open request, every active grant
// and every request that is submitted, approved, in fulfilment or
// fulfilled.
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var errs []error
	sys := itil.System("request-sweep")
	if err := d.sweepSLA(ctx, now, sys, &rep, &errs); err != nil {
		return rep, err
	}
	for g, err := range d.grants.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("state", GrantActive, GrantRevoking)}}) {
		if err != nil {
			return rep, err
		}
		switch {
		case g.State == GrantActive && g.Expired(now):
			g, err = d.requestRevocation(ctx, g.ID, g.Version, "expired "+g.ExpiresAt.UTC().Format(time.RFC3339), sys)
			if isTransition(err) {
				continue // revoked or expired by someone else meanwhile
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Expired++
			if _, err := d.openRevocation(ctx, g, sys); err != nil {
				errs = append(errs, err)
			}
		case g.State == GrantRevoking:
			if _, err := d.proc.Get(ctx, g.Revocation); errors.Is(err, lifecycle.ErrNotFound) {
				rep.Resumed++
				if _, err := d.openRevocation(ctx, g, sys); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	q := Query{States: []string{StateSubmitted, StateApproved, StateInFulfilment, StateFulfilled}}
	for r, err := range d.Find(ctx, q) {
		if err != nil {
			return rep, err
		}
		stale := now.Sub(r.UpdatedAt) >= d.cfg.RepairAfter
		switch r.State {
		case StateSubmitted:
			if !stale {
				continue
			}
			round, err := d.round(r, now)
			if err == nil {
				_, err = d.submit(ctx, r, round)
			}
			if err != nil && !isTransition(err) {
				errs = append(errs, err)
				continue
			}
			rep.Resumed++
		case StateApproved:
			if !stale {
				continue
			}
			if _, err := d.startFulfilment(ctx, r.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Resumed++
		case StateInFulfilment:
			after, err := d.advance(ctx, r.ID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if after.Version != r.Version {
				rep.Resumed++
			}
		case StateFulfilled:
			if d.cfg.AutoCloseAfter < 0 || now.Sub(r.FulfilledAt) < d.cfg.AutoCloseAfter {
				continue
			}
			_, err := d.proc.Fire(ctx, r.ID, lifecycle.Action[*Request]{Event: EventClose, Actor: sys, Version: r.Version,
				Note: "closed automatically after " + d.cfg.AutoCloseAfter.String() + " fulfilled"})
			switch {
			case isTransition(err):
			case err != nil:
				errs = append(errs, err)
			default:
				rep.Closed++
			}
		}
	}
	return rep, errors.Join(errs...)
}

// sweepSLA raises the SLA warnings and breaches due by now on open
// requests. A request changed meanwhile is left: its change brought its
// clocks up to date, or the next sweep will.
func (d *Desk) sweepSLA(ctx context.Context, now time.Time, sys itil.Actor, rep *SweepReport, errs *[]error) error {
	for r, err := range d.Find(ctx, Query{Open: true}) {
		if err != nil {
			return err
		}
		if due := r.SLA.Next(); due.IsZero() || due.After(now) {
			continue
		}
		responded := r.State != d.def.Initial().Name
		// Find what is due on a copy, to name the journal entry.
		probe := r.Clone().(*Request)
		crossings, err := probe.SLA.Apply(d.slaPolicy(probe), sla.Facts{Priority: slaPriority, Category: probe.StateCategory, Responded: responded}, now)
		if err != nil {
			*errs = append(*errs, prefixed("sla.", err))
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
		_, err = d.proc.Fire(ctx, r.ID, lifecycle.Action[*Request]{Name: name, Actor: sys, Version: r.Version,
			Apply: func(r *Request, ed *lifecycle.Edit) error {
				return d.applySLA(r, ed, r.StateCategory, responded, now)
			}})
		switch {
		case errors.Is(err, lifecycle.ErrConflict):
			continue
		case err != nil:
			*errs = append(*errs, err)
			continue
		}
		rep.Warnings += warnings
		rep.Breaches += breaches
	}
	return nil
}
