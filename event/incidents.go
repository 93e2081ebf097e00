package event

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
)

// Desk is what incident automation needs of an incident desk;
// *incident.Desk satisfies it. Implementations must be safe for concurrent
// use. Open must honour Draft.ID: the engine reserves the ID of a group's
// incident in the store before it opens it, and takes an error matching
// lifecycle.ErrExists to say that the incident was opened already. Notes
// lets the engine see the notes it left, so that it does not leave one
// twice. Reprioritize and AddCIs let an alert that joins a group's open
// incident raise its priority and add its CI: the incident of a group has
// the highest priority and every CI of the group's alerts, whichever alert
// came first.
type Desk interface {
	Open(ctx context.Context, dr incident.Draft) (*incident.Incident, error)
	Notes(ctx context.Context, id uuid.UUID, public bool) iter.Seq2[incident.Note, error]
	Get(ctx context.Context, id uuid.UUID) (*incident.Incident, error)
	Resolve(ctx context.Context, p incident.ResolveParams) (*incident.Incident, error)
	Reopen(ctx context.Context, p incident.Params) (*incident.Incident, error)
	WorkNote(ctx context.Context, p incident.Params) (*incident.Incident, error)
	Reprioritize(ctx context.Context, p incident.ReprioritizeParams) (*incident.Incident, error)
	AddCIs(ctx context.Context, p incident.CIsParams) (*incident.Incident, error)
}

var _ Desk = (*incident.Desk)(nil)

// Criticality is the host's view of how much its CIs matter: the impact an
// outage of ci has. Implementations must be safe for concurrent use.
type Criticality interface {
	Criticality(ctx context.Context, ci string) (itil.Impact, error)
}

// Owners is the host's view of who supports its CIs: the group that owns
// ci, "" for a CI it does not know. A CMDB implements it (cmdb.Graph: the
// owner group of the CI, by default that of its class's function).
// Implementations must be safe for concurrent use.
type Owners interface {
	Owner(ctx context.Context, ci string) (string, error)
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
// group has cleared. Its text form, for a host's configuration files, is
// "resolve" or "note".
type OnCleared int8

const (
	// ResolveIncident resolves it (the default).
	ResolveIncident OnCleared = iota
	// NoteIncident only adds a work note; people resolve it.
	NoteIncident
)

var onClearedNames = itil.Names[OnCleared]{Field: "Incidents.OnCleared", List: []string{"resolve", "note"}}

// String returns "resolve" or "note", or "Incidents.OnCleared(N)" for an
// undefined value.
func (o OnCleared) String() string { return onClearedNames.String(o) }

// MarshalText encodes the value by name; an undefined one is a
// *itil.ValidationError.
func (o OnCleared) MarshalText() ([]byte, error) { return onClearedNames.Marshal(o) }

// UnmarshalText decodes "resolve" or "note", leaving o as it was on error.
func (o *OnCleared) UnmarshalText(b []byte) error { return onClearedNames.Unmarshal(o, b) }

// DefaultIncidentRule is the rule of an engine given a Desk and no Rules:
// every alert, info and up, raises (or joins) its group's incident, as a
// PagerDuty service opens an incident for every event it is sent and an
// Alertmanager receiver is notified of every alert routed to it. Severity
// then sets only the incident's priority, through Levels; a host that
// wants incidents for some alerts only says so with Rules.
var DefaultIncidentRule = IncidentRule{Name: "every-alert", MinSeverity: SeverityInfo}

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
// new alert within ReopenWindow. The automation runs from the stored
// alerts, as the reactions (Engine.Reactions) a host runs on its
// dispatcher, and Ingest attempts it at once as well (see InlineTimeout).
type IncidentConfig struct {
	// Desk raises the incidents; without one there is no automation.
	Desk Desk
	// Rules select the alerts that raise incidents; the first that
	// matches applies. Default, with a Desk: DefaultIncidentRule, every
	// alert.
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
	// Owners, when set, assigns an incident whose rule names no group to
	// the group that owns the alert's CI, when it has one, before Group.
	Owners Owners
	// InlineTimeout bounds the automation Ingest attempts at once for the
	// alerts it wrote, on a context of its own that the caller's
	// cancellation does not end; whatever it leaves undone, the reactions
	// do. Default 10s; negative: Ingest attempts none, and the reactions
	// do all.
	InlineTimeout time.Duration
	// GroupWait is how long a correlation group waits, from its first
	// alert, before it raises an incident, as Alertmanager's group_wait
	// holds a group's first notification: the alerts of one outage that
	// arrive together make one incident with the group's highest priority,
	// and an alert of a child CI that arrives before its parent's joins the
	// parent's group (see Config.Topology) instead of raising an incident
	// of its own. The wait holds new incidents only: an alert of a group
	// whose incident is open, or resolved within ReopenWindow, joins it at
	// once. Sweep raises the incidents whose wait is over, from the alerts
	// as stored, so that a restart does not lose them; call it at least
	// as often as the wait. Default 30s; negative: no wait, the first alert
	// raises its group's incident at once.
	GroupWait time.Duration
}

func (c *IncidentConfig) defaults() error {
	if c.Levels == nil {
		c.Levels = DefaultLevels
	}
	for s, l := range c.Levels {
		if !s.Valid() || s == SeverityOK {
			return invalid(fmt.Sprintf("Incidents.Levels[%s]", s), "the severity must be info to critical")
		}
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
	if c.InlineTimeout == 0 {
		c.InlineTimeout = 10 * time.Second
	}
	if c.GroupWait == 0 {
		c.GroupWait = 30 * time.Second
	}
	if c.ResolutionCode == "" {
		c.ResolutionCode = "solved_permanently"
	}
	if c.Group == "" {
		c.Group = "operations"
	}
	if !onClearedNames.Valid(c.OnCleared) {
		return invalid("Incidents.OnCleared", "unknown value %d (want %s)", c.OnCleared, onClearedNames.Want())
	}
	for i, r := range c.Rules {
		field := fmt.Sprintf("Incidents.Rules[%d]", i)
		if !r.MinSeverity.Valid() || r.MinSeverity == SeverityOK {
			return invalid(field+".min_severity", "required: info to critical")
		}
		for name, v := range map[string]string{"name": r.Name, "group": r.Group, "category": r.Category} {
			if err := itil.CheckText(field+"."+name, v, MaxKeyLen); err != nil {
				return err
			}
		}
		if err := checkLabelMap(field+".labels", r.Labels); err != nil {
			return err
		}
	}
	for name, v := range map[string]string{"Incidents.Group": c.Group, "Incidents.ResolutionCode": c.ResolutionCode} {
		if err := itil.CheckText(name, v, MaxKeyLen); err != nil {
			return err
		}
	}
	switch {
	case len(c.Rules) > 0 && c.Desk == nil:
		return invalid("Incidents.Desk", "required with rules")
	case c.Desk != nil && len(c.Rules) == 0:
		c.Rules = []IncidentRule{DefaultIncidentRule}
	}
	return nil
}

func (e *Engine) incidentRule(a *Alert) *IncidentRule {
	for i := range e.cfg.Incidents.Rules {
		r := &e.cfg.Incidents.Rules[i]
		if a.Severity >= r.MinSeverity && labelsMatch(r.Labels, a.Labels) {
			return r
		}
	}
	return nil
}
