package sla

import (
	"fmt"

	"github.com/itil-go/itil"
)

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

var statusNames = [...]string{"idle", "running", "paused", "stopped"}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return s >= Idle && s <= Stopped }

// String returns "idle", "running", "paused" or "stopped".
func (s Status) String() string {
	if s.Valid() {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int8(s))
}

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, &itil.ValidationError{Field: "status", Reason: fmt.Sprintf("undefined value %d", int8(s))}
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a status by name.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return &itil.ValidationError{Field: "status", Reason: fmt.Sprintf("unknown status %q (want idle, running, paused or stopped)", b)}
}
