package change_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle/memstore"
)

func TestCalendar(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	schedule := func(ci, implementer string, w change.Window) *change.Change {
		c := f.toState(t, change.Standard, change.StateNew, ci)
		res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: w, Implementer: implementer})
		require.NoError(t, err)
		return res.Change
	}
	late := schedule("db-1", "bob", window(30, 1))
	early := schedule("web-1", "bob", window(2, 1))
	mid := schedule("db-1", "ivan", window(10, 1))
	schedule("db-1", "ivan", window(200, 1)) // out of range
	cancelled := schedule("db-1", "ivan", window(11, 1))
	_, err := f.m.Cancel(ctx, change.Params{ID: cancelled.ID, By: alice, Note: "dropped"})
	require.NoError(t, err)

	numbers := func(q change.CalendarQuery) []string {
		var out []string
		for c, err := range f.m.Calendar(ctx, q) {
			require.NoError(t, err)
			out = append(out, c.Number)
		}
		return out
	}
	day2 := change.CalendarQuery{From: t0, To: t0.Add(48 * time.Hour)}
	assert.Equal(t, []string{early.Number, mid.Number, late.Number}, numbers(day2), "in start order")
	byCI := day2
	byCI.CI = "db-1"
	assert.Equal(t, []string{mid.Number, late.Number}, numbers(byCI))
	byPerson := day2
	byPerson.Implementer = "bob"
	assert.Equal(t, []string{early.Number, late.Number}, numbers(byPerson))
	assert.Empty(t, numbers(change.CalendarQuery{From: t0, To: t0.Add(2 * time.Hour)}), "a window ending at From is outside")

	for _, err := range f.m.Calendar(ctx, change.CalendarQuery{From: t0, To: t0.Add(-time.Hour)}) {
		assertInvalid(t, err, "range.end")
	}
	for _, err := range f.m.Calendar(ctx, change.CalendarQuery{To: t0}) {
		assertInvalid(t, err, "range.start")
	}
}

func TestWindowsActive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Topology: topology{parents: map[string][]string{"vm-9": {"host-7"}}}})
	active := func(ci string, at time.Time) (bool, itil.Ref) {
		ok, ref, err := f.m.Windows().Active(ctx, ci, at)
		require.NoError(t, err)
		return ok, ref
	}
	in, before, after := window(24.5, 0).Start, window(23.5, 0).Start, window(25, 0).Start

	// Approved but not yet scheduled, or planned but not approved: no.
	d := draft(change.Normal, "host-7")
	d.Planned = window(24, 1)
	pending, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	ok, _ := active("host-7", in)
	assert.False(t, ok, "a planned window is not an approved one")

	c := f.toState(t, change.Normal, change.StateScheduled, "host-7")
	ok, ref := active("host-7", in)
	assert.True(t, ok)
	assert.Equal(t, itil.Ref{Kind: change.Kind, ID: c.ID, Number: c.Number}, ref)
	ok, ref = active("vm-9", in)
	assert.True(t, ok, "a change on the host covers its VMs")
	assert.Equal(t, c.Number, ref.Number)
	ok, _ = active("host-7", before)
	assert.False(t, ok)
	ok, _ = active("host-7", after)
	assert.False(t, ok, "the window is half-open")
	ok, _ = active("db-1", in)
	assert.False(t, ok)

	_, err = f.do(c.ID, "implement")
	require.NoError(t, err)
	ok, _ = active("host-7", in)
	assert.True(t, ok, "and while it is implemented")

	// Package event's view: the same answer without the reference.
	var cw interface {
		InChangeWindow(ctx context.Context, ci string, at time.Time) (bool, error)
	} = f.m.Windows()
	ok, err = cw.InChangeWindow(ctx, "vm-9", in)
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = f.do(c.ID, "complete")
	require.NoError(t, err)
	ok, _ = active("host-7", in)
	assert.False(t, ok, "not once it is complete")
	_ = pending

	g := newFixture(t, change.Config{Topology: topology{err: errors.New("cmdb down")}})
	_, _, err = g.m.Windows().Active(ctx, "vm-9", in)
	assert.ErrorContains(t, err, "cmdb down")
}

