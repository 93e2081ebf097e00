package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// testCommit checks Store.Commit: several records written at once, all or
// nothing.
func testCommit(t *testing.T, s *suite) {
	s.run(t, "Mixed", func(t *testing.T, f *fixture) {
		a := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red"} })
		b := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red"} })
		f.create(a)
		f.create(b)
		f.update(a, "start", func(it *Item) { it.State = "open" })
		before := f.readAll(100)
		require.Len(t, before, 3)
		journalA := f.journal(a.ID)

		c := f.item(itemKind, func(it *Item) { it.Owner = "carol"; it.Tags = []string{"green"} })
		d := f.item(itemKind, func(it *Item) { it.Owner = "dave" }) // written without a change
		writes := []lifecycle.Write{createWrite(c)}
		writes = append(writes, f.updateWrite(a, "reassign", func(it *Item) { it.Owner = "bob"; it.Tags = []string{"blue"} }))
		writes = append(writes, f.updateWrite(b, "start", func(it *Item) { it.State = "open" }))
		writes = append(writes, f.updateWrite(a, "hold", func(it *Item) { it.State = "hold"; it.Tags = append(it.Tags, "green") }))
		writes = append(writes, lifecycle.Write{Entity: d.Clone()})
		writes = append(writes, f.updateWrite(c, "start", func(it *Item) { it.State = "open" }))
		require.NoError(t, f.st.Commit(f.ctx, lifecycle.Batch{Writes: writes}))

		for _, it := range []*Item{a, b, c, d} {
			sameItem(t, it, f.get(it.ID), "%s is stored as its last write left it", it.Number)
		}

		chs := changesOf(writes)
		seqs := seqsOf(chs)
		for i, seq := range seqs {
			assert.Greater(t, seq, before[len(before)-1].Seq, "change %d: the Seq is set, after the log's end", i)
			if i > 0 {
				assert.Greater(t, seq, seqs[i-1], "change %d: Seqs increase in batch order", i)
				if !s.cfg.sparseSeq {
					assert.Equal(t, seqs[i-1]+1, seq, "change %d: a commit's Seqs are consecutive", i)
				}
			}
		}

		got := f.readAll(100)
		if assert.Len(t, got, len(before)+len(chs), "the log holds every change of the batch, and nothing for the write without one") {
			for i, ch := range chs {
				sameChange(t, *ch, got[len(before)+i], "log entry %d of the batch", i)
				assert.Equal(t, ch.Seq, got[len(before)+i].Seq, "log entry %d of the batch", i)
			}
		}
		assert.Equal(t, changeIDs(got), changeIDs(f.claim("fresh", "h", 100)), "a new consumer sees the same log")

		wantA := append(journalA, *writes[1].Change, *writes[3].Change)
		for _, j := range []struct {
			it   *Item
			want []lifecycle.Change
		}{
			{a, wantA},
			{b, []lifecycle.Change{before[1], *writes[2].Change}},
			{c, []lifecycle.Change{*writes[0].Change, *writes[5].Change}},
			{d, nil},
		} {
			got := f.journal(j.it.ID)
			if assert.Len(t, got, len(j.want), "journal of %s", j.it.Number) {
				for i := range got {
					sameChange(t, j.want[i], got[i], "journal of %s, entry %d", j.it.Number, i)
					assert.Equal(t, j.want[i].Seq, got[i].Seq, "journal of %s, entry %d", j.it.Number, i)
					if i > 0 {
						assert.Greater(t, got[i].Version, got[i-1].Version, "journal of %s in version order", j.it.Number)
					}
				}
			}
		}

		for _, q := range []struct {
			cond lifecycle.Cond
			want []*Item
		}{
			{lifecycle.Eq("owner", "alice"), []*Item{b}},
			{lifecycle.Eq("owner", "bob"), []*Item{a}},
			{lifecycle.Eq("owner", "carol"), []*Item{c}},
			{lifecycle.Eq("owner", "dave"), []*Item{d}},
			{lifecycle.Eq("tag", "red"), []*Item{b}},
			{lifecycle.Eq("tag", "blue"), []*Item{a}},
			{lifecycle.Eq("tag", "green"), []*Item{a, c}},
			{lifecycle.Eq("state", "hold"), []*Item{a}},
			{lifecycle.Eq("state", "open"), []*Item{b, c}},
			{lifecycle.Eq("state", "new"), []*Item{d}},
			{lifecycle.Eq("state_category", "paused"), []*Item{a}},
		} {
			assert.Equal(t, sortedIDs(q.want, nil), idsOf(f.find(lifecycle.Query{Where: []lifecycle.Cond{q.cond}})),
				"Find %s=%v: every record of the batch is indexed as written", q.cond.Key, q.cond.Values)
		}

		// The store kept copies.
		for _, w := range writes {
			scribble(w.Entity.(*Item))
			if w.Change != nil {
				scribbleChange(w.Change)
			}
		}
		for _, it := range []*Item{a, b, c, d} {
			sameItem(t, it, f.get(it.ID), "%s: changing what was committed changes nothing stored", it.Number)
		}
		assert.Equal(t, mustMarshal(got), mustMarshal(f.readAll(100)), "changing what was committed changes nothing logged")
	})

	s.run(t, "ReadsOnly", func(t *testing.T, f *fixture) {
		a, b := f.item(itemKind), f.item(itemKind)
		f.create(a)
		f.create(b)
		f.update(b, "edit", nil)
		before := f.snap(a.ID, b.ID)
		require.NoError(t, f.st.Commit(f.ctx, lifecycle.Batch{Reads: []lifecycle.Read{readOf(a), readOf(b)}}),
			"a batch of current reads")
		assertSame(t, before, f.snap(a.ID, b.ID), "a batch of reads")

		err := f.st.Commit(f.ctx, lifecycle.Batch{Reads: []lifecycle.Read{readOf(a), {ID: b.ID, Version: 1}}})
		var stale *lifecycle.StaleReadError
		require.ErrorAs(t, err, &stale)
		assert.Equal(t, lifecycle.StaleReadError{ID: b.ID, Read: 1, Stored: 2}, *stale)
		assert.ErrorIs(t, err, lifecycle.ErrConflict)
		assertSame(t, before, f.snap(a.ID, b.ID), "a batch of reads, one stale")
	})

	testCommitAllOrNothing(t, s)
	testCommitCheck(t, s)

	s.run(t, "Cancelled", func(t *testing.T, f *fixture) {
		a := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
		f.create(a)
		c := f.item(itemKind, func(it *Item) { it.Owner = "mallory" })
		before := f.snap(a.ID, c.ID)
		ctx, cancel := context.WithCancel(f.ctx)
		cancel()
		next := a.Clone().(*Item)
		err := f.st.Commit(ctx, lifecycle.Batch{Writes: []lifecycle.Write{
			createWrite(c),
			f.updateWrite(next, "edit", func(it *Item) { it.Owner = "mallory" }),
		}})
		assert.ErrorIs(t, err, context.Canceled)
		assertSame(t, before, f.snap(a.ID, c.ID), "a cancelled commit")
	})
}

