package sla

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// MaxName bounds the names in definitions (definitions, groups, states,
// conditions' values, who an action notifies), in characters.
const MaxName = 200

// Definition is one service level target as data, in the manner of a
// ServiceNow SLA definition or a GLPI OLA: which records it applies to,
// when its clock starts, pauses and stops, how long it allows, on which
// calendar, and what happens as the time runs out. Definitions are grouped
// and compiled by NewDefinitions.
//
//	{"name": "resolution-network", "when": {"categories": ["network"]},
//	 "start": {"categories": ["open"]}, "pause": {"categories": ["paused"]},
//	 "stop": {"categories": ["resolved", "closed", "cancelled"]},
//	 "targets": {"P1": {"within": "4h"}, "P2": {"within": "8h", "calendar": "business"}},
//	 "thresholds": [{"percent": 50, "actions": [{"do": "notify", "to": "network-lead"}]},
//	                {"percent": 100, "actions": [{"do": "escalate", "to": "network-2nd"}]}]}
type Definition struct {
	// Name identifies the definition and its clock on each record, and
	// names it in journals ("sla.<name>"); required and unique in a set.
	Name string
	// Type is SLA (the default) or OLA.
	Type Type
	// Group is the assignment group an OLA binds: its clock runs only
	// while the record is with that group. Required for an OLA, refused
	// for an SLA.
	Group string
	// When says which records the definition applies to.
	When When
	// Start, Pause and Stop are the clock's conditions. An empty Start
	// holds always (the clock starts as soon as the definition applies);
	// an empty Pause or Stop never holds.
	Start, Pause, Stop Condition
	// Final keeps a stopped clock stopped for good, as a response is made
	// once. Otherwise a stopped clock runs on from the time it accrued
	// when its stop condition no longer holds and its start condition
	// does (a reopened record).
	Final bool
	// Retroactive starts the clock at the record's creation when its
	// start condition first holds later (ServiceNow's retroactive start).
	Retroactive bool
	// Target is the time allowed, and its calendar, for every priority
	// that Targets does not list.
	Target Target
	// Targets are the targets of single priorities, overriding Target. A
	// record whose priority has no target, here or in Target, has no
	// clock of this definition.
	Targets map[itil.Priority]Target
	// Thresholds are the shares of the target at which the clock reports
	// a crossing and runs actions, each once per clock. The breach, at
	// 100%, is always reported, listed or not.
	Thresholds []Threshold
}

// Type is the type of a Definition: SLA or OLA.
type Type int8

// The types of definition.
const (
	// SLA: a service level agreed with the customer.
	SLA Type = iota
	// OLA: an operational level agreed with one support group, running
	// while that group holds the record.
	OLA
)

var typeNames = itil.Names[Type]{Field: "type", List: []string{"sla", "ola"}}

// Valid reports whether t is SLA or OLA.
func (t Type) Valid() bool { return typeNames.Valid(t) }

// String returns "sla" or "ola".
func (t Type) String() string { return typeNames.String(t) }

// MarshalText encodes the type by name.
func (t Type) MarshalText() ([]byte, error) { return typeNames.Marshal(t) }

// UnmarshalText decodes a type by name; another text is a
// *itil.ValidationError on "type".
func (t *Type) UnmarshalText(b []byte) error { return typeNames.Unmarshal(t, b) }

// When holds the conditions on which records a definition applies to.
// Each list that is not empty must hold the record's value (for services
// and CI classes: one of them); empty lists match any record.
type When struct {
	// Priorities are the records' priorities.
	Priorities []itil.Priority
	// Categories are the records' categories ("network"), not their
	// states' categories.
	Categories []string
	// Services are the business services the record affects.
	Services []string
	// CIClasses are the classes of the record's configuration items.
	CIClasses []string
}

// matches reports whether f meets every condition of w.
func (w *When) matches(f *Facts) bool {
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(have, func(h string) bool { return slices.Contains(want, h) })
	}
	return (len(w.Priorities) == 0 || slices.Contains(w.Priorities, f.Priority)) &&
		(len(w.Categories) == 0 || slices.Contains(w.Categories, f.RecordCategory)) &&
		anyOf(w.Services, f.Services) && anyOf(w.CIClasses, f.CIClasses)
}

