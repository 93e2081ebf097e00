package incident

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
	"github.com/itil-go/itil/lifecycle/sla"
)

// followRounds bounds how often one change brings the clocks up to date
// after the actions of their thresholds moved the incident (a raised
// priority retargets, a reassignment hands an OLA on): each round raises
// at least one threshold more, and each is raised once, so the rounds end
// well before.
const followRounds = 16

// followDefinitions brings the incident's definition clocks up to date at
// each instant of at in turn, for the incident in state (of category
// cat), and journals in ed what they cross and what their actions do:
//
//   - "sla.<definition>" → "warning", "breach" or both joined by "+", as
//     for the policy's clocks, and "sla.<definition>.threshold" → the
//     percents crossed ("50", "75+100");
//   - "sla.<definition>.<percent>.notify" → who a Notify action tells;
//   - the fields an action changes: "priority" (RaisePriority), "group",
//     "assignee", "reassignments", and for Escalate "tier" and
//     "escalations";
//   - "sla.<definition>.status" → "running", "paused" or "stopped" when a
//     clock starts or changes status, and "sla.<definition>.outcome" →
//     "met" or "breached" when it stops.
//
// Actions other than Notify run only while the incident is open or
// paused. It returns the crossings.
func (d *Desk) followDefinitions(ctx context.Context, inc *Incident, ed *lifecycle.Edit, state string, cat lifecycle.Category, at ...time.Time) ([]sla.Crossing, error) {
	before := states(&inc.SLATimers)
	var all []sla.Crossing
	for _, now := range at {
		crossings, err := d.advance(ctx, inc, ed, state, cat, now)
		if err != nil {
			return nil, err
		}
		all = append(all, crossings...)
	}
	journalCrossings(ed, all)
	for _, t := range inc.SLATimers.List {
		was, ok := before[t.Name]
		if !ok || was.status != t.Clock.Status {
			old := ""
			if ok {
				old = was.status.String()
			}
			ed.Field("sla."+t.Name+".status", old, t.Clock.Status.String())
		}
		if was.outcome != t.Outcome {
			ed.Field("sla."+t.Name+".outcome", outcomeText(was.outcome), outcomeText(t.Outcome))
		}
	}
	return all, nil
}

// advance applies the definitions at now and runs the actions of the
// thresholds crossed, again until the actions move nothing the clocks
// follow.
func (d *Desk) advance(ctx context.Context, inc *Incident, ed *lifecycle.Edit, state string, cat lifecycle.Category, now time.Time) ([]sla.Crossing, error) {
	var all []sla.Crossing
	for range followRounds {
		f, err := d.slaFacts(ctx, inc, state, cat)
		if err != nil {
			return nil, err
		}
		crossings, err := inc.SLATimers.Apply(d.cfg.SLADefinitions, f, now)
		if err != nil {
			return nil, err
		}
		all = append(all, crossings...)
		moved := false
		for _, c := range crossings {
			for _, a := range c.Actions {
				moved = d.act(inc, ed, a, cat) || moved
			}
		}
		if !moved {
			break
		}
	}
	return all, nil
}

// act runs one action of a threshold crossed, journaling in ed what it
// changes, and reports whether it changed a fact the clocks follow.
func (d *Desk) act(inc *Incident, ed *lifecycle.Edit, a sla.Action, cat lifecycle.Category) bool {
	if a.Do == sla.Notify || !cat.Active() {
		return false // journaled with the crossings
	}
	switch a.Do {
	case sla.RaisePriority:
		if inc.Priority <= itil.P1 {
			return false
		}
		lifecycle.Set(ed, "priority", &inc.Priority, inc.Priority-1)
	case sla.Reassign:
		if inc.Group == a.To {
			return false
		}
		if inc.Group != "" {
			lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
		}
		lifecycle.Set(ed, "group", &inc.Group, a.To)
		lifecycle.Set(ed, "assignee", &inc.Assignee, "")
	case sla.Escalate:
		lifecycle.Set(ed, "tier", &inc.Tier, min(inc.Tier+1, d.cfg.MaxTier))
		lifecycle.Set(ed, "escalations", &inc.Escalations, inc.Escalations+1)
		if inc.Group != "" && inc.Group != a.To {
			lifecycle.Set(ed, "reassignments", &inc.Reassignments, inc.Reassignments+1)
		}
		lifecycle.Set(ed, "group", &inc.Group, a.To)
		lifecycle.Set(ed, "assignee", &inc.Assignee, "")
	default:
		return false
	}
	return true
}

// journalCrossings records crossings in ed, one field per definition and
// per threshold's notifications, in the order they happened.
func journalCrossings(ed *lifecycle.Edit, crossings []sla.Crossing) {
	type journal struct{ kinds, percents []string }
	var order, notes []string
	byClock := map[string]*journal{}
	notify := map[string][]string{}
	for _, c := range crossings {
		j := byClock[c.Clock]
		if j == nil {
			j = &journal{}
			byClock[c.Clock] = j
			order = append(order, c.Clock)
		}
		j.kinds = append(j.kinds, c.Kind.String())
		j.percents = append(j.percents, strconv.Itoa(c.Percent))
		for _, a := range c.Actions {
			if a.Do != sla.Notify {
				continue
			}
			field := "sla." + c.Clock + "." + strconv.Itoa(c.Percent) + ".notify"
			if _, ok := notify[field]; !ok {
				notes = append(notes, field)
			}
			if !slices.Contains(notify[field], a.To) {
				notify[field] = append(notify[field], a.To)
			}
		}
	}
	for _, name := range order {
		j := byClock[name]
		ed.Field("sla."+name, "", strings.Join(j.kinds, "+"))
		ed.Field("sla."+name+".threshold", "", strings.Join(j.percents, "+"))
	}
	for _, field := range notes {
		ed.Field(field, "", strings.Join(notify[field], ", "))
	}
}