// testCommitAllOrNothing checks that a batch that fails on one of its
// parts writes none of them.
func testCommitAllOrNothing(t *testing.T, s *suite) {
	// Each case makes a batch over a and b (stored, at version 2) and c
	// (new), which must fail with the error the case checks.
	type parts = batchParts
	missing := func(f *fixture) *Item { return f.item(itemKind, func(it *Item) { it.Owner = "mallory" }) }
	cases := []struct {
		name  string
		batch func(f *fixture, p parts) lifecycle.Batch
		check func(t *testing.T, err error, p parts)
	}{
		{
			name: "StaleLastWrite",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				w := []lifecycle.Write{createWrite(p.c), f.updateWrite(p.a, "edit", nil), f.updateWrite(p.b, "edit", nil)}
				w[2].Expect--
				return lifecycle.Batch{Writes: w}
			},
			check: isConflict,
		},
		{
			name: "StaleFirstWrite",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				w := []lifecycle.Write{f.updateWrite(p.a, "edit", nil), createWrite(p.c), f.updateWrite(p.b, "edit", nil)}
				w[0].Expect++
				return lifecycle.Batch{Writes: w}
			},
			check: isConflict,
		},
		{
			name: "StaleWriteOfRecordWrittenTwice",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				w := []lifecycle.Write{f.updateWrite(p.a, "edit", nil), createWrite(p.c), f.updateWrite(p.a, "edit", nil)}
				w[0].Entity.Base().Version++ // both writes one version ahead of the stored record
				w[0].Expect++
				w[2].Entity.Base().Version++
				w[2].Expect++
				return lifecycle.Batch{Writes: w}
			},
			check: isConflict,
		},
		{
			name: "StaleRead",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				return lifecycle.Batch{
					Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.b, "edit", nil)},
					Reads:  []lifecycle.Read{{ID: p.a.ID, Version: p.a.Version - 1}},
				}
			},
			check: func(t *testing.T, err error, p parts) {
				var stale *lifecycle.StaleReadError
				if assert.ErrorAs(t, err, &stale) {
					assert.Equal(t, lifecycle.StaleReadError{ID: p.a.ID, Read: p.a.Version - 1, Stored: p.a.Version}, *stale)
				}
				assert.ErrorIs(t, err, lifecycle.ErrConflict, "a stale read is a conflict")
			},
		},
		{
			name: "ReadOfGone",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				gone := missing(f)
				return lifecycle.Batch{
					Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.b, "edit", nil)},
					Reads:  []lifecycle.Read{readOf(p.a), {ID: gone.ID, Version: 1}},
				}
			},
			check: func(t *testing.T, err error, p parts) {
				var stale *lifecycle.StaleReadError
				if assert.ErrorAs(t, err, &stale) {
					assert.Zero(t, stale.Stored, "a missing record has no version")
					assert.Equal(t, int64(1), stale.Read)
				}
				assert.ErrorIs(t, err, lifecycle.ErrConflict)
			},
		},
		{
			name: "TakenID",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				dup := missing(f)
				dup.ID = p.b.ID
				return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.a, "edit", nil), createWrite(dup)}}
			},
			check: func(t *testing.T, err error, _ parts) { assert.ErrorIs(t, err, lifecycle.ErrExists) },
		},
		{
			name: "UpdateOfMissing",
			batch: func(f *fixture, p parts) lifecycle.Batch {
				gone := missing(f)
				return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.a, "edit", nil), f.updateWrite(gone, "edit", nil)}}
			},
			check: func(t *testing.T, err error, _ parts) {
				assert.ErrorIs(t, err, lifecycle.ErrNotFound)
				assert.NotErrorIs(t, err, lifecycle.ErrConflict)
			},
		},
	}
	s.run(t, "AllOrNothing", func(t *testing.T, f *fixture) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				a := f.item(itemKind, func(it *Item) { it.Owner = "alice"; it.Tags = []string{"red"} })
				b := f.item(itemKind, func(it *Item) { it.Owner = "bob"; it.Tags = []string{"blue"} })
				f.create(a)
				f.create(b)
				f.update(a, "start", func(it *Item) { it.State = "open" })
				f.update(b, "start", func(it *Item) { it.State = "open" })
				c := f.item(itemKind, func(it *Item) { it.Owner = "mallory"; it.Tags = []string{"stale"} })
				ids := []uuid.UUID{a.ID, b.ID, c.ID}
				before := f.snap(ids...)

				p := parts{a: a.Clone().(*Item), b: b.Clone().(*Item), c: c.Clone().(*Item)}
				// The batch's writes leave the records in states no stored
				// record has, which the snapshot's Finds would show.
				for _, it := range []*Item{p.a, p.b} {
					it.Owner, it.Tags, it.State = "mallory", []string{"stale"}, "done"
				}
				batch := tc.batch(f, p)
				err := f.st.Commit(f.ctx, batch)
				require.Error(t, err)
				tc.check(t, err, parts{a: a, b: b, c: c})
				assertSame(t, before, f.snap(ids...), tc.name)
				for _, w := range batch.Writes {
					if w.Change != nil {
						assert.Zero(t, w.Change.Seq, "a refused commit sets no Seq")
					}
				}

				// The store takes the right batch after the refused one.
				require.NoError(t, f.st.Commit(f.ctx, lifecycle.Batch{Writes: []lifecycle.Write{
					createWrite(c), f.updateWrite(a, "edit", nil), f.updateWrite(b, "edit", nil),
				}}))
				for _, it := range []*Item{a, b, c} {
					sameItem(t, it, f.get(it.ID))
				}
			})
		}
	})
}

