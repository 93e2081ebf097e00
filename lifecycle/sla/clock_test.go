package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/sla"
)

var t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC) // a Monday

func after(d time.Duration) time.Time { return t0.Add(d) }

func TestClockPauseResumeStop(t *testing.T) {
	t.Parallel()
	cal, berlin := office(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, berlin) }
	c := sla.Clock{Name: "resolution", Target: 8 * time.Hour}

	c.Start(cal, at(2, 9, 0))
	assert.Equal(t, sla.Running, c.Status)
	assert.Equal(t, 3*time.Hour, c.Elapsed(cal, at(2, 13, 0)))
	assert.True(t, c.Deadline.Equal(at(3, 9, 0)), "8h of office time from Monday 09:00 is Tuesday 09:00, got %v", c.Deadline)
	assert.True(t, c.WarnAt.Equal(at(2, 16, 0)), "75%% is 6h: Monday 16:00, got %v", c.WarnAt)

	c.Pause(cal, at(2, 12, 0))
	assert.Equal(t, sla.Paused, c.Status)
	assert.Equal(t, 3*time.Hour, c.Accrued)
	assert.Equal(t, 3*time.Hour, c.Elapsed(cal, at(9, 12, 0)), "nothing accrues while paused")
	assert.True(t, c.Deadline.IsZero(), "no deadline while paused")
	assert.Equal(t, 21*time.Hour, c.TotalPaused(at(3, 9, 0)))

	c.Start(cal, at(3, 9, 0)) // does nothing: the clock has started
	assert.Equal(t, sla.Paused, c.Status)
	c.Resume(cal, at(3, 9, 0))
	assert.Equal(t, sla.Running, c.Status)
	assert.Equal(t, 21*time.Hour, c.PausedFor)
	assert.True(t, c.Deadline.Equal(at(3, 15, 0)), "5h left from Tuesday 09:00, got %v", c.Deadline)

	c.Stop(cal, at(3, 10, 0))
	c.Pause(cal, at(3, 11, 0)) // does nothing: stopped
	assert.Equal(t, sla.Stopped, c.Status)
	assert.Equal(t, 4*time.Hour, c.Elapsed(cal, at(5, 10, 0)))
	assert.Equal(t, 4*time.Hour, c.Remaining(cal, at(5, 10, 0)))
	assert.InDelta(t, 50.0, c.Percent(cal, at(5, 10, 0)), 1e-9)
	assert.False(t, c.Breached(cal, at(5, 10, 0)))
	assert.True(t, c.StartedAt.Equal(at(2, 9, 0)))
	assert.True(t, c.Since.Equal(at(3, 10, 0)), "a stopped clock's Since is when it stopped")

	c.Resume(cal, at(4, 8, 0)) // reopened: continues from 4h
	assert.Equal(t, 21*time.Hour, c.PausedFor, "stopped time is not paused time")
	assert.True(t, c.Deadline.Equal(at(4, 12, 0)), "got %v", c.Deadline)
	assert.Equal(t, -time.Hour, c.Remaining(cal, at(4, 14, 0)))
	assert.True(t, c.Breached(cal, at(4, 14, 0)))
}

func TestClockReportsEachCrossingOnce(t *testing.T) {
	t.Parallel()
	c := sla.Clock{Name: "resolution", Target: 4 * time.Hour}
	c.Start(nil, t0)

	assert.Empty(t, c.Check(nil, after(2*time.Hour)))
	assert.True(t, c.Next().Equal(after(3*time.Hour)))
	assert.Equal(t, []sla.Crossing{{Clock: "resolution", Kind: sla.Warning, At: after(3 * time.Hour), Target: 4 * time.Hour}},
		c.Check(nil, after(3*time.Hour)))
	assert.Empty(t, c.Check(nil, after(3*time.Hour)), "a second check reports nothing")
	assert.True(t, c.Next().Equal(after(4*time.Hour)))
	assert.Equal(t, []sla.Crossing{{Clock: "resolution", Kind: sla.Breach, At: after(4 * time.Hour), Target: 4 * time.Hour}},
		c.Check(nil, after(5*time.Hour)))
	assert.Empty(t, c.Check(nil, after(9*time.Hour)))
	assert.True(t, c.Next().IsZero())
	assert.True(t, c.WarnedAt.Equal(after(3*time.Hour)))
	assert.True(t, c.BreachedAt.Equal(after(4*time.Hour)))

	// Pausing and stopping do not report anything again.
	c.Pause(nil, after(10*time.Hour))
	c.Resume(nil, after(11*time.Hour))
	c.Stop(nil, after(12*time.Hour))
	assert.Empty(t, c.Check(nil, after(13*time.Hour)))
}

