package change

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/itil-go/itil"
)

// Freeze is a freeze (blackout) window: a time in which normal and standard
// changes may not be scheduled and emergency changes are scheduled with a
// warning. It happens once, or recurs by an iCalendar RRULE.
//
//	once := change.Freeze{Name: "year-end", Window: change.Window{Start: dec20, End: jan3}}
//	weekly := change.Weekly("trading hours", change.Window{Start: mon0800, End: mon1800})
//	monthEnd := change.Freeze{Name: "month-end close", Window: first, RRule: "FREQ=MONTHLY;BYMONTHDAY=-1"}
type Freeze struct {
	// Name identifies the freeze; it is unique among a Manager's freezes.
	Name string `json:"name"`
	// Reason says why, for the people whose changes it refuses.
	Reason string `json:"reason,omitempty"`
	// Window is the freeze or, when it recurs, its first occurrence.
	Window Window `json:"window"`
	// RRule, when set, repeats the window by an iCalendar (RFC 5545)
	// recurrence rule without DTSTART, such as "FREQ=WEEKLY;BYDAY=SA,SU" or
	// "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20271231T000000Z". Occurrences start
	// at Window.Start's wall-clock time in Window.Start's location (so a
	// 22:00 Berlin freeze stays at 22:00 across daylight saving) and last as
	// long as Window. The frequency is at most hourly.
	RRule string `json:"rrule,omitempty"`
	// CIs limits the freeze to changes touching one of these CIs; empty
	// means every change.
	CIs []string `json:"cis,omitempty"`
}

// Weekly returns a freeze that repeats first every week.
func Weekly(name string, first Window) Freeze {
	return Freeze{Name: name, Window: first, RRule: "FREQ=WEEKLY"}
}

// FreezeHit is one occurrence of a freeze that a window falls into.
type FreezeHit struct {
	// Freeze and Reason are the freeze's name and reason.
	Freeze string `json:"freeze"`
	Reason string `json:"reason,omitempty"`
	// Window is the occurrence.
	Window Window `json:"window"`
}

// String describes the hit: `freeze "year-end" 2026-12-20T00:00:00Z/2027-01-03T00:00:00Z`.
func (h FreezeHit) String() string {
	s := fmt.Sprintf("freeze %q %s", h.Freeze, h.Window)
	if h.Reason != "" {
		s += ": " + h.Reason
	}
	return s
}

// freeze is a validated Freeze with its recurrence parsed.
type freeze struct {
	Freeze
	rule *rrule.ROption // nil for a one-off freeze
}

// compileFreezes validates fs and parses their rules.
func compileFreezes(fs []Freeze) ([]freeze, error) {
	out := make([]freeze, 0, len(fs))
	for i, f := range fs {
		field := fmt.Sprintf("freezes[%d]", i)
		if err := checkName(field+".name", f.Name); err != nil {
			return nil, err
		}
		if err := checkNote(field+".reason", f.Reason); err != nil {
			return nil, err
		}
		if err := checkName(field+".rrule", f.RRule); err != nil {
			return nil, err
		}
		if err := checkNames(field+".cis", f.CIs); err != nil {
			return nil, err
		}
		f.Name = strings.TrimSpace(f.Name)
		f.CIs = slices.Clone(f.CIs)
		switch {
		case f.Name == "":
			return nil, &itil.ValidationError{Field: field + ".name", Reason: "required"}
		case slices.ContainsFunc(out, func(o freeze) bool { return o.Name == f.Name }):
			return nil, &itil.ValidationError{Field: field + ".name", Reason: fmt.Sprintf("%q is used twice", f.Name)}
		}
		if err := f.Window.Validate(field + ".window"); err != nil {
			return nil, err
		}
		if err := checkCIs(field+".cis", f.CIs); err != nil {
			return nil, err
		}
		c := freeze{Freeze: f}
		if strings.TrimSpace(f.RRule) != "" {
			rule, err := parseRule(f.RRule, f.Window.Start)
			if err != nil {
				return nil, &itil.ValidationError{Field: field + ".rrule", Reason: err.Error()}
			}
			c.rule = rule
		}
		out = append(out, c)
	}
	return out, nil
}

