package incident

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/escalation"
)

// The journal events of paging: a page sent (by Sweep, or at once when an
// escalation starts), and an acknowledgement.
const (
	EventPage        = escalation.EventPage
	EventAcknowledge = "acknowledge"
)

// Paging configures the paging of incidents by escalation policies
// (package escalation): an incident that one of the Rules matches pages
// the levels of the rule's policy until someone acknowledges it. The zero
// value pages nobody.
type Paging struct {
	// Policies are the escalation policies, each under its own name.
	Policies []*escalation.Policy
	// Schedules are the on-call schedules the policies' targets name.
	Schedules escalation.Schedules
	// Rules choose an incident's policy: the first rule the incident
	// matches.
	Rules []PagingRule
}

// PagingRule chooses an escalation policy for the incidents it matches.
// Each of its lists that is not empty must hold the incident's value (for
// Services, one of the incident's services); the empty rule matches every
// incident.
type PagingRule struct {
	// Name labels the rule in the journal; optional.
	Name string `json:"name,omitempty"`
	// Priorities, Groups and Services are what the rule matches.
	Priorities []itil.Priority `json:"priorities,omitempty"`
	Groups     []string        `json:"groups,omitempty"`
	Services   []string        `json:"services,omitempty"`
	// Policy names the policy of the incidents matched; required.
	Policy string `json:"policy"`
}

// matches reports whether the rule takes inc.
func (r *PagingRule) matches(inc *Incident) bool {
	if len(r.Priorities) > 0 && !slices.Contains(r.Priorities, inc.Priority) {
		return false
	}
	if len(r.Groups) > 0 && !slices.Contains(r.Groups, inc.Group) {
		return false
	}
	if len(r.Services) > 0 && !slices.ContainsFunc(inc.Services, func(s string) bool { return slices.Contains(r.Services, s) }) {
		return false
	}
	return true
}

// pager is a desk's validated Paging.
type pager struct {
	policies  map[string]*escalation.Policy
	schedules escalation.Schedules
	rules     []PagingRule
}

// newPager validates pg. Errors name the field under "Paging":
// "Paging.Policies[1].levels[0].targets[2].schedule", "Paging.Rules[0].policy".
func newPager(pg Paging) (*pager, error) {
	if len(pg.Policies) == 0 && len(pg.Rules) == 0 {
		return nil, nil
	}
	for name, s := range pg.Schedules {
		if s == nil {
			return nil, &itil.ValidationError{Field: fmt.Sprintf("Paging.Schedules[%s]", name), Reason: "nil schedule"}
		}
	}
	pr := &pager{policies: make(map[string]*escalation.Policy, len(pg.Policies)), schedules: pg.Schedules}
	for i, p := range pg.Policies {
		path := fmt.Sprintf("Paging.Policies[%d]", i)
		if p == nil {
			return nil, &itil.ValidationError{Field: path, Reason: "nil policy"}
		}
		if pr.policies[p.Name()] != nil {
			return nil, &itil.ValidationError{Field: path + ".name", Reason: fmt.Sprintf("%q is the name of two policies", p.Name())}
		}
		if err := p.Check(pg.Schedules); err != nil {
			if ve, ok := err.(*itil.ValidationError); ok {
				return nil, &itil.ValidationError{Field: path + "." + ve.Field, Reason: ve.Reason}
			}
			return nil, err
		}
		pr.policies[p.Name()] = p
	}
	for i, r := range pg.Rules {
		path := fmt.Sprintf("Paging.Rules[%d]", i)
		switch {
		case r.Policy == "":
			return nil, &itil.ValidationError{Field: path + ".policy", Reason: "required"}
		case pr.policies[r.Policy] == nil:
			return nil, &itil.ValidationError{Field: path + ".policy", Reason: fmt.Sprintf("unknown policy %q", r.Policy)}
		}
		if err := itil.CheckText(path+".name", r.Name, MaxName); err != nil {
			return nil, err
		}
		for j, p := range r.Priorities {
			if !p.Valid() {
				return nil, &itil.ValidationError{Field: fmt.Sprintf("%s.priorities[%d]", path, j), Reason: fmt.Sprintf("%v is not a priority", p)}
			}
		}
		for _, l := range []struct {
			field string
			names []string
		}{{"groups", r.Groups}, {"services", r.Services}} {
			for j, n := range l.names {
				field := fmt.Sprintf("%s.%s[%d]", path, l.field, j)
				if n == "" {
					return nil, &itil.ValidationError{Field: field, Reason: "empty name"}
				}
				if err := itil.CheckText(field, n, MaxName); err != nil {
					return nil, err
				}
			}
		}
		r.Priorities = slices.Clone(r.Priorities)
		r.Groups = slices.Clone(r.Groups)
		r.Services = slices.Clone(r.Services)
		pr.rules = append(pr.rules, r)
	}
	return pr, nil
}

