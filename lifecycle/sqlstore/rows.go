package sqlstore

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// recordRow is a record as the records table holds it.
type recordRow struct {
	id                   uuid.UUID
	kind, number, state  string
	category             string
	version              int64
	createdAt, updatedAt time.Time
	body                 string // the entity as JSON
	attrs                string // the entity's attributes as a JSON array of [key, value] pairs
	hasAttrs             bool
}

// newRecordRow encodes e, refusing text the database would not keep as it
// is with a *itil.ValidationError naming the field under prefix ("" or
// "writes[1]."). The encoding is a copy: nothing of e is kept.
func newRecordRow(e lifecycle.Entity, prefix string) (recordRow, error) {
	r := e.Base()
	body, err := json.Marshal(e)
	if err != nil {
		return recordRow{}, fmt.Errorf("sqlstore: encode %s %s: %w", r.Kind, r.ID, err)
	}
	if err := checkJSON(body, prefix+"record"); err != nil {
		return recordRow{}, err
	}
	attrs := e.Attrs(nil)
	if err := lifecycle.CheckStorableAttrs(attrs, prefix); err != nil {
		return recordRow{}, err
	}
	pairs := make([][2]string, len(attrs))
	for i, a := range attrs {
		pairs[i] = [2]string{a.Key, a.Value}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	pairs = slices.Compact(pairs)
	enc, err := json.Marshal(pairs)
	if err != nil {
		return recordRow{}, fmt.Errorf("sqlstore: encode attributes of %s %s: %w", r.Kind, r.ID, err)
	}
	return recordRow{
		id: r.ID, kind: r.Kind, number: r.Number, state: r.State,
		category: r.StateCategory.String(), version: r.Version,
		createdAt: r.CreatedAt, updatedAt: r.UpdatedAt,
		body: string(body), attrs: string(enc), hasAttrs: len(pairs) > 0,
	}, nil
}

// changeRow is a change as the changes table holds it, Seq aside.
type changeRow struct {
	id, recordID        uuid.UUID
	kind, number, event string
	version             int64
	at                  time.Time
	body                string // the change as JSON, with Seq zero
}

// newChangeRow encodes ch, refusing text as newRecordRow does.
func newChangeRow(ch *lifecycle.Change, prefix string) (changeRow, error) {
	c := *ch
	c.Seq = 0
	body, err := json.Marshal(c)
	if err != nil {
		return changeRow{}, fmt.Errorf("sqlstore: encode change %s: %w", ch.ID, err)
	}
	if err := checkJSON(body, prefix+"change"); err != nil {
		return changeRow{}, err
	}
	return changeRow{
		id: c.ID, recordID: c.RecordID, kind: c.Kind, number: c.Number, event: c.Event,
		version: c.Version, at: c.At, body: string(body),
	}, nil
}

// decodeChange decodes a change's body and sets its Seq.
func decodeChange(seq int64, body []byte) (lifecycle.Change, error) {
	var c lifecycle.Change
	if err := json.Unmarshal(body, &c); err != nil {
		return c, fmt.Errorf("sqlstore: decode change %d: %w", seq, err)
	}
	c.Seq = seq
	return c, nil
}

// decodeEntity decodes a record's body into a new entity from zero.
func decodeEntity(zero func() lifecycle.Entity, body []byte) (lifecycle.Entity, error) {
	if zero == nil {
		return nil, fmt.Errorf("sqlstore: no func to make an entity to decode into (Get's zero, Query.New)")
	}
	e := zero()
	if err := json.Unmarshal(body, e); err != nil {
		return nil, fmt.Errorf("sqlstore: decode %T: %w", e, err)
	}
	return e, nil
}
