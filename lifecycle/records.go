package lifecycle

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// Records is the read side that every service shares: a service embeds it,
// and its Get, GetByNumber and Journal are the service's.
//
//	type Desk struct {
//		lifecycle.Records[*Incident]
//		…
//	}
type Records[T Entity] struct {
	p *Process[T]
}

// Records returns the read side of the process, for a service to embed.
func (p *Process[T]) Records() Records[T] { return Records[T]{p: p} }

// Get returns the record with the given ID, or an error wrapping
// ErrNotFound (also for a record of another kind).
func (r Records[T]) Get(ctx context.Context, id uuid.UUID) (T, error) { return r.p.Get(ctx, id) }

// GetByNumber returns the record with the given human number, such as
// "INC0000042", or an error wrapping ErrNotFound.
func (r Records[T]) GetByNumber(ctx context.Context, number string) (T, error) {
	return r.p.GetByNumber(ctx, number)
}

// Journal yields the record's changes, oldest first, each with its Seq.
func (r Records[T]) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[Change, error] {
	return r.p.Journal(ctx, id)
}

// maxNumberLength caps the text GetByNumber looks up, in characters: a
// number is a prefix of at most 16 and at most 18 digits; the cap leaves room for a host's own numbering.
const maxNumberLength = 256
