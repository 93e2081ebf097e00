package main

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// outage plays the morning's VPN outage.
func (d *day) outage(ctx context.Context) error {
	desk := d.desk
	vpn, err := desk.Open(ctx, incident.Draft{
		Title: "VPN drops every few minutes", Caller: alice, By: dan, Channel: incident.ChannelPhone,
		Category: "network", Subcategory: "vpn",
		Impact: itil.ImpactMedium, Urgency: itil.UrgencyHigh, CIs: []string{"vpn-gw-1"},
	})
	if err != nil {
		return err
	}
	d.say("%s opened by %s for %s: %q — impact %s, urgency %s → %s", vpn.Number, dan.ID, alice.ID, vpn.Title, vpn.Impact, vpn.Urgency, vpn.Priority)

	d.clock.advance(4 * time.Minute)
	if vpn, err = desk.Assign(ctx, vpn.ID, "service-desk", "dan", dan); err != nil {
		return err
	}
	if vpn, err = desk.Start(ctx, vpn.ID, dan); err != nil {
		return err
	}
	d.say("%s assigned to service-desk/dan and in progress (response clock stopped)", vpn.Number)

	d.clock.advance(6 * time.Minute)
	if vpn, err = desk.EscalateFunctional(ctx, vpn.ID, incident.Functional{ToGroup: "network", Reason: "gateway logs show tunnel resets", By: dan}); err != nil {
		return err
	}
	d.say("%s escalated to tier %d: %s", vpn.Number, vpn.Tier, vpn.Group)

	d.clock.advance(10 * time.Minute)
	if vpn, err = desk.Reprioritize(ctx, vpn.ID, itil.ImpactHigh, itil.UrgencyHigh, "the whole sales floor is affected", bob); err != nil {
		return err
	}
	cal, err := d.policy.Calendar(vpn.SLA.Resolution.Calendar)
	if err != nil {
		return err
	}
	d.say("%s reprioritized to %s; the resolution target is now %s, keeping the %s already on the clock",
		vpn.Number, vpn.Priority, vpn.SLA.Resolution.Target, vpn.SLA.Resolution.Elapsed(cal, d.clock.Now()))

	d.clock.advance(2 * time.Minute)
	carolInc, err := desk.Open(ctx, incident.Draft{
		Title: "Cannot reach the finance share from home", Caller: carol, Channel: incident.ChannelPortal,
		Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium, CIs: []string{"vpn-gw-1"},
	})
	if err != nil {
		return err
	}
	if carolInc, err = desk.LinkParent(ctx, carolInc.ID, vpn.ID, dan); err != nil {
		return err
	}
	d.say("%s from %s (%s) linked as a child of %s", carolInc.Number, carol.ID, carolInc.Priority, vpn.Number)

	if vpn, err = desk.ProposeMajor(ctx, vpn.ID, "sales cannot work", bob); err != nil {
		return err
	}
	d.clock.advance(3 * time.Minute)
	if vpn, err = desk.AcceptMajor(ctx, vpn.ID, "accepted: bridge call opened", manager); err != nil {
		return err
	}
	d.say("%s is a major incident (%s)", vpn.Number, vpn.Major)
	if err := d.deliver(ctx); err != nil {
		return err
	}

	// Three hours pass; the ticker's sweep sees the resolution clock past 75%.
	now := d.clock.advance(3 * time.Hour)
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

	d.clock.advance(20 * time.Minute)
	_, err = desk.Resolve(ctx, vpn.ID, incident.Resolution{Code: "reboot", Notes: "rebooted the gateway"}, bob)
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		d.say("resolve refused: %s", ve)
	}
	if vpn, err = desk.Resolve(ctx, vpn.ID, incident.Resolution{Code: "solved_permanently", Notes: "replaced the failing line card on vpn-gw-1"}, bob); err != nil {
		return err
	}
	carolInc, err = desk.Get(ctx, carolInc.ID)
	if err != nil {
		return err
	}
	d.say("%s resolved (%s); its child %s is %s with it", vpn.Number, vpn.Resolution.Code, carolInc.Number, carolInc.State)

	d.clock.advance(time.Hour)
	_, err = desk.Close(ctx, carolInc.ID, carol)
	if err != nil {
		return err
	}
	if _, err := desk.Reopen(ctx, carolInc.ID, "still broken", carol); errors.Is(err, lifecycle.ErrTransition) {
		d.say("%s closed by %s; reopening a closed incident is refused: %v", carolInc.Number, carol.ID, err)
	}
	return nil
}
