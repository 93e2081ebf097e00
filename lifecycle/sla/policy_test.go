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

func TestDefaultPolicy(t *testing.T) {
	t.Parallel()
	p := sla.DefaultPolicy()
	require.NoError(t, p.Validate())
	p1, err := p.For(itil.P1)
	require.NoError(t, err)
	assert.Equal(t, sla.Targets{Response: sla.Target{Within: 15 * time.Minute}, Resolution: sla.Target{Within: 4 * time.Hour}}, p1)
	p3, err := p.For(itil.P3)
	require.NoError(t, err)
	assert.Equal(t, sla.Target{Within: 24 * time.Hour, Calendar: sla.BusinessCalendar}, p3.Resolution)
	cal, err := p.Calendar(sla.BusinessCalendar)
	require.NoError(t, err)
	assert.Equal(t, 45*time.Hour, cal.WeekDuration())
	always, err := p.Calendar("")
	require.NoError(t, err)
	assert.True(t, always.IsWorking(time.Date(2026, time.March, 1, 3, 0, 0, 0, time.UTC)), "\"\" is 24x7")
	_, err = p.Calendar("night")
	assert.ErrorIs(t, err, itil.ErrInvalid)
	assert.NotSame(t, p, sla.DefaultPolicy(), "each call returns a new policy")
}

func TestPolicyJSON(t *testing.T) {
	t.Parallel()
	p, _ := officePolicy(t)
	p.WarnPercent = 80
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back sla.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(again))
	assert.Equal(t, p.Targets, back.Targets)
	assert.Equal(t, p.Calendars[sla.BusinessCalendar].Config(), back.Calendars[sla.BusinessCalendar].Config())

	var small sla.Policy
	require.NoError(t, json.Unmarshal([]byte(`{"targets": {
		"P1": {"response": {"within": "15m"}, "resolution": {"within": "4h"}},
		"P2": {"response": {"within": "1h"}, "resolution": {"within": "8h"}},
		"P3": {"response": {"within": "4h"}, "resolution": {"within": "1h30m"}},
		"P4": {"response": {}, "resolution": {}},
		"P5": {"response": {}, "resolution": {}}}}`), &small))
	assert.Equal(t, 90*time.Minute, small.Targets[itil.P3].Resolution.Within)
}

func TestPolicyRejectsBadInput(t *testing.T) {
	t.Parallel()
	edit := func(f func(p *sla.Policy)) *sla.Policy {
		p := sla.DefaultPolicy()
		f(p)
		return p
	}
	for _, tc := range []struct {
		name  string
		p     *sla.Policy
		field string
	}{
		{"nil", nil, "policy"},
		{"warn percent", edit(func(p *sla.Policy) { p.WarnPercent = 101 }), "warn_percent"},
		{"negative warn percent", edit(func(p *sla.Policy) { p.WarnPercent = -1 }), "warn_percent"},
		{"missing calendar", edit(func(p *sla.Policy) { p.Calendars["night"] = nil }), "calendars[night]"},
		{"unnamed calendar", edit(func(p *sla.Policy) { p.Calendars[""] = sla.Always() }), "calendars"},
		{"missing priority", edit(func(p *sla.Policy) { delete(p.Targets, itil.P4) }), "targets.P4"},
		{"bad priority", edit(func(p *sla.Policy) { p.Targets[9] = sla.Targets{} }), "targets"},
		{"negative target", edit(func(p *sla.Policy) {
			ts := p.Targets[itil.P2]
			ts.Resolution.Within = -time.Hour
			p.Targets[itil.P2] = ts
		}), "targets.P2.resolution.within"},
		{"unknown calendar", edit(func(p *sla.Policy) {
			ts := p.Targets[itil.P3]
			ts.Response.Calendar = "night"
			p.Targets[itil.P3] = ts
		}), "targets.P3.response.calendar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ve *itil.ValidationError
			require.ErrorAs(t, tc.p.Validate(), &ve)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
		})
	}

	for field, bad := range map[string]string{
		"within":                       `{"targets": {"P1": {"response": {"within": "soon"}}}}`,
		"priority":                     `{"targets": {"P6": {}}}`,
		"targets.P2":                   `{"targets": {"P1": {}}}`,
		"zone":                         `{"calendars": {"x": {"zone": "Mars/Olympus"}}, "targets": {}}`,
		"targets.P1.response.calendar": `{"targets": {"P1": {"response": {"calendar": "x"}}, "P2": {}, "P3": {}, "P4": {}, "P5": {}}}`,
	} {
		var p sla.Policy
		var ve *itil.ValidationError
		require.ErrorAs(t, json.Unmarshal([]byte(bad), &p), &ve, bad)
		assert.Equal(t, field, ve.Field, bad)
	}
}
