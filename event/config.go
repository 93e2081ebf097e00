package event

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Config configures an Engine. The zero value means the defaults; NewEngine
// validates it and reports a *itil.ValidationError naming the bad field.
type Config struct {
	// Now is the clock. Default: the system's, as time.Now reads it,
	// except that the wall clock is read once a second and counted on
	// with the monotonic clock in between, which makes a reading a third
	// cheaper; a step of the wall clock shows within a second.
	Now func() time.Time
	// Logger receives what Ingest cannot return, such as an incident the
	// desk refused to open. Default slog.Default().
	Logger *slog.Logger
	// Actor is who the engine acts as in journals and on incidents.
	// Default itil.System("event-engine").
	Actor itil.Actor
	// Shards is the number of shards of the in-memory alert map, rounded up
	// to a power of two. Default 64.
	Shards int

	// ClearAfter clears an alert that had no event for this long, on
	// Sweep. Zero means alerts clear only on an ok event.
	ClearAfter time.Duration
	// Flap sets flap detection's thresholds.
	Flap FlapConfig

	// Correlation rules group alerts; the first that applies wins. Alerts
	// no rule groups form a group of their own.
	Correlation []CorrelationRule
	// Topology, when set, tells the engine a CI's parents: an alert whose
	// CI has an ancestor that is down joins the ancestor's group.
	Topology Topology
	// DownSeverity is the severity at which an open alert marks its CI as
	// down for Topology. Default SeverityMajor.
	DownSeverity Severity
	// Services, when set with Topology, tells Sweep which business
	// services the CIs down leave degraded or down: each has an open alert
	// of Source ServiceSource, node and CI the service, at SeverityWarning
	// while it runs without redundancy and SeverityMajor while it is down,
	// cleared when its CIs are up again. The alert's CI depends on the CIs
	// down, so it joins their group and raises no incident of its own.
	Services ServiceHealth

	// Inhibit rules mute target alerts while a source alert is open.
	Inhibit []InhibitRule
	// Maintenance windows in force from the start; see also
	// Engine.AddMaintenance.
	Maintenance []MaintenanceWindow
	// ChangeWindows, when set, suppresses events of CIs with an approved
	// change being implemented.
	ChangeWindows ChangeWindows
	// ChangeRecheck is how long an alert reuses its last ChangeWindows
	// answer. Default one minute.
	ChangeRecheck time.Duration

	// HeartbeatSeverity is the severity of the alert a missed heartbeat
	// raises. Default SeverityMajor.
	HeartbeatSeverity Severity

	// Resume, when set, limits what Start takes over to the open alerts
	// it accepts: an engine that owns a share of the alerts (a partition
	// of a stream, as package event/cluster runs it) resumes its share
	// only. Default every open alert.
	Resume func(*Alert) bool

	// Incidents configures incident automation; without a Desk there is
	// none.
	Incidents IncidentConfig

	// Fields declares custom fields of alerts, which Acknowledge and Edit
	// set (events carry none). A field may be required in the
	// acknowledged state only: the engine enters the others itself.
	Fields []lifecycle.Field
}

// lifecycle returns the alert lifecycle with cfg.Fields declared, or a
// *itil.ValidationError naming the bad field as "Fields[i]…".
func (cfg *Config) lifecycle() (*lifecycle.Definition, error) {
	def := Lifecycle()
	if len(cfg.Fields) == 0 {
		return def, nil
	}
	for i, f := range cfg.Fields {
		for j, s := range f.RequiredIn {
			if s != StateAcknowledged {
				return nil, invalid(fmt.Sprintf("Fields[%d].required_in[%d]", i, j),
					"%q: a field may be required in %s only, the state a caller enters", s, StateAcknowledged)
			}
		}
	}
	def, err := def.With(lifecycle.WithFields(cfg.Fields...))
	if ve, ok := errors.AsType[*itil.ValidationError](err); ok {
		name, _ := strings.CutPrefix(ve.Field, "fields")
		return nil, &itil.ValidationError{Field: "Fields" + name, Reason: ve.Reason}
	}
	return def, err
}

func (cfg *Config) defaults() error {
	if cfg.Now == nil {
		cfg.Now = newSystemClock().Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Actor.IsZero() {
		cfg.Actor = itil.System("event-engine")
	}
	if err := checkActor("Actor", cfg.Actor); err != nil {
		return err
	}
	switch {
	case cfg.Shards == 0:
		cfg.Shards = 64
	case cfg.Shards < 0 || cfg.Shards > 1<<16:
		return invalid("Shards", "must be between 1 and 65536")
	}
	cfg.Shards = 1 << bits.Len(uint(cfg.Shards-1))
	if cfg.ClearAfter < 0 {
		return invalid("ClearAfter", "must not be negative")
	}
	if err := cfg.Flap.defaults(); err != nil {
		return err
	}
	if cfg.DownSeverity == 0 {
		cfg.DownSeverity = SeverityMajor
	}
	if !cfg.DownSeverity.Valid() || cfg.DownSeverity == SeverityOK {
		return invalid("DownSeverity", "must be info to critical")
	}
	if cfg.HeartbeatSeverity == 0 {
		cfg.HeartbeatSeverity = SeverityMajor
	}
	if !cfg.HeartbeatSeverity.Valid() || cfg.HeartbeatSeverity == SeverityOK {
		return invalid("HeartbeatSeverity", "must be info to critical")
	}
	if cfg.ChangeRecheck == 0 {
		cfg.ChangeRecheck = time.Minute
	}
	if cfg.ChangeRecheck < 0 {
		return invalid("ChangeRecheck", "must not be negative")
	}
	names := map[string]bool{}
	for i := range cfg.Correlation {
		if err := cfg.Correlation[i].validate(fmt.Sprintf("Correlation[%d]", i), names); err != nil {
			return err
		}
	}
	names = map[string]bool{}
	for i := range cfg.Inhibit {
		if err := cfg.Inhibit[i].validate(fmt.Sprintf("Inhibit[%d]", i), names); err != nil {
			return err
		}
	}
	names = map[string]bool{}
	for i := range cfg.Maintenance {
		if err := cfg.Maintenance[i].validate(fmt.Sprintf("Maintenance[%d]", i)); err != nil {
			return err
		}
		if names[cfg.Maintenance[i].Name] {
			return invalid(fmt.Sprintf("Maintenance[%d].name", i), "window %q is declared twice", cfg.Maintenance[i].Name)
		}
		names[cfg.Maintenance[i].Name] = true
	}
	return cfg.Incidents.defaults()
}

// ChangeWindows tells the engine whether an approved change is being
// implemented on a CI: events of that CI are then suppressed (and
// recorded). The change package's calendar satisfies it. Implementations
// must be safe for concurrent use.
type ChangeWindows interface {
	// InChangeWindow reports whether an approved change's implementation
	// window covering at includes ci.
	InChangeWindow(ctx context.Context, ci string, at time.Time) (bool, error)
}

// Topology is the host's view of the CI hierarchy. Implementations must be
// safe for concurrent use.
type Topology interface {
	// Parents returns the CIs ci depends on (a host's switch, a VM's
	// hypervisor), nearest first.
	Parents(ctx context.Context, ci string) ([]string, error)
}
