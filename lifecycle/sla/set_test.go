package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// officePolicy is DefaultPolicy on Berlin office hours (8 hours a day).
func officePolicy(t *testing.T) (*sla.Policy, *time.Location) {
	t.Helper()
	p := sla.DefaultPolicy()
	cal, berlin := office(t)
	p.Calendars[sla.BusinessCalendar] = cal
	require.NoError(t, p.Validate())
	return p, berlin
}

func TestSetFollowsTheRecord(t *testing.T) {
	t.Parallel()
	p, berlin := officePolicy(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, berlin) }
	var s sla.Set
	apply := func(cat lifecycle.Category, responded bool, now time.Time) []sla.Crossing {
		t.Helper()
		got, err := s.Apply(p, sla.Facts{Priority: itil.P2, Category: cat, Responded: responded}, now)
		require.NoError(t, err)
		return got
	}

	// Opened on Monday at 09:00 as P2: respond within 1h, resolve within 8h
	// of office time.
	assert.Empty(t, apply(lifecycle.Open, false, at(2, 9, 0)))
	assert.Equal(t, sla.Running, s.Response.Status)
	assert.Equal(t, sla.Running, s.Resolution.Status)
	assert.Equal(t, "business", s.Resolution.Calendar)
	assert.True(t, s.Response.Deadline.Equal(at(2, 10, 0)))
	assert.True(t, s.Resolution.Deadline.Equal(at(3, 9, 0)))
	assert.True(t, s.Next().Equal(at(2, 9, 45)), "the response warning comes first")

	// Assigned at 09:30: responded.
	assert.Empty(t, apply(lifecycle.Open, true, at(2, 9, 30)))
	assert.Equal(t, sla.Stopped, s.Response.Status)
	assert.Equal(t, 30*time.Minute, s.Response.Accrued)

	// Waiting for the caller from 11:00 to Tuesday 09:00.
	assert.Empty(t, apply(lifecycle.Paused, true, at(2, 11, 0)))
	assert.Equal(t, sla.Paused, s.Resolution.Status)
	assert.Equal(t, sla.Stopped, s.Response.Status)
	assert.Empty(t, apply(lifecycle.Open, true, at(3, 9, 0)))
	assert.Equal(t, 22*time.Hour, s.Resolution.PausedFor)
	assert.True(t, s.Resolution.Deadline.Equal(at(3, 16, 0)), "6 hours left from Tuesday 09:00: got %v", s.Resolution.Deadline)

	// A sweep at 14:30 finds the warning (6 hours used at 14:00), once.
	assert.Equal(t, []sla.Crossing{{Clock: "resolution", Kind: sla.Warning, At: at(3, 14, 0).UTC(), Target: 8 * time.Hour}},
		apply(lifecycle.Open, true, at(3, 14, 30)))
	assert.Empty(t, apply(lifecycle.Open, true, at(3, 14, 30)))

	// Resolved at 15:00; reopened on Wednesday at 08:00 with an hour left.
	assert.Empty(t, apply(lifecycle.Resolved, true, at(3, 15, 0)))
	assert.Equal(t, sla.Stopped, s.Resolution.Status)
	assert.Equal(t, 7*time.Hour, s.Resolution.Accrued)
	assert.Empty(t, apply(lifecycle.Open, true, at(4, 8, 0)))
	assert.Equal(t, sla.Running, s.Resolution.Status)
	assert.Equal(t, sla.Stopped, s.Response.Status, "a reopened record has responded already")
	assert.True(t, s.Resolution.Deadline.Equal(at(4, 9, 0)))

	// Breached at 09:00, reported by the sweep at 11:00; closed at noon.
	assert.Equal(t, []sla.Crossing{{Clock: "resolution", Kind: sla.Breach, At: at(4, 9, 0).UTC(), Target: 8 * time.Hour}},
		apply(lifecycle.Open, true, at(4, 11, 0)))
	assert.Empty(t, apply(lifecycle.Closed, true, at(4, 12, 0)))
	assert.Equal(t, 11*time.Hour, s.Resolution.Accrued)
	assert.True(t, s.Next().IsZero())

	// The state survives the record's trip through a store.
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var back sla.Set
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back)
}

