package storetest

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/lifecycle"
)

// createWrite returns the write that creates it, with its change.
func createWrite(it *Item) lifecycle.Write {
	ch := createChange(it, it.CreatedAt)
	return lifecycle.Write{Entity: it.Clone(), Change: &ch}
}

// updateWrite moves it to its next version in place, as tryUpdate does
// (edit, Counter++, Version++), and returns the write that saves it, with
// its change.
func (f *fixture) updateWrite(it *Item, event string, edit func(*Item)) lifecycle.Write {
	prev, from := it.Version, it.State
	if edit != nil {
		edit(it)
	}
	it.Counter++
	it.StateCategory = states[it.State]
	it.Version++
	it.UpdatedAt = f.tick()
	ch := updateChange(it, event, from, it.UpdatedAt)
	return lifecycle.Write{Entity: it.Clone(), Expect: prev, Change: &ch}
}

// readOf pins it at the version it has.
func readOf(it *Item) lifecycle.Read { return lifecycle.Read{ID: it.ID, Version: it.Version} }

// readAll returns the whole log through ReadLog, read in pages of limit.
func (f *fixture) readAll(limit int) []lifecycle.Change {
	f.t.Helper()
	var out []lifecycle.Change
	var after int64
	for {
		page, err := f.st.ReadLog(f.ctx, after, limit)
		if !assert.NoError(f.t, err, "ReadLog after %d", after) || len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}

// snapshot is what a refused write must leave as it was: the records (as
// JSON, "" when missing), their journals, the log, the outbox as a new
// consumer sees it, and what Find answers for the suite's attribute values.
type snapshot struct {
	records  map[uuid.UUID]string
	journals map[uuid.UUID][]lifecycle.Change
	log      []lifecycle.Change
	outbox   []lifecycle.Change
	finds    map[string][]uuid.UUID
}

// snapshotConds are the conditions a snapshot records the answers of.
var snapshotConds = []lifecycle.Cond{
	lifecycle.Eq("owner", "alice", "bob", "carol", "mallory"),
	lifecycle.Eq("owner", "mallory"),
	lifecycle.Eq("tag", "red", "blue", "stale"),
	lifecycle.Eq("tag", "stale"),
	lifecycle.Eq("state", "new", "open", "hold", "done"),
	lifecycle.Eq("state", "done"),
}

// snap records the state of the records with the given IDs and of the log.
func (f *fixture) snap(ids ...uuid.UUID) snapshot {
	f.t.Helper()
	s := snapshot{
		records:  map[uuid.UUID]string{},
		journals: map[uuid.UUID][]lifecycle.Change{},
		finds:    map[string][]uuid.UUID{},
		log:      f.readAll(100),
		outbox:   f.claim(fmt.Sprintf("snapshot-%d", f.n.Add(1)), "h", 1000),
	}
	for _, id := range ids {
		e, err := f.st.Get(f.ctx, id, NewItem)
		if err != nil {
			assert.ErrorIs(f.t, err, lifecycle.ErrNotFound, "Get %s", id)
			s.records[id] = ""
			continue
		}
		s.records[id] = mustJSON(f.t, e)
		s.journals[id] = f.journal(id)
	}
	for _, c := range append(snapshotConds, lifecycle.Cond{}) {
		q := lifecycle.Query{}
		if c.Key != "" {
			q.Where = []lifecycle.Cond{c}
		}
		s.finds[fmt.Sprint(c)] = idsOf(f.find(q))
	}
	return s
}

// assertSame asserts that now holds what before held.
func assertSame(t assert.TestingT, before, now snapshot, what string) {
	for id, rec := range before.records {
		if rec == "" {
			assert.Empty(t, now.records[id], "%s: record %s is still missing", what, id)
			continue
		}
		assert.JSONEq(t, rec, now.records[id], "%s: record %s is unchanged", what, id)
		assert.Equal(t, mustMarshal(before.journals[id]), mustMarshal(now.journals[id]), "%s: the journal of %s is unchanged", what, id)
	}
	assert.Equal(t, mustMarshal(before.log), mustMarshal(now.log), "%s: the log is unchanged", what)
	assert.Equal(t, changeIDs(before.outbox), changeIDs(now.outbox), "%s: the outbox is unchanged", what)
	assert.Equal(t, before.finds, now.finds, "%s: the indexes are unchanged", what)
}

// mustMarshal returns v as JSON, or the error's text.
func mustMarshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// seqsOf returns the changes' Seqs in order.
func seqsOf(chs []*lifecycle.Change) []int64 {
	out := make([]int64, len(chs))
	for i, ch := range chs {
		out[i] = ch.Seq
	}
	return out
}
