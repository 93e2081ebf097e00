package escalation_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/escalation"
)

// sent says the pages as "L<level>R<round> at <minutes after start>: <page>".
func sent(start time.Time, pages []escalation.Page) []string {
	var out []string
	for _, pg := range pages {
		out = append(out, pg.At.Sub(start).String()+" "+pg.String())
	}
	return out
}

// TestStateFollowsThePolicy walks an escalation through the policy, step by
// step: each step moves the clock to an instant and sends what is due.
func TestStateFollowsThePolicy(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	sch := schedules(t)
	start := monday9.Add(time.Hour) // ann is on call for primary, dan for secondary
	for _, tt := range []struct {
		name  string
		steps []time.Duration // instants after start at which to send
		want  []string
		final escalation.Status
		next  time.Duration // after start; -1 for none
	}{
		{"first level at once", []time.Duration{0}, []string{
			"0s level 1, round 1: ann (primary)",
		}, escalation.Paging, 15 * time.Minute},
		{"nothing before the delay", []time.Duration{0, 14 * time.Minute}, []string{
			"0s level 1, round 1: ann (primary)",
		}, escalation.Paging, 15 * time.Minute},
		{"second level after the delay", []time.Duration{0, 15 * time.Minute}, []string{
			"0s level 1, round 1: ann (primary)",
			"15m0s level 2, round 1: dan (secondary), mia, group network",
		}, escalation.Paging, 45 * time.Minute},
		{"the repeat, then exhausted", []time.Duration{0, 15 * time.Minute, 45 * time.Minute, time.Hour, 2 * time.Hour}, []string{
			"0s level 1, round 1: ann (primary)",
			"15m0s level 2, round 1: dan (secondary), mia, group network",
			"45m0s level 1, round 2: ann (primary)",
			"1h0m0s level 2, round 2: dan (secondary), mia, group network",
		}, escalation.Exhausted, -1},
		{"a late sweep sends each missed page as of its instant", []time.Duration{50 * time.Minute}, []string{
			"0s level 1, round 1: ann (primary)",
			"15m0s level 2, round 1: dan (secondary), mia, group network",
			"45m0s level 1, round 2: ann (primary)",
		}, escalation.Paging, time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s escalation.State
			assert.Equal(t, escalation.Idle, s.Status())
			assert.True(t, s.Next().IsZero())
			ok, err := s.Start(p, start)
			require.NoError(t, err)
			require.True(t, ok)
			var pages []escalation.Page
			for _, at := range tt.steps {
				got, err := s.Pages(p, sch, start.Add(at))
				require.NoError(t, err)
				pages = append(pages, got...)
				again, err := s.Pages(p, sch, start.Add(at))
				require.NoError(t, err)
				assert.Empty(t, again, "each page is sent once")
			}
			assert.Equal(t, tt.want, sent(start, pages))
			assert.Equal(t, tt.final, s.Status())
			if tt.next < 0 {
				assert.True(t, s.Next().IsZero())
			} else {
				assert.Equal(t, start.Add(tt.next), s.Next())
			}
			last := pages[len(pages)-1]
			assert.Equal(t, last.Level, s.Level)
			assert.Equal(t, last.Round, s.Round)
			assert.Equal(t, len(pages), s.Sent)
			assert.Equal(t, last.At, s.LastAt)
		})
	}
}

func TestAcknowledgeAndStopEndThePaging(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	sch := schedules(t)
	var s escalation.State
	_, err := s.Start(p, monday9)
	require.NoError(t, err)
	_, err = s.Pages(p, sch, monday9)
	require.NoError(t, err)

	_, err = s.Acknowledge("", monday9)
	requireInvalid(t, err, "by")
	_, err = s.Acknowledge("ann", time.Time{})
	requireInvalid(t, err, "at")
	ok, err := s.Acknowledge("ann", monday9.Add(5*time.Minute))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, escalation.Acknowledged, s.Status())
	assert.Equal(t, "ann", s.AcknowledgedBy)
	assert.True(t, s.Next().IsZero())
	pages, err := s.Pages(p, sch, monday9.Add(time.Hour))
	require.NoError(t, err)
	assert.Empty(t, pages, "acknowledged: nothing more")
	ok, err = s.Acknowledge("bob", monday9.Add(6*time.Minute))
	require.NoError(t, err)
	assert.False(t, ok, "acknowledged once")
	assert.Equal(t, "ann", s.AcknowledgedBy)
	assert.False(t, s.Stop("resolved", monday9.Add(time.Hour)), "already ended")

	// Start again after the end: from the first level.
	ok, err = s.Start(p, monday9.Add(2*time.Hour))
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.Start(p, monday9.Add(3*time.Hour))
	require.NoError(t, err)
	assert.False(t, ok, "running: left as it is")
	assert.Equal(t, monday9.Add(2*time.Hour), s.StartedAt)
	assert.True(t, s.Stop("resolved", monday9.Add(2*time.Hour+time.Minute)))
	assert.Equal(t, escalation.Stopped, s.Status())
	assert.Equal(t, "resolved", s.StopReason)
	pages, err = s.Pages(p, sch, monday9.Add(5*time.Hour))
	require.NoError(t, err)
	assert.Empty(t, pages)

	var idle escalation.State
	ok, err = idle.Acknowledge("ann", monday9)
	require.NoError(t, err)
	assert.False(t, ok, "nothing to acknowledge")
	assert.Equal(t, escalation.Idle, idle.Status())
	_, err = idle.Start(nil, monday9)
	requireInvalid(t, err, "policy")
	_, err = idle.Start(p, time.Time{})
	requireInvalid(t, err, "at")
}

