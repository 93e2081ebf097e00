package oncall

import (
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
)

// Config describes a schedule as plain values: what New validates and
// compiles, what the JSON form holds. There is no default schedule: the
// zero Config has no layer and does not validate.
type Config struct {
	// Zone is the IANA name of the schedule's time zone ("Europe/Berlin"),
	// in which daily and weekly turns hand off and restrictions open;
	// empty means UTC.
	Zone string
	// Layers are the rotations, each later layer on top of the earlier
	// ones: at any instant the highest layer with someone on call wins.
	Layers []Layer
	// Overrides are on top of every layer.
	Overrides []Override
}

// Schedule is a validated, compiled on-call schedule, made by New or by
// decoding JSON. It is immutable and safe for concurrent use. The zero
// Schedule has nobody on call.
type Schedule struct {
	cfg       Config
	wall      wall
	rotations []rotation
	segments  []segment
	// clocked is whether some layer needs the wall clock.
	clocked bool
}

// New validates cfg and compiles it into a Schedule: overrides are
// flattened into sorted segments, restrictions into week windows, so that
// OnCall answers with a binary search and a little arithmetic per layer.
// Schedule keeps a copy of cfg; changing cfg afterwards changes nothing.
//
// Errors: a *itil.ValidationError naming the field ("zone",
// "layers[1].users", "layers[0].restrictions[2].end", "overrides[3].until").
func New(cfg Config) (*Schedule, error) {
	cfg = clone(cfg)
	loc, err := loadZone(cfg.Zone)
	if err != nil {
		return nil, err
	}
	if len(cfg.Layers) == 0 {
		return nil, itil.Invalid("layers", "at least one layer")
	}
	for i := range cfg.Layers {
		if err := cfg.Layers[i].validate(fmt.Sprintf("layers[%d]", i)); err != nil {
			return nil, err
		}
	}
	for i, o := range cfg.Overrides {
		path := fmt.Sprintf("overrides[%d]", i)
		switch {
		case o.User == "":
			return nil, itil.Invalid(path+".user", "no user")
		case o.From.IsZero():
			return nil, itil.Invalid(path+".from", "missing")
		case o.Until.IsZero():
			return nil, itil.Invalid(path+".until", "missing")
		}
		if err := inRange(path+".from", o.From); err != nil {
			return nil, err
		}
		if err := inRange(path+".until", o.Until); err != nil {
			return nil, err
		}
		if !o.Until.After(o.From) {
			return nil, itil.Invalid(path+".until", fmt.Sprintf("until %s is not after from %s",
				o.Until.Format(time.RFC3339), o.From.Format(time.RFC3339)))
		}
	}
	s := &Schedule{cfg: cfg, wall: wall{loc: loc}, segments: segments(cfg.Overrides)}
	for i := range cfg.Layers {
		r := newRotation(&cfg.Layers[i], s.wall)
		s.clocked = s.clocked || r.wallClock()
		s.rotations = append(s.rotations, r)
	}
	return s, nil
}

// loadZone loads the schedule's zone: empty is UTC, and "Local" (the
// host's zone) is refused, since a schedule must mean the same everywhere.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if name == "Local" {
		return nil, itil.Invalid("zone", `"Local" depends on the host; name the zone, such as "Europe/Berlin"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, itil.Invalid("zone", fmt.Sprintf("unknown time zone %q", name))
	}
	return loc, nil
}

// clone copies the slices of cfg, so that no caller shares them.
func clone(cfg Config) Config {
	cfg.Layers = slices.Clone(cfg.Layers)
	for i := range cfg.Layers {
		l := &cfg.Layers[i]
		l.Users = slices.Clone(l.Users)
		l.Restrictions = slices.Clone(l.Restrictions)
		for j := range l.Restrictions {
			l.Restrictions[j].Days = slices.Clone(l.Restrictions[j].Days)
		}
	}
	cfg.Overrides = slices.Clone(cfg.Overrides)
	return cfg
}

// Config returns a copy of the schedule's configuration.
func (s *Schedule) Config() Config { return clone(s.cfg) }

// Location is the schedule's time zone (UTC for the zero Schedule).
func (s *Schedule) Location() *time.Location {
	if s.wall.loc == nil {
		return time.UTC
	}
	return s.wall.loc
}

// Assignment is who is on call at an instant, and what put them there.
type Assignment struct {
	// User is who is on call; empty when nobody is.
	User string
	// Layer is the index of the layer that gave User, or -1.
	Layer int
	// Override is the index of the override that gave User, or -1.
	Override int
}

// nobody is the Assignment of an instant without anyone on call.
var nobody = Assignment{Layer: -1, Override: -1}

// OnCall returns who is on call at the instant at: the latest override
// that covers it, or else the user whose turn it is in the highest layer
// that runs at it (started, not ended, inside its restrictions), or else
// nobody (User empty, Layer and Override -1).
func (s *Schedule) OnCall(at time.Time) Assignment {
	if i, ok := segmentAt(s.segments, at); ok {
		o := s.segments[i].override
		return Assignment{User: s.cfg.Overrides[o].User, Layer: -1, Override: o}
	}
	var high time.Time
	if s.clocked {
		high = s.wall.high(at)
	}
	for i := len(s.rotations) - 1; i >= 0; i-- {
		r := &s.rotations[i]
		if r.live(at, high) {
			return Assignment{User: r.user(r.turn(at, high)), Layer: i, Override: -1}
		}
	}
	return nobody
}