// TestWindowsOverTime runs the Manager on its default clock in a synctest
// bubble: the CI is in the window only while the clock is.
func TestWindowsOverTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m, err := change.NewManager(memstore.New(memstore.Config{}), change.Config{Templates: []change.Template{restartWeb}})
		require.NoError(t, err)
		c, err := m.Propose(ctx, change.Draft{Template: "restart-web", CIs: []string{"web-1"}, By: alice})
		require.NoError(t, err)
		start := time.Now().Add(time.Hour)
		_, err = m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Implementer: bob.ID, Window: change.Window{Start: start, End: start.Add(2 * time.Hour)}})
		require.NoError(t, err)
		active := func() bool {
			ok, _, err := m.Windows().Active(ctx, "web-1", time.Now())
			require.NoError(t, err)
			return ok
		}
		assert.False(t, active())
		time.Sleep(90 * time.Minute)
		assert.True(t, active())
		c, err = m.Implement(ctx, change.Params{ID: c.ID, By: bob})
		require.NoError(t, err)
		assert.Equal(t, time.Now(), c.Actual.Start)
		time.Sleep(time.Hour)
		assert.True(t, active())
		time.Sleep(time.Hour)
		assert.False(t, active(), "an overrun is not covered: the approved window has ended")
	})
}

// icsFixture builds a calendar with a change of each type and two freezes.
func icsFixture(t *testing.T) (*fixture, []*change.Change) {
	t.Helper()
	weekly := change.Weekly("weekend", change.Window{Start: time.Date(2026, 11, 6, 18, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 9, 6, 0, 0, 0, time.UTC)})
	weekly.Reason = "no one on call"
	payments := yearEnd
	payments.CIs = []string{"payments-db"}
	f := newFixture(t, change.Config{Freezes: []change.Freeze{weekly, payments}})

	d := draft(change.Normal, "db-1", "db-2")
	d.Title = "Upgrade PostgreSQL 16 → 17 on the primary cluster (Größe: 2 TB, ≈ 40 min downtime)"
	d.Description = "Steps:\n1. pg_upgrade --link\n2. ANALYZE; reindex, vacuum\r\nOwner: DB team, on-call: +49 30 1234"
	normal, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	for _, step := range []string{"assess", "request_approval", "approve", "schedule"} {
		normal, err = f.do(normal.ID, step)
		require.NoError(t, err)
	}
	sd := draft(change.Standard, "web-1")
	sd.Planned = window(50, 1)
	standard, err := f.m.Propose(ctx, sd)
	require.NoError(t, err)
	emergency := f.toState(t, change.Emergency, change.StateScheduled, "fw-1")
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: emergency.ID, By: erin, Window: window(20, 2), Note: "sooner"})
	require.NoError(t, err)
	emergency, err = f.do(emergency.ID, "implement")
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	return f, []*change.Change{normal, standard, emergency}
}

func writeICS(t *testing.T, f *fixture, q change.CalendarQuery, changes []*change.Change) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f.m.WriteICS(ctx, &buf, q))
	out := buf.String()
	for _, c := range changes {
		out = strings.ReplaceAll(out, c.ID.String(), "uid-"+c.Number)
	}
	return out
}

func TestWriteICS(t *testing.T) {
	t.Parallel()
	f, changes := icsFixture(t)
	q := change.CalendarQuery{From: t0, To: t0.Add(8 * 24 * time.Hour)}
	out := writeICS(t, f, q, changes)
	golden(t, "calendar.ics", []byte(out))

	for line := range strings.SplitSeq(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(line), 75, "folded at 75 octets: %q", line)
		assert.NotContains(t, line, "\n")
	}

	// A calendar program reads it back.
	var buf bytes.Buffer
	require.NoError(t, f.m.WriteICS(ctx, &buf, q))
	cal, err := ical.NewDecoder(&buf).Decode()
	require.NoError(t, err)
	events := cal.Events()
	require.Len(t, events, 3+2) // three changes, the year-end freeze and a weekend
	summary, err := events[0].Props.Text(ical.PropSummary)
	require.NoError(t, err)
	assert.Equal(t, changes[2].Number+": Upgrade PostgreSQL", summary, "ordered by start: the emergency change is first")
	var normal *ical.Event
	for i := range events {
		if uid, _ := events[i].Props.Text(ical.PropUID); uid == changes[0].ID.String() {
			normal = &events[i]
		}
	}
	require.NotNil(t, normal)
	summary, err = normal.Props.Text(ical.PropSummary)
	require.NoError(t, err)
	assert.Equal(t, changes[0].Number+": "+changes[0].Title, summary, "unfolded intact")
	desc, err := normal.Props.Text(ical.PropDescription)
	require.NoError(t, err)
	assert.Contains(t, desc, "2. ANALYZE; reindex, vacuum\nOwner")
	start, err := normal.DateTimeStart(nil)
	require.NoError(t, err)
	assert.Equal(t, changes[0].Planned.Start, start)
	status, err := normal.Status()
	require.NoError(t, err)
	assert.Equal(t, ical.EventConfirmed, status)

	// By CI: the change on it, and the freezes that cover it.
	byCI := writeICS(t, f, change.CalendarQuery{From: t0, To: t0.Add(8 * 24 * time.Hour), CI: "payments-db"}, changes)
	assert.Equal(t, 2, strings.Count(byCI, "BEGIN:VEVENT"), "the year-end freeze and the weekend")
	assert.Contains(t, byCI, "Change freeze: year-end")
}

