package event

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// Desk is what incident automation needs of an incident desk;
// *incident.Desk satisfies it. Implementations must be safe for concurrent
// use.
type Desk interface {
	Open(ctx context.Context, dr incident.Draft) (*incident.Incident, error)
	Get(ctx context.Context, id uuid.UUID) (*incident.Incident, error)
	Resolve(ctx context.Context, id uuid.UUID, res incident.Resolution, by itil.Actor) (*incident.Incident, error)
	Reopen(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*incident.Incident, error)
	WorkNote(ctx context.Context, id uuid.UUID, text string, by itil.Actor) (*incident.Incident, error)
}

var _ Desk = (*incident.Desk)(nil)

// Criticality is the host's view of how much its CIs matter: the impact an
// outage of ci has. Implementations must be safe for concurrent use.
type Criticality interface {
	Criticality(ctx context.Context, ci string) (itil.Impact, error)
}

// IncidentRule says which alerts raise incidents.
type IncidentRule struct {
	// Name identifies the rule in incident notes.
	Name string
	// MinSeverity is the least severity that raises an incident; required.
	MinSeverity Severity
	// Labels an alert must have.
	Labels map[string]string
	// Group is the incident's assignment group; default
	// IncidentConfig.Group.
	Group string
	// Category of the incident.
	Category string
}

// OnCleared says what happens to a group's incident when every alert of the
// group has cleared.
type OnCleared int8

const (
	// ResolveIncident resolves it (the default).
	ResolveIncident OnCleared = iota
	// NoteIncident only adds a work note; people resolve it.
	NoteIncident
)

// Levels are an impact and an urgency.
type Levels struct {
	Impact  itil.Impact
	Urgency itil.Urgency
}

// DefaultLevels maps severities to incident impact and urgency.
var DefaultLevels = map[Severity]Levels{
	SeverityCritical: {itil.ImpactHigh, itil.UrgencyHigh},
	SeverityMajor:    {itil.ImpactMedium, itil.UrgencyHigh},
	SeverityMinor:    {itil.ImpactMedium, itil.UrgencyMedium},
	SeverityWarning:  {itil.ImpactLow, itil.UrgencyMedium},
	SeverityInfo:     {itil.ImpactLow, itil.UrgencyLow},
}

// IncidentConfig configures incident automation: one incident per
// correlation group, raised by the first alert that a rule matches, linked
// by every further alert, resolved when all have cleared and reopened by a
// new alert within ReopenWindow.
type IncidentConfig struct {
	// Desk raises the incidents; without one there is no automation.
	Desk Desk
	// Rules select the alerts that raise incidents; the first that
	// matches applies.
	Rules []IncidentRule
	// Levels maps severity to impact and urgency. Default DefaultLevels.
	Levels map[Severity]Levels
	// Criticality, when set, raises the impact to the CI's criticality
	// when that is higher.
	Criticality Criticality
	// OnCleared: resolve the incident (default) or only note.
	OnCleared OnCleared
	// ReopenWindow is how long after the engine resolved an incident a new
	// alert of its group reopens it rather than raising a new one. Default
	// one hour.
	ReopenWindow time.Duration
	// ResolutionCode for resolving. Default "solved_permanently".
	ResolutionCode string
	// Group is the default assignment group. Default "operations".
	Group string
}

func (c *IncidentConfig) defaults() error {
	if c.Levels == nil {
		c.Levels = DefaultLevels
	}
	for s, l := range c.Levels {
		if !l.Impact.Valid() || !l.Urgency.Valid() {
			return invalid(fmt.Sprintf("Incidents.Levels[%s]", s), "impact and urgency are required")
		}
	}
	if c.ReopenWindow == 0 {
		c.ReopenWindow = time.Hour
	}
	if c.ReopenWindow < 0 {
		return invalid("Incidents.ReopenWindow", "must not be negative")
	}
	if c.ResolutionCode == "" {
		c.ResolutionCode = "solved_permanently"
	}
	if c.Group == "" {
		c.Group = "operations"
	}
	if c.OnCleared != ResolveIncident && c.OnCleared != NoteIncident {
		return invalid("Incidents.OnCleared", "unknown value %d", c.OnCleared)
	}
	for i, r := range c.Rules {
		if !r.MinSeverity.Valid() || r.MinSeverity == SeverityOK {
			return invalid(fmt.Sprintf("Incidents.Rules[%d].min_severity", i), "required: info to critical")
		}
	}
	if len(c.Rules) > 0 && c.Desk == nil {
		return invalid("Incidents.Desk", "required with rules")
	}
	return nil
}

func (e *Engine) incidentRule(a *alert) *IncidentRule {
	for i := range e.cfg.Incidents.Rules {
		r := &e.cfg.Incidents.Rules[i]
		if a.rec.Severity >= r.MinSeverity && labelsMatch(r.Labels, a.rec.Labels) {
			return r
		}
	}
	return nil
}

