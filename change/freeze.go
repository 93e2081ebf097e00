package change

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/itil-go/itil"
)

// Freeze is a freeze (blackout) window: a time in which normal and standard
// changes may not be scheduled and emergency changes are scheduled with a
// warning. It happens once, or recurs by an iCalendar RRULE. It covers
// every change, or those on some CIs, or those on the CIs whose outage
// would affect some business services.
//
//	once := change.Freeze{Name: "year-end", Window: change.Window{Start: dec20, End: jan3}}
//	weekly := change.Weekly("trading hours", change.Window{Start: mon0800, End: mon1800})
//	monthEnd := change.Freeze{Name: "month-end close", Window: first, RRule: "FREQ=MONTHLY;BYMONTHDAY=-1"}
//	peak := change.Freeze{Name: "black friday", Window: friday, Services: []string{"web-shop"}}
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
	// CIs limits the freeze to changes touching one of these CIs.
	CIs []string `json:"cis,omitempty"`
	// Services limits the freeze to changes touching a CI whose outage
	// would affect one of these business services (down or degraded), as
	// Config.Services tells it when a window is judged: a service's
	// freeze covers the CIs under it, however deep. With CIs, a change
	// matching either is covered; with neither, every change is.
	Services []string `json:"services,omitempty"`
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
	// Services are those of the freeze's services that the change would
	// affect, for a freeze that names services.
	Services []string `json:"services,omitempty"`
}

