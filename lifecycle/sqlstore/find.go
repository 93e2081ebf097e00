package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// batchSize is how many rows Find and Journal read per query. Rows are
// read and closed before they are yielded, so that the caller may use the
// store while it iterates, even over a pool of one connection.
const batchSize = 256

// recordColumns are the conditions Find answers from the records table;
// every other key is an entity attribute.
var recordColumns = map[string]string{
	"state":          "state",
	"state_category": "state_category",
	"number":         "number",
}

// Find implements lifecycle.Store. It reads pages of at most 256 records
// by ID from the indexes: (kind, id) for the kind, (kind, state, id) and
// alike for the record's own fields, and (kind, key, value, record_id) for
// the entity's attributes. Records are decoded into q.New().
func (s *Store) Find(ctx context.Context, q lifecycle.Query) iter.Seq2[lifecycle.Entity, error] {
	return func(yield func(lifecycle.Entity, error) bool) {
		if q.Kind == "" {
			yield(nil, &itil.ValidationError{Field: "kind", Reason: "required"})
			return
		}
		if q.New == nil {
			yield(nil, &itil.ValidationError{Field: "new", Reason: "required: a func that makes an entity to decode into"})
			return
		}
		for _, c := range q.Where {
			if len(c.Values) == 0 {
				return // a condition that no value satisfies
			}
		}
		after, left := q.After, q.Limit
		if left <= 0 {
			left = -1
		}
		for left != 0 {
			want := batchSize
			if left > 0 && left < want {
				want = left
			}
			batch, err := s.findBatch(ctx, q, after, want)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, e := range batch {
				if !yield(e, nil) {
					return
				}
			}
			if len(batch) < want {
				return
			}
			after = batch[len(batch)-1].Base().ID
			if left > 0 {
				left -= len(batch)
			}
		}
	}
}

// findBatch reads up to want records matching q with IDs after after.
func (s *Store) findBatch(ctx context.Context, q lifecycle.Query, after uuid.UUID, want int) ([]lifecycle.Entity, error) {
	var b strings.Builder
	args := make([]any, 0, 8)
	arg := func(v any) string {
		args = append(args, v)
		return s.d.ph(len(args))
	}
	in := func(values []string) {
		b.WriteString(" IN (")
		for i, v := range values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(arg(v))
		}
		b.WriteString(")")
	}
	b.WriteString("SELECT body FROM itil_records WHERE kind = ")
	b.WriteString(arg(q.Kind))
	b.WriteString(" AND id > ")
	b.WriteString(arg(s.d.id(after)))
	for _, c := range q.Where {
		if col, ok := recordColumns[c.Key]; ok {
			b.WriteString(" AND " + col)
			in(c.Values)
			continue
		}
		b.WriteString(" AND id IN (SELECT record_id FROM itil_record_attrs WHERE kind = ")
		b.WriteString(arg(q.Kind))
		b.WriteString(" AND key = ")
		b.WriteString(arg(c.Key))
		b.WriteString(" AND value")
		in(c.Values)
		b.WriteString(")")
	}
	b.WriteString(" ORDER BY id LIMIT ")
	b.WriteString(arg(want))

	rows, err := s.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find %s: %w", q.Kind, err)
	}
	defer rows.Close()
	out := make([]lifecycle.Entity, 0, min(want, 16))
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("sqlstore: find %s: %w", q.Kind, err)
		}
		e, err := decodeEntity(q.New, body)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: find %s: %w", q.Kind, err)
	}
	return out, nil
}

// Journal implements lifecycle.Store: the record's changes in log order,
// read in pages of 256. A record that does not exist yields one error
// wrapping lifecycle.ErrNotFound.
func (s *Store) Journal(ctx context.Context, id uuid.UUID) iter.Seq2[lifecycle.Change, error] {
	query := fmt.Sprintf("SELECT seq, body FROM itil_changes WHERE record_id = %s AND seq > %s ORDER BY seq LIMIT %s",
		s.d.ph(1), s.d.ph(2), s.d.ph(3))
	return func(yield func(lifecycle.Change, error) bool) {
		var after int64
		for first := true; ; first = false {
			batch, err := queryChanges(ctx, s.db, query, s.d.id(id), after, batchSize)
			if err != nil {
				yield(lifecycle.Change{}, fmt.Errorf("sqlstore: journal %s: %w", id, err))
				return
			}
			if first && len(batch) == 0 {
				if err := s.mustExist(ctx, id); err != nil {
					yield(lifecycle.Change{}, err)
				}
				return
			}
			for _, ch := range batch {
				if !yield(ch, nil) {
					return
				}
			}
			if len(batch) < batchSize {
				return
			}
			after = batch[len(batch)-1].Seq
		}
	}
}

// mustExist returns an error wrapping lifecycle.ErrNotFound when there is
// no record with the ID.
func (s *Store) mustExist(ctx context.Context, id uuid.UUID) error {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM itil_records WHERE id = "+s.d.ph(1), s.d.id(id)).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("record %s: %w", id, lifecycle.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlstore: journal %s: %w", id, err)
	}
	return nil
}

// queryChanges runs a query that selects seq and body from the log.
func queryChanges(ctx context.Context, db *sql.DB, query string, args ...any) ([]lifecycle.Change, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lifecycle.Change
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, err
		}
		ch, err := decodeChange(seq, body)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}
