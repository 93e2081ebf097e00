package main

import (
	"context"
	"errors"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
)

// The day's freeze: the finance month-end run, every last day of the month
// from 17:00 to 21:00. 30 November 2026 is a Monday.
func freezes() []change.Freeze {
	start := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	return []change.Freeze{{
		Name: "month-end close", Reason: "finance month-end batch",
		Window: change.Window{Start: start, End: start.Add(4 * time.Hour)},
		RRule:  "FREQ=MONTHLY;BYMONTHDAY=-1",
	}}
}

// printerChange plays the change that delivers the printer fix: assessed,
// approved by the CAB, refused in the freeze, scheduled after it,
// implemented — its own alarms suppressed — reviewed and closed.
func (d *day) printerChange(ctx context.Context) error {
	cm := d.changes
	d.clock.advance(20 * time.Minute)
	c, err := cm.Propose(ctx, change.Draft{
		Title: "Replace the feeder rollers of printer-3f", CIs: []string{"printer-3f"},
		Impact: itil.ImpactMedium, Category: "hardware",
		Justification:      "recurring jams: " + d.problemNumber,
		ImplementationPlan: "swap the roller kit, run 50 test pages",
		BackoutPlan:        "refit the old rollers", TestPlan: "50 pages duplex",
		Implementer: "tom", By: carla,
	})
	if err != nil {
		return err
	}
	if c, err = cm.Assess(ctx, change.AssessParams{ID: c.ID, By: carla, Likelihood: change.LikelihoodMedium}); err != nil {
		return err
	}
	if c, err = cm.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: carla}); err != nil {
		return err
	}
	d.say("%s proposed by %s: %s risk, needs %s", c.Number, carla.ID, c.Risk, c.Approval().Summary())
	if _, err := cm.Approve(ctx, change.DecideParams{ID: c.ID, By: tomCAB, Note: "fine"}); err != nil {
		d.say("refused: %v", err)
	}
	if c, err = cm.Approve(ctx, change.DecideParams{ID: c.ID, By: cab, Note: "approved at today's CAB"}); err != nil {
		return err
	}
	d.say("%s approved by the CAB (%s)", c.Number, c.Approval().Summary())

	// A week later: tonight is the month-end close.
	friday := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	_, err = cm.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: carla, Implementer: "tom",
		Window: change.Window{Start: friday, End: friday.Add(time.Hour)}})
	var fe *change.FreezeError
	if errors.As(err, &fe) {
		d.say("scheduling at %s refused: %v", friday.Format("Mon 02 Jan 15:04"), err)
	} else if err != nil {
		return err
	}
	slot := time.Date(2026, 11, 30, 21, 30, 0, 0, time.UTC)
	res, err := cm.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: carla, Implementer: "tom",
		Window: change.Window{Start: slot, End: slot.Add(time.Hour)}})
	if err != nil {
		return err
	}
	d.say("%s scheduled %s, after the freeze (%d conflict(s))", res.Change.Number, res.Change.Planned, len(res.Conflicts))
	d.fixChange = itil.Ref{Kind: "change", ID: c.ID, Number: c.Number}

	d.clock.set(slot.Add(5 * time.Minute))
	if c, err = cm.Implement(ctx, change.Params{ID: c.ID, By: tom}); err != nil {
		return err
	}
	d.say("%s being implemented by %s", c.Number, tom.ID)
	if err := d.changeNoise(ctx); err != nil {
		return err
	}
	d.clock.advance(40 * time.Minute)
	if c, err = cm.RecordOutcome(ctx, change.OutcomeParams{ID: c.ID, By: tom, Outcome: change.Successful, Note: "50 pages, no jam"}); err != nil {
		return err
	}
	if c, err = cm.Close(ctx, change.Params{ID: c.ID, By: carla}); err != nil {
		return err
	}
	d.say("%s %s: %s", c.Number, c.State, c.Outcome)
	return nil
}
