package sla

import (
	"encoding/json"
	"time"

	"github.com/itil-go/itil"
)

// clockJSON is the wire form of a Clock, as MarshalJSON writes it; the
// decoder in UnmarshalJSON reads the same names. Its field names are part of
// the package's compatibility promise: records store it.
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

// UnmarshalJSON decodes a clock. Instants come back in UTC. Bad input (a
// bad status, duration or instant, a name or calendar name that is not valid
// UTF-8 or holds NUL) yields a *itil.ValidationError naming the field
// ("status", "since"; "clock" when b is not a JSON object), and leaves c
// unchanged.
func (c *Clock) UnmarshalJSON(b []byte) error {
	var w struct {
		Name        json.RawMessage `json:"name"`
		Target      json.RawMessage `json:"target"`
		Calendar    json.RawMessage `json:"calendar"`
		WarnPercent json.RawMessage `json:"warn_percent"`
		Status      json.RawMessage `json:"status"`
		StartedAt   json.RawMessage `json:"started_at"`
		Since       json.RawMessage `json:"since"`
		Accrued     json.RawMessage `json:"accrued"`
		PausedFor   json.RawMessage `json:"paused_for"`
		WarnAt      json.RawMessage `json:"warn_at"`
		Deadline    json.RawMessage `json:"deadline"`
		WarnedAt    json.RawMessage `json:"warned_at"`
		BreachedAt  json.RawMessage `json:"breached_at"`
	}
	if err := decodeJSON("clock", b, &w, "an object"); err != nil {
		return err
	}
	var v Clock
	var err error
	for _, f := range [...]struct {
		name string
		raw  json.RawMessage
		dst  *string
	}{{"name", w.Name, &v.Name}, {"calendar", w.Calendar, &v.Calendar}} {
		if len(f.raw) > 0 {
			if *f.dst, err = decodeText(f.name, f.raw); err != nil {
				return err
			}
		}
	}
	if len(w.WarnPercent) > 0 {
		if err := decodeJSON("warn_percent", w.WarnPercent, &v.WarnPercent, "a whole number of percent"); err != nil {
			return err
		}
	}
	if len(w.Status) > 0 {
		if err := decodeJSON("status", w.Status, &v.Status, "a status: idle, running, paused or stopped"); err != nil {
			return err
		}
	}
	for _, f := range [...]struct {
		name string
		raw  json.RawMessage
		dst  *time.Time
	}{
		{"started_at", w.StartedAt, &v.StartedAt}, {"since", w.Since, &v.Since},
		{"warn_at", w.WarnAt, &v.WarnAt}, {"deadline", w.Deadline, &v.Deadline},
		{"warned_at", w.WarnedAt, &v.WarnedAt}, {"breached_at", w.BreachedAt, &v.BreachedAt},
	} {
		if len(f.raw) == 0 {
			continue
		}
		var t time.Time
		if err := decodeJSON(f.name, f.raw, &t, "an RFC 3339 instant such as \"2026-03-02T09:00:00Z\""); err != nil {
			return err
		}
		if *f.dst, err = utc(f.name, t); err != nil {
			return err
		}
	}
	for _, f := range [...]struct {
		name string
		raw  json.RawMessage
		dst  *time.Duration
	}{{"target", w.Target, &v.Target}, {"accrued", w.Accrued, &v.Accrued}, {"paused_for", w.PausedFor, &v.PausedFor}} {
		if len(f.raw) == 0 {
			continue
		}
		var text string
		if err := decodeJSON(f.name, f.raw, &text, "a duration such as \"4h\" or \"1h30m\""); err != nil {
			return err
		}
		if *f.dst, err = parseDuration(f.name, text); err != nil {
			return err
		}
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