func TestWriteICSEmpty(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	var buf bytes.Buffer
	require.NoError(t, f.m.WriteICS(ctx, &buf, change.CalendarQuery{From: t0, To: t0.Add(time.Hour)}))
	assert.Equal(t, "BEGIN:VCALENDAR\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nPRODID:-//itil-go//change calendar//EN\r\nVERSION:2.0\r\nX-WR-CALNAME:Change calendar\r\nEND:VCALENDAR\r\n", buf.String())
	cal, err := ical.NewDecoder(&buf).Decode()
	require.NoError(t, err)
	assert.Empty(t, cal.Events())

	err = f.m.WriteICS(ctx, &buf, change.CalendarQuery{From: t0})
	assertInvalid(t, err, "range.end")
}

// dependencies is a Dependencies over a fixed map of parents, whose
// Ancestors follows the parents transitively, or fails with err.
type dependencies struct {
	topology
	ancestorsErr error
}

func (d dependencies) Ancestors(_ context.Context, ci string) ([]string, error) {
	var out []string
	var walk func(string)
	walk = func(c string) {
		for _, p := range d.parents[c] {
			if !slices.Contains(out, p) {
				out = append(out, p)
				walk(p)
			}
		}
	}
	walk(ci)
	return out, d.ancestorsErr
}

func (d dependencies) Descendants(context.Context, string) ([]string, error) { return nil, nil }

// TestWindowsActiveAlongDependencies: with a Dependencies topology, a
// change on a room's cooling unit covers the racks in the room and the
// servers in them; of two changes covering a CI, the one whose window
// started first is named; the Dependencies' error is returned.
func TestWindowsActiveAlongDependencies(t *testing.T) {
	t.Parallel()
	room := map[string][]string{
		"room-1": {"cooling-1"},
		"rack-7": {"room-1"},
		"srv-7":  {"rack-7"},
		"vm-7":   {"srv-7", "san-1"},
		"srv-8":  {"rack-8"},
	}
	f := newFixture(t, change.Config{Topology: dependencies{topology: topology{parents: room}}})
	cooling := f.toState(t, change.Normal, change.StateScheduled, "cooling-1")
	in := window(24.5, 0).Start
	for _, tt := range []struct {
		ci   string
		want bool
	}{
		{"cooling-1", true}, {"room-1", true}, {"rack-7", true}, {"srv-7", true}, {"vm-7", true},
		{"san-1", false}, {"srv-8", false}, {"rack-8", false},
	} {
		ok, ref, err := f.m.Windows().Active(ctx, tt.ci, in)
		require.NoError(t, err, tt.ci)
		assert.Equal(t, tt.want, ok, tt.ci)
		if ok {
			assert.Equal(t, cooling.Number, ref.Number, tt.ci)
		}
	}

	// A change on the server whose window starts later than the cooling's:
	// the cooling's is named for the server and the VM.
	later := f.toState(t, change.Normal, change.StateAuthorize, "srv-7")
	_, err := f.do(later.ID, "approve")
	require.NoError(t, err)
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: later.ID, By: alice, Window: window(24.25, 1), Implementer: "ivan"})
	require.NoError(t, err)
	ok, ref, err := f.m.Windows().Active(ctx, "vm-7", in)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, cooling.Number, ref.Number, "the window that started first")

	g := newFixture(t, change.Config{Topology: dependencies{topology: topology{parents: room}, ancestorsErr: errors.New("graph down")}})
	_, _, err = g.m.Windows().Active(ctx, "srv-7", in)
	assert.ErrorContains(t, err, "graph down")
	assert.ErrorContains(t, err, "ancestors of srv-7")
}
