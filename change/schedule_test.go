package change_test

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
)

func TestScheduleBadWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Standard, change.StateNew)
	for _, tc := range []struct {
		w     change.Window
		field string
	}{
		{change.Window{Start: t0.Add(2 * time.Hour), End: t0.Add(time.Hour)}, "window.end"},
		{change.Window{Start: t0, End: t0}, "window.end"},
		{change.Window{End: t0}, "window.start"},
		{change.Window{Start: t0}, "window.end"},
		{change.Window{Start: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), End: t0}, "window.start"},
	} {
		_, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: tc.w, Implementer: bob.ID})
		assertInvalid(t, err, tc.field)
	}
	_, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, Window: window(1, 1)})
	assertInvalid(t, err, "by")
	f.unchanged(t, c)
}

// TestScheduleUnapproved: a normal change is scheduled only once approved.
func TestScheduleUnapproved(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateAuthorize)
	_, err := f.do(c.ID, "schedule")
	var ae *change.ApprovalError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, change.EventSchedule, ae.Event)
	f.unchanged(t, c)
}

var yearEnd = change.Freeze{
	Name:   "year-end",
	Reason: "financial close",
	Window: change.Window{Start: t0.Add(24 * time.Hour), End: t0.Add(72 * time.Hour)},
}

func TestFreezeBlocksNormalAndStandard(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Freezes: []change.Freeze{yearEnd}})
	for _, typ := range []change.Type{change.Normal, change.Standard} {
		c := f.toState(t, typ, change.StateNew)
		for _, step := range paths[typ][change.StateScheduled] {
			if step == "schedule" {
				break
			}
			var err error
			c, err = f.do(c.ID, step)
			require.NoError(t, err)
		}
		_, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(30, 1), Implementer: bob.ID})
		var fe *change.FreezeError
		require.ErrorAs(t, err, &fe, typ.String())
		assert.ErrorIs(t, err, change.ErrFrozen)
		require.Len(t, fe.Hits, 1)
		assert.Equal(t, "year-end", fe.Hits[0].Freeze)
		assert.Equal(t, yearEnd.Window, fe.Hits[0].Window)
		assert.Contains(t, err.Error(), `freeze "year-end"`)
		f.unchanged(t, c)

		// Touching the freeze is not inside it.
		res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(23, 1), Implementer: bob.ID})
		require.NoError(t, err, typ.String())
		assert.Empty(t, res.Freezes)
	}
}

func TestFreezeWarnsEmergency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Freezes: []change.Freeze{yearEnd}})
	c := f.toState(t, change.Emergency, change.StateAuthorize)
	c, err := f.do(c.ID, "approve")
	require.NoError(t, err)
	res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: erin, Window: window(30, 1), Implementer: bob.ID})
	require.NoError(t, err)
	require.Len(t, res.Freezes, 1)
	assert.Equal(t, "year-end", res.Freezes[0].Freeze)
	assert.Equal(t, change.StateScheduled, res.Change.State)
	require.Len(t, res.Change.Warnings, 1)
	assert.Contains(t, res.Change.Warnings[0], `emergency change in freeze "year-end"`)
	j := f.journal(t, c.ID)
	var journaled bool
	for _, fc := range j[len(j)-1].Fields {
		journaled = journaled || fc.Field == "warnings" && fc.New == res.Change.Warnings[0]
	}
	assert.True(t, journaled, "the warning is journaled")
}

func TestFreezeScopedToCIs(t *testing.T) {
	t.Parallel()
	payments := yearEnd
	payments.CIs = []string{"payments-db"}
	f := newFixture(t, change.Config{Freezes: []change.Freeze{payments}})
	c := f.toState(t, change.Standard, change.StateNew, "db-1")
	_, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(30, 1), Implementer: bob.ID})
	require.NoError(t, err)
	c = f.toState(t, change.Standard, change.StateNew, "db-1", "payments-db")
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(30, 1), Implementer: bob.ID})
	assert.ErrorIs(t, err, change.ErrFrozen)
}

// TestWeeklyFreeze: a weekly freeze on Berlin's wall clock, Friday 18:00 to
// Monday 06:00, keeps its hours across the end of daylight saving.
func TestWeeklyFreeze(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	first := change.Window{
		Start: time.Date(2026, 10, 2, 18, 0, 0, 0, berlin), // a Friday, summer time
		End:   time.Date(2026, 10, 5, 6, 0, 0, 0, berlin),
	}
	f := newFixture(t, change.Config{Freezes: []change.Freeze{change.Weekly("weekend", first)}})

	// Saturday 7 November, winter time.
	sat := change.Window{Start: time.Date(2026, 11, 7, 10, 0, 0, 0, berlin), End: time.Date(2026, 11, 7, 12, 0, 0, 0, berlin)}
	hits := f.m.Frozen(sat, "db-1")
	require.Len(t, hits, 1)
	assert.Equal(t, time.Date(2026, 11, 6, 18, 0, 0, 0, berlin), hits[0].Window.Start.In(berlin))
	assert.Equal(t, time.Date(2026, 11, 9, 6, 0, 0, 0, berlin), hits[0].Window.End.In(berlin))

	// Monday 06:00 to Friday 18:00 is free; a window across two weekends
	// hits both.
	assert.Empty(t, f.m.Frozen(change.Window{Start: hits[0].Window.End, End: hits[0].Window.End.Add(4*24*time.Hour + 12*time.Hour)}))
	assert.Len(t, f.m.Frozen(change.Window{Start: sat.Start, End: sat.Start.Add(8 * 24 * time.Hour)}), 2)
	// Before the first occurrence nothing is frozen.
	assert.Empty(t, f.m.Frozen(change.Window{Start: first.Start.Add(-48 * time.Hour), End: first.Start}))

	c := f.toState(t, change.Standard, change.StateNew)
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: sat, Implementer: bob.ID})
	assert.ErrorIs(t, err, change.ErrFrozen)
}

