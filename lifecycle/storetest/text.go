package storetest

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// badTexts are writes whose text no store keeps as it is: a NUL byte, or
// bytes that are not UTF-8. Each edits the item, or the change that saves
// it, and names the field a store must report. Field names are the JSON
// paths of the stored forms: a struct's or map's member after a dot, an
// element's index in brackets; a bad map key is named by its map.
var badTexts = []struct {
	name   string
	field  string
	item   func(*Item)
	change func(*lifecycle.Change)
}{
	{name: "TitleNUL", field: "title", item: func(it *Item) { it.Title = "printer\x00jammed" }},
	{name: "TitleNotUTF8", field: "title", item: func(it *Item) { it.Title = "caf\xe9" }},
	{name: "TitleTruncatedRune", field: "title", item: func(it *Item) { it.Title = "price in \xe2\x82" }},
	{name: "IndexedAttr", field: "owner", item: func(it *Item) { it.Owner = "bob\xff" }},
	{name: "SliceElement", field: "tags[1]", item: func(it *Item) { it.Tags = []string{"red", "bl\x00ue"} }},
	{name: "MapValue", field: "labels.colour", item: func(it *Item) { it.Labels = map[string]string{"colour": "\xc3"} }},
	{name: "MapKey", field: "labels", item: func(it *Item) { it.Labels = map[string]string{"col\x00our": "red"} }},
	{name: "RecordField", field: "fields.vendor", item: func(it *Item) { it.Fields = map[string]string{"vendor": "V\x001"} }},
	{name: "RecordNumber", field: "number", item: func(it *Item) { it.Number = "ITM\xfe1" }},
	{name: "ChangeNote", field: "change.note", change: func(ch *lifecycle.Change) { ch.Note = "call\x00back" }},
	{name: "ChangeFieldValue", field: "change.fields[0].new", change: func(ch *lifecycle.Change) { ch.Fields[0].New = "\x80" }},
	{name: "ChangeActorName", field: "change.actor.name", change: func(ch *lifecycle.Change) { ch.Actor.Name = "Al\xffce" }},
	{name: "ChangeActorGroup", field: "change.actor.groups[1]", change: func(ch *lifecycle.Change) { ch.Actor.Groups[1] = "net\x00work" }},
}

// goodTexts are texts every store must keep byte for byte: characters
// beyond ASCII, a U+FFFD that was sent as such, and the escapes' spelling
// as plain text.
var goodTexts = []string{
	"café €5 — 東京 🎫",
	"replacement \uFFFD character",
	`backslash-u \u0000 and \ufffd as text, \\u0000 too`,
	"tab\tnewline\nquote\" backslash\\",
}

// testText checks that every write refuses text a store cannot keep as it
// is, with a *itil.ValidationError naming the field, and writes nothing.
func testText(t *testing.T, s *suite) {
	s.run(t, "Kept", func(t *testing.T, f *fixture) {
		for _, text := range goodTexts {
			it := f.item(itemKind, func(it *Item) {
				it.Title, it.Owner, it.Tags = text, text, []string{text}
				it.Labels = map[string]string{text: text}
				it.Fields = map[string]string{"note": text}
			})
			ch := createChange(it, it.CreatedAt)
			ch.Note, ch.Actor.Name = text, text
			require.NoError(t, f.st.Create(f.ctx, it, &ch), "%q", text)
			sameItem(t, it, f.get(it.ID), "%q is kept as it is", text)
			j := f.journal(it.ID)
			if assert.Len(t, j, 1) {
				assert.Equal(t, text, j[0].Note, "%q is kept as it is in the journal", text)
				assert.Equal(t, text, j[0].Actor.Name)
			}
			assert.Equal(t, []uuid.UUID{it.ID}, idsOf(f.find(lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("owner", text)}})),
				"%q is indexed as it is", text)
		}
	})

	// checkRefused asserts that err is a *itil.ValidationError naming
	// field, and that nothing changed.
	checkRefused := func(t *testing.T, f *fixture, err error, field string, before snapshot, ids ...uuid.UUID) {
		t.Helper()
		var verr *itil.ValidationError
		if assert.ErrorAs(t, err, &verr) {
			assert.Equal(t, field, verr.Field, "the field named: %v", err)
			assert.Regexp(t, "UTF-8|NUL", verr.Reason)
		}
		assert.ErrorIs(t, err, itil.ErrInvalid)
		assertSame(t, before, f.snap(ids...), "a refused write")
	}

	s.run(t, "Create", func(t *testing.T, f *fixture) {
		for _, tc := range badTexts {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				it := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
				before := f.snap(it.ID)
				ch := createChange(it, it.CreatedAt)
				if tc.item != nil {
					tc.item(it)
				}
				if tc.change != nil {
					tc.change(&ch)
				}
				checkRefused(t, f, f.st.Create(f.ctx, it, &ch), tc.field, before, it.ID)
				assert.Zero(t, ch.Seq, "a refused write sets no Seq")
			})
		}
	})

	s.run(t, "Update", func(t *testing.T, f *fixture) {
		for _, tc := range badTexts {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				it := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
				f.create(it)
				before := f.snap(it.ID)
				w := f.updateWrite(it, "edit", tc.item)
				if tc.change != nil {
					tc.change(w.Change)
				}
				checkRefused(t, f, f.st.Update(f.ctx, w.Entity, w.Expect, w.Change), tc.field, before, it.ID)
			})
		}
	})

	s.run(t, "Commit", func(t *testing.T, f *fixture) {
		for _, tc := range badTexts {
			t.Run(tc.name, func(t *testing.T) {
				f := f.on(t)
				a := f.item(itemKind, func(it *Item) { it.Owner = "alice" })
				f.create(a)
				c := f.item(itemKind, func(it *Item) { it.Owner = "carol" })
				before := f.snap(a.ID, c.ID)
				w := f.updateWrite(a, "edit", tc.item)
				if tc.change != nil {
					tc.change(w.Change)
				}
				err := f.st.Commit(f.ctx, lifecycle.Batch{Writes: []lifecycle.Write{createWrite(c), w}})
				checkRefused(t, f, err, "writes[1]."+tc.field, before, a.ID, c.ID)
			})
		}
	})
}
