package oncall_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/oncall"
)

// scheduleFiles are the schedules under testdata/schedule.
func scheduleFiles(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "schedule", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		out[filepath.Base(p)] = b
	}
	return out
}

func TestScheduleJSON(t *testing.T) {
	t.Parallel()
	for name, b := range scheduleFiles(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var s oncall.Schedule
			require.NoError(t, json.Unmarshal(b, &s))
			out, err := json.Marshal(&s)
			require.NoError(t, err)
			assert.JSONEq(t, normalJSON(t, b), string(out))
			var back oncall.Schedule
			require.NoError(t, json.Unmarshal(out, &back))
			assert.Equal(t, s.Config(), back.Config())
		})
	}
}

// normalJSON is b with its defaults written out, as MarshalJSON writes it.
func normalJSON(t *testing.T, b []byte) string {
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return string(out)
}

func TestScheduleJSONDecodes(t *testing.T) {
	t.Parallel()
	var s oncall.Schedule
	require.NoError(t, json.Unmarshal(scheduleFiles(t)["follow-the-sun.json"], &s))
	cfg := s.Config()
	require.Len(t, cfg.Layers, 3)
	assert.Equal(t, "Europe/Berlin", s.Location().String())
	assert.Equal(t, oncall.Weekly(), cfg.Layers[0].Turn)
	assert.Equal(t, oncall.Daily(), cfg.Layers[1].Turn)
	assert.Equal(t, oncall.Every(12*time.Hour), cfg.Layers[2].Turn)
	assert.Equal(t, []oncall.Restriction{oncall.DailyWindow(9*time.Hour, 17*time.Hour, oncall.Weekdays()...)}, cfg.Layers[1].Restrictions)
	assert.Equal(t, []oncall.Restriction{oncall.WeeklyWindow(time.Friday, 17*time.Hour, time.Monday, 9*time.Hour)}, cfg.Layers[2].Restrictions)
	berlin := s.Location()
	assert.Equal(t, "nia", s.OnCall(time.Date(2026, time.March, 4, 12, 0, 0, 0, berlin)).User)
	assert.Equal(t, "lea", s.OnCall(time.Date(2026, time.January, 2, 18, 0, 0, 0, berlin)).User)
	assert.Equal(t, "ann", s.OnCall(time.Date(2026, time.January, 6, 18, 0, 0, 0, berlin)).User)
	assert.Equal(t, "joe", s.OnCall(time.Date(2026, time.January, 6, 10, 0, 0, 0, berlin)).User)
}

func TestScheduleJSONErrors(t *testing.T) {
	t.Parallel()
	layer := `{"users":["ann"],"start":"2026-01-05T00:00:00Z","turn":"daily"`
	tests := []struct {
		in    string
		field string
	}{
		{``, "schedule"},
		{`[]`, "schedule"},
		{`{"layers":[`, "schedule"},
		{`{} {}`, "schedule"},
		{`{"layers":[]}`, "layers"},
		{`{"zone":"Mars/Base","layers":[` + layer + `}]}`, "zone"},
		{`{"zone":5,"layers":[]}`, "schedule.zone"},
		{`{"layerz":[]}`, "schedule"},
		{`{"layers":[5]}`, "layers[0]"},
		{`{"layers":[` + layer + `},{"users":[1]}]}`, "layers[1].users"},
		{`{"layers":[` + layer + `,"colour":"red"}]}`, "layers[0]"},
		{`{"layers":[{"users":["ann"],"turn":"daily"}]}`, "layers[0].start"},
		{`{"layers":[{"users":["ann"],"start":"yesterday","turn":"daily"}]}`, "layers[0].start"},
		{`{"layers":[{"users":["ann"],"start":"2026-01-05T00:00:00Z"}]}`, "layers[0].turn"},
		{`{"layers":[{"users":["ann"],"start":"2026-01-05T00:00:00Z","turn":"hourly"}]}`, "layers[0].turn"},
		{`{"layers":[{"users":["ann"],"start":"2026-01-05T00:00:00Z","turn":"-2d"}]}`, "layers[0].turn"},
		{`{"layers":[{"users":["ann"],"start":"2026-01-05T00:00:00Z","turn":"0s"}]}`, "layers[0].turn"},
		{`{"layers":[{"users":["ann"],"start":"2026-01-05T00:00:00Z","turn":"-12h"}]}`, "layers[0].turn"},
		{`{"layers":[` + layer + `,"end":"2025-01-01T00:00:00Z"}]}`, "layers[0].end"},
		{`{"layers":[` + layer + `,"restrictions":[{"start":"17:00","end":"09:00"}]}]}`, "layers[0].restrictions[0].end"},
		{`{"layers":[` + layer + `,"restrictions":[{"days":["funday"],"start":"09:00","end":"17:00"}]}]}`, "layers[0].restrictions[0].days[0]"},
		{`{"layers":[` + layer + `,"restrictions":[{"start":"9am","end":"17:00"}]}]}`, "layers[0].restrictions[0].start"},
		{`{"layers":[` + layer + `,"restrictions":[{"start":"09:00","end":"24:01"}]}]}`, "layers[0].restrictions[0].end"},
		{`{"layers":[` + layer + `,"restrictions":[{"type":"monthly","start":"09:00","end":"17:00"}]}]}`, "layers[0].restrictions[0].type"},
		{`{"layers":[` + layer + `,"restrictions":[{"start_day":"monday","start":"09:00","end":"17:00"}]}]}`, "layers[0].restrictions[0].type"},
		{`{"layers":[` + layer + `,"restrictions":[{"type":"weekly","start":"09:00","end_day":"monday","end":"17:00"}]}]}`, "layers[0].restrictions[0].start_day"},
		{`{"layers":[` + layer + `,"restrictions":[{"type":"weekly","days":["monday"],"start_day":"monday","start":"09:00","end_day":"monday","end":"17:00"}]}]}`, "layers[0].restrictions[0].days"},
		{`{"layers":[` + layer + `}],"overrides":[{"from":"2026-01-05T00:00:00Z","until":"2026-01-06T00:00:00Z"}]}`, "overrides[0].user"},
		{`{"layers":[` + layer + `}],"overrides":[{"user":"bob","from":"2026-01-05T00:00:00Z","until":"2026-01-04T00:00:00Z"}]}`, "overrides[0].until"},
		{`{"layers":[` + layer + `}],"overrides":[{"user":"bob","from":"2026-01-05","until":"2026-01-06T00:00:00Z"}]}`, "overrides[0].from"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var s oncall.Schedule
			requireInvalid(t, s.UnmarshalJSON([]byte(tt.in)), tt.field)
		})
	}
}