// TestRRuleFreeze: the last day of every month, by an iCalendar RRULE.
func TestRRuleFreeze(t *testing.T) {
	t.Parallel()
	monthEnd := change.Freeze{
		Name:   "month-end close",
		Window: change.Window{Start: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		RRule:  "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12",
	}
	f := newFixture(t, change.Config{Freezes: []change.Freeze{monthEnd}})
	at := func(y int, m time.Month, d int) change.Window {
		s := time.Date(y, m, d, 10, 0, 0, 0, time.UTC)
		return change.Window{Start: s, End: s.Add(time.Hour)}
	}
	assert.Len(t, f.m.Frozen(at(2026, 12, 31)), 1)
	assert.Len(t, f.m.Frozen(at(2027, 2, 28)), 1)
	assert.Empty(t, f.m.Frozen(at(2027, 2, 27)))
	assert.Empty(t, f.m.Frozen(at(2027, 11, 30)), "COUNT=12 ends it in October 2027")
}

func TestBadFreezes(t *testing.T) {
	t.Parallel()
	w := yearEnd.Window
	for _, tc := range []struct {
		name  string
		f     []change.Freeze
		field string
	}{
		{"no name", []change.Freeze{{Window: w}}, "freezes[0].name"},
		{"name twice", []change.Freeze{{Name: "a", Window: w}, {Name: "a", Window: w}}, "freezes[1].name"},
		{"end before start", []change.Freeze{{Name: "a", Window: change.Window{Start: w.End, End: w.Start}}}, "freezes[0].window.end"},
		{"garbage rule", []change.Freeze{{Name: "a", Window: w, RRule: "EVERY=SUNDAY"}}, "freezes[0].rrule"},
		{"rule without FREQ", []change.Freeze{{Name: "a", Window: w, RRule: "BYDAY=SU"}}, "freezes[0].rrule"},
		{"rule with DTSTART", []change.Freeze{{Name: "a", Window: w, RRule: "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY"}}, "freezes[0].rrule"},
		{"rule too frequent", []change.Freeze{{Name: "a", Window: w, RRule: "FREQ=MINUTELY"}}, "freezes[0].rrule"},
		{"rule out of bounds", []change.Freeze{{Name: "a", Window: w, RRule: "FREQ=MONTHLY;BYMONTHDAY=40"}}, "freezes[0].rrule"},
		{"rule that never occurs", []change.Freeze{{Name: "a", Window: w, RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}}, "freezes[0].rrule"},
		{"empty CI", []change.Freeze{{Name: "a", Window: w, CIs: []string{""}}}, "freezes[0].cis[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := change.NewManager(newFixture(t, change.Config{}).st, change.Config{Freezes: tc.f})
			assertInvalid(t, err, tc.field)
		})
	}

	// SetFreezes keeps the old freezes when the new ones are bad.
	f := newFixture(t, change.Config{Freezes: []change.Freeze{yearEnd}})
	err := f.m.SetFreezes([]change.Freeze{{Name: "x", Window: w, RRule: "FREQ=YEARLY;BYMONTH=13"}})
	assertInvalid(t, err, "freezes[0].rrule")
	assert.Equal(t, []change.Freeze{yearEnd}, f.m.Freezes())
	require.NoError(t, f.m.SetFreezes(nil))
	assert.Empty(t, f.m.Freezes())
	assert.Empty(t, f.m.Frozen(w))
}

