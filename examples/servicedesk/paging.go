package main

import (
	"context"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/notify"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// paging is how the desk pages the network team: bob and nina take daily
// turns on call from 08:00; a P1 network incident pages whoever is on
// call, and, unacknowledged for 5 minutes, the network lead and the core
// network group.
func paging() (incident.Paging, error) {
	network, err := oncall.New(oncall.Config{Layers: []oncall.Layer{{
		Name: "network on call", Users: []string{"bob", "nina"},
		Start: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), Turn: oncall.Daily(),
	}}})
	if err != nil {
		return incident.Paging{}, err
	}
	p1, err := escalation.New(escalation.Config{
		Name: "network-p1",
		Levels: []escalation.Level{
			{Targets: []escalation.Target{{Schedule: "network"}}, Delay: 5 * time.Minute},
			{Targets: []escalation.Target{{User: "lena"}, {Group: "network-core"}}},
		},
	})
	if err != nil {
		return incident.Paging{}, err
	}
	return incident.Paging{
		Policies:  []*escalation.Policy{p1},
		Schedules: escalation.Schedules{"network": network},
		Rules: []incident.PagingRule{{Name: "network P1", Policy: "network-p1",
			Priorities: []itil.Priority{itil.P1}, Groups: []string{"network"}}},
	}, nil
}

// pager prints the pages the outbox delivers, as a paging service would
// send them by phone.
func (d *day) pager(bus *notify.Bus) {
	bus.Subscribe(notify.Filter{Kinds: []string{incident.Kind}, Events: []string{incident.EventPage}},
		func(_ context.Context, ch lifecycle.Change) error {
			pg, ok := escalation.PageOf(ch)
			if !ok {
				return nil
			}
			var who []string
			for _, r := range pg.Recipients {
				switch {
				case r.Group != "":
					who = append(who, "group "+r.Group)
				case r.Schedule != "":
					who = append(who, r.User+" (on call: "+r.Schedule+")")
				default:
					who = append(who, r.User)
				}
			}
			d.notice("page %s for %s: level %d of %s", strings.Join(who, ", "), ch.Number, pg.Level, pg.Policy)
			return nil
		})
}

// unacknowledged plays the first minutes of the VPN incident: nobody
// acknowledges the first page, so the sweep pages the second level; then
// bob acknowledges.
func (d *day) unacknowledged(ctx context.Context) error {
	now := d.clock.advance(5 * time.Minute)
	rep, err := d.desk.Sweep(ctx, now)
	if err != nil {
		return err
	}
	inc, err := d.desk.Get(ctx, d.vpn)
	if err != nil {
		return err
	}
	d.say("%s unacknowledged for 5 minutes: the sweep escalates (%d page(s), level %d)", inc.Number, rep.Pages, inc.Paging.Level)
	if err := d.deliver(ctx); err != nil {
		return err
	}
	d.clock.advance(time.Minute)
	if inc, err = d.desk.Acknowledge(ctx, incident.Params{ID: d.vpn, By: bob, Note: "on it"}); err != nil {
		return err
	}
	d.say("%s acknowledged by %s: no more pages (%s)", inc.Number, inc.Paging.AcknowledgedBy, inc.Paging.Status())
	return nil
}
