package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

// estate is the day's CMDB, imported once into the store: the VPN portal
// behind the VPN gateway, owned by the network team; and a data centre
// whose hall-1 is kept cool by crac-1. Rack r7 in hall-1 holds erp-1, one
// of the three servers of the ERP cluster (quorum two; the others are in
// hall-2), and the build server.
const estate = `{
  "cis": [
    {"key": "vpn-gw-1", "class": "network_device", "owner_group": "network", "state": "live"},
    {"key": "vpn-portal", "class": "application", "owner_group": "network", "state": "live",
     "relations": [{"type": "depends_on", "to": "vpn-gw-1"}]},
    {"key": "dc1", "class": "site", "state": "live"},
    {"key": "crac-1", "class": "cooling", "state": "live"},
    {"key": "hall-1", "class": "room", "state": "live", "relations": [{"type": "depends_on", "to": "crac-1"}]},
    {"key": "hall-2", "class": "room", "state": "live"},
    {"key": "r7", "class": "rack", "state": "live"},
    {"key": "erp-cluster", "class": "cluster", "quorum": 2, "state": "live"},
    {"key": "erp-1", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "erp-cluster"}]},
    {"key": "erp-2", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "erp-cluster"}]},
    {"key": "erp-3", "class": "server", "state": "live", "relations": [{"type": "member_of", "to": "erp-cluster"}]},
    {"key": "build-1", "class": "server", "state": "live"},
    {"key": "erp-app", "class": "application", "state": "live", "relations": [{"type": "runs_on", "to": "erp-cluster"}]},
    {"key": "erp", "class": "business_service", "criticality": "high", "state": "live",
     "attributes": {"name": "ERP: orders, invoicing, month-end close"}}
  ],
  "relations": [
    {"from": "dc1", "type": "contains", "to": "hall-1"},
    {"from": "dc1", "type": "contains", "to": "hall-2"},
    {"from": "hall-1", "type": "contains", "to": "r7"},
    {"from": "r7", "type": "contains", "to": "erp-1"},
    {"from": "r7", "type": "contains", "to": "build-1"},
    {"from": "hall-2", "type": "contains", "to": "erp-2"},
    {"from": "hall-2", "type": "contains", "to": "erp-3"},
    {"from": "erp-app", "type": "provides", "to": "erp"}
  ]}`

// newCMDB returns the registry of the day's CMDB over st, importing the
// estate unless an earlier run did (a CI's key is never reused).
func newCMDB(ctx context.Context, st lifecycle.Store) (*cmdb.Registry, error) {
	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
	if err != nil {
		return nil, err
	}
	switch _, err := reg.GetByKey(ctx, "vpn-gw-1"); {
	case err == nil:
		return reg, nil
	case !errors.Is(err, lifecycle.ErrNotFound):
		return nil, err
	}
	doc, err := cmdb.ParseDocument([]byte(estate))
	if err != nil {
		return nil, err
	}
	_, err = reg.Import(ctx, cmdb.ImportParams{By: itil.Actor{ID: "cmdb-import", Name: "CMDB import"}, Document: doc})
	return reg, err
}

// dcEvent is one building-management or server event in dc1.
func dcEvent(source, node, check string, sev event.Severity, msg string) event.Event {
	return event.Event{Source: source, Node: node, Check: check, Severity: sev, Message: msg,
		Labels: map[string]string{"site": "dc1"}}
}

// cooling plays a cooling failure in the data centre: crac-1 fails, the
// servers of rack r7 in the hall it cools run hot, and the ERP cluster
// loses a member. One incident goes to facilities management, naming the
// affected service; the servers' alarms and the ERP's loss of redundancy
// join it rather than raise incidents of their own.
func (d *day) cooling(ctx context.Context) error {
	d.clock.advance(3 * time.Hour)
	if err := d.events.Ingest(ctx, dcEvent("bms", "crac-1", "compressor", event.SeverityCritical, "CRAC-1 compressor tripped; supply air 31°C")); err != nil {
		return err
	}
	d.clock.advance(4 * time.Minute)
	for _, s := range []string{"erp-1", "build-1"} {
		if err := d.events.Ingest(ctx, dcEvent("ipmi", s, "inlet_temp", event.SeverityCritical, s+" inlet 43°C: throttling")); err != nil {
			return err
		}
	}
	d.clock.advance(time.Minute)
	if _, err := d.events.Sweep(ctx, d.clock.Now()); err != nil {
		return err
	}
	if err := d.deliver(ctx); err != nil {
		return err
	}
	crac, err := d.events.Alert(ctx, "bms/crac-1/compressor")
	if err != nil {
		return err
	}
	inc, err := d.desk.Get(ctx, crac.Incident.ID)
	if err != nil {
		return err
	}
	d.say("cooling failure in dc1: %s raised for crac-1: %q — %s, group %s, affected services: %s",
		inc.Number, inc.Title, inc.Priority, inc.Group, strings.Join(inc.Services, ", "))
	joined := 0
	for _, s := range []string{"erp-1", "build-1"} {
		a, err := d.events.Alert(ctx, "ipmi/"+s+"/inlet_temp")
		if err != nil {
			return err
		}
		if a.Incident.ID == inc.ID && a.Parent == "crac-1" {
			joined++
		}
	}
	d.say("%d server alarms in rack r7 joined its group (their hall depends on crac-1): no incidents of their own", joined)
	svc, err := d.events.Alert(ctx, event.ServiceSource+"/erp/redundancy")
	if err != nil {
		return err
	}
	d.say("service alert %s: %q (%s), joined %s: %v", svc.Number, svc.Message, svc.Severity, inc.Number, svc.Incident.ID == inc.ID)

	d.clock.advance(50 * time.Minute)
	for _, ev := range []event.Event{
		dcEvent("bms", "crac-1", "compressor", event.SeverityOK, "CRAC-1 running; supply air 18°C"),
		dcEvent("ipmi", "erp-1", "inlet_temp", event.SeverityOK, "erp-1 inlet 22°C"),
		dcEvent("ipmi", "build-1", "inlet_temp", event.SeverityOK, "build-1 inlet 22°C"),
	} {
		if err := d.events.Ingest(ctx, ev); err != nil {
			return err
		}
	}
	d.clock.advance(time.Minute)
	if _, err := d.events.Sweep(ctx, d.clock.Now()); err != nil {
		return err
	}
	if err := d.deliver(ctx); err != nil {
		return err
	}
	if inc, err = d.desk.Get(ctx, inc.ID); err != nil {
		return err
	}
	_, err = d.events.Alert(ctx, svc.DedupKey)
	d.say("cooling restored: %s is %s by itself; the ERP's redundancy alert cleared: %v",
		inc.Number, inc.State, errors.Is(err, event.ErrNoAlert))
	if err != nil && !errors.Is(err, event.ErrNoAlert) {
		return fmt.Errorf("the ERP's alert: %w", err)
	}
	return nil
}