func TestClockReportsLateCrossingsInOrder(t *testing.T) {
	t.Parallel()
	c := sla.Clock{Name: "response", Target: time.Hour, WarnPercent: 50}
	c.Start(nil, t0)
	c.Pause(nil, after(20*time.Minute))
	c.Resume(nil, after(2*time.Hour))
	c.Stop(nil, after(3*time.Hour)) // 80 minutes accrued; nobody checked
	got := c.Check(nil, after(4*time.Hour))
	require.Len(t, got, 2)
	assert.Equal(t, sla.Warning, got[0].Kind)
	assert.True(t, got[0].At.Equal(after(2*time.Hour+10*time.Minute)), "30 minutes accrued at %v", got[0].At)
	assert.Equal(t, sla.Breach, got[1].Kind)
	assert.True(t, got[1].At.Equal(after(2*time.Hour+40*time.Minute)), "60 minutes accrued at %v", got[1].At)
	assert.Empty(t, c.Check(nil, after(5*time.Hour)))
}

func TestClockRetargetKeepsTimeAccrued(t *testing.T) {
	t.Parallel()
	t.Run("raised priority", func(t *testing.T) {
		c := sla.Clock{Target: 24 * time.Hour}
		c.Start(nil, t0)
		c.Pause(nil, after(time.Hour))
		c.Resume(nil, after(2*time.Hour))
		c.Retarget(4*time.Hour, nil, after(4*time.Hour))
		assert.Equal(t, 3*time.Hour, c.Accrued, "three hours used, one paused")
		assert.Equal(t, time.Hour, c.PausedFor)
		assert.True(t, c.Deadline.Equal(after(5*time.Hour)), "one hour left, got %v", c.Deadline)
		assert.True(t, c.WarnAt.Equal(after(4*time.Hour)), "75%% of 4h was passed by the retarget: due now")
		assert.Equal(t, []sla.Crossing{{Kind: sla.Warning, At: after(4 * time.Hour), Target: 4 * time.Hour}}, c.Check(nil, after(4*time.Hour)))
	})
	t.Run("lowered priority after a breach", func(t *testing.T) {
		c := sla.Clock{Target: time.Hour}
		c.Start(nil, t0)
		require.Len(t, c.Check(nil, after(2*time.Hour)), 2)
		c.Retarget(8*time.Hour, nil, after(2*time.Hour))
		assert.True(t, c.BreachedAt.IsZero() && c.WarnedAt.IsZero(), "both thresholds lie ahead again")
		assert.True(t, c.Deadline.Equal(after(8*time.Hour)))
		assert.Empty(t, c.Check(nil, after(5*time.Hour)))
		got := c.Check(nil, after(9*time.Hour))
		require.Len(t, got, 2, "the new thresholds are crossed once each")
		assert.True(t, got[0].At.Equal(after(6*time.Hour)))
		assert.True(t, got[1].At.Equal(after(8*time.Hour)))
	})
	t.Run("raised past the new target", func(t *testing.T) {
		c := sla.Clock{Target: 8 * time.Hour}
		c.Start(nil, t0)
		c.Retarget(4*time.Hour, nil, after(5*time.Hour))
		got := c.Check(nil, after(5*time.Hour))
		require.Len(t, got, 2)
		assert.True(t, got[0].At.Equal(after(5*time.Hour)) && got[1].At.Equal(after(5*time.Hour)), "crossed at the retarget")
	})
	t.Run("retargeted while paused", func(t *testing.T) {
		c := sla.Clock{Target: 8 * time.Hour}
		c.Start(nil, t0)
		c.Pause(nil, after(time.Hour))
		c.Retarget(2*time.Hour, nil, after(3*time.Hour))
		assert.Equal(t, sla.Paused, c.Status)
		assert.Equal(t, 2*time.Hour, c.TotalPaused(after(3*time.Hour)))
		assert.True(t, c.Deadline.IsZero())
		c.Resume(nil, after(4*time.Hour))
		assert.True(t, c.Deadline.Equal(after(5*time.Hour)))
	})
	t.Run("idle", func(t *testing.T) {
		var c sla.Clock
		c.Retarget(time.Hour, nil, t0)
		assert.Equal(t, sla.Clock{Target: time.Hour}, c)
	})
}

