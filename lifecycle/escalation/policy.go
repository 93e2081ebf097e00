package escalation

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// The limits of a policy, so that a policy from outside cannot make a sweep
// page without end.
const (
	// MaxLevels is the most levels a policy has.
	MaxLevels = 20
	// MaxTargets is the most targets a level notifies.
	MaxTargets = 20
	// MaxRepeats is the most times a policy is repeated.
	MaxRepeats = 9
	// MaxName is the most characters of a policy's name and a target's.
	MaxName = 200
)

// Target is whom a level notifies: exactly one of an on-call schedule, a
// person or a group.
type Target struct {
	// Schedule names an on-call schedule: the page goes to the person on
	// call at the instant it is due.
	Schedule string
	// User names a person.
	User string
	// Group names a group, for the notifier to reach (a channel, a list).
	Group string
}

// kind names what the target is, and the name it holds.
func (t Target) kind() (kind, name string, n int) {
	if t.Schedule != "" {
		kind, name, n = "schedule", t.Schedule, n+1
	}
	if t.User != "" {
		kind, name, n = "user", t.User, n+1
	}
	if t.Group != "" {
		kind, name, n = "group", t.Group, n+1
	}
	return kind, name, n
}

// String names the target: "schedule primary", "user ann", "group dba".
func (t Target) String() string {
	kind, name, _ := t.kind()
	return kind + " " + name
}

// Level is one step of a policy: it notifies its targets, then waits Delay
// for an acknowledgement before the next level is notified.
type Level struct {
	// Targets are notified together; at least one.
	Targets []Target
	// Delay is how long the level waits before the next level, or before
	// the policy starts again from its first level when it repeats. It
	// must be positive when something follows the level; the last level of
	// a policy that does not repeat may leave it zero.
	Delay time.Duration
}

// Config describes a policy as plain values: what New validates, what the
// JSON form holds.
type Config struct {
	// Name identifies the policy; required. A record's escalation names
	// the policy it follows.
	Name string
	// Levels are notified in order, the first at once; at least one.
	Levels []Level
	// Repeats is how many times the whole policy runs again, from its first
	// level, when its last level went unacknowledged: 0 to MaxRepeats.
	Repeats int
}

// Policy is a validated escalation policy, made by New or by decoding
// JSON. It is immutable and safe for concurrent use.
type Policy struct {
	cfg Config
}

// New validates cfg and returns its Policy, which keeps a copy of cfg.
//
// Errors: a *itil.ValidationError naming the field: "name", "levels",
// "levels[1].delay", "levels[0].targets", "levels[0].targets[2]" (not
// exactly one of schedule, user and group), "levels[0].targets[2].user",
// "repeats".
func New(cfg Config) (*Policy, error) {
	cfg = cloneConfig(cfg)
	if cfg.Name == "" {
		return nil, itil.Invalid("name", "required")
	}
	if err := itil.CheckText("name", cfg.Name, MaxName); err != nil {
		return nil, err
	}
	switch {
	case len(cfg.Levels) == 0:
		return nil, itil.Invalid("levels", "at least one level")
	case len(cfg.Levels) > MaxLevels:
		return nil, itil.Invalid("levels", fmt.Sprintf("%d levels, at most %d", len(cfg.Levels), MaxLevels))
	case cfg.Repeats < 0:
		return nil, itil.Invalid("repeats", "must not be negative")
	case cfg.Repeats > MaxRepeats:
		return nil, itil.Invalid("repeats", fmt.Sprintf("%d repeats, at most %d", cfg.Repeats, MaxRepeats))
	}
	last := len(cfg.Levels) - 1
	for i, l := range cfg.Levels {
		path := fmt.Sprintf("levels[%d]", i)
		switch {
		case len(l.Targets) == 0:
			return nil, itil.Invalid(path+".targets", "at least one target")
		case len(l.Targets) > MaxTargets:
			return nil, itil.Invalid(path+".targets", fmt.Sprintf("%d targets, at most %d", len(l.Targets), MaxTargets))
		case l.Delay < 0:
			return nil, itil.Invalid(path+".delay", "must not be negative")
		case l.Delay == 0 && i < last:
			return nil, itil.Invalid(path+".delay", fmt.Sprintf("required: level %d follows it", i+2))
		case l.Delay == 0 && cfg.Repeats > 0:
			return nil, itil.Invalid(path+".delay", "required: the policy repeats after it")
		}
		for j, t := range l.Targets {
			tpath := fmt.Sprintf("%s.targets[%d]", path, j)
			kind, name, n := t.kind()
			if n != 1 {
				return nil, itil.Invalid(tpath, fmt.Sprintf("name exactly one of schedule, user and group (%d named)", n))
			}
			if err := itil.CheckText(tpath+"."+kind, name, MaxName); err != nil {
				return nil, err
			}
		}
	}
	return &Policy{cfg: cfg}, nil
}

// cloneConfig copies the slices of cfg, so that no caller shares them.
func cloneConfig(cfg Config) Config {
	cfg.Levels = slices.Clone(cfg.Levels)
	for i := range cfg.Levels {
		cfg.Levels[i].Targets = slices.Clone(cfg.Levels[i].Targets)
	}
	return cfg
}

// Name is the policy's name.
func (p *Policy) Name() string { return p.cfg.Name }

// Config returns a copy of the policy's configuration.
func (p *Policy) Config() Config { return cloneConfig(p.cfg) }

// Levels is how many levels the policy has.
func (p *Policy) Levels() int { return len(p.cfg.Levels) }

// Rounds is how many times the policy runs through its levels: once, and
// once for every repeat.
func (p *Policy) Rounds() int { return 1 + p.cfg.Repeats }

// Schedules are on-call schedules by name, as a policy's targets name
// them.
type Schedules map[string]*oncall.Schedule

// Check reports the first schedule target of the policy that schedules
// do not hold, as a *itil.ValidationError naming it
// ("levels[0].targets[2].schedule").
func (p *Policy) Check(schedules Schedules) error {
	for i, l := range p.cfg.Levels {
		for j, t := range l.Targets {
			if t.Schedule == "" {
				continue
			}
			if schedules[t.Schedule] == nil {
				return itil.Invalid(fmt.Sprintf("levels[%d].targets[%d].schedule", i, j), fmt.Sprintf("unknown schedule %q", t.Schedule))
			}
		}
	}
	return nil
}
