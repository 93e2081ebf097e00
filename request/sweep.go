package request

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// zeroRound is "no approval needed".
var zeroRound approval.Approval

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
}

// Sweep is for the host to call on a ticker (every few minutes, say). It
// opens a revocation request for every grant expired by now, exactly once
// each (the request's ID is fixed on the grant, with compare-and-set, before
// the request is created); resumes requests that a failure between two
// steps left behind; and closes requests fulfilled longer ago than
// Config.AutoCloseAfter. It reads every active grant and every request that
// is submitted, approved, in fulfilment or fulfilled.
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var errs []error
	sys := itil.System("request-sweep")
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
