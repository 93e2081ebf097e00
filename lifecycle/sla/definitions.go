package sla

import (
	"fmt"
	"maps"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// DefinitionsConfig describes a set of definitions: the calendars their
// targets name, and the definitions, in the order their clocks are kept
// and their crossings reported.
type DefinitionsConfig struct {
	// Calendars are the calendars targets name. A target with no calendar
	// runs 24x7 in UTC.
	Calendars map[string]*Calendar
	// Definitions are the definitions; their names are unique.
	Definitions []Definition
}

// Definitions is a compiled, validated set of definitions (SLAs and OLAs)
// and their calendars, which Timers.Apply runs on a record's facts. Build
// it with NewDefinitions, from JSON, or from a Policy. It is immutable and
// safe for concurrent use.
type Definitions struct {
	cals map[string]*Calendar
	defs []compiled
	// ciClasses and services: some definition reads the facts' CI classes
	// or services.
	ciClasses, services bool
}

// compiled is a definition ready to run: its thresholds sorted, the
// breach among them.
type compiled struct {
	Definition
	thresholds []Threshold // by percent, ending at 100
}

// NewDefinitions validates cfg and returns its compiled set. A bad
// definition is a *itil.ValidationError naming the field with its path:
// "definitions[1].thresholds[0].percent", "definitions[0].group" (an OLA
// without its group), "definitions[2].target.calendar" (an unknown
// calendar), "definitions[1].name" (a name used twice), "calendars[x]".
func NewDefinitions(cfg DefinitionsConfig) (*Definitions, error) {
	ds := &Definitions{cals: make(map[string]*Calendar, len(cfg.Calendars))}
	for _, name := range slices.Sorted(maps.Keys(cfg.Calendars)) {
		if err := itil.CheckText("calendars", name, 0); err != nil {
			return nil, err
		}
		switch {
		case name == "":
			return nil, &itil.ValidationError{Field: "calendars", Reason: "a calendar needs a name (\"\" is 24x7)"}
		case cfg.Calendars[name] == nil:
			return nil, &itil.ValidationError{Field: "calendars[" + name + "]", Reason: "missing calendar"}
		}
		ds.cals[name] = cfg.Calendars[name]
	}
	if len(cfg.Definitions) == 0 {
		return nil, &itil.ValidationError{Field: "definitions", Reason: "at least one definition is required"}
	}
	seen := make(map[string]bool, len(cfg.Definitions))
	for i := range cfg.Definitions {
		path := fmt.Sprintf("definitions[%d]", i)
		d := cfg.Definitions[i].clone()
		if err := d.validate(path, ds.cals); err != nil {
			return nil, err
		}
		if seen[d.Name] {
			return nil, &itil.ValidationError{Field: path + ".name", Reason: fmt.Sprintf("%q names another definition too", d.Name)}
		}
		seen[d.Name] = true
		c := compiled{Definition: d, thresholds: slices.Clone(d.Thresholds)}
		slices.SortFunc(c.thresholds, func(a, b Threshold) int { return a.Percent - b.Percent })
		if n := len(c.thresholds); n == 0 || c.thresholds[n-1].Percent != 100 {
			c.thresholds = append(c.thresholds, Threshold{Percent: 100})
		}
		ds.ciClasses = ds.ciClasses || len(d.When.CIClasses) > 0
		ds.services = ds.services || len(d.When.Services) > 0
		ds.defs = append(ds.defs, c)
	}
	return ds, nil
}

// Config returns a copy of the configuration the set was built from.
func (ds *Definitions) Config() DefinitionsConfig {
	cfg := DefinitionsConfig{Calendars: maps.Clone(ds.cals)}
	if len(cfg.Calendars) == 0 {
		cfg.Calendars = nil
	}
	for _, c := range ds.defs {
		cfg.Definitions = append(cfg.Definitions, c.Definition.clone())
	}
	return cfg
}

// Definition returns the definition called name.
func (ds *Definitions) Definition(name string) (Definition, bool) {
	for _, c := range ds.defs {
		if c.Name == name {
			return c.Definition.clone(), true
		}
	}
	return Definition{}, false
}

// has reports whether the set has a definition called name.
func (ds *Definitions) has(name string) bool {
	return slices.ContainsFunc(ds.defs, func(c compiled) bool { return c.Name == name })
}

// Calendar returns the calendar called name; for "" a nil *Calendar,
// which is 24x7 in UTC.
func (ds *Definitions) Calendar(name string) (*Calendar, bool) {
	if name == "" {
		return nil, true
	}
	c, ok := ds.cals[name]
	return c, ok
}

// ReadsCIClasses reports whether a definition of the set has a condition
// on CI classes: a process that must ask for its records' CI classes (a
// CMDB lookup) can skip it otherwise.
func (ds *Definitions) ReadsCIClasses() bool { return ds.ciClasses }

// ReadsServices reports whether a definition of the set has a condition
// on business services.
func (ds *Definitions) ReadsServices() bool { return ds.services }

// Definitions converts the policy into definitions that measure what
// Set.Apply does: "response" (from the record's creation, paused in paused
// states, stopped for good once responded to or resolved, closed or
// cancelled) and "resolution" (running in open states, paused in paused
// ones, stopped in resolved, closed and cancelled ones, running on when
// reopened), each with the policy's targets per priority and calendars, a
// threshold at the policy's warning share and the breach at 100%. A
// priority whose policy target is zero (a clock that never warns nor
// breaches) has no clock under the definitions, and a clock with no target
// at any priority is left out. The policy is validated first; a policy
// without any target is a *itil.ValidationError on "definitions".
func (p *Policy) Definitions() (*Definitions, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	warn := p.WarnPercent
	if warn == 0 {
		warn = DefaultWarnPercent
	}
	var thresholds []Threshold
	if warn < 100 {
		thresholds = []Threshold{{Percent: warn}}
	}
	done := []lifecycle.Category{lifecycle.Resolved, lifecycle.Closed, lifecycle.Cancelled}
	cfg := DefinitionsConfig{Calendars: p.Calendars, Definitions: []Definition{
		{
			Name:  ResponseClock,
			Pause: Condition{Categories: []lifecycle.Category{lifecycle.Paused}},
			Stop:  Condition{Categories: done, Responded: true},
			Final: true, Thresholds: thresholds,
		},
		{
			Name:       ResolutionClock,
			Pause:      Condition{Categories: []lifecycle.Category{lifecycle.Paused}},
			Stop:       Condition{Categories: done},
			Thresholds: thresholds,
		},
	}}
	kept := cfg.Definitions[:0]
	for _, d := range cfg.Definitions {
		d.Targets = map[itil.Priority]Target{}
		for pr, ts := range p.Targets {
			t := ts.Response
			if d.Name == ResolutionClock {
				t = ts.Resolution
			}
			if t.Within > 0 {
				d.Targets[pr] = t
			}
		}
		if len(d.Targets) > 0 {
			kept = append(kept, d)
		}
	}
	cfg.Definitions = kept
	return NewDefinitions(cfg)
}
