package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// pgCommit is a whole Store.Commit on PostgreSQL in one statement, so in
// one implicit transaction and one round trip. Its inputs are three JSON
// arrays: the records to write ($1, one element per record, as its last
// write leaves it, with the version its first write expects; zero
// creates), the records only read ($2) and the changes in batch order
// ($3).
//
// lk locks every record the batch writes or reads, in ID order (the lock
// is taken above the sort), so two commits never wait on each other in a
// circle; it sees each record's latest committed version. ok holds when
// every version is the one the batch expects. Every write is gated on ok,
// so the statement writes all or nothing; a record created meanwhile by
// another transaction, which lk cannot see, fails the insert with a unique
// violation, which aborts the whole statement. The changes' insert waits
// for the records' writes (its gate counts ins), so that the log's lock,
// which itil_next_change_seq takes, is taken after every row lock.
//
// The statement answers ok, the versions lk found (for the error of a
// stale batch) and the Seq of each change.
const pgCommit = `
WITH w AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(
        id uuid, expect bigint, kind text, number text, state text, state_category text,
        version bigint, created_at timestamptz, updated_at timestamptz, body jsonb, attrs text)
), rd AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS rd(id uuid, version bigint)
), lk AS (
    SELECT id, version, attrs FROM itil_records
    WHERE id IN (SELECT id FROM w UNION ALL SELECT id FROM rd)
    ORDER BY id
    FOR NO KEY UPDATE
), chk AS (
    SELECT NOT EXISTS (SELECT 1 FROM w LEFT JOIN lk USING (id) WHERE lk.version IS DISTINCT FROM nullif(w.expect, 0))
       AND NOT EXISTS (SELECT 1 FROM rd LEFT JOIN lk USING (id) WHERE lk.version IS DISTINCT FROM rd.version) AS ok
), ins AS (
    INSERT INTO itil_records (id, kind, number, state, state_category, version, created_at, updated_at, body, attrs)
    SELECT id, kind, number, state, state_category, version, created_at, updated_at, body, attrs
    FROM w WHERE expect = 0 AND (SELECT ok FROM chk)
    RETURNING id, kind, attrs
), upd AS (
    UPDATE itil_records AS r
    SET number = w.number, state = w.state, state_category = w.state_category, version = w.version,
        updated_at = w.updated_at, body = w.body, attrs = w.attrs
    FROM w, lk
    WHERE r.id = w.id AND lk.id = w.id AND w.expect > 0 AND (SELECT ok FROM chk)
    RETURNING r.id, r.kind, w.attrs, lk.attrs IS DISTINCT FROM w.attrs AS dirty
), n AS (
    SELECT x.id, x.kind, e->>0 AS key, e->>1 AS value
    FROM (SELECT id, kind, attrs FROM ins UNION ALL SELECT id, kind, attrs FROM upd WHERE dirty) AS x,
         jsonb_array_elements(x.attrs::jsonb) AS e
), d AS (
    DELETE FROM itil_record_attrs AS a USING upd
    WHERE upd.dirty AND a.record_id = upd.id
      AND (a.key, a.value) NOT IN (SELECT key, value FROM n WHERE n.id = upd.id)
), i AS (
    INSERT INTO itil_record_attrs (record_id, kind, key, value)
    SELECT id, kind, key, value FROM n
    ON CONFLICT DO NOTHING
), c AS (
    INSERT INTO itil_changes (id, record_id, kind, number, version, event, at, body)
    SELECT id, record_id, kind, number, version, event, at, body
    FROM jsonb_to_recordset($3::jsonb) AS c(
        ord int, id uuid, record_id uuid, kind text, number text, version bigint, event text, at timestamptz, body jsonb)
    WHERE (SELECT ok FROM chk) AND (SELECT count(*) FROM ins) >= 0
    ORDER BY ord
    RETURNING id, seq
)
SELECT ok,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(id, version)), '[]') FROM lk),
    (SELECT coalesce(jsonb_agg(jsonb_build_array(id, seq)), '[]') FROM c)
FROM chk`

// pgWrite, pgRead and pgChange are the elements of pgCommit's arrays.
type (
	pgWrite struct {
		ID            uuid.UUID       `json:"id"`
		Expect        int64           `json:"expect"`
		Kind          string          `json:"kind"`
		Number        string          `json:"number"`
		State         string          `json:"state"`
		StateCategory string          `json:"state_category"`
		Version       int64           `json:"version"`
		CreatedAt     time.Time       `json:"created_at"`
		UpdatedAt     time.Time       `json:"updated_at"`
		Body          json.RawMessage `json:"body"`
		Attrs         string          `json:"attrs"`
	}
	pgRead struct {
		ID      uuid.UUID `json:"id"`
		Version int64     `json:"version"`
	}
	pgChange struct {
		Ord      int             `json:"ord"`
		ID       uuid.UUID       `json:"id"`
		RecordID uuid.UUID       `json:"record_id"`
		Kind     string          `json:"kind"`
		Number   string          `json:"number"`
		Version  int64           `json:"version"`
		Event    string          `json:"event"`
		At       time.Time       `json:"at"`
		Body     json.RawMessage `json:"body"`
	}
)