// batchParts are the records a case of the commit tests builds its batch
// on: a and b stored, c not yet.
type batchParts struct{ a, b, c *Item }

// isConflict checks that err is a stale write: ErrConflict, not a stale
// read.
func isConflict(t *testing.T, err error, _ batchParts) {
	t.Helper()
	assert.ErrorIs(t, err, lifecycle.ErrConflict)
	var stale *lifecycle.StaleReadError
	assert.False(t, errors.As(err, &stale), "a stale write is not a stale read: %v", err)
}

// testCommitCheck checks that a malformed batch is refused with a
// *itil.ValidationError naming its bad part, before anything is written.
func testCommitCheck(t *testing.T, s *suite) {
	type parts = batchParts
	cases := []struct {
		name  string
		field string
		batch func(f *fixture, p parts) lifecycle.Batch
	}{
		{"Empty", "batch", func(*fixture, parts) lifecycle.Batch { return lifecycle.Batch{} }},
		{"NilEntity", "writes[1].entity", func(f *fixture, p parts) lifecycle.Batch {
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), {Expect: 1}}}
		}},
		{"NilID", "writes[1].entity.id", func(f *fixture, p parts) lifecycle.Batch {
			w := f.updateWrite(p.a, "edit", nil)
			w.Entity.Base().ID = uuid.Nil
			w.Change.RecordID = uuid.Nil
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), w}}
		}},
		{"NegativeExpect", "writes[1].expect", func(f *fixture, p parts) lifecycle.Batch {
			w := f.updateWrite(p.a, "edit", nil)
			w.Expect = -1
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), w}}
		}},
		{"ChangeOfAnotherRecord", "writes[1].change.record_id", func(f *fixture, p parts) lifecycle.Batch {
			w := f.updateWrite(p.a, "edit", nil)
			w.Change.RecordID = p.b.ID
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), w}}
		}},
		{"SecondWriteExpectsFirstsExpect", "writes[2].expect", func(f *fixture, p parts) lifecycle.Batch {
			first := f.updateWrite(p.a, "edit", nil)
			second := f.updateWrite(p.a, "edit", nil)
			second.Expect = first.Expect
			return lifecycle.Batch{Writes: []lifecycle.Write{first, createWrite(p.c), second}}
		}},
		{"CreatedTwice", "writes[2].expect", func(f *fixture, p parts) lifecycle.Batch {
			dup := f.item(itemKind, func(it *Item) { it.Owner = "mallory" })
			dup.ID = p.c.ID
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.a, "edit", nil), createWrite(dup)}}
		}},
		{"ReadOfWritten", "reads[0].id", func(f *fixture, p parts) lifecycle.Batch {
			r := readOf(p.a)
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c), f.updateWrite(p.a, "edit", nil)}, Reads: []lifecycle.Read{r}}
		}},
		{"ReadTwice", "reads[1].id", func(f *fixture, p parts) lifecycle.Batch {
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c)}, Reads: []lifecycle.Read{readOf(p.b), readOf(p.b)}}
		}},
		{"ReadVersionZero", "reads[0].version", func(f *fixture, p parts) lifecycle.Batch {
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c)}, Reads: []lifecycle.Read{{ID: p.b.ID}}}
		}},
		{"ReadNilID", "reads[0].id", func(f *fixture, p parts) lifecycle.Batch {
			return lifecycle.Batch{Writes: []lifecycle.Write{createWrite(p.c)}, Reads: []lifecycle.Read{{Version: 1}}}
		}},
	}
	s.run(t, "Check", func(t *testing.T, f *fixture) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				a := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
				b := f.item(itemKind, func(it *Item) { it.Owner = "bob" })
				f.create(a)
				f.create(b)
				c := f.item(itemKind, func(it *Item) { it.Owner = "mallory" })
				ids := []uuid.UUID{a.ID, b.ID, c.ID}
				before := f.snap(ids...)
				err := f.st.Commit(f.ctx, tc.batch(f, parts{a: a.Clone().(*Item), b: b.Clone().(*Item), c: c.Clone().(*Item)}))
				var verr *itil.ValidationError
				if assert.ErrorAs(t, err, &verr) {
					assert.Equal(t, tc.field, verr.Field, "the field named: %v", err)
				}
				assert.ErrorIs(t, err, itil.ErrInvalid)
				assert.NotErrorIs(t, err, lifecycle.ErrConflict, "a malformed batch is not retried")
				assertSame(t, before, f.snap(ids...), tc.name)
			})
		}
	})
}

// changesOf returns the changes of writes, in order.
func changesOf(writes []lifecycle.Write) []*lifecycle.Change {
	var out []*lifecycle.Change
	for _, w := range writes {
		if w.Change != nil {
			out = append(out, w.Change)
		}
	}
	return out
}
