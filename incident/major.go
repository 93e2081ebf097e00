package incident

import (
	"context"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The journal events of major incident handling; subscribe to them (for
// example with notify.Filter{Events: …}) to page the major incident team.
const (
	EventMajorProposed = "major_proposed"
	EventMajorAccepted = "major_accepted"
	EventMajorRejected = "major_rejected"
	EventMajorDemoted  = "major_demoted"
)

// ProposeMajor proposes the incident as a major incident.
func (d *Desk) ProposeMajor(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	return d.major(ctx, id, EventMajorProposed, MajorNone, MajorProposed, reason, by)
}

// AcceptMajor accepts a proposed major incident. Restrict who may accept
// with the desk's Authorizer (event "major_accepted").
func (d *Desk) AcceptMajor(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	return d.major(ctx, id, EventMajorAccepted, MajorProposed, MajorAccepted, reason, by)
}

// RejectMajor rejects a proposal: the incident stays an ordinary one.
func (d *Desk) RejectMajor(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	return d.major(ctx, id, EventMajorRejected, MajorProposed, MajorNone, reason, by)
}

// DemoteMajor turns an accepted major incident back into an ordinary one.
func (d *Desk) DemoteMajor(ctx context.Context, id uuid.UUID, reason string, by itil.Actor) (*Incident, error) {
	return d.major(ctx, id, EventMajorDemoted, MajorAccepted, MajorNone, reason, by)
}

func (d *Desk) major(ctx context.Context, id uuid.UUID, event string, from, to Major, reason string, by itil.Actor) (*Incident, error) {
	if err := requireText("reason", reason, "required", MaxText); err != nil {
		return nil, err
	}
	if err := requireActor(by); err != nil {
		return nil, err
	}
	return d.fire(ctx, id, lifecycle.Action[*Incident]{Name: event, Actor: by, Note: reason,
		Apply: func(inc *Incident, ed *lifecycle.Edit) error {
			if inc.Major != from || (to != MajorNone && !inc.Open()) {
				state := string(inc.Major)
				if state == "" {
					state = "none"
				}
				return &lifecycle.TransitionError{Kind: Kind + " major", Event: event, State: state, Allowed: majorAllowed(inc.Major)}
			}
			lifecycle.Set(ed, "major", &inc.Major, to)
			return nil
		}})
}

func majorAllowed(m Major) []string {
	switch m {
	case MajorProposed:
		return []string{EventMajorAccepted, EventMajorRejected}
	case MajorAccepted:
		return []string{EventMajorDemoted}
	}
	return []string{EventMajorProposed}
}