func TestClockNeverRunsBackwards(t *testing.T) {
	t.Parallel()
	c := sla.Clock{Target: 4 * time.Hour}
	c.Start(nil, t0)
	c.Pause(nil, t0.Add(-time.Hour))
	assert.Equal(t, time.Duration(0), c.Accrued)
	assert.True(t, c.Since.Equal(t0))
	c.Resume(nil, t0.Add(-2*time.Hour))
	assert.Equal(t, time.Duration(0), c.PausedFor)
	assert.Equal(t, time.Duration(0), c.Elapsed(nil, t0.Add(-time.Hour)))
}

// TestClockCheckBeforeSince: a now before Since counts as Since, so Check
// reports what is due at Since at once, not one check later.
func TestClockCheckBeforeSince(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		clock func() sla.Clock
		now   time.Time
		want  []sla.Crossing
	}{
		{"crossed at a retarget", func() sla.Clock {
			c := sla.Clock{Target: 8 * time.Hour}
			c.Start(nil, t0)
			c.Retarget(4*time.Hour, nil, after(5*time.Hour))
			return c
		}, after(4 * time.Hour), []sla.Crossing{
			{Kind: sla.Warning, At: after(5 * time.Hour), Target: 4 * time.Hour},
			{Kind: sla.Breach, At: after(5 * time.Hour), Target: 4 * time.Hour},
		}},
		{"stopped after its deadline", func() sla.Clock {
			c := sla.Clock{Name: "response", Target: time.Hour}
			c.Start(nil, t0)
			c.Stop(nil, after(2*time.Hour))
			return c
		}, after(30 * time.Minute), []sla.Crossing{
			{Clock: "response", Kind: sla.Warning, At: after(45 * time.Minute), Target: time.Hour},
			{Clock: "response", Kind: sla.Breach, At: after(time.Hour), Target: time.Hour},
		}},
		{"paused after its warning", func() sla.Clock {
			c := sla.Clock{Target: time.Hour}
			c.Start(nil, t0)
			c.Pause(nil, after(50*time.Minute))
			return c
		}, t0, []sla.Crossing{{Kind: sla.Warning, At: after(45 * time.Minute), Target: time.Hour}}},
		{"running, nothing due at Since", func() sla.Clock {
			c := sla.Clock{Target: time.Hour}
			c.Start(nil, t0)
			return c
		}, t0.Add(-time.Hour), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.clock()
			require.True(t, tc.now.Before(c.Since), "now %v is before Since %v", tc.now, c.Since)
			assert.Equal(t, tc.want, c.Check(nil, tc.now))
			assert.Empty(t, c.Check(nil, c.Since), "reported once")
		})
	}
}

func TestClockWithoutTarget(t *testing.T) {
	t.Parallel()
	var c sla.Clock
	c.Start(nil, t0)
	assert.Empty(t, c.Check(nil, after(1000*time.Hour)))
	assert.Equal(t, 1000*time.Hour, c.Elapsed(nil, after(1000*time.Hour)))
	assert.Zero(t, c.Percent(nil, after(time.Hour)))
	assert.Zero(t, c.Remaining(nil, after(time.Hour)))
	assert.False(t, c.Breached(nil, after(time.Hour)))
	assert.True(t, c.Next().IsZero() && c.Deadline.IsZero())
}