// commit runs b as pgCommit. rows and crows are b's writes and changes
// encoded; it returns the Seq of each write's change.
func (postgresDialect) commit(ctx context.Context, s *Store, b lifecycle.Batch, rows []recordRow, crows []*changeRow) ([]int64, error) {
	// One element per record: its last write, expecting what its first
	// expects (Batch.Check made sure each write expects the one before).
	first := make(map[uuid.UUID]int, len(rows))
	writes := make([]pgWrite, 0, len(rows))
	for i, r := range rows {
		w := pgWrite{
			ID: r.id, Expect: b.Writes[i].Expect, Kind: r.kind, Number: r.number, State: r.state,
			StateCategory: r.category, Version: r.version, CreatedAt: r.createdAt.UTC(), UpdatedAt: r.updatedAt.UTC(),
			Body: json.RawMessage(r.body), Attrs: r.attrs,
		}
		if k, ok := first[r.id]; ok {
			w.Expect = writes[k].Expect
			writes[k] = w
			continue
		}
		first[r.id] = len(writes)
		writes = append(writes, w)
	}
	reads := make([]pgRead, len(b.Reads))
	for i, rd := range b.Reads {
		reads[i] = pgRead(rd)
	}
	changes := make([]pgChange, 0, len(crows))
	for i, c := range crows {
		if c != nil {
			changes = append(changes, pgChange{
				Ord: i, ID: c.id, RecordID: c.recordID, Kind: c.kind, Number: c.number, Version: c.version,
				Event: c.event, At: c.at.UTC(), Body: json.RawMessage(c.body),
			})
		}
	}
	args := make([]any, 3)
	for i, v := range []any{writes, reads, changes} {
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: commit: encode: %w", err)
		}
		args[i] = string(enc)
	}

	var ok bool
	var found, seqs []byte
	if err := s.db.QueryRowContext(ctx, pgCommit, args...).Scan(&ok, &found, &seqs); err != nil {
		var se sqlState
		if errors.As(err, &se) && se.SQLState() == "23505" { // unique_violation: created meanwhile
			return nil, fmt.Errorf("sqlstore: commit: a record was created meanwhile: %w: %w", lifecycle.ErrExists, err)
		}
		return nil, s.commitError(err)
	}
	if !ok {
		return nil, staleError(b, found)
	}
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal(seqs, &pairs); err != nil {
		return nil, fmt.Errorf("sqlstore: commit: decode: %w", err)
	}
	byID := make(map[uuid.UUID]int64, len(pairs))
	for _, p := range pairs {
		var id uuid.UUID
		var seq int64
		if err := errors.Join(json.Unmarshal(p[0], &id), json.Unmarshal(p[1], &seq)); err != nil {
			return nil, fmt.Errorf("sqlstore: commit: decode: %w", err)
		}
		byID[id] = seq
	}
	out := make([]int64, len(crows))
	for i, c := range crows {
		if c != nil {
			out[i] = byID[c.id]
		}
	}
	return out, nil
}

// staleError tells why pgCommit wrote nothing, from the versions it found
// ([[id, version], …]): the first write, in batch order, whose record is
// taken, missing or at another version, else the first stale read.
func staleError(b lifecycle.Batch, found []byte) error {
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal(found, &pairs); err != nil {
		return fmt.Errorf("sqlstore: commit: decode: %w", err)
	}
	stored := make(map[uuid.UUID]int64, len(pairs))
	for _, p := range pairs {
		var id uuid.UUID
		var v int64
		if err := errors.Join(json.Unmarshal(p[0], &id), json.Unmarshal(p[1], &v)); err != nil {
			return fmt.Errorf("sqlstore: commit: decode: %w", err)
		}
		stored[id] = v
	}
	seen := make(map[uuid.UUID]bool, len(b.Writes))
	for _, w := range b.Writes {
		r := w.Entity.Base()
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		v := stored[r.ID]
		switch {
		case w.Expect == 0 && v != 0:
			return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrExists)
		case w.Expect != 0 && v == 0:
			return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrNotFound)
		case w.Expect != v:
			return fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.Kind, r.Number, v, w.Expect, lifecycle.ErrConflict)
		}
	}
	for _, rd := range b.Reads {
		if v := stored[rd.ID]; v != rd.Version {
			return &lifecycle.StaleReadError{ID: rd.ID, Read: rd.Version, Stored: v}
		}
	}
	return fmt.Errorf("sqlstore: commit: refused, but every version matched: %w", lifecycle.ErrConflict)
}
