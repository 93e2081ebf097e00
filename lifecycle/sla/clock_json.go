package sla

import (
	"encoding/json"
	"time"

	"github.com/itil-go/itil"
)

// clockJSON is the wire form of a Clock. Its field names are part of the
// package's compatibility promise: records store it.
type clockJSON struct {
	Name        string    `json:"name,omitempty"`
	Target      string    `json:"target,omitempty"`
	Calendar    string    `json:"calendar,omitempty"`
	WarnPercent int       `json:"warn_percent,omitempty"`
	Status      Status    `json:"status"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	Since       time.Time `json:"since,omitzero"`
	Accrued     string    `json:"accrued,omitempty"`
	PausedFor   string    `json:"paused_for,omitempty"`
	WarnAt      time.Time `json:"warn_at,omitzero"`
	Deadline    time.Time `json:"deadline,omitzero"`
	WarnedAt    time.Time `json:"warned_at,omitzero"`
	BreachedAt  time.Time `json:"breached_at,omitzero"`
}

// MarshalJSON encodes the clock with snake_case names, durations as Go
// duration text ("4h0m0s") and instants in RFC 3339; zero fields are left
// out:
//
//	{"name":"resolution","target":"8h0m0s","calendar":"business",
//	 "status":"running","started_at":"2026-03-02T08:00:00Z",
//	 "since":"2026-03-02T08:00:00Z","warn_at":"…","deadline":"…"}
func (c Clock) MarshalJSON() ([]byte, error) {
	return json.Marshal(clockJSON{
		Name: c.Name, Target: durationText(c.Target), Calendar: c.Calendar, WarnPercent: c.WarnPercent,
		Status: c.Status, StartedAt: c.StartedAt, Since: c.Since,
		Accrued: durationText(c.Accrued), PausedFor: durationText(c.PausedFor),
		WarnAt: c.WarnAt, Deadline: c.Deadline, WarnedAt: c.WarnedAt, BreachedAt: c.BreachedAt,
	})
}

// UnmarshalJSON decodes a clock. Instants come back in UTC; a bad status or
// duration yields a *itil.ValidationError naming the field, and leaves c
// unchanged.
func (c *Clock) UnmarshalJSON(b []byte) error {
	var w clockJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v := Clock{Name: w.Name, Calendar: w.Calendar, WarnPercent: w.WarnPercent, Status: w.Status}
	var err error
	for _, f := range [...]struct {
		name    string
		dst     *time.Time
		instant time.Time
	}{
		{"started_at", &v.StartedAt, w.StartedAt}, {"since", &v.Since, w.Since},
		{"warn_at", &v.WarnAt, w.WarnAt}, {"deadline", &v.Deadline, w.Deadline},
		{"warned_at", &v.WarnedAt, w.WarnedAt}, {"breached_at", &v.BreachedAt, w.BreachedAt},
	} {
		if *f.dst, err = utc(f.name, f.instant); err != nil {
			return err
		}
	}
	if v.Target, err = parseDuration("target", w.Target); err != nil {
		return err
	}
	if v.Accrued, err = parseDuration("accrued", w.Accrued); err != nil {
		return err
	}
	if v.PausedFor, err = parseDuration("paused_for", w.PausedFor); err != nil {
		return err
	}
	*c = v
	return nil
}

// utc returns t in UTC, keeping the zero time zero. An instant outside
// years 1 to 9999 in UTC could not be written back: it is an error.
func utc(field string, t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, nil
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, &itil.ValidationError{Field: field, Reason: "outside years 0001 to 9999"}
	}
	return t, nil
}
