package storetest

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// testJournal checks that a record's journal holds every change made to it,
// in order and intact.
func testJournal(t *testing.T, s *suite) {
	s.run(t, "Order", func(t *testing.T, f *fixture) {
		it := f.item(itemKind)
		want := []lifecycle.Change{f.create(it)}
		steps := []struct{ event, state string }{
			{"start", "open"}, {"hold", "hold"}, {"resume", "open"}, {"comment", "open"}, {"resolve", "done"},
		}
		for _, st := range steps {
			want = append(want, f.update(it, st.event, func(it *Item) { it.State = st.state }))
		}
		// A change with no note, no field changes and an actor without groups.
		prev := it.Version
		it.Version++
		it.State, it.StateCategory = "closed", lifecycle.Closed
		bare := lifecycle.Change{
			ID: mustV7(), Kind: it.Kind, RecordID: it.ID, Number: it.Number, Version: it.Version,
			Event: "close", From: "done", To: "closed", Actor: actorSystem(), At: f.tick(),
		}
		require.NoError(t, f.st.Update(f.ctx, it, prev, &bare))
		want = append(want, bare)

		got := f.journal(it.ID)
		require.Len(t, got, len(want))
		for i := range got {
			sameChange(t, want[i], got[i], "change %d", i)
			assert.Equal(t, int64(i+1), got[i].Version, "change %d", i)
			assert.Positive(t, want[i].Seq, "change %d: the store writes the Seq it assigned back into the Change", i)
			assert.Equal(t, want[i].Seq, got[i].Seq, "change %d: Seq as assigned", i)
			if i > 0 {
				assert.Greater(t, got[i].Seq, got[i-1].Seq, "change %d: Seq increases", i)
			}
		}
		assert.Equal(t, "create", got[0].Event)
		assert.Empty(t, got[0].From)
		assert.Equal(t, "new", got[0].To)
		assert.Equal(t, "hold", got[2].To)
		assert.Equal(t, "hold", got[3].From)
		assert.True(t, got[6].Actor.System)
	})

	s.run(t, "PerRecord", func(t *testing.T, f *fixture) {
		a, b := f.item(itemKind), f.item(otherKind)
		wantA := []lifecycle.Change{f.create(a)}
		wantB := []lifecycle.Change{f.create(b)}
		for i := range 4 {
			wantA = append(wantA, f.update(a, "edit", nil))
			if i%2 == 0 {
				wantB = append(wantB, f.update(b, "edit", nil))
			}
		}
		for _, rec := range []struct {
			id   uuid.UUID
			want []lifecycle.Change
		}{{a.ID, wantA}, {b.ID, wantB}} {
			got := f.journal(rec.id)
			if assert.Equal(t, changeIDs(rec.want), changeIDs(got)) {
				for i := range got {
					sameChange(t, rec.want[i], got[i])
					assert.Equal(t, rec.id, got[i].RecordID)
				}
			}
		}
	})

	s.run(t, "StopEarly", func(t *testing.T, f *fixture) {
		it := f.item(itemKind)
		want := []lifecycle.Change{f.create(it)}
		for range 4 {
			want = append(want, f.update(it, "edit", nil))
		}
		var got []lifecycle.Change
		for ch, err := range f.st.Journal(f.ctx, it.ID) {
			require.NoError(t, err)
			got = append(got, ch)
			if len(got) == 2 {
				break
			}
		}
		assert.Equal(t, changeIDs(want[:2]), changeIDs(got))
	})
}

// actorSystem is an actor with no groups, for changes made by automation.
func actorSystem() itil.Actor { return itil.System("sweeper") }