// automate raises or links the incident of the alert's group. Alerts that
// are suppressed or flapping do neither. a.mu is held.
func (e *Engine) automate(ctx context.Context, a *alert, at time.Time) {
	ic := &e.cfg.Incidents
	if ic.Desk == nil || a.group == nil || a.suppressed || a.flapping {
		return
	}
	a.sync()
	g := a.group
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.incident.IsZero() {
		if a.rec.Incident == g.incident {
			return
		}
		inc, err := ic.Desk.Get(ctx, g.incident.ID)
		switch {
		case err != nil:
			e.logIncident(ctx, a, "reading the group's incident", err)
			return
		case inc.Open():
			if _, err := ic.Desk.WorkNote(ctx, inc.ID, e.joinedNote(a), e.cfg.Actor); err != nil {
				e.logIncident(ctx, a, "noting an alert on the group's incident", err)
			}
			e.link(ctx, a, g.incident)
			return
		case !inc.ResolvedAt.IsZero() && inc.StateCategory == lifecycle.Resolved && at.Sub(inc.ResolvedAt) <= ic.ReopenWindow:
			if _, err := ic.Desk.Reopen(ctx, inc.ID, "alert "+a.rec.Number+" fired again: "+a.rec.Message, e.cfg.Actor); err != nil {
				e.logIncident(ctx, a, "reopening the group's incident", err)
				return
			}
			e.link(ctx, a, g.incident)
			return
		}
		// The incident is closed, or resolved too long ago: raise a new one.
	}
	r := e.incidentRule(a)
	if r == nil || a.rec.Parent != "" {
		return
	}
	lv, ok := ic.Levels[a.rec.Severity]
	if !ok {
		lv = Levels{itil.ImpactLow, itil.UrgencyLow}
	}
	if ic.Criticality != nil && a.rec.CI != "" {
		imp, err := ic.Criticality.Criticality(ctx, a.rec.CI)
		switch {
		case err != nil:
			e.logIncident(ctx, a, "asking for a CI's criticality", err)
		case imp.Valid() && imp < lv.Impact:
			lv.Impact = imp
		}
	}
	group := r.Group
	if group == "" {
		group = ic.Group
	}
	dr := incident.Draft{
		Title:       title(a),
		Description: fmt.Sprintf("Raised by rule %q from alert %s (%s).\n\n%s", r.Name, a.rec.Number, a.rec.DedupKey, a.rec.Message),
		Caller:      e.cfg.Actor, By: e.cfg.Actor,
		Category: r.Category, Impact: lv.Impact, Urgency: lv.Urgency,
		Channel: incident.ChannelMonitoring, Group: group,
	}
	if a.rec.CI != "" {
		dr.CIs = []string{a.rec.CI}
	}
	inc, err := ic.Desk.Open(ctx, dr)
	if err != nil {
		e.logIncident(ctx, a, "opening an incident", err)
		return
	}
	ref := inc.Ref()
	e.mu.Lock()
	g.incident = ref
	e.mu.Unlock()
	e.link(ctx, a, ref)
}

func title(a *alert) string {
	t := fmt.Sprintf("[%s] %s", a.rec.Severity, a.rec.Message)
	if a.rec.Message == "" {
		t = fmt.Sprintf("[%s] %s %s on %s", a.rec.Severity, a.rec.Source, a.rec.Check, a.rec.Node)
	}
	if len(t) > 200 {
		t = t[:197] + "..."
	}
	return t
}

func (e *Engine) joinedNote(a *alert) string {
	return fmt.Sprintf("alert %s joined (%s, %s): %s", a.rec.Number, a.rec.DedupKey, a.rec.Severity, a.rec.Message)
}

// link records the incident on the alert.
func (e *Engine) link(ctx context.Context, a *alert, ref itil.Ref) {
	a.rec.Incident = ref
	if err := e.persist(ctx, a, "", EditIncident, "linked to "+ref.Number, e.cfg.Actor); err != nil {
		e.logIncident(ctx, a, "recording the incident on the alert", err)
	}
}

// groupCleared resolves or notes the group's incident once the last alert
// of the group has cleared. a.mu is held.
func (e *Engine) groupCleared(ctx context.Context, a *alert, at time.Time) {
	ic := &e.cfg.Incidents
	g := a.group
	if ic.Desk == nil || g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	e.mu.Lock()
	open, ref := g.open, g.incident
	e.mu.Unlock()
	if open > 0 || ref.IsZero() {
		return
	}
	inc, err := ic.Desk.Get(ctx, ref.ID)
	if err != nil {
		e.logIncident(ctx, a, "reading the group's incident", err)
		return
	}
	if !inc.Open() {
		return
	}
	note := fmt.Sprintf("all alerts of the group have cleared (last: %s at %s)", a.rec.Number, at.UTC().Format(time.RFC3339))
	if ic.OnCleared == NoteIncident {
		_, err = ic.Desk.WorkNote(ctx, ref.ID, note, e.cfg.Actor)
	} else {
		_, err = ic.Desk.Resolve(ctx, ref.ID, incident.Resolution{Code: ic.ResolutionCode, Notes: note}, e.cfg.Actor)
	}
	if err != nil {
		e.logIncident(ctx, a, "resolving the group's incident", err)
	}
}

func (e *Engine) logIncident(ctx context.Context, a *alert, what string, err error) {
	e.cfg.Logger.WarnContext(ctx, what, slog.String("alert", a.rec.Number), slog.String("dedup_key", a.rec.DedupKey), slog.Any("error", err))
}
