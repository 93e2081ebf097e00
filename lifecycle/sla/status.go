package sla

import "github.com/itil-go/itil"

// Status is where a Clock is in its life.
type Status int8

// The statuses of a clock. The zero value, Idle, is a clock never started.
const (
	// Idle: not started yet.
	Idle Status = iota
	// Running: business time accrues.
	Running
	// Paused: waiting on someone outside the team; nothing accrues, and
	// the wall-clock time paused is kept for reports.
	Paused
	// Stopped: the target's work is done (responded, resolved). Resume
	// restarts it, continuing from the time accrued.
	Stopped
)

// statusNames are the statuses' names, for their text form.
var statusNames = itil.Names[Status]{Field: "status", List: []string{"idle", "running", "paused", "stopped"}}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return statusNames.Valid(s) }

// String returns "idle", "running", "paused" or "stopped".
func (s Status) String() string { return statusNames.String(s) }

// MarshalText encodes the status by name; an undefined one is a
// *itil.ValidationError on "status".
func (s Status) MarshalText() ([]byte, error) { return statusNames.Marshal(s) }

// UnmarshalText decodes a status by name; another text is a
// *itil.ValidationError on "status", and leaves s as it was.
func (s *Status) UnmarshalText(b []byte) error { return statusNames.Unmarshal(s, b) }
