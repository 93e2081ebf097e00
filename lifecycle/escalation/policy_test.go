package escalation_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/escalation"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// monday9 is a Monday at 09:00 UTC, when the test schedules start.
var monday9 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// schedules are two rotations: "primary", ann and bob taking daily turns
// handed off at 09:00, with cem overriding Tuesday from 12:00 to 14:00;
// and "secondary", dan and eva taking weekly turns.
func schedules(t testing.TB) escalation.Schedules {
	t.Helper()
	primary, err := oncall.New(oncall.Config{
		Layers:    []oncall.Layer{{Name: "primary", Users: []string{"ann", "bob"}, Start: monday9, Turn: oncall.Daily()}},
		Overrides: []oncall.Override{{User: "cem", From: monday9.Add(27 * time.Hour), Until: monday9.Add(29 * time.Hour)}},
	})
	require.NoError(t, err)
	secondary, err := oncall.New(oncall.Config{
		Layers: []oncall.Layer{{Name: "secondary", Users: []string{"dan", "eva"}, Start: monday9, Turn: oncall.Weekly()}},
	})
	require.NoError(t, err)
	return escalation.Schedules{"primary": primary, "secondary": secondary}
}

// twoLevels is the policy most tests page by: the primary on call, then
// 15 minutes later the secondary on call and mia, repeated once 30
// minutes after that.
func twoLevels() escalation.Config {
	return escalation.Config{
		Name: "p1",
		Levels: []escalation.Level{
			{Targets: []escalation.Target{{Schedule: "primary"}}, Delay: 15 * time.Minute},
			{Targets: []escalation.Target{{Schedule: "secondary"}, {User: "mia"}, {Group: "network"}}, Delay: 30 * time.Minute},
		},
		Repeats: 1,
	}
}

func mustPolicy(t testing.TB, cfg escalation.Config) *escalation.Policy {
	t.Helper()
	p, err := escalation.New(cfg)
	require.NoError(t, err)
	return p
}

// requireInvalid asserts that err is a *itil.ValidationError naming field.
func requireInvalid(t testing.TB, err error, field string) {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "want a validation error naming %q", field)
	assert.Equal(t, field, ve.Field, "%v", err)
	assert.ErrorIs(t, err, itil.ErrInvalid)
}

func TestNewRefusesBadPolicies(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		edit  func(*escalation.Config)
		field string
	}{
		{"no name", func(c *escalation.Config) { c.Name = "" }, "name"},
		{"bad name", func(c *escalation.Config) { c.Name = "p\x00" }, "name"},
		{"no levels", func(c *escalation.Config) { c.Levels = nil }, "levels"},
		{"too many levels", func(c *escalation.Config) {
			for range escalation.MaxLevels {
				c.Levels = append(c.Levels, c.Levels[0])
			}
		}, "levels"},
		{"negative repeats", func(c *escalation.Config) { c.Repeats = -1 }, "repeats"},
		{"too many repeats", func(c *escalation.Config) { c.Repeats = escalation.MaxRepeats + 1 }, "repeats"},
		{"negative delay", func(c *escalation.Config) { c.Levels[1].Delay = -time.Minute }, "levels[1].delay"},
		{"zero delay before a level", func(c *escalation.Config) { c.Levels[0].Delay = 0 }, "levels[0].delay"},
		{"zero delay before a repeat", func(c *escalation.Config) { c.Levels[1].Delay = 0 }, "levels[1].delay"},
		{"no targets", func(c *escalation.Config) { c.Levels[1].Targets = nil }, "levels[1].targets"},
		{"empty target", func(c *escalation.Config) { c.Levels[1].Targets[2] = escalation.Target{} }, "levels[1].targets[2]"},
		{"two in one target", func(c *escalation.Config) {
			c.Levels[0].Targets[0] = escalation.Target{Schedule: "primary", User: "ann"}
		}, "levels[0].targets[0]"},
		{"bad user", func(c *escalation.Config) { c.Levels[1].Targets[1].User = "\xff" }, "levels[1].targets[1].user"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := twoLevels()
			tt.edit(&cfg)
			p, err := escalation.New(cfg)
			requireInvalid(t, err, tt.field)
			assert.Nil(t, p)
		})
	}

	// The last level of a policy that does not repeat needs no delay.
	cfg := twoLevels()
	cfg.Repeats, cfg.Levels[1].Delay = 0, 0
	_, err := escalation.New(cfg)
	assert.NoError(t, err)
}

func TestCheckNamesUnknownSchedules(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	require.NoError(t, p.Check(schedules(t)))
	s := schedules(t)
	delete(s, "secondary")
	requireInvalid(t, p.Check(s), "levels[1].targets[0].schedule")
	requireInvalid(t, p.Check(nil), "levels[0].targets[0].schedule")
}

func TestPolicyIsACopy(t *testing.T) {
	t.Parallel()
	cfg := twoLevels()
	p := mustPolicy(t, cfg)
	cfg.Levels[0].Targets[0].Schedule = "changed"
	got := p.Config()
	assert.Equal(t, "primary", got.Levels[0].Targets[0].Schedule)
	got.Levels[0].Targets[0].Schedule = "changed again"
	assert.Equal(t, "primary", p.Config().Levels[0].Targets[0].Schedule)
	assert.Equal(t, "p1", p.Name())
	assert.Equal(t, 2, p.Levels())
	assert.Equal(t, 2, p.Rounds())
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p := mustPolicy(t, twoLevels())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name": "p1", "repeats": 1, "levels": [
		{"targets": [{"schedule": "primary"}], "delay": "15m0s"},
		{"targets": [{"schedule": "secondary"}, {"user": "mia"}, {"group": "network"}], "delay": "30m0s"}]}`, string(b))
	back, err := escalation.ParseJSON(b)
	require.NoError(t, err)
	assert.Equal(t, p.Config(), back.Config())

	var q escalation.Policy
	require.NoError(t, json.Unmarshal([]byte(`{"name": "short", "levels": [{"targets": [{"user": "ann"}]}]}`), &q))
	assert.Equal(t, escalation.Config{Name: "short", Levels: []escalation.Level{{Targets: []escalation.Target{{User: "ann"}}}}}, q.Config())
}

func TestPolicyJSONErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		json, field string
	}{
		{``, "policy"},
		{`[]`, "policy"},
		{`{"name": "p"} {}`, "policy"},
		{`{"name": "p", "levls": []}`, "policy"},
		{`{"name": 7}`, "policy.name"},
		{`{"name": "p", "levels": []}`, "levels"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann"}], "delay": "soon"}]}`, "levels[0].delay"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann"}]}, {"targets": [{"user": "bob"}]}]}`, "levels[0].delay"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann"}], "delay": "-1m"}]}`, "levels[0].delay"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann", "group": "x"}]}]}`, "levels[0].targets[0]"},
		{`{"name": "p", "levels": [{"targets": [{"person": "ann"}]}]}`, "levels[0].targets[0]"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann"}]}], "repeats": -2}`, "repeats"},
		{`{"name": "p", "levels": [{"targets": [{"user": "ann"}]}], "repeats": 1.5}`, "policy.repeats"},
		{`{"name": "p", "levels": [{"targets": "ann"}]}`, "levels[0].targets"},
		{"{\"name\": \"p\xff\", \"levels\": [{\"targets\": [{\"user\": \"ann\"}]}]}", "policy"},
	} {
		var p escalation.Policy
		requireInvalid(t, p.UnmarshalJSON([]byte(tt.json)), tt.field)
	}
}