// Condition is a start, pause or stop condition: it holds when the
// record's state is in one of Categories, or is one of States, or, with
// Responded, once the record has been responded to.
type Condition struct {
	// Categories are state categories: open, paused, resolved, closed,
	// cancelled.
	Categories []lifecycle.Category
	// States are states by name, such as a host's "awaiting_vendor".
	States []string
	// Responded holds once the record has been responded to (see
	// Facts.Responded): the stop of a response target.
	Responded bool
}

// empty reports whether the condition names nothing.
func (c *Condition) empty() bool {
	return len(c.Categories) == 0 && len(c.States) == 0 && !c.Responded
}

// holds reports whether f meets the condition.
func (c *Condition) holds(f *Facts) bool {
	return slices.Contains(c.Categories, f.Category) || (f.State != "" && slices.Contains(c.States, f.State)) ||
		(c.Responded && f.Responded)
}

// Threshold is a share of a definition's target at which its clock
// reports a crossing (a warning below 100%, the breach at 100%) and runs
// its actions.
type Threshold struct {
	// Percent is the share, 1 to 100.
	Percent int
	// Actions run, in order, in the change that reports the crossing.
	Actions []Action
}

// Action is what a process does when a threshold is crossed.
type Action struct {
	// Do is the kind of action.
	Do ActionKind
	// To names who is notified (Notify), or the group the record goes to
	// (Escalate, Reassign); unused by RaisePriority.
	To string
}

// ActionKind is the kind of an Action.
type ActionKind int8

// The kinds of action. A process that runs definitions carries them out;
// package incident's Desk does so for all four.
const (
	// Notify tells Action.To: the process journals who is told, so that
	// the outbox carries it to notifiers.
	Notify ActionKind = iota + 1
	// Escalate is a functional escalation to the group Action.To, one
	// support tier up.
	Escalate
	// RaisePriority raises the record's priority one step, to P1 at most.
	RaisePriority
	// Reassign hands the record to the group Action.To, with no assignee.
	Reassign
)

var actionNames = itil.Names[ActionKind]{Field: "do", List: []string{"", "notify", "escalate", "raise_priority", "reassign"}}

// Valid reports whether k is one of the kinds of action.
func (k ActionKind) Valid() bool { return actionNames.Valid(k) }

// String returns "notify", "escalate", "raise_priority" or "reassign".
func (k ActionKind) String() string { return actionNames.String(k) }

// MarshalText encodes the kind by name.
func (k ActionKind) MarshalText() ([]byte, error) { return actionNames.Marshal(k) }

// UnmarshalText decodes a kind by name; another text is a
// *itil.ValidationError on "do".
func (k *ActionKind) UnmarshalText(b []byte) error { return actionNames.Unmarshal(k, b) }

