package problem

import (
	"context"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// Desk is what a Manager asks of the incident desk it works with;
// *incident.Desk implements it. The desk's incidents must live in the
// manager's store: a link is written on both sides in one commit
// (LinkIn stages the incident's side in the manager's lifecycle.Tx).
// Implementations must be safe for concurrent use.
type Desk interface {
	// Get returns an incident, or an error wrapping lifecycle.ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*incident.Incident, error)
	// Find yields the incidents that match q.
	Find(ctx context.Context, q incident.Query) iter.Seq2[*incident.Incident, error]
	// Journal yields an incident's changes, oldest first, with their Seq.
	Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error]
	// LinkIn stages in tx a link from the incident p.ID to p.Ref, or its
	// removal with p.Remove.
	LinkIn(ctx context.Context, tx *lifecycle.Tx, p incident.LinkParams) (*incident.Incident, error)
	// Comment adds p.Note as a note the incident's caller sees.
	Comment(ctx context.Context, p incident.Params) (*incident.Incident, error)
	// WorkNote adds p.Note as a note for the people working the incident.
	WorkNote(ctx context.Context, p incident.Params) (*incident.Incident, error)
	// Resolve resolves the incident with p.Code, p.Note as the notes.
	Resolve(ctx context.Context, p incident.ResolveParams) (*incident.Incident, error)
}

var _ Desk = (*incident.Desk)(nil)

// newIncident makes an incident for the stores that decode records.
func newIncident() lifecycle.Entity { return new(incident.Incident) }

// incidentIn reads an incident through tx, which pins the version read.
func incidentIn(ctx context.Context, tx *lifecycle.Tx, id uuid.UUID) (*incident.Incident, error) {
	e, err := tx.Get(ctx, id, newIncident)
	if err != nil {
		return nil, err
	}
	inc, ok := e.(*incident.Incident)
	if !ok || inc.Kind != incident.Kind {
		return nil, fmt.Errorf("incident %s: %w", id, lifecycle.ErrNotFound)
	}
	return inc, nil
}