// clockState is what the journal tells of a clock: its status and outcome.
type clockState struct {
	status  sla.Status
	outcome sla.Outcome
}

// states returns the state of each clock by name.
func states(ts *sla.Timers) map[string]clockState {
	out := make(map[string]clockState, len(ts.List))
	for _, t := range ts.List {
		out[t.Name] = clockState{t.Clock.Status, t.Outcome}
	}
	return out
}

// outcomeText is an outcome as journaled: "" while pending.
func outcomeText(o sla.Outcome) string {
	if o == sla.Pending {
		return ""
	}
	return o.String()
}

// slaFacts are what the definitions' clocks read of an incident in state,
// of category cat: the classes of its CIs are asked of Config.Classifier
// only when a definition has a condition on them.
func (d *Desk) slaFacts(ctx context.Context, inc *Incident, state string, cat lifecycle.Category) (sla.Facts, error) {
	if state == "" {
		state = d.initial.Name // a draft, not created yet
	}
	f := sla.Facts{
		Priority: inc.Priority, Category: cat, Responded: !inc.RespondedAt.IsZero(),
		State: state, Created: inc.CreatedAt, RecordCategory: inc.Category, Group: inc.Group,
		Services: inc.Services,
	}
	if d.cfg.Classifier != nil && d.cfg.SLADefinitions.ReadsCIClasses() {
		var af assign.Facts
		if err := assign.Describe(ctx, d.cfg.Classifier, &af, inc.CIs); err != nil {
			return sla.Facts{}, err
		}
		f.CIClasses = af.CIClasses
	}
	return f, nil
}

// sweepSLA raises the SLA crossings due by now, by sys: those of the
// policy's clocks, or with Config.SLADefinitions those of the
// definitions' clocks, with their actions.
func (d *Desk) sweepSLA(ctx context.Context, sys itil.Actor, now time.Time) (sla.TimersSwept, error) {
	if d.cfg.SLADefinitions != nil {
		return sla.TimersSweeper[*Incident]{
			Process: d.proc,
			Due:     func(inc *Incident) time.Time { return d.slaDue(ctx, inc) },
			Apply: func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
				return d.sweepDefinitions(ctx, inc, ed, now)
			},
			Actor: sys,
		}.Sweep(ctx, now)
	}
	swept, err := sla.Sweeper[*Incident]{
		Process: d.proc,
		Clocks:  func(inc *Incident) *sla.Set { return &inc.SLA },
		Apply: func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
			return d.applySLA(inc, ed, inc.StateCategory, now)
		},
		Actor: sys,
	}.Sweep(ctx, now)
	return sla.TimersSwept{Swept: swept}, err
}

// slaDue is when a sweep next needs to look at the incident's definition
// clocks: when a threshold falls due, or at once when the incident's facts
// changed since the clocks last followed them (a reassignment or an
// escalation by edit, which no transition brought to the clocks) or
// cannot be told (the sweep's Apply reports why).
func (d *Desk) slaDue(ctx context.Context, inc *Incident) time.Time {
	f, err := d.slaFacts(ctx, inc, inc.State, inc.StateCategory)
	if err != nil || inc.SLATimers.Stale(f) {
		return inc.UpdatedAt
	}
	return inc.SLATimers.Next()
}

// sweepDefinitions is the sweep's Apply for definition clocks. Facts that
// an edit changed reach the clocks first as of the incident's last update,
// when they changed at the latest, and then at now: the group or the
// services that Open found after the clocks first started (its owner
// group, its assignment rule's group, its CIs' services) count from the
// creation.
func (d *Desk) sweepDefinitions(ctx context.Context, inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) {
	at := []time.Time{now}
	if last := inc.UpdatedAt; !last.Before(inc.SLATimers.At) && last.Before(now) {
		f, err := d.slaFacts(ctx, inc, inc.State, inc.StateCategory)
		if err != nil {
			return nil, err
		}
		if inc.SLATimers.Stale(f) {
			at = []time.Time{last, now}
		}
	}
	return d.followDefinitions(ctx, inc, ed, inc.State, inc.StateCategory, at...)
}

// checkSLADefinitions refuses definitions that name a state the desk's
// lifecycle does not have, with a *itil.ValidationError naming it:
// "SLADefinitions.definitions[0].stop.states[1]".
func checkSLADefinitions(defs *sla.Definitions, lc *lifecycle.Definition) error {
	if defs == nil {
		return nil
	}
	known := map[string]bool{}
	for _, s := range lc.States() {
		known[s.Name] = true
	}
	for i, def := range defs.Config().Definitions {
		for _, c := range []struct {
			name string
			cond sla.Condition
		}{{"start", def.Start}, {"pause", def.Pause}, {"stop", def.Stop}} {
			for j, s := range c.cond.States {
				if !known[s] {
					return &itil.ValidationError{Field: fmt.Sprintf("SLADefinitions.definitions[%d].%s.states[%d]", i, c.name, j),
						Reason: fmt.Sprintf("the lifecycle has no state %q", s)}
				}
			}
		}
	}
	return nil
}