func TestSetPriorityChangeKeepsTimeAccrued(t *testing.T) {
	t.Parallel()
	p, berlin := officePolicy(t)
	at := func(h, m int) time.Time { return time.Date(2026, time.March, 2, h, m, 0, 0, berlin) }
	var s sla.Set
	_, err := s.Apply(p, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}, at(9, 0))
	require.NoError(t, err)

	// Raised to P1 at 11:00, not yet responded: 2 hours used of a
	// 15-minute response target, and of a 4-hour resolution target, now 24x7.
	got, err := s.Apply(p, sla.Facts{Priority: itil.P1, Category: lifecycle.Open}, at(11, 0))
	require.NoError(t, err)
	assert.Equal(t, []sla.Crossing{
		{Clock: "response", Kind: sla.Warning, At: at(11, 0).UTC(), Target: 15 * time.Minute},
		{Clock: "response", Kind: sla.Breach, At: at(11, 0).UTC(), Target: 15 * time.Minute},
	}, got)
	assert.Equal(t, itil.P1, s.Priority)
	assert.Equal(t, 2*time.Hour, s.Resolution.Accrued)
	assert.Equal(t, 4*time.Hour, s.Resolution.Target)
	assert.Empty(t, s.Resolution.Calendar, "P1 runs 24x7")
	assert.True(t, s.Resolution.Deadline.Equal(at(13, 0)), "got %v", s.Resolution.Deadline)
	assert.True(t, s.Resolution.WarnAt.Equal(at(12, 0)))

	// Applying the same facts again changes nothing.
	before := s
	got, err = s.Apply(p, sla.Facts{Priority: itil.P1, Category: lifecycle.Open}, at(11, 0))
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, before, s)
}

func TestSetStartsInAnyCategory(t *testing.T) {
	t.Parallel()
	p := sla.DefaultPolicy()
	for cat, want := range map[lifecycle.Category][2]sla.Status{
		lifecycle.Open:      {sla.Running, sla.Running},
		lifecycle.Paused:    {sla.Paused, sla.Paused},
		lifecycle.Resolved:  {sla.Stopped, sla.Stopped},
		lifecycle.Closed:    {sla.Stopped, sla.Stopped},
		lifecycle.Cancelled: {sla.Stopped, sla.Stopped},
	} {
		var s sla.Set
		_, err := s.Apply(p, sla.Facts{Priority: itil.P4, Category: cat}, t0)
		require.NoError(t, err)
		assert.Equal(t, want, [2]sla.Status{s.Response.Status, s.Resolution.Status}, cat.String())
		assert.True(t, s.Resolution.StartedAt.Equal(t0))
	}
}

func TestSetRejectsBadFacts(t *testing.T) {
	t.Parallel()
	p := sla.DefaultPolicy()
	var s sla.Set
	_, err := s.Apply(p, sla.Facts{Priority: itil.P2, Category: lifecycle.Open}, t0)
	require.NoError(t, err)

	broken := sla.DefaultPolicy()
	broken.Calendars = nil
	lacking := sla.DefaultPolicy()
	delete(lacking.Targets, itil.P5)
	for _, tc := range []struct {
		name  string
		p     *sla.Policy
		f     sla.Facts
		field string
	}{
		{"no policy", nil, sla.Facts{Priority: itil.P2, Category: lifecycle.Open}, "policy"},
		{"no category", p, sla.Facts{Priority: itil.P2}, "category"},
		{"no priority", p, sla.Facts{Category: lifecycle.Open}, "priority"},
		{"priority out of range", p, sla.Facts{Priority: 7, Category: lifecycle.Open}, "priority"},
		{"priority without targets", lacking, sla.Facts{Priority: itil.P5, Category: lifecycle.Open}, "priority"},
		{"unknown calendar", broken, sla.Facts{Priority: itil.P2, Category: lifecycle.Open}, "targets.P2.response.calendar"},
	} {
		before := s
		_, err := s.Apply(tc.p, tc.f, after(time.Hour))
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Equal(t, before, s, "%s: nothing changed", tc.name)
	}
}

func TestSetSurvivesLostCalendar(t *testing.T) {
	t.Parallel()
	p, berlin := officePolicy(t)
	var s sla.Set
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, berlin)
	_, err := s.Apply(p, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}, start)
	require.NoError(t, err)

	// The host renames its calendar between runs: the clocks move to it.
	renamed := sla.DefaultPolicy()
	renamed.Calendars = map[string]*sla.Calendar{"office": p.Calendars[sla.BusinessCalendar]}
	for pr, ts := range renamed.Targets {
		if ts.Response.Calendar != "" {
			ts.Response.Calendar, ts.Resolution.Calendar = "office", "office"
			renamed.Targets[pr] = ts
		}
	}
	require.NoError(t, renamed.Validate())
	_, err = s.Apply(renamed, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}, start.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "office", s.Resolution.Calendar)
	assert.Equal(t, 2*time.Hour, s.Resolution.Accrued)
}
