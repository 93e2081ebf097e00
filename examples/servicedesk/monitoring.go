package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/event"
)

// vpnEvent is one monitoring event about the VPN.
func vpnEvent(node, check string, sev event.Severity, msg string) event.Event {
	return event.Event{Source: "prometheus", Node: node, Check: check, Severity: sev, Message: msg,
		Labels: map[string]string{"service": "vpn", "site": "hq"}}
}

// burst plays the morning's monitoring storm: the VPN gateway's checks go
// red, its portal's too, and the engine folds them into alerts, correlates
// them into one group and raises one incident.
func (d *day) burst(ctx context.Context) error {
	storm := []event.Event{
		vpnEvent("vpn-gw-1", "ping", event.SeverityCritical, "packet loss 60%"),
		vpnEvent("vpn-gw-1", "ipsec_tunnels", event.SeverityMajor, "tunnels down: 212 of 340"),
		vpnEvent("vpn-gw-1", "cpu", event.SeverityWarning, "cpu 91%"),
		vpnEvent("vpn-portal", "http", event.SeverityCritical, "login page times out"),
	}
	for range 10 { // every check repeats while the outage lasts
		if err := d.events.Ingest(ctx, storm...); err != nil {
			return err
		}
		d.clock.advance(6 * time.Second)
	}
	st := d.events.Stats()
	groups := map[uuid.UUID]bool{}
	for _, ev := range storm {
		a, err := d.events.Alert(ctx, ev.Key())
		if err != nil {
			return err
		}
		groups[a.Group] = true
	}
	d.say("monitoring burst: %d events → %d alerts (%d duplicates folded) → %d correlation group",
		st.Events, st.Opened, st.Duplicates, len(groups))
	a, err := d.events.Alert(ctx, "prometheus/vpn-gw-1/ping")
	if err != nil {
		return err
	}
	inc, err := d.desk.Get(ctx, a.Incident.ID)
	if err != nil {
		return err
	}
	d.vpn = inc.ID
	d.say("%s raised by the event engine: %q — %s, group %s", inc.Number, inc.Title, inc.Priority, inc.Group)
	if err := d.deliver(ctx); err != nil { // the page its opening sent
		return err
	}
	portal, err := d.events.Alert(ctx, "prometheus/vpn-portal/http")
	if err != nil {
		return err
	}
	d.say("the portal's alert joined the gateway's group (its parent is down): no incident of its own (%v)", portal.Incident.IsZero() || portal.Incident.ID == inc.ID)
	return nil
}

// recover plays the VPN coming back: ok events clear every alert of the
// group, and the incident resolves itself.
func (d *day) recover(ctx context.Context) error {
	for _, ev := range []event.Event{
		vpnEvent("vpn-gw-1", "ping", event.SeverityOK, "no loss"),
		vpnEvent("vpn-gw-1", "ipsec_tunnels", event.SeverityOK, "all tunnels up"),
		vpnEvent("vpn-gw-1", "cpu", event.SeverityOK, "cpu 20%"),
		vpnEvent("vpn-portal", "http", event.SeverityOK, "200 OK"),
	} {
		if err := d.events.Ingest(ctx, ev); err != nil {
			return err
		}
	}
	inc, err := d.desk.Get(ctx, d.vpn)
	if err != nil {
		return err
	}
	d.say("every alert cleared: %s is %s by itself (%s)", inc.Number, inc.State, inc.Resolution.Code)
	return nil
}

// changeNoise plays the printer's own alarms while its change is being
// implemented: the engine records them as suppressed, raising nothing.
func (d *day) changeNoise(ctx context.Context) error {
	ev := event.Event{Source: "snmp", Node: "printer-3f", Check: "status", Severity: event.SeverityMajor,
		Message: "printer offline", Labels: map[string]string{"service": "print"}}
	// An earlier run's alarm, which the engine resumed, is still open: the
	// events fold into it.
	var before int64
	resumed := ""
	if a, err := d.events.Alert(ctx, ev.Key()); err == nil {
		before, resumed = a.Suppressed.Count, fmt.Sprintf(", folded into %s from an earlier run", a.Number)
	}
	for range 3 {
		if err := d.events.Ingest(ctx, ev); err != nil {
			return err
		}
	}
	a, err := d.events.Alert(ctx, ev.Key())
	if err != nil {
		return err
	}
	d.say("printer-3f alarms during its change: %d suppressed (%s)%s, incident raised: %v",
		a.Suppressed.Count-before, a.Suppressed.Reason, resumed, !a.Incident.IsZero())
	return nil
}
