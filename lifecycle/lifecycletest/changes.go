package lifecycletest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// Want describes a change a test expects. Only the fields that are set are
// compared: Want{Event: "assign"} matches every assign, whatever its states,
// actor and note.
type Want struct {
	// Event is the change's event: lifecycle.EventCreate, "assign", ….
	Event string
	// From and To are the states before and after.
	From, To string
	// Actor is the ID of who made the change.
	Actor string
	// Number is the record's number, such as "INC0000001".
	Number string
	// Note is the change's note.
	Note string
	// Fields maps changed fields, as the journal names them
	// ("assignment_group", "fields.vendor_ticket"), to their new values.
	// A field not listed may have changed too.
	Fields map[string]string
}

// Events returns one Want per event name, for a journal or a log checked
// by events alone:
//
//	lifecycletest.RequireJournal(t, st, inc.ID, lifecycletest.Events("create", "assign", "resolve")...)
func Events(names ...string) []Want {
	out := make([]Want, len(names))
	for i, n := range names {
		out[i] = Want{Event: n}
	}
	return out
}

// mismatch returns what in c differs from w, or "" when c matches.
func (w Want) mismatch(c lifecycle.Change) string {
	var diffs []string
	check := func(name, want, got string) {
		if want != "" && want != got {
			diffs = append(diffs, fmt.Sprintf("%s is %q, want %q", name, got, want))
		}
	}
	check("event", w.Event, c.Event)
	check("from", w.From, c.From)
	check("to", w.To, c.To)
	check("actor", w.Actor, c.Actor.ID)
	check("number", w.Number, c.Number)
	check("note", w.Note, c.Note)
	for _, name := range slices.Sorted(maps.Keys(w.Fields)) {
		i := slices.IndexFunc(c.Fields, func(f lifecycle.FieldChange) bool { return f.Field == name })
		switch {
		case i < 0:
			diffs = append(diffs, fmt.Sprintf("field %s did not change, want %q", name, w.Fields[name]))
		case c.Fields[i].New != w.Fields[name]:
			diffs = append(diffs, fmt.Sprintf("field %s is %q, want %q", name, c.Fields[i].New, w.Fields[name]))
		}
	}
	return strings.Join(diffs, "; ")
}

// String describes the change w expects, in the form failures list changes.
func (w Want) String() string {
	c := lifecycle.Change{Event: w.Event, From: w.From, To: w.To, Number: w.Number, Note: w.Note}
	c.Actor.ID = w.Actor
	for _, name := range slices.Sorted(maps.Keys(w.Fields)) {
		c.Fields = append(c.Fields, lifecycle.FieldChange{Field: name, New: w.Fields[name]})
	}
	return describe(c)
}

// describe returns one line for c: number, event, states, actor, note and
// changed fields.
func describe(c lifecycle.Change) string {
	var b strings.Builder
	if c.Number != "" {
		b.WriteString(c.Number + " ")
	}
	b.WriteString(orAny(c.Event))
	if c.From != "" || c.To != "" {
		fmt.Fprintf(&b, " %s→%s", c.From, c.To)
	}
	if c.Actor.ID != "" {
		b.WriteString(" by " + c.Actor.ID)
	}
	if c.Note != "" {
		fmt.Fprintf(&b, " note=%q", c.Note)
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, " %s=%q", f.Field, f.New)
	}
	return b.String()
}

func orAny(s string) string {
	if s == "" {
		return "(any event)"
	}
	return s
}

// match fails tb, listing both sides, unless got has as many changes as
// want and each matches its Want.
func match(tb testing.TB, what string, got []lifecycle.Change, want []Want) {
	tb.Helper()
	problem := ""
	if len(got) != len(want) {
		problem = fmt.Sprintf("%d changes, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if d := want[i].mismatch(got[i]); d != "" {
			problem = fmt.Sprintf("change %d: %s", i+1, d)
			break
		}
	}
	if problem == "" {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "lifecycletest: %s: %s\nwant:", what, problem)
	if len(want) == 0 {
		b.WriteString(" no changes")
	}
	for i, w := range want {
		fmt.Fprintf(&b, "\n  %d. %s", i+1, w)
	}
	b.WriteString("\ngot:")
	if len(got) == 0 {
		b.WriteString(" no changes")
	}
	for i, c := range got {
		fmt.Fprintf(&b, "\n  %d. %s", i+1, describe(c))
	}
	tb.Fatal(b.String())
}

// RequireJournal reads the journal of the record id from st and fails the
// test at once (as testify's require does) unless it holds exactly the
// changes want describes, in order. The failure lists the changes wanted
// and the journal. It returns the journal.
func RequireJournal(tb testing.TB, st lifecycle.Store, id uuid.UUID, want ...Want) []lifecycle.Change {
	tb.Helper()
	var got []lifecycle.Change
	for c, err := range st.Journal(context.Background(), id) {
		if err != nil {
			tb.Fatalf("lifecycletest: journal of %s: %v", id, err)
		}
		got = append(got, c)
	}
	match(tb, "journal of "+id.String(), got, want)
	return got
}

// RequireOutbox reads the store's log after the Seq after (zero for the
// whole log, or what LastSeq returned before the work under test) and
// fails the test at once unless it holds exactly the changes want
// describes, in order: what the dispatcher will deliver to every notifier.
// The failure lists the changes wanted and the log. It returns the changes.
func RequireOutbox(tb testing.TB, st lifecycle.Outbox, after int64, want ...Want) []lifecycle.Change {
	tb.Helper()
	got := readLog(tb, st, after)
	match(tb, fmt.Sprintf("log after seq %d", after), got, want)
	return got
}

// RequireNoChanges fails the test at once, listing them, if the store's
// log holds changes after the Seq after: the work under test should have
// written nothing.
func RequireNoChanges(tb testing.TB, st lifecycle.Outbox, after int64) {
	tb.Helper()
	RequireOutbox(tb, st, after)
}

// LastSeq returns the Seq of the last change of the store's log, zero for
// an empty log: the after of a RequireOutbox for the work that follows.
func LastSeq(tb testing.TB, st lifecycle.Outbox) int64 {
	tb.Helper()
	got := readLog(tb, st, 0)
	if len(got) == 0 {
		return 0
	}
	return got[len(got)-1].Seq
}

// readLog returns every change of the log after the Seq after.
func readLog(tb testing.TB, st lifecycle.Outbox, after int64) []lifecycle.Change {
	tb.Helper()
	var out []lifecycle.Change
	for {
		page, err := st.ReadLog(context.Background(), after, 0)
		if err != nil {
			tb.Fatalf("lifecycletest: reading the log after seq %d: %v", after, err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}

// tailLen is how many changes logTail shows.
const tailLen = 20

// logTail logs the last changes of st's log.
func logTail(tb testing.TB, st lifecycle.Outbox) {
	tb.Helper()
	var all []lifecycle.Change
	after := int64(0)
	for {
		page, err := st.ReadLog(context.Background(), after, 0)
		if err != nil || len(page) == 0 {
			break
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
	var b strings.Builder
	fmt.Fprintf(&b, "lifecycletest: the store's log holds %d changes", len(all))
	if len(all) > tailLen {
		fmt.Fprintf(&b, "; the last %d:", tailLen)
		all = all[len(all)-tailLen:]
	}
	for _, c := range all {
		fmt.Fprintf(&b, "\n  %d. %s", c.Seq, describe(c))
	}
	tb.Log(b.String())
}
