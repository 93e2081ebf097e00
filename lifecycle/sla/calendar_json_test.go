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
	for _, tc := range []struct {
		name, in, field string
		reason          string // a part of the reason, when it matters
	}{
		{"unknown zone", `{"zone":"Mars/Olympus_Mons"}`, "zone", ""},
		{"zone not a string", `{"zone":5}`, "zone", ""},
		{"zone with NUL", `{"zone":"Europe/Berlin\u0000"}`, "zone", "NUL"},
		{"zone not UTF-8", "{\"zone\":\"Europe/\xffBerlin\"}", "zone", "UTF-8"},
		{"zone with a lone surrogate", `{"zone":"Europe/\udc00"}`, "zone", "UTF-8"},
		{"no interval on any day", `{"hours":{"monday":[],"friday":null}}`, "hours", ""},
		{"hours a list", `{"hours":["08:00-17:00"]}`, "hours", ""},
		{"hours a number", `{"hours":5}`, "hours", ""},
		{"hours not UTF-8", "{\"hours\":{\"mon\xffday\":[\"08:00-17:00\"]}}", "hours", "UTF-8"},
		{"weekday with NUL", `{"hours":{"mon\u0000day":["08:00-17:00"]}}`, "hours", "NUL"},
		{"unknown weekday", `{"hours":{"mondy":["08:00-17:00"]}}`, "hours.mondy", ""},
		{"repeated weekday", `{"hours":{"Monday":["08:00-12:00"],"monday":["13:00-17:00"]}}`, "hours.monday", ""},
		{"day not a list", `{"hours":{"monday":"08:00-17:00"}}`, "hours.monday", ""},
		{"interval not a string", `{"hours":{"monday":["08:00-12:00",13]}}`, "hours.monday[1]", ""},
		{"interval past midnight", `{"hours":{"tuesday":["08:00-12:00","13:00-25:00"]}}`, "hours.tuesday[1]", ""},
		{"interval without leading zero", `{"hours":{"friday":["8:00-17:00"]}}`, "hours.friday[0]", ""},
		{"overlap", `{"hours":{"saturday":["08:00-12:00","11:59-13:00"]}}`, "hours.saturday[1]", ""},
		{"bad holiday", `{"holidays":["2026-12-25","2026-12-32"]}`, "holidays[1]", ""},
		{"holidays a string", `{"holidays":"2026-12-25"}`, "holidays", ""},
		{"holiday not a string", `{"holidays":["2026-12-25",20261226]}`, "holidays[1]", ""},
		{"a list", `[]`, "calendar", ""},
		{"a string", `"Europe/Berlin"`, "calendar", ""},
		{"cut short", `{"hours":[`, "calendar", ""},
		{"empty", ``, "calendar", ""},
		{"not JSON", `zone: Europe/Berlin`, "calendar", ""},
		{"trailing data", `{} {}`, "calendar", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal, _ := office(t)
			before := cal.Config()
			var ve *itil.ValidationError
			require.ErrorAs(t, cal.UnmarshalJSON([]byte(tc.in)), &ve, tc.in)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.Contains(t, ve.Reason, tc.reason)
			assert.Equal(t, before, cal.Config(), "a bad calendar leaves the value unchanged")
		})
	}
}