// String describes the hit: `freeze "year-end" 2026-12-20T00:00:00Z/2027-01-03T00:00:00Z`,
// or for a freeze of services `freeze "peak" 2026-11-27T00:00:00Z/2026-11-28T00:00:00Z for service web-shop`.
func (h FreezeHit) String() string {
	s := fmt.Sprintf("freeze %q %s", h.Freeze, h.Window)
	switch len(h.Services) {
	case 0:
	case 1:
		s += " for service " + h.Services[0]
	default:
		s += " for services " + strings.Join(h.Services, ", ")
	}
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

// compileFreezes validates fs and parses their rules; services says
// whether the Manager has a ServiceImpact to judge the freezes of
// services by.
func compileFreezes(fs []Freeze, services bool) ([]freeze, error) {
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
		if err := checkNames(field+".services", f.Services); err != nil {
			return nil, err
		}
		f.Name = strings.TrimSpace(f.Name)
		f.CIs = slices.Clone(f.CIs)
		f.Services = slices.Clone(f.Services)
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
		for j, svc := range f.Services {
			sf := fmt.Sprintf("%s.services[%d]", field, j)
			switch {
			case strings.TrimSpace(svc) == "":
				return nil, &itil.ValidationError{Field: sf, Reason: "empty service name"}
			case slices.Contains(f.Services[:j], svc):
				return nil, &itil.ValidationError{Field: sf, Reason: fmt.Sprintf("%q is listed twice", svc)}
			}
		}
		if len(f.Services) > 0 && !services {
			return nil, &itil.ValidationError{Field: field + ".services", Reason: "a freeze of services needs Config.Services to tell the CIs they cover"}
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

// touches reports whether the freeze names one of cis.
func (f *freeze) touches(cis []string) bool {
	for _, ci := range cis {
		if slices.Contains(f.CIs, ci) {
			return true
		}
	}
	return false
}

// everything reports whether the freeze covers every change.
func (f *freeze) everything() bool { return len(f.CIs) == 0 && len(f.Services) == 0 }

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
// would fall into, in the order of the freezes, then of time, judging the
// freezes by their CIs only: it reads nothing, and a freeze that names
// business services covers, for Frozen, only the changes on its CIs (none
// when it names none). FrozenFor, which Schedule uses, asks
// Config.Services about those. A recurring freeze whose rule fails to
// evaluate is logged and counts as frozen for the whole of w: a freeze
// errs on the side of caution.
func (m *Manager) Frozen(w Window, cis ...string) []FreezeHit {
	// Judged by CIs, no freeze asks Config.Services: the context is never
	// used.
	hits, _ := m.frozen(context.Background(), w, cis, false)
	return hits
}

// FrozenFor is Frozen with the freezes of business services judged too:
// a freeze that names services covers a change on cis when their outage
// would affect one of them, as Config.Services tells it now, and its hits
// name those services. A freeze that names a service Config.Services does
// not know, and does not cover the change otherwise, cannot tell which CIs
// it covers: it is logged and covers the change all the same, erring on
// the side of caution as a rule that fails does (CheckFreezes finds such
// a freeze before it is used).
//
// Errors: the ServiceImpact's.
func (m *Manager) FrozenFor(ctx context.Context, w Window, cis ...string) ([]FreezeHit, error) {
	return m.frozen(ctx, w, cis, true)
}

// frozen is Frozen, and with services FrozenFor.
func (m *Manager) frozen(ctx context.Context, w Window, cis []string, services bool) ([]FreezeHit, error) {
	var (
		out    []FreezeHit
		atRisk []string // the services of cis, once asked
		asked  bool
	)
	for _, f := range *m.freezes.Load() {
		byCI := f.touches(cis)
		if !f.everything() && !byCI && (!services || len(f.Services) == 0) {
			continue
		}
		occs, err := f.occurrences(w)
		if err != nil {
			m.cfg.Logger.Error("freeze rule failed", "freeze", f.Name, "err", err)
			occs = []Window{w}
		}
		if len(occs) == 0 {
			continue
		}
		var hitServices []string
		if services && len(f.Services) > 0 {
			if !asked {
				if atRisk, err = m.servicesOf(ctx, cis); err != nil {
					return nil, err
				}
				asked = true
			}
			for _, s := range f.Services {
				if _, found := slices.BinarySearch(atRisk, s); found {
					hitServices = append(hitServices, s)
				}
			}
			if len(hitServices) == 0 && !byCI {
				unknown, err := m.unknownService(ctx, f.Services)
				if err != nil {
					return nil, err
				}
				if unknown == "" {
					continue // the change puts none of the freeze's services at risk
				}
				m.cfg.Logger.Error("freeze names a service the CMDB does not know: it covers every change", "freeze", f.Name, "service", unknown)
			}
		}
		for _, occ := range occs {
			out = append(out, FreezeHit{Freeze: f.Name, Reason: f.Reason, Window: occ, Services: slices.Clone(hitServices)})
		}
	}
	return out, nil
}

// CheckFreezes reports what SetFreezes would refuse in fs and, besides, a
// business service a freeze names that Config.Services does not know (a
// *itil.ValidationError on "freezes[i].services[j]"), which SetFreezes,
// reading nothing, cannot tell: such a freeze would cover every change.
// Start checks the Manager's own freezes with it; a host that replaces
// them checks the new ones before SetFreezes.
//
// Errors: the *itil.ValidationError; the ServiceImpact's.
func (m *Manager) CheckFreezes(ctx context.Context, fs []Freeze) error {
	compiled, err := compileFreezes(fs, m.cfg.Services != nil)
	if err != nil {
		return err
	}
	for i, f := range compiled {
		unknown, err := m.unknownService(ctx, f.Services)
		if err != nil {
			return err
		}
		if unknown != "" {
			return &itil.ValidationError{
				Field:  fmt.Sprintf("freezes[%d].services[%d]", i, slices.Index(f.Services, unknown)),
				Reason: fmt.Sprintf("%q is no business service that Config.Services knows", unknown),
			}
		}
	}
	return nil
}

// SetFreezes replaces the Manager's freeze windows. It fails with a
// *itil.ValidationError naming the bad freeze ("freezes[2].rrule",
// "freezes[0].services" without Config.Services) and then keeps the ones
// it had. It reads nothing, so it cannot tell whether the services a
// freeze names exist: CheckFreezes can. Changes already scheduled are not
// rechecked.
func (m *Manager) SetFreezes(fs []Freeze) error {
	compiled, err := compileFreezes(fs, m.cfg.Services != nil)
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
		out[i].Services = slices.Clone(f.Services)
	}
	return out
}
