package event

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// CorrelationRule groups alerts that share label values, or a CI, within a
// time window: one group, one incident.
type CorrelationRule struct {
	// Name identifies the rule; required and unique.
	Name string
	// Match labels an alert must have for the rule to apply.
	Match map[string]string
	// By names the labels whose values make the group; an alert without
	// one of them is not grouped by the rule.
	By []string
	// ByCI groups by the alert's CI as well.
	ByCI bool
	// Window is how long after its last alert joined a group with no open
	// alerts still takes new ones. Default five minutes.
	Window time.Duration
}

func (r *CorrelationRule) validate(field string, names map[string]bool) error {
	switch {
	case r.Name == "":
		return invalid(field+".name", "required")
	case names[r.Name]:
		return invalid(field+".name", "rule %q is declared twice", r.Name)
	case len(r.By) == 0 && !r.ByCI:
		return invalid(field+".by", "name labels to group by, or set ByCI")
	case r.Window < 0:
		return invalid(field+".window", "must not be negative")
	}
	if slices.Contains(r.By, "") {
		return invalid(field+".by", "empty label name")
	}
	if err := itil.CheckText(field+".name", r.Name, MaxKeyLen); err != nil {
		return err
	}
	if err := itil.CheckTexts(field+".by", r.By, MaxKeyLen); err != nil {
		return err
	}
	if err := checkLabelMap(field+".match", r.Match); err != nil {
		return err
	}
	names[r.Name] = true
	if r.Window == 0 {
		r.Window = 5 * time.Minute
	}
	return nil
}

// groupKey returns the key of the rule's group for labels and ci, or false
// when the rule does not apply.
func (r *CorrelationRule) groupKey(labels map[string]string, ci string) (string, bool) {
	if !labelsMatch(r.Match, labels) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(r.Name)
	for _, l := range r.By {
		v, ok := labels[l]
		if !ok {
			return "", false
		}
		b.WriteByte(0)
		b.WriteString(v)
	}
	if r.ByCI {
		if ci == "" {
			return "", false
		}
		b.WriteByte(0)
		b.WriteString(ci)
	}
	return b.String(), true
}

// Group is a correlation group as Engine.Groups reports it.
type Group struct {
	ID uuid.UUID
	// Rule is the correlation rule that made the group; empty for an
	// alert's own group.
	Rule string
	// Alerts are the dedup keys of the alerts that joined, oldest first;
	// Open counts those not cleared.
	Alerts []string
	Open   int
	// Incident is the group's incident, if one was raised.
	Incident itil.Ref
	// Created and LastJoined are when the group began and an alert last
	// joined it.
	Created, LastJoined time.Time
}

// maxGroupMembers bounds the dedup keys a group remembers.
const maxGroupMembers = 1000

// group is a correlation group as one engine knows it. The engine's mu
// guards it. Its incident is what the engine last learnt of the group's
// lock in the store, which is the truth (see raise).
type group struct {
	incident itil.Ref

	id       uuid.UUID
	key      string
	rule     string
	window   time.Duration
	created  time.Time
	lastJoin time.Time
	open     int
	members  []string
}

// correlate puts a new alert into a group: a down parent's, its rule's, or
// its own. a.mu is held.
func (e *Engine) correlate(ctx context.Context, a *alert, at time.Time) {
	var parentGroup *group
	if e.cfg.Topology != nil && a.rec.CI != "" {
		var parent string
		if parentGroup, parent = e.downAncestor(ctx, a.rec.CI, nil); parentGroup != nil {
			a.rec.Parent = parent
		}
	}
	key, rule, window := "", "", time.Duration(0)
	if parentGroup == nil {
		key, rule, window = e.groupOf(a)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := parentGroup
	if g == nil {
		g = e.groups[key]
		if g != nil && g.open == 0 && at.Sub(g.lastJoin) > max(window, e.cfg.Incidents.ReopenWindow) {
			delete(e.byID, g.id)
			g = nil
		}
		if g == nil {
			id := newGroupID()
			g = &group{id: id, key: key, rule: rule, window: window, created: at}
			e.groups[key] = g
			e.byID[id] = g
		}
	}
	g.open++
	g.lastJoin = at
	if len(g.members) < maxGroupMembers {
		g.members = append(g.members, a.rec.DedupKey)
	}
	a.group = g
	a.rec.Group = g.id
}

// groupOf returns the key, rule and window of the group the correlation
// rules put the alert in: the first rule's that applies, else the
// sender's group (Event.Group) of its events, else the alert's own.
func (e *Engine) groupOf(a *alert) (key, rule string, window time.Duration) {
	return e.groupOfFacts(a.rec.Labels, a.rec.CI, a.rec.Source, a.last.Group, a.rec.DedupKey)
}

// groupOfFacts is groupOf for an alert's labels, CI, source, sender's
// group and dedup key.
func (e *Engine) groupOfFacts(labels map[string]string, ci, source, senderGroup, dedupKey string) (key, rule string, window time.Duration) {
	for _, r := range e.cfg.Correlation {
		if k, ok := r.groupKey(labels, ci); ok {
			return k, r.Name, r.Window
		}
	}
	if senderGroup != "" {
		return "\x00sender\x00" + source + "\x00" + senderGroup, SenderGroupRule, e.cfg.Incidents.ReopenWindow
	}
	return "\x00alert\x00" + dedupKey, "", e.cfg.Incidents.ReopenWindow
}

// leaveGroup counts a cleared (or failed) alert out of its group.
func (e *Engine) leaveGroup(a *alert) {
	if a.group == nil {
		return
	}
	e.mu.Lock()
	a.group.open--
	e.mu.Unlock()
}

// markDown keeps the index of down CIs up to date with the alert. a.mu is
// held.
func (e *Engine) markDown(a *alert) {
	if e.cfg.Topology == nil || a.rec.CI == "" {
		return
	}
	want := !a.gone && a.rec.Severity >= e.cfg.DownSeverity
	if want == a.isDown {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a.isDown = want
	set := e.down[a.rec.CI]
	if want {
		if set == nil {
			set = map[*alert]struct{}{}
			e.down[a.rec.CI] = set
		}
		set[a] = struct{}{}
		return
	}
	delete(set, a)
	if len(set) == 0 {
		delete(e.down, a.rec.CI)
	}
}

func (g *group) view() Group {
	return Group{
		ID: g.id, Rule: g.rule, Alerts: slices.Clone(g.members), Open: g.open, Incident: g.incident,
		Created: g.created, LastJoined: g.lastJoin,
	}
}

// Groups returns the engine's correlation groups.
func (e *Engine) Groups() []Group {
	e.mu.Lock()
	out := make([]Group, 0, len(e.byID))
	for _, g := range e.byID {
		out = append(out, g.view())
	}
	e.mu.Unlock()
	slices.SortFunc(out, func(a, b Group) int { return a.Created.Compare(b.Created) })
	return out
}

// Group returns the correlation group with the given ID.
func (e *Engine) Group(id uuid.UUID) (Group, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	g, ok := e.byID[id]
	if !ok {
		return Group{}, false
	}
	return g.view(), true
}

// expireGroups forgets groups with no open alerts whose windows have passed.
func (e *Engine) expireGroups(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for id, g := range e.byID {
		if g.open == 0 && now.Sub(g.lastJoin) > max(g.window, e.cfg.Incidents.ReopenWindow) {
			delete(e.byID, id)
			if e.groups[g.key] == g {
				delete(e.groups, g.key)
			}
		}
	}
}
