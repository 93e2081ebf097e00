package sla_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/sla"
)

// calendarFiles returns the calendars under testdata/calendar, by file name.
func calendarFiles(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "calendar", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	files := make(map[string][]byte, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		files[filepath.Base(p)] = b
	}
	return files
}

func TestCalendarJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for name, b := range calendarFiles(t) {
		t.Run(name, func(t *testing.T) {
			var c sla.Calendar
			err := json.Unmarshal(b, &c)
			if strings.HasPrefix(name, "bad-") {
				assert.ErrorIs(t, err, itil.ErrInvalid)
				return
			}
			require.NoError(t, err)
			out, err := json.Marshal(&c)
			require.NoError(t, err)
			var back sla.Calendar
			require.NoError(t, json.Unmarshal(out, &back))
			again, err := json.Marshal(&back)
			require.NoError(t, err)
			assert.Equal(t, string(out), string(again))
			assert.Equal(t, c.Config(), back.Config())
		})
	}
}

func TestCalendarJSONForm(t *testing.T) {
	t.Parallel()
	cal, _ := office(t, sla.Date{Year: 2026, Month: time.December, Day: 25})
	b, err := json.Marshal(cal)
	require.NoError(t, err)
	assert.Equal(t, `{"zone":"Europe/Berlin","hours":{`+
		`"monday":["08:00-12:00","13:00-17:00"],"tuesday":["08:00-12:00","13:00-17:00"],`+
		`"wednesday":["08:00-12:00","13:00-17:00"],"thursday":["08:00-12:00","13:00-17:00"],`+
		`"friday":["08:00-12:00","13:00-17:00"]},"holidays":["2026-12-25"]}`, string(b))

	b, err = json.Marshal(sla.Always())
	require.NoError(t, err)
	var back sla.Calendar
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, sla.Always().Config(), back.Config(), "24x7 is written out day by day")

	var mixed sla.Calendar
	require.NoError(t, json.Unmarshal([]byte(`{"hours":{"Monday":["09:00-10:00"],"SUNDAY":["00:00-24:00"]}}`), &mixed))
	assert.Equal(t, 25*time.Hour, mixed.WeekDuration(), "weekday names in any case")
	require.NoError(t, json.Unmarshal([]byte(`{"hours":{}}`), &mixed))
	assert.Equal(t, 168*time.Hour, mixed.WeekDuration(), "no hours: 24x7")
}

func TestCalendarJSONRejectsBadInput(t *testing.T) {
	t.Parallel()
	for field, bad := range map[string]string{
		"zone":              `{"zone":"Mars/Olympus_Mons"}`,
		"hours":             `{"hours":{"monday":[],"friday":null}}`,
		"hours.mondy":       `{"hours":{"mondy":["08:00-17:00"]}}`,
		"hours.monday":      `{"hours":{"Monday":["08:00-12:00"],"monday":["13:00-17:00"]}}`,
		"hours.tuesday[1]":  `{"hours":{"tuesday":["08:00-12:00","13:00-25:00"]}}`,
		"hours.friday[0]":   `{"hours":{"friday":["8:00-17:00"]}}`,
		"hours.saturday[1]": `{"hours":{"saturday":["08:00-12:00","11:59-13:00"]}}`,
		"holidays[1]":       `{"holidays":["2026-12-25","2026-12-32"]}`,
	} {
		cal, _ := office(t)
		before := cal.Config()
		var ve *itil.ValidationError
		require.ErrorAs(t, json.Unmarshal([]byte(bad), cal), &ve, bad)
		assert.Equal(t, field, ve.Field, bad)
		assert.Equal(t, before, cal.Config(), "a bad calendar leaves the value unchanged")
	}
	var c sla.Calendar
	assert.Error(t, json.Unmarshal([]byte(`{"hours":[`), &c))
	var ve *itil.ValidationError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"hours":["08:00-17:00"]}`), &c), &ve)
	assert.Equal(t, "hours", ve.Field)
}
