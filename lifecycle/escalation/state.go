package escalation

import (
	"fmt"
	"time"

	"github.com/itil-go/itil"
)

// Status is where an escalation stands.
type Status int

// The statuses of an escalation.
const (
	// Idle: the escalation has not started.
	Idle Status = iota
	// Paging: a page is due at State.Next.
	Paging
	// Exhausted: every level of every round was notified and nobody
	// acknowledged; nothing more is due.
	Exhausted
	// Acknowledged: someone acknowledged, which ended the paging.
	Acknowledged
	// Stopped: the escalation was stopped (its record was resolved, say).
	Stopped
)

var statusNames = [...]string{"idle", "paging", "exhausted", "acknowledged", "stopped"}

// String names the status: "idle", "paging", "exhausted", "acknowledged",
// "stopped".
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Active reports whether the escalation has started and not ended: it is
// paging, or exhausted and still waits for an acknowledgement.
func (s Status) Active() bool { return s == Paging || s == Exhausted }

// State is the escalation of one record: plain state that lives inside the
// record and round-trips through JSON with it, so that a restarted host
// resumes the escalation where it was. The zero State has not started.
// Every method takes the current time; none reads a clock.
//
// A State is not safe for concurrent use: it belongs to its record.
type State struct {
	// Policy names the policy the escalation follows.
	Policy string `json:"policy,omitempty"`
	// StartedAt is when the escalation started: when its first page was
	// due.
	StartedAt time.Time `json:"started_at,omitzero"`
	// Level and Round are those of the last page sent, counted from 1;
	// zero before the first page.
	Level int `json:"level,omitempty"`
	Round int `json:"round,omitempty"`
	// Sent counts the pages sent.
	Sent int `json:"sent,omitempty"`
	// LastAt is when the last page sent was due.
	LastAt time.Time `json:"last_at,omitzero"`
	// NextAt is when the next page is due; zero when none is.
	NextAt time.Time `json:"next_at,omitzero"`
	// AcknowledgedAt and AcknowledgedBy say who acknowledged, and when.
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	// StoppedAt is when the escalation ended, by an acknowledgement or by
	// Stop, and StopReason why ("acknowledged", "resolved").
	StoppedAt  time.Time `json:"stopped_at,omitzero"`
	StopReason string    `json:"stop_reason,omitempty"`
}

// Status tells where the escalation stands.
func (s *State) Status() Status {
	switch {
	case s.StartedAt.IsZero():
		return Idle
	case !s.AcknowledgedAt.IsZero():
		return Acknowledged
	case !s.StoppedAt.IsZero():
		return Stopped
	case s.NextAt.IsZero():
		return Exhausted
	}
	return Paging
}

// Next is when the next page is due, for a sweep to skip the records with
// nothing due; zero when no page is due, ever.
func (s *State) Next() time.Time {
	if s.Status() != Paging {
		return time.Time{}
	}
	return s.NextAt
}

// Due reports whether a page is due at now.
func (s *State) Due(now time.Time) bool {
	next := s.Next()
	return !next.IsZero() && !next.After(now)
}

// Start starts the escalation of p at at: the first level's page is due at
// once. An active escalation (paging, or exhausted) is left as it is and
// Start reports false; an idle, acknowledged or stopped one starts again
// from the first level. A nil p or a zero at is a *itil.ValidationError.
func (s *State) Start(p *Policy, at time.Time) (bool, error) {
	switch {
	case p == nil:
		return false, itil.Invalid("policy", "required")
	case at.IsZero():
		return false, itil.Invalid("at", "required")
	case s.Status().Active():
		return false, nil
	}
	*s = State{Policy: p.Name(), StartedAt: at, NextAt: at}
	return true, nil
}

// Acknowledge ends an active escalation: by took it on at at, and no more
// pages are due. It reports whether the escalation was active; one that is
// not is left as it is. An empty by or a zero at is a
// *itil.ValidationError.
func (s *State) Acknowledge(by string, at time.Time) (bool, error) {
	switch {
	case by == "":
		return false, itil.Invalid("by", "required")
	case at.IsZero():
		return false, itil.Invalid("at", "required")
	case !s.Status().Active():
		return false, nil
	}
	s.AcknowledgedAt, s.AcknowledgedBy = at, by
	s.StoppedAt, s.StopReason = at, "acknowledged"
	s.NextAt = time.Time{}
	return true, nil
}

// Stop ends an active escalation at at without an acknowledgement, for
// reason ("resolved", "cancelled"). It reports whether the escalation was
// active; one that is not is left as it is.
func (s *State) Stop(reason string, at time.Time) bool {
	if !s.Status().Active() || at.IsZero() {
		return false
	}
	s.StoppedAt, s.StopReason = at, reason
	s.NextAt = time.Time{}
	return true
}
