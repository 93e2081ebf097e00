package incident

import (
	"context"

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

// ProposeMajor proposes the incident as a major incident; p.Note, the
// reason, is required, as for the other major incident commands.
func (d *Desk) ProposeMajor(ctx context.Context, p Params) (*Incident, error) {
	return d.major(ctx, p, EventMajorProposed, MajorNone, MajorProposed)
}

// AcceptMajor accepts a proposed major incident. Restrict who may accept
// with the desk's Authorizer (event "major_accepted").
func (d *Desk) AcceptMajor(ctx context.Context, p Params) (*Incident, error) {
	return d.major(ctx, p, EventMajorAccepted, MajorProposed, MajorAccepted)
}

// RejectMajor rejects a proposal: the incident stays an ordinary one.
func (d *Desk) RejectMajor(ctx context.Context, p Params) (*Incident, error) {
	return d.major(ctx, p, EventMajorRejected, MajorProposed, MajorNone)
}

// DemoteMajor turns an accepted major incident back into an ordinary one.
func (d *Desk) DemoteMajor(ctx context.Context, p Params) (*Incident, error) {
	return d.major(ctx, p, EventMajorDemoted, MajorAccepted, MajorNone)
}

func (d *Desk) major(ctx context.Context, p Params, event string, from, to Major) (*Incident, error) {
	a, err := common(p, "say why")
	if err != nil {
		return nil, err
	}
	a.Name = event
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if inc.Major != from || (to != MajorNone && !inc.Open()) {
			state := string(inc.Major)
			if state == "" {
				state = "none"
			}
			return &lifecycle.TransitionError{Kind: Kind + " major", Event: event, State: state, Allowed: majorAllowed(inc.Major)}
		}
		lifecycle.Set(ed, "major", &inc.Major, to)
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
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