// validate checks the definition against the set's calendars, naming its
// fields under path ("definitions[1]").
func (d *Definition) validate(path string, cals map[string]*Calendar) error {
	at := func(f string) string { return path + "." + f }
	if err := checkName(at("name"), d.Name); err != nil {
		return err
	}
	switch {
	case !d.Type.Valid():
		return &itil.ValidationError{Field: at("type"), Reason: "want " + typeNames.Want()}
	case d.Type == OLA:
		if err := checkName(at("group"), d.Group); err != nil {
			if d.Group == "" {
				err = &itil.ValidationError{Field: at("group"), Reason: "an OLA needs the assignment group it binds"}
			}
			return err
		}
	case d.Group != "":
		return &itil.ValidationError{Field: at("group"), Reason: "only an OLA binds a group"}
	}
	for j, p := range d.When.Priorities {
		if !p.Valid() {
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", at("when.priorities"), j), Reason: fmt.Sprintf("%v is not a priority P1 to P5", p)}
		}
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"when.categories", d.When.Categories}, {"when.services", d.When.Services}, {"when.ci_classes", d.When.CIClasses}} {
		for j, v := range l.list {
			if err := checkName(fmt.Sprintf("%s[%d]", at(l.field), j), v); err != nil {
				return err
			}
		}
	}
	for _, c := range []struct {
		field string
		cond  *Condition
	}{{"start", &d.Start}, {"pause", &d.Pause}, {"stop", &d.Stop}} {
		for j, cat := range c.cond.Categories {
			if !cat.Valid() {
				return &itil.ValidationError{Field: fmt.Sprintf("%s.categories[%d]", at(c.field), j), Reason: fmt.Sprintf("%v is not a state category (want open, paused, resolved, closed or cancelled)", cat)}
			}
		}
		for j, s := range c.cond.States {
			if err := checkName(fmt.Sprintf("%s.states[%d]", at(c.field), j), s); err != nil {
				return err
			}
		}
	}
	if d.Target.Within == 0 && d.Target.Calendar == "" && len(d.Targets) == 0 {
		return &itil.ValidationError{Field: at("target.within"), Reason: "required: a definition needs a target, for every priority or per priority"}
	}
	if d.Target.Within != 0 || d.Target.Calendar != "" {
		if err := checkTarget(at("target"), d.Target, cals); err != nil {
			return err
		}
	}
	for _, pr := range slices.Sorted(maps.Keys(d.Targets)) {
		if !pr.Valid() {
			return &itil.ValidationError{Field: at("targets"), Reason: fmt.Sprintf("%v is not a priority P1 to P5", pr)}
		}
		if err := checkTarget(at("targets."+pr.String()), d.Targets[pr], cals); err != nil {
			return err
		}
	}
	seen := map[int]bool{}
	for j, th := range d.Thresholds {
		tf := fmt.Sprintf("%s[%d]", at("thresholds"), j)
		switch {
		case th.Percent < 1 || th.Percent > 100:
			return &itil.ValidationError{Field: tf + ".percent", Reason: fmt.Sprintf("%d is not between 1 and 100", th.Percent)}
		case seen[th.Percent]:
			return &itil.ValidationError{Field: tf + ".percent", Reason: fmt.Sprintf("%d%% is listed twice", th.Percent)}
		}
		seen[th.Percent] = true
		for k, a := range th.Actions {
			af := fmt.Sprintf("%s.actions[%d]", tf, k)
			switch {
			case !a.Do.Valid():
				return &itil.ValidationError{Field: af + ".do", Reason: fmt.Sprintf("unknown action %v (want %s)", a.Do, actionNames.Want())}
			case a.Do == RaisePriority && a.To != "":
				return &itil.ValidationError{Field: af + ".to", Reason: "raise_priority names nobody"}
			case a.Do == RaisePriority:
			case a.To == "":
				what := "the group the record goes to"
				if a.Do == Notify {
					what = "who is notified"
				}
				return &itil.ValidationError{Field: af + ".to", Reason: "required by " + a.Do.String() + ": " + what}
			default:
				if err := checkName(af+".to", a.To); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkTarget checks a target of a definition: a positive time on a known
// calendar.
func checkTarget(field string, t Target, cals map[string]*Calendar) error {
	if t.Within <= 0 {
		return &itil.ValidationError{Field: field + ".within", Reason: fmt.Sprintf("%v is not a positive duration", t.Within)}
	}
	if t.Calendar == "" {
		return nil
	}
	if err := itil.CheckText(field+".calendar", t.Calendar, 0); err != nil {
		return err
	}
	if cals[t.Calendar] == nil {
		return &itil.ValidationError{Field: field + ".calendar", Reason: fmt.Sprintf("unknown calendar %q", t.Calendar)}
	}
	return nil
}

// checkName checks a required name of a definition.
func checkName(field, s string) error {
	if s == "" {
		return &itil.ValidationError{Field: field, Reason: "required"}
	}
	return itil.CheckText(field, s, MaxName)
}

// clone returns a deep copy of d.
func (d Definition) clone() Definition {
	d.When.Priorities = slices.Clone(d.When.Priorities)
	d.When.Categories, d.When.Services = slices.Clone(d.When.Categories), slices.Clone(d.When.Services)
	d.When.CIClasses = slices.Clone(d.When.CIClasses)
	for _, c := range []*Condition{&d.Start, &d.Pause, &d.Stop} {
		c.Categories, c.States = slices.Clone(c.Categories), slices.Clone(c.States)
	}
	d.Targets = maps.Clone(d.Targets)
	d.Thresholds = slices.Clone(d.Thresholds)
	for i := range d.Thresholds {
		d.Thresholds[i].Actions = slices.Clone(d.Thresholds[i].Actions)
	}
	return d
}

// targetFor returns the definition's target for priority pr.
func (d *Definition) targetFor(pr itil.Priority) (Target, bool) {
	if t, ok := d.Targets[pr]; ok {
		return t, true
	}
	return d.Target, d.Target.Within > 0
}

// share returns percent of target t, as a clock counts it.
func share(t time.Duration, percent int) time.Duration {
	p := time.Duration(percent)
	return t/100*p + t%100*p/100
}
