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
// its warning or its deadline: those of sla.Sweeper.
const (
	EventSLAWarning = sla.EventWarning
	EventSLABreach  = sla.EventBreach
)

// SweepReport counts what a sweep did.
type SweepReport struct {
	// Expired counts grants whose expiry opened a revocation request.
	Expired int
	// Resumed counts requests taken a step on that an earlier release,
	// which took the steps of a command one commit at a time, left behind
	// after a failure: submitted but not sent for approval, approved but
	// not in fulfilment, in fulfilment with tasks to open or all done,
	// revoking grants without a revocation request.
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
// each (the grant's move to revoking and its request are one commit, with
// compare-and-set on the grant); resumes requests that an earlier release
// of the desk, which took the steps of a command one commit at a time,
// left between two steps; and closes requests fulfilled longer ago than
// Config.AutoCloseAfter. It reads every open request, every active grant
// and every request that is submitted, approved, in fulfilment or
// fulfilled. A zero now is a *itil.ValidationError on "now".
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	if now.IsZero() {
		return rep, &itil.ValidationError{Field: "now", Reason: "required"}
	}
	var errs []error
	sys := d.sweeper
	swept, err := d.sweepSLA().Sweep(ctx, now)
	rep.Warnings, rep.Breaches = swept.Warnings, swept.Breaches
	if err != nil {
		errs = append(errs, err)
	}
	for g, err := range d.grants.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("state", GrantActive, GrantRevoking)}}) {
		if err != nil {
			return rep, err
		}
		switch {
		case g.State == GrantActive && g.Expired(now):
			_, err := d.revoke(ctx, g.ID, g.Version, "expired "+g.ExpiresAt.UTC().Format(time.RFC3339), sys, nil)
			if isTransition(err) {
				continue // revoked or expired by someone else meanwhile
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Expired++
		case g.State == GrantRevoking:
			if _, err := d.proc.Get(ctx, g.Revocation); errors.Is(err, lifecycle.ErrNotFound) {
				err := d.atomic(ctx, func(x *txn) error {
					g, err := d.grantIn(ctx, x, g.ID)
					if err == nil && g.State == GrantRevoking {
						_, err = d.openRevocationIn(ctx, x, g, sys)
					}
					return err
				})
				if err != nil {
					errs = append(errs, err)
					continue
				}
				rep.Resumed++
				d.resumed(ctx, g.Number, "opened the revocation request of a revoking grant")
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
		case StateSubmitted, StateApproved:
			if !stale {
				continue
			}
			err := d.atomic(ctx, func(x *txn) error {
				r, err := d.requestIn(ctx, x, r.ID)
				switch {
				case err != nil:
					return err
				case r.State == StateApproved:
					_, err = d.startFulfilmentIn(ctx, x, r.ID)
					return err
				case r.State != StateSubmitted:
					return nil
				}
				round, err := d.round(r, now)
				if err == nil {
					_, err = d.submitIn(ctx, x, r.ID, round)
				}
				return err
			})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Resumed++
			d.resumed(ctx, r.Number, "took a request left "+r.State+" on")
		case StateInFulfilment:
			var after *Request
			err := d.atomic(ctx, func(x *txn) error {
				var err error
				after, err = d.advanceIn(ctx, x, r.ID)
				return err
			})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if after.Version != r.Version {
				rep.Resumed++
				d.resumed(ctx, r.Number, "moved a request in fulfilment on")
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

// resumed logs a record Sweep took a step on that a command had left
// behind.
func (d *Desk) resumed(ctx context.Context, number, what string) {
	d.cfg.Logger.WarnContext(ctx, "request: sweep "+what, "number", number)
}
