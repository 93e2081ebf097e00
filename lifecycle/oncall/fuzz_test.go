package oncall_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// FuzzScheduleJSON decodes arbitrary schedules: decoding never panics,
// every error is a *itil.ValidationError naming a field, what decodes
// encodes to a stable form, and the decoded schedule answers OnCall and
// lists its entries without trouble. The seeds are the files under
// testdata/schedule and testdata/fuzz/FuzzScheduleJSON.
func FuzzScheduleJSON(f *testing.F) {
	for _, b := range scheduleFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s oncall.Schedule
		if err := s.UnmarshalJSON(data); err != nil {
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, "%q", data)
			require.NotEmpty(t, ve.Field, "%q", data)
			return
		}
		b, err := json.Marshal(&s)
		require.NoError(t, err)
		var back oncall.Schedule
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		again, err := json.Marshal(&back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again))

		for _, at := range []time.Time{
			time.Date(2026, time.March, 29, 1, 30, 0, 0, time.UTC),
			time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC),
			time.Date(9999, time.December, 31, 23, 0, 0, 0, time.UTC),
		} {
			a := s.OnCall(at)
			require.Equal(t, a, back.OnCall(at))
			n := 0
			for e, err := range s.Entries(at, at.Add(time.Hour)) {
				require.NoError(t, err)
				require.NotEmpty(t, e.User)
				require.True(t, e.Until.After(e.From))
				if n == 0 && a.User != "" {
					require.Equal(t, a.User, e.User)
					require.True(t, e.From.Equal(at))
				}
				n++
			}
		}
	})
}
