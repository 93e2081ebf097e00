package escalation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Page is one notification of one level: whom it reaches and when it was
// due.
type Page struct {
	// Policy names the policy; Level and Round, counted from 1, say which
	// level of which run through the policy this is.
	Policy string
	Level  int
	Round  int
	// At is when the page was due: the instant whose on-call users it
	// reaches, however late a sweep sends it.
	At time.Time
	// Recipients are the level's targets, resolved at At, in the level's
	// order.
	Recipients []Recipient
}

// Recipient is one target of a page, resolved: a user (named, or on call
// for a schedule) or a group.
type Recipient struct {
	// User is the person notified; empty for a group, or for a schedule
	// with nobody on call at the page's instant.
	User string `json:"user,omitempty"`
	// Schedule, when set, is the schedule that put User on call.
	Schedule string `json:"schedule,omitempty"`
	// Group is the group notified.
	Group string `json:"group,omitempty"`
}

// Users returns the people the page reaches, each once, in order.
func (pg Page) Users() []string {
	var out []string
	for _, r := range pg.Recipients {
		if r.User != "" && !slices.Contains(out, r.User) {
			out = append(out, r.User)
		}
	}
	return out
}

// Groups returns the groups the page reaches, each once, in order.
func (pg Page) Groups() []string {
	var out []string
	for _, r := range pg.Recipients {
		if r.Group != "" && !slices.Contains(out, r.Group) {
			out = append(out, r.Group)
		}
	}
	return out
}

// Unstaffed returns the schedules of the page that had nobody on call.
func (pg Page) Unstaffed() []string {
	var out []string
	for _, r := range pg.Recipients {
		if r.Schedule != "" && r.User == "" && !slices.Contains(out, r.Schedule) {
			out = append(out, r.Schedule)
		}
	}
	return out
}

// Page sends the next page of the escalation when it is due by now: it
// resolves the level's targets at the page's due instant (the person on
// call of a schedule target, by schedules), records the page as sent and
// schedules the next one, after the level's delay: the next level, or the
// first level of the next round, or none after the last level of the last
// round. It reports false, and changes nothing, when no page is due. A
// sweep that runs late calls it until it reports false, to send each page
// missed, each as of its own instant. An escalation whose policy has lost
// the levels or repeats it was to page next has nothing left to send:
// Page reports false and leaves it exhausted.
//
// p must be the policy the escalation follows, and schedules must hold its
// schedule targets: otherwise the error is a *itil.ValidationError
// ("policy", "levels[0].targets[1].schedule") and the State is unchanged.
func (s *State) Page(p *Policy, schedules Schedules, now time.Time) (Page, bool, error) {
	if !s.Due(now) {
		return Page{}, false, nil
	}
	switch {
	case p == nil:
		return Page{}, false, itil.Invalid("policy", "required")
	case p.Name() != s.Policy:
		return Page{}, false, itil.Invalid("policy", fmt.Sprintf("the escalation follows %q, not %q", s.Policy, p.Name()))
	}
	level, round := s.Level, s.Round // the next: levels[level], in round round+1 from 0
	if s.Sent == 0 {
		level, round = 0, 0
	} else {
		round--
	}
	if level >= p.Levels() {
		level, round = 0, round+1
	}
	if round >= p.Rounds() {
		// The policy lost levels or repeats since the last page: nothing
		// is left to send.
		s.NextAt = time.Time{}
		return Page{}, false, nil
	}
	at := s.NextAt
	l := p.cfg.Levels[level]
	pg := Page{Policy: p.Name(), Level: level + 1, Round: round + 1, At: at, Recipients: make([]Recipient, 0, len(l.Targets))}
	for j, t := range l.Targets {
		switch {
		case t.User != "":
			pg.Recipients = append(pg.Recipients, Recipient{User: t.User})
		case t.Group != "":
			pg.Recipients = append(pg.Recipients, Recipient{Group: t.Group})
		default:
			sch := schedules[t.Schedule]
			if sch == nil {
				return Page{}, false, itil.Invalid(fmt.Sprintf("levels[%d].targets[%d].schedule", level, j), fmt.Sprintf("unknown schedule %q", t.Schedule))
			}
			pg.Recipients = append(pg.Recipients, Recipient{User: sch.OnCall(at).User, Schedule: t.Schedule})
		}
	}
	s.Level, s.Round, s.Sent, s.LastAt = pg.Level, pg.Round, s.Sent+1, at
	s.NextAt = time.Time{}
	if level+1 < p.Levels() || round+1 < p.Rounds() {
		s.NextAt = at.Add(l.Delay)
	}
	return pg, true, nil
}

// Pages sends every page due by now, in order, as Page does one by one.
// On an error it returns the pages sent before it.
func (s *State) Pages(p *Policy, schedules Schedules, now time.Time) ([]Page, error) {
	var out []Page
	for {
		pg, ok, err := s.Page(p, schedules, now)
		if err != nil || !ok {
			return out, err
		}
		out = append(out, pg)
	}
}

// String says the page in a line: "level 2, round 1: ann (primary), group
// dba".
func (pg Page) String() string {
	var b strings.Builder
	b.WriteString("level " + strconv.Itoa(pg.Level) + ", round " + strconv.Itoa(pg.Round) + ":")
	for i, r := range pg.Recipients {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		switch {
		case r.Group != "":
			b.WriteString("group " + r.Group)
		case r.User == "":
			b.WriteString("nobody on call (" + r.Schedule + ")")
		case r.Schedule != "":
			b.WriteString(r.User + " (" + r.Schedule + ")")
		default:
			b.WriteString(r.User)
		}
	}
	return b.String()
}