func TestConflicts(t *testing.T) {
	t.Parallel()
	topo := topology{parents: map[string][]string{
		"db-1":   {"host-7"},
		"db-2":   {"host-7"},
		"host-7": {"rack-3"},
		"web-1":  {"db-1"},
	}}
	f := newFixture(t, change.Config{Topology: topo})
	schedule := func(cis []string, implementer string, w change.Window) *change.Change {
		c := f.toState(t, change.Standard, change.StateNew, cis...)
		res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: w, Implementer: implementer})
		require.NoError(t, err)
		return res.Change
	}
	sameCI := schedule([]string{"db-1"}, "ivan", window(10, 2))
	parent := schedule([]string{"host-7"}, "judy", window(11, 2))
	schedule([]string{"db-2"}, "kim", window(10, 2)) // siblings are not related
	child := schedule([]string{"web-1"}, "leo", window(9, 2))
	booked := schedule([]string{"fw-1"}, "bob", window(11.5, 1))
	schedule([]string{"db-1"}, "mia", window(12, 1))   // touches: starts when ours ends
	schedule([]string{"db-1"}, "ned", window(30, 1))   // another day
	schedule([]string{"rack-3"}, "oli", window(10, 2)) // only direct parents count

	// Ours touches db-1 and web-1, which runs on db-1; it is not stored.
	ours := &change.Change{CIs: []string{"db-1", "web-1"}, Implementer: "bob", Planned: window(10.5, 1.5)}
	got, err := f.m.Conflicts(ctx, ours)
	require.NoError(t, err)
	type row struct {
		kind      change.ConflictKind
		with      string
		ci, other string
	}
	var rows []row
	for _, c := range got {
		rows = append(rows, row{c.Kind, c.With.Number, c.CI, c.Other})
	}
	assert.ElementsMatch(t, []row{
		{change.ConflictChild, child.Number, "db-1", "web-1"},
		{change.ConflictCI, child.Number, "web-1", "web-1"},
		{change.ConflictCI, sameCI.Number, "db-1", "db-1"},
		{change.ConflictParent, sameCI.Number, "web-1", "db-1"},
		{change.ConflictParent, parent.Number, "db-1", "host-7"},
		{change.ConflictImplementer, booked.Number, "", "bob"},
	}, rows)
	for i := 1; i < len(got); i++ {
		assert.False(t, got[i].Window.Start.Before(got[i-1].Window.Start), "ordered by start")
	}
	assert.Equal(t, change.StateScheduled, got[0].State)
	assert.Contains(t, got[len(got)-1].String(), "with the same implementer bob")

	_, err = f.m.Conflicts(ctx, &change.Change{CIs: []string{"db-1"}})
	assertInvalid(t, err, "planned.start")

	// The topology's errors come back.
	g := newFixture(t, change.Config{Topology: topology{err: errors.New("cmdb down")}})
	_, err = g.m.Conflicts(ctx, ours)
	assert.ErrorContains(t, err, "cmdb down")
}

// TestScheduleReportsConflicts: Schedule returns the conflicts and keeps
// them in Warnings, or refuses them under RefuseConflicts; a change never
// conflicts with itself when it is moved.
func TestScheduleReportsConflicts(t *testing.T) {
	t.Parallel()
	for _, refuse := range []bool{false, true} {
		f := newFixture(t, change.Config{RefuseConflicts: refuse})
		first := f.toState(t, change.Standard, change.StateScheduled) // db-1, window(24, 1)
		res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: first.ID, By: alice, Window: window(24.5, 1)})
		require.NoError(t, err, "moving a change does not conflict with itself")
		assert.Empty(t, res.Conflicts)

		second := f.toState(t, change.Standard, change.StateNew)
		res, err = f.m.Schedule(ctx, change.ScheduleParams{ID: second.ID, By: alice, Window: window(25, 1), Implementer: "zoe"})
		if refuse {
			var ce *change.ConflictError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, change.ErrConflicts)
			require.Len(t, ce.Conflicts, 1)
			f.unchanged(t, second)
			continue
		}
		require.NoError(t, err)
		require.Len(t, res.Conflicts, 1)
		assert.Equal(t, first.Number, res.Conflicts[0].With.Number)
		assert.Equal(t, change.ConflictCI, res.Conflicts[0].Kind)
		assert.Equal(t, []string{"conflicts with " + res.Conflicts[0].String()}, res.Change.Warnings)
	}
}

// TestCalendarLeavesWithTheChange: a cancelled or completed change no
// longer conflicts.
func TestCalendarLeavesWithTheChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	probe := &change.Change{CIs: []string{"db-1"}, Planned: window(24, 1)}
	count := func() int {
		got, err := f.m.Conflicts(ctx, probe)
		require.NoError(t, err)
		return len(got)
	}
	a := f.toState(t, change.Standard, change.StateScheduled)
	b := f.toState(t, change.Normal, change.StateImplement)
	d := draft(change.Normal)
	d.Planned = window(24, 1) // a requested window is on the calendar at once
	e, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, 3, count())

	_, err = f.m.Cancel(ctx, change.Params{ID: a.ID, By: alice, Note: "moved to next week"})
	require.NoError(t, err)
	assert.Equal(t, 2, count())
	_, err = f.do(b.ID, "complete")
	require.NoError(t, err)
	assert.Equal(t, 1, count())
	_, err = f.m.Cancel(ctx, change.Params{ID: e.ID, By: alice, Note: "withdrawn"})
	require.NoError(t, err)
	assert.Zero(t, count())
}

func TestStepsRefusedChangeNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c := f.toState(t, change.Normal, change.StateScheduled)
	_, err := f.m.Close(ctx, change.Params{ID: c.ID, By: bob})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{change.EventSchedule, change.EventImplement, change.EventCancel}, te.Allowed)
	f.unchanged(t, c)
}

// TestConflictsOfNothing: Conflicts of no change is a typed error, not a
// panic.
func TestConflictsOfNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	var err error
	require.NotPanics(t, func() { _, err = f.m.Conflicts(ctx, nil) })
	assertInvalid(t, err, "change")
}
