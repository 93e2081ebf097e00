package sla_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
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

}

func TestPolicyJSONRejectsBadInput(t *testing.T) {
	t.Parallel()
	const rest = `"P2": {}, "P3": {}, "P4": {}, "P5": {}`
	for _, tc := range []struct {
		name, in, field string
		reason          string // a part of the reason, when it matters
	}{
		{"within not a duration", `{"targets": {"P1": {"response": {"within": "soon"}}}}`, "targets.P1.response.within", ""},
		{"within a number", `{"targets": {"P1": {"response": {"within": 900}}}}`, "targets.P1.response.within", ""},
		{"target a string", `{"targets": {"P1": {"response": "15m"}}}`, "targets.P1.response", ""},
		{"targets of a priority a list", `{"targets": {"P1": []}}`, "targets.P1", ""},
		{"unknown priority", `{"targets": {"P6": {}}}`, "targets", "P6"},
		{"repeated priority", `{"targets": {"P1": {}, "p1": {}, ` + rest + `}}`, "targets.p1", ""},
		{"targets a list", `{"targets": []}`, "targets", ""},
		{"missing priority", `{"targets": {"P1": {}}}`, "targets.P2", ""},
		{"unknown zone", `{"calendars": {"x": {"zone": "Mars/Olympus"}}, "targets": {}}`, "calendars[x].zone", ""},
		{"zone a number", `{"calendars": {"x": {"zone": 1}}, "targets": {}}`, "calendars[x].zone", ""},
		{"bad interval", `{"calendars": {"x": {"hours": {"monday": ["8-17"]}}}, "targets": {}}`, "calendars[x].hours.monday[0]", ""},
		{"calendar a list", `{"calendars": {"x": []}, "targets": {}}`, "calendars[x]", ""},
		{"calendars a list", `{"calendars": [], "targets": {}}`, "calendars", ""},
		{"calendar name with NUL", `{"calendars": {"x\u0000": {}}, "targets": {}}`, "calendars", "NUL"},
		{"calendar name not UTF-8", "{\"calendars\": {\"\xff\": {}}, \"targets\": {}}", "calendars", "UTF-8"},
		{"missing calendar", `{"calendars": {"x": null}, "targets": {"P1": {}, ` + rest + `}}`, "calendars[x]", ""},
		{"unknown calendar", `{"targets": {"P1": {"response": {"calendar": "x"}}, ` + rest + `}}`, "targets.P1.response.calendar", ""},
		{"target calendar with NUL", `{"targets": {"P1": {"resolution": {"calendar": "x\u0000"}}, ` + rest + `}}`, "targets.P1.resolution.calendar", "NUL"},
		{"warn percent a string", `{"warn_percent": "75", "targets": {}}`, "warn_percent", ""},
		{"warn percent too large", `{"warn_percent": 101, "targets": {}}`, "warn_percent", ""},
		{"a list", `[]`, "policy", ""},
		{"cut short", `{"targets": {`, "policy", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p sla.Policy
			var ve *itil.ValidationError
			require.ErrorAs(t, p.UnmarshalJSON([]byte(tc.in)), &ve, tc.in)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.Contains(t, ve.Reason, tc.reason)
		})
	}
	var tg sla.Target
	for in, field := range map[string]string{`{"within": 5}`: "within", `"4h"`: "target", `{"calendar": "\u0000"}`: "calendar"} {
		var ve *itil.ValidationError
		require.ErrorAs(t, tg.UnmarshalJSON([]byte(in)), &ve, in)
		assert.Equal(t, field, ve.Field, in)
	}
}

func TestPolicyRefusesBadNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"night\x00", "n\xe4cht"} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			p := sla.DefaultPolicy()
			p.Calendars[name] = sla.Always()
			var ve *itil.ValidationError
			require.ErrorAs(t, p.Validate(), &ve, "%q", name)
			assert.Equal(t, "calendars", ve.Field, ve.Error())

			ts := p.Targets[itil.P3]
			ts.Response.Calendar = name
			p.Targets[itil.P3] = ts
			var s sla.Set
			_, err := s.Apply(p, sla.Facts{Priority: itil.P3, Category: lifecycle.Open}, t0)
			require.ErrorAs(t, err, &ve, "%q", name)
			assert.Equal(t, "targets.P3.response.calendar", ve.Field, ve.Error())
			assert.Equal(t, sla.Set{}, s, "a refused Apply leaves the set unchanged")
		})
	}
}
