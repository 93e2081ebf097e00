package main

import (
	"context"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/problem"
)

// printers plays the afternoon's recurring printer jams: the third one on
// the same printer makes the problem manager propose a problem, which
// becomes a known error with a workaround that every caller is told.
func (d *day) printers(ctx context.Context) error {
	callers := []itil.Actor{
		{ID: "erik", Name: "Erik (sales)"},
		{ID: "fatima", Name: "Fatima (legal)"},
		{ID: "gus", Name: "Gus (finance)"},
	}
	for i, caller := range callers {
		d.clock.advance(25 * time.Minute)
		inc, err := d.desk.Open(ctx, incident.Draft{
			Title: "Printer on 3rd floor jams", Caller: caller, By: dan, Channel: incident.ChannelPhone,
			Category: "hardware", Subcategory: "printer",
			Impact: itil.ImpactLow, Urgency: itil.UrgencyMedium, CIs: []string{"printer-3f"},
		})
		if err != nil {
			return err
		}
		d.printerIncidents = append(d.printerIncidents, inc.ID)
		if i < len(callers)-1 {
			if _, err := d.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: dan, Group: "deskside"}); err != nil {
				return err
			}
		}
		d.say("%s from %s: %q (%s)", inc.Number, caller.ID, inc.Title, inc.Priority)
	}

	proposals, err := d.problems.Recurring(ctx, problem.RecurringQuery{MinCount: 3, Window: 24 * time.Hour, By: problem.ByCI})
	if err != nil {
		return err
	}
	for _, pr := range proposals {
		p, err := d.problems.OpenProposal(ctx, problem.ProposalParams{By: carla, Proposal: pr})
		if err != nil {
			return err
		}
		d.problem, d.problemNumber = p.ID, p.Number
		d.say("%s opened from %d recurring incidents on %s: %q", p.Number, len(pr.Incidents), pr.Key, p.Title)
	}
	if _, err := d.problems.Assess(ctx, problem.Params{ID: d.problem, By: carla, Note: "recurs daily, worth a root cause"}); err != nil {
		return err
	}
	if _, err := d.problems.Analyze(ctx, problem.Params{ID: d.problem, By: carla}); err != nil {
		return err
	}
	d.clock.advance(40 * time.Minute)
	p, err := d.problems.PublishWorkaround(ctx, problem.WorkaroundParams{ID: d.problem, By: carla, Workaround: "print to printer-3e until the feeder is replaced"})
	if err != nil {
		return err
	}
	if err := d.deliver(ctx); err != nil {
		return err
	}
	d.say("%s is a known error (%v); workaround sent to every open linked incident as a comment", p.Number, p.KnownError)
	comments := 0
	for _, id := range d.printerIncidents {
		for n, err := range d.desk.Notes(ctx, id, true) {
			if err != nil {
				return err
			}
			if n.Text != "" {
				comments++
			}
		}
	}
	d.say("callers see %d comment(s) with the workaround", comments)

	p, err = d.problems.RecordCause(ctx, problem.RecordCauseParams{ID: d.problem, By: carla, Cause: problem.Cause{RootCause: "worn paper feeder rollers", Code: "hardware"}})
	if err != nil {
		return err
	}
	d.say("%s root cause: %s", p.Number, p.RootCause)
	return nil
}

// fixPrinters delivers the fix: the problem resolves and, by the manager's
// policy, so do its incidents.
func (d *day) fixPrinters(ctx context.Context) error {
	d.clock.advance(10 * time.Minute)
	if _, err := d.problems.StartFix(ctx, problem.StartFixParams{ID: d.problem, By: carla, Fix: problem.Fix{Description: "replace the feeder rollers", Change: d.fixChange}}); err != nil {
		return err
	}
	p, err := d.problems.Resolve(ctx, problem.ResolveParams{ID: d.problem, By: carla})
	if err != nil {
		return err
	}
	if err := d.deliver(ctx); err != nil {
		return err
	}
	closed := 0
	for _, id := range d.printerIncidents {
		inc, err := d.desk.Get(ctx, id)
		if err != nil {
			return err
		}
		if !inc.Open() {
			closed++
		}
	}
	d.say("%s resolved by %s; %d of its %d incidents resolved with it", p.Number, d.fixChange.Number, closed, len(d.printerIncidents))
	return nil
}