// choose returns the policy of the first rule that inc matches, and the
// rule, or nil.
func (pr *pager) choose(inc *Incident) (*escalation.Policy, *PagingRule) {
	if pr == nil {
		return nil, nil
	}
	for i := range pr.rules {
		if r := &pr.rules[i]; r.matches(inc) {
			return pr.policies[r.Policy], r
		}
	}
	return nil, nil
}

// sweeper is the escalation sweep of the desk's incidents.
func (d *Desk) sweeper() escalation.Sweeper[*Incident] {
	return escalation.Sweeper[*Incident]{
		Process:   d.proc,
		State:     func(inc *Incident) *escalation.State { return &inc.Paging },
		Policies:  d.pager.policies,
		Schedules: d.pager.schedules,
		Actor:     itil.System("incident-pager"),
	}
}

// startPaging starts the escalation of a new incident, inc, when a paging
// rule matches it, and returns its creation's note, which names the policy
// and the rule.
func (d *Desk) startPaging(inc *Incident, note string) string {
	inc.Paging = escalation.State{}
	p, r := d.pager.choose(inc)
	if p == nil {
		return note
	}
	if _, err := inc.Paging.Start(p, d.now()); err != nil {
		return note
	}
	return joinNote(note, pagingNote(p, r))
}

// pagingNote says which policy pages an incident, and by which rule.
func pagingNote(p *escalation.Policy, r *PagingRule) string {
	s := "paging by policy " + p.Name()
	if r.Name != "" {
		s += " (rule " + r.Name + ")"
	}
	return s
}

// reprioritized starts the escalation of an incident whose priority was
// raised from from, when a paging rule matches it now and it is not paging
// already or acknowledged, journaling the policy as field "paging.policy".
func (d *Desk) reprioritized(inc *Incident, ed *lifecycle.Edit, from itil.Priority, at time.Time) {
	if d.pager == nil || !inc.Priority.Valid() || (from.Valid() && inc.Priority >= from) {
		return
	}
	if st := inc.Paging.Status(); st.Active() || st == escalation.Acknowledged {
		return
	}
	p, _ := d.pager.choose(inc)
	if p == nil {
		return
	}
	if ok, err := inc.Paging.Start(p, at); err == nil && ok {
		ed.Field("paging.policy", "", p.Name())
	}
}

// pageNow sends the pages due on inc, as stored, at once rather than at
// the next Sweep, and returns the incident as last written. What fails
// here is logged and left to Sweep.
func (d *Desk) pageNow(ctx context.Context, inc *Incident) *Incident {
	now := d.now()
	if d.pager == nil || inc == nil || !inc.Paging.Due(now) {
		return inc
	}
	out, _, err := d.sweeper().Send(context.WithoutCancel(ctx), inc, now)
	if err != nil {
		d.cfg.Logger.WarnContext(ctx, "paging an incident", slog.String("incident", inc.Number), slog.Any("error", err))
	}
	return out
}

// sweepPages sends the pages due by now on every incident.
func (d *Desk) sweepPages(ctx context.Context, now time.Time) (int, error) {
	if d.pager == nil {
		return 0, nil
	}
	swept, err := d.sweeper().Sweep(ctx, now)
	return swept.Pages, err
}

// stopPaging ends the escalation of an incident that is resolved, closed
// or cancelled, journaled as field "paging" → "stopped".
func (d *Desk) stopPaging(_ context.Context, f *lifecycle.Firing) error {
	if f.ToCategory.Active() {
		return nil
	}
	inc := f.Entity.(*Incident)
	st := inc.Paging.Status()
	if inc.Paging.Stop(f.ToCategory.String(), f.At) {
		f.Edit.Field("paging", st.String(), escalation.Stopped.String())
	}
	return nil
}

// Acknowledge stops the paging of an open incident: p.By has taken it
// on, and no more levels are paged (event "acknowledge", with fields
// "paging" → "acknowledged" and "paging.acknowledged_by"). An incident
// that is not being paged (no rule matched it, or it was acknowledged
// already) is left as it is: Acknowledge journals only p.Note, if any, and
// returns the incident as stored. Resolving or cancelling an incident
// stops its paging too.
func (d *Desk) Acknowledge(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "")
	if err != nil {
		return nil, err
	}
	by := p.By.ID
	a.Name = EventAcknowledge
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if !inc.Open() {
			return d.def.TransitionError(EventAcknowledge, inc.State)
		}
		st := inc.Paging.Status()
		ok, err := inc.Paging.Acknowledge(by, d.now())
		if err != nil || !ok {
			return err
		}
		ed.Field("paging", st.String(), escalation.Acknowledged.String())
		ed.Field("paging.acknowledged_by", "", by)
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}