func TestClockCheckFollowsCalendarChanges(t *testing.T) {
	t.Parallel()
	cal, berlin := office(t)
	c := sla.Clock{Target: 16 * time.Hour}
	c.Start(cal, time.Date(2026, time.December, 23, 8, 0, 0, 0, berlin)) // Wednesday
	assert.True(t, c.Deadline.Equal(time.Date(2026, time.December, 24, 17, 0, 0, 0, berlin)))
	holidays, _ := office(t, sla.Date{Year: 2026, Month: time.December, Day: 24})
	c.Check(holidays, time.Date(2026, time.December, 23, 9, 0, 0, 0, berlin))
	assert.True(t, c.Deadline.Equal(time.Date(2026, time.December, 25, 17, 0, 0, 0, berlin)), "got %v", c.Deadline)
}

func TestClockJSON(t *testing.T) {
	t.Parallel()
	cal, _ := office(t)
	c := sla.Clock{Name: "resolution", Target: 8 * time.Hour, Calendar: "office", WarnPercent: 80}
	c.Start(cal, t0)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"resolution","target":"8h0m0s","calendar":"office","warn_percent":80,
		"status":"running","started_at":"2026-03-02T09:00:00Z","since":"2026-03-02T09:00:00Z",
		"warn_at":"2026-03-03T07:24:00Z","deadline":"2026-03-03T09:00:00Z"}`, string(b))

	c.Pause(cal, after(time.Hour+30*time.Minute))
	c.Resume(cal, after(26*time.Hour))
	c.Check(cal, after(100*time.Hour))
	c.Stop(cal, after(101*time.Hour))
	for _, want := range []sla.Clock{{}, c} {
		b, err := json.Marshal(want)
		require.NoError(t, err)
		var got sla.Clock
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, want, got, string(b))
	}

	var got sla.Clock
	require.NoError(t, json.Unmarshal([]byte(`{"status":"paused","since":"2026-03-02T10:00:00+01:00"}`), &got))
	assert.Equal(t, time.UTC, got.Since.Location(), "instants come back in UTC")
}

func TestClockJSONRejectsBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, field string
		reason          string // a part of the reason, when it matters
	}{
		{"unknown status", `{"status":"ticking"}`, "status", ""},
		{"status a number", `{"status":1}`, "status", ""},
		{"target not a duration", `{"target":"8 hours"}`, "target", ""},
		{"target a number", `{"target":28800}`, "target", ""},
		{"accrued", `{"accrued":"x"}`, "accrued", ""},
		{"paused for in days", `{"paused_for":"1d"}`, "paused_for", ""},
		{"since before year 1", `{"since":"0001-01-01T00:00:00+01:00"}`, "since", ""},
		{"since not a time", `{"since":"yesterday"}`, "since", ""},
		{"since a number", `{"since":1767225600}`, "since", ""},
		{"deadline without zone", `{"deadline":"2026-03-02T09:00:00"}`, "deadline", ""},
		{"warn percent a string", `{"warn_percent":"75"}`, "warn_percent", ""},
		{"warn percent a fraction", `{"warn_percent":7.5}`, "warn_percent", ""},
		{"name a number", `{"name":1}`, "name", ""},
		{"name with NUL", `{"name":"resolution\u0000"}`, "name", "NUL"},
		{"name not UTF-8", "{\"name\":\"r\xe9solution\"}", "name", "UTF-8"},
		{"calendar with a lone surrogate", `{"calendar":"\ud800business"}`, "calendar", "UTF-8"},
		{"calendar with NUL", `{"calendar":"\u0000"}`, "calendar", "NUL"},
		{"a list", `[{"status":"running"}]`, "clock", ""},
		{"cut short", `{"status":`, "clock", ""},
		{"empty", ``, "clock", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sla.Clock{Name: "resolution", Target: time.Hour}
			c.Start(nil, t0)
			before := c
			var ve *itil.ValidationError
			require.ErrorAs(t, c.UnmarshalJSON([]byte(tc.in)), &ve, tc.in)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.Contains(t, ve.Reason, tc.reason)
			assert.Equal(t, before, c, "a bad clock leaves the value unchanged")
		})
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	w, b := sla.Count(nil)
	assert.Zero(t, w+b)
	w, b = sla.Count([]sla.Crossing{
		{Clock: "response", Kind: sla.Warning},
		{Clock: "response", Kind: sla.Breach},
		{Clock: "resolution", Kind: sla.Warning},
	})
	assert.Equal(t, 2, w)
	assert.Equal(t, 1, b)
}