// parseRule parses an RRULE whose DTSTART is start. rrule-go panics on some
// rules it accepts (BYDAY=10FR in a monthly rule indexes past its tables);
// such a rule is refused like any other bad one.
func parseRule(text string, start time.Time) (opt *rrule.ROption, err error) {
	defer func() {
		if p := recover(); p != nil {
			opt, err = nil, fmt.Errorf("the rule cannot be evaluated: %v", p)
		}
	}()
	opt, err = rrule.StrToROptionInLocation(strings.TrimPrefix(strings.TrimSpace(text), "RRULE:"), start.Location())
	if err != nil {
		return nil, err
	}
	switch {
	case !opt.Dtstart.IsZero():
		return nil, fmt.Errorf("leave DTSTART out: the window's start is the first occurrence")
	case opt.Freq > rrule.HOURLY:
		return nil, fmt.Errorf("the frequency is at most hourly")
	}
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, err
	}
	// A rule that never occurs (February 30th) would be searched to the
	// year 9999 at every check; refuse it once, here.
	if _, ok := r.Iterator()(); !ok {
		return nil, fmt.Errorf("the rule has no occurrences")
	}
	return opt, nil
}

// applies reports whether the freeze covers a change on cis.
func (f *freeze) applies(cis []string) bool {
	if len(f.CIs) == 0 {
		return true
	}
	for _, ci := range cis {
		if slices.Contains(f.CIs, ci) {
			return true
		}
	}
	return false
}

// occurrences returns the occurrences of the freeze that overlap w, in
// order. The error is a rule that failed later than its first occurrence
// (compileFreezes tried that one).
func (f *freeze) occurrences(w Window) (out []Window, err error) {
	if f.rule == nil {
		if f.Window.Overlaps(w) {
			return []Window{f.Window}, nil
		}
		return nil, nil
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("change: freeze %q: rule %q cannot be evaluated: %v", f.Name, f.RRule, p)
		}
	}()
	// A rule is not safe for concurrent use once iterated, so each
	// expansion builds its own; building is cheap next to iterating.
	r, err := rrule.NewRRule(*f.rule)
	if err != nil {
		return nil, err // checked when the freeze was compiled
	}
	d := f.Window.Duration()
	for _, s := range r.Between(w.Start.Add(-d), w.End, true) {
		if occ := (Window{Start: s, End: s.Add(d)}); occ.Overlaps(w) {
			out = append(out, occ)
		}
	}
	return out, nil
}

// Frozen returns the freeze occurrences that a change on cis in window w
// would fall into, in the order of the freezes, then of time. A recurring
// freeze whose rule fails to evaluate is logged and counts as frozen for
// the whole of w: a freeze errs on the side of caution.
func (m *Manager) Frozen(w Window, cis ...string) []FreezeHit {
	var out []FreezeHit
	for _, f := range *m.freezes.Load() {
		if !f.applies(cis) {
			continue
		}
		occs, err := f.occurrences(w)
		if err != nil {
			m.cfg.Logger.Error("freeze rule failed", "freeze", f.Name, "err", err)
			occs = []Window{w}
		}
		for _, occ := range occs {
			out = append(out, FreezeHit{Freeze: f.Name, Reason: f.Reason, Window: occ})
		}
	}
	return out
}

// SetFreezes replaces the Manager's freeze windows. It fails with a
// *itil.ValidationError naming the bad freeze ("freezes[2].rrule") and then
// keeps the ones it had. Changes already scheduled are not rechecked.
func (m *Manager) SetFreezes(fs []Freeze) error {
	compiled, err := compileFreezes(fs)
	if err != nil {
		return err
	}
	m.freezes.Store(&compiled)
	return nil
}

// Freezes returns a copy of the Manager's freeze windows.
func (m *Manager) Freezes() []Freeze {
	fs := *m.freezes.Load()
	out := make([]Freeze, len(fs))
	for i, f := range fs {
		out[i] = f.Freeze
		out[i].CIs = slices.Clone(f.CIs)
	}
	return out
}