// TestPagesFollowTheSchedule pages through a night and a day: each page
// goes to whoever is on call at its due instant, across the 09:00
// hand-off and through Tuesday's override.
func TestPagesFollowTheSchedule(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, escalation.Config{Name: "night", Levels: []escalation.Level{
		{Targets: []escalation.Target{{Schedule: "primary"}}, Delay: time.Hour},
		{Targets: []escalation.Target{{Schedule: "primary"}}, Delay: time.Hour},
	}, Repeats: escalation.MaxRepeats})
	sch := schedules(t)
	for _, tt := range []struct {
		name  string
		start time.Time
		want  []string
	}{
		{"hand-off at 09:00", monday9.Add(21 * time.Hour), []string{ // Tuesday 06:00
			"0s level 1, round 1: ann (primary)",
			"1h0m0s level 2, round 1: ann (primary)",
			"2h0m0s level 1, round 2: ann (primary)",
			"3h0m0s level 2, round 2: bob (primary)", // 09:00: bob's turn
			"4h0m0s level 1, round 3: bob (primary)",
		}},
		{"override from 12:00 to 14:00", monday9.Add(26 * time.Hour), []string{ // Tuesday 11:00
			"0s level 1, round 1: bob (primary)",
			"1h0m0s level 2, round 1: cem (primary)",
			"2h0m0s level 1, round 2: cem (primary)",
			"3h0m0s level 2, round 2: bob (primary)",
			"4h0m0s level 1, round 3: bob (primary)",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s escalation.State
			_, err := s.Start(p, tt.start)
			require.NoError(t, err)
			var pages []escalation.Page
			for at := tt.start; at.Sub(tt.start) <= 4*time.Hour; at = at.Add(30 * time.Minute) {
				got, err := s.Pages(p, sch, at)
				require.NoError(t, err)
				pages = append(pages, got...)
			}
			assert.Equal(t, tt.want, sent(tt.start, pages))
		})
	}

	// Before the rotation starts, nobody is on call.
	var s escalation.State
	_, err := s.Start(p, monday9.Add(-time.Hour))
	require.NoError(t, err)
	pg, ok, err := s.Page(p, sch, monday9.Add(-time.Hour))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "level 1, round 1: nobody on call (primary)", pg.String())
	assert.Equal(t, []string{"primary"}, pg.Unstaffed())
	assert.Empty(t, pg.Users())
}

func TestPageRefusesTheWrongPolicy(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	other := twoLevels()
	other.Name = "other"
	q := mustPolicy(t, other)
	var s escalation.State
	_, err := s.Start(p, monday9)
	require.NoError(t, err)
	before := s
	_, _, err = s.Page(q, schedules(t), monday9)
	requireInvalid(t, err, "policy")
	_, _, err = s.Page(nil, schedules(t), monday9)
	requireInvalid(t, err, "policy")
	_, _, err = s.Page(p, nil, monday9)
	requireInvalid(t, err, "levels[0].targets[0].schedule")
	assert.Equal(t, before, s, "unchanged")
}

// TestPageAfterThePolicyShrank sends nothing more when the policy lost the
// levels an escalation was to page next.
func TestPageAfterThePolicyShrank(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	var s escalation.State
	_, err := s.Start(p, monday9)
	require.NoError(t, err)
	_, err = s.Pages(p, schedules(t), monday9.Add(15*time.Minute)) // both levels of round 1
	require.NoError(t, err)
	cfg := twoLevels()
	cfg.Repeats = 0
	cfg.Levels[1].Delay = 0
	shrunk := mustPolicy(t, cfg)
	pages, err := s.Pages(shrunk, schedules(t), monday9.Add(time.Hour))
	require.NoError(t, err)
	assert.Empty(t, pages)
	assert.Equal(t, escalation.Exhausted, s.Status())
}

func TestStateJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	var s escalation.State
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(b), "the zero State is empty")
	_, err = s.Start(p, monday9)
	require.NoError(t, err)
	_, err = s.Pages(p, schedules(t), monday9.Add(20*time.Minute))
	require.NoError(t, err)
	b, err = json.Marshal(s)
	require.NoError(t, err)
	var back escalation.State
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back)

	// The copy goes on where the original would.
	want, err := s.Pages(p, schedules(t), monday9.Add(time.Hour))
	require.NoError(t, err)
	got, err := back.Pages(p, schedules(t), monday9.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestStatusNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "paging", escalation.Paging.String())
	assert.Equal(t, "Status(9)", escalation.Status(9).String())
	assert.True(t, escalation.Exhausted.Active())
	assert.False(t, escalation.Acknowledged.Active())
}
