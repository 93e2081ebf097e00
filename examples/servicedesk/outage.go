package main

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// outage plays the desk's work on the VPN incident the monitoring raised.
func (d *day) outage(ctx context.Context) error {
	desk := d.desk
	if err := d.unacknowledged(ctx); err != nil {
		return err
	}
	vpn, err := desk.Assign(ctx, incident.AssignParams{ID: d.vpn, By: dan, Group: "network", Assignee: "bob"})
	if err != nil {
		return err
	}
	if vpn, err = desk.Start(ctx, incident.Params{ID: vpn.ID, By: bob}); err != nil {
		return err
	}
	d.say("%s assigned to network/bob and in progress (response clock stopped)", vpn.Number)

	d.clock.advance(7 * time.Minute)
	if vpn, err = desk.EscalateFunctional(ctx, incident.FunctionalParams{ID: vpn.ID, By: bob, Note: "line card errors on vpn-gw-1", ToGroup: "network-core"}); err != nil {
		return err
	}
	d.say("%s escalated to tier %d: %s", vpn.Number, vpn.Tier, vpn.Group)

	d.clock.advance(4 * time.Minute)
	carolInc, err := desk.Open(ctx, incident.Draft{
		Title: "Cannot reach the finance share from home", Caller: carol, Channel: incident.ChannelPortal,
		Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"},
	})
	if err != nil {
		return err
	}
	if carolInc, err = desk.LinkParent(ctx, incident.ParentParams{ID: carolInc.ID, By: dan, Parent: vpn.ID}); err != nil {
		return err
	}
	d.carol = carolInc.ID
	d.say("%s from %s (%s) linked as a child of %s", carolInc.Number, carol.ID, carolInc.Priority, vpn.Number)

	if vpn, err = desk.ProposeMajor(ctx, incident.Params{ID: vpn.ID, By: bob, Note: "the whole company works remotely today"}); err != nil {
		return err
	}
	d.clock.advance(3 * time.Minute)
	if vpn, err = desk.AcceptMajor(ctx, incident.Params{ID: vpn.ID, By: manager, Note: "accepted: bridge call opened"}); err != nil {
		return err
	}
	if vpn, err = desk.EscalateHierarchical(ctx, incident.HierarchicalParams{ID: vpn.ID, By: manager, Note: "major incident", Notify: "head of IT operations"}); err != nil {
		return err
	}
	d.say("%s is a major incident (%s); management told (escalation level %d)", vpn.Number, vpn.Major, vpn.EscalationLevel)
	if err := d.deliver(ctx); err != nil {
		return err
	}

	// Hours pass; the ticker's sweep sees the resolution clock past 75%.
	now := d.clock.advance(2*time.Hour + 40*time.Minute)
	rep, err := desk.Sweep(ctx, now)
	if err != nil {
		return err
	}
	d.say("sweep: %d warning(s), %d breach(es)", rep.Warnings, rep.Breaches)
	if err := d.deliver(ctx); err != nil {
		return err
	}
	if rep, err = desk.Sweep(ctx, now); err != nil {
		return err
	}
	d.say("sweep again: %d warning(s) — each is raised once", rep.Warnings)

	d.clock.advance(25 * time.Minute)
	if err := d.recover(ctx); err != nil {
		return err
	}
	child, err := desk.Get(ctx, d.carol)
	if err != nil {
		return err
	}
	d.say("its child %s is %s with it", child.Number, child.State)

	d.clock.advance(time.Hour)
	if _, err = desk.Close(ctx, incident.Params{ID: child.ID, By: carol}); err != nil {
		return err
	}
	if _, err := desk.Reopen(ctx, incident.Params{ID: child.ID, By: carol, Note: "still broken"}); errors.Is(err, lifecycle.ErrTransition) {
		d.say("%s closed by %s; reopening a closed incident is refused: %v", child.Number, carol.ID, err)
	}
	return nil
}
