package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/sla"
)

// FuzzCalendarJSON decodes arbitrary calendars: decoding never panics, what
// decodes encodes to a stable form, and the arithmetic on it holds up.
// The seeds are the files under testdata/calendar.
func FuzzCalendarJSON(f *testing.F) {
	for _, b := range calendarFiles(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"hours":{"monday":["00:00-24:00"]},"holidays":["0001-01-01","9999-12-31"]}`))
	f.Add([]byte(`{"zone":"Pacific/Apia","hours":{"friday":["23:59-24:00"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c sla.Calendar
		if json.Unmarshal(data, &c) != nil {
			return
		}
		b, err := json.Marshal(&c)
		require.NoError(t, err)
		var back sla.Calendar
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		again, err := json.Marshal(&back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again))

		from := time.Date(2026, time.March, 27, 13, 7, 11, 5, time.UTC)
		for _, to := range []time.Time{from.Add(90 * time.Minute), from.AddDate(0, 1, 0), from.AddDate(3, 0, 0)} {
			d := c.Elapsed(from, to)
			require.LessOrEqual(t, d, to.Sub(from))
			due := c.Add(from, d)
			require.Equal(t, d, c.Elapsed(from, due))
			require.False(t, due.After(to))
		}
		_ = c.IsWorking(from)
	})
}

// FuzzPolicyJSON decodes arbitrary policies: what decodes is valid and
// round-trips.
func FuzzPolicyJSON(f *testing.F) {
	b, err := json.Marshal(sla.DefaultPolicy())
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"targets":{"P1":{"response":{"within":"15m"}},"P2":{},"P3":{},"P4":{},"P5":{}},"warn_percent":50}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p sla.Policy
		if json.Unmarshal(data, &p) != nil {
			return
		}
		require.NoError(t, p.Validate())
		b, err := json.Marshal(&p)
		require.NoError(t, err)
		var back sla.Policy
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		require.Equal(t, p.Targets, back.Targets)
	})
}

// FuzzClockJSON decodes arbitrary stored clocks: decoding never panics, and
// what decodes round-trips and survives being driven.
func FuzzClockJSON(f *testing.F) {
	c := sla.Clock{Name: "resolution", Target: 8 * time.Hour, Calendar: "business"}
	c.Start(nil, t0)
	c.Pause(nil, after(time.Hour))
	b, err := json.Marshal(c)
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"status":"running","target":"-1h","accrued":"2562047h47m16.854775807s","since":"0001-01-01T00:00:01Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c sla.Clock
		if json.Unmarshal(data, &c) != nil {
			return
		}
		b, err := json.Marshal(c)
		require.NoError(t, err)
		var back sla.Clock
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		require.Equal(t, c, back)
		cal, _ := office(t)
		c.Check(cal, t0)
		c.Resume(cal, t0)
		c.Retarget(time.Hour, cal, after(time.Hour))
		c.Check(cal, after(2*time.Hour))
		c.Stop(cal, after(3*time.Hour))
		_ = c.Percent(cal, after(4*time.Hour))
	})
}
