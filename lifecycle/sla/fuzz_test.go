package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/sla"
)

// requireValidationError fails the test unless err is a *itil.ValidationError
// that names a field.
func requireValidationError(t *testing.T, err error, data []byte) {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "%q", data)
	require.NotEmpty(t, ve.Field, "%q", data)
}

// FuzzCalendarJSON decodes arbitrary calendars: decoding never panics, every
// error is a *itil.ValidationError, what decodes encodes to a stable form,
// and the arithmetic on it holds up and returns, also at the end of the leap
// years past the zones' last explicit transitions. The seeds are the files
// under testdata/calendar and the bad inputs below.
func FuzzCalendarJSON(f *testing.F) {
	for _, b := range calendarFiles(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"hours":{"monday":["00:00-24:00"]},"holidays":["0001-01-01","9999-12-31"]}`))
	f.Add([]byte(`{"zone":"Pacific/Apia","hours":{"friday":["23:59-24:00"]}}`))
	f.Add([]byte(`{"zone":"Australia/Sydney","hours":{"sunday":["01:00-01:01"]},"holidays":["2040-12-30"]}`))
	f.Add([]byte(`{"zone":"America/New_York","hours":{"monday":["08:00-09:00"]},"holidays":["2026-03-09","2040-12-31"]}`))
	for _, bad := range []string{
		`{"zone":5}`, `{"zone":"Europe/Berlin\u0000"}`, "{\"zone\":\"\xff\"}", `{"zone":"\udc00"}`,
		`{"hours":5}`, `{"hours":{"monday":"08:00-17:00"}}`, `{"hours":{"monday":[8]}}`, `{"hours":{"mon\u0000":[]}}`,
		`{"holidays":"2026-12-25"}`, `{"holidays":[20261225]}`, `[]`, `{"hours":[`, ``, `{} {}`,
	} {
		f.Add([]byte(bad))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c sla.Calendar
		if err := c.UnmarshalJSON(data); err != nil {
			requireValidationError(t, err, data)
			return
		}
		b, err := json.Marshal(&c)
		require.NoError(t, err)
		var back sla.Calendar
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		again, err := json.Marshal(&back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again))

		for _, from := range []time.Time{
			time.Date(2026, time.March, 27, 13, 7, 11, 5, time.UTC),
			time.Date(2040, time.December, 30, 13, 7, 11, 5, time.UTC),
		} {
			for _, to := range []time.Time{from.Add(90 * time.Minute), from.AddDate(0, 0, 3), from.AddDate(0, 1, 0), from.AddDate(3, 0, 0)} {
				d := c.Elapsed(from, to)
				require.LessOrEqual(t, d, to.Sub(from))
				due := c.Add(from, d)
				require.Equal(t, d, c.Elapsed(from, due))
				require.False(t, due.After(to))
			}
			_ = c.IsWorking(from)
		}
	})
}

// FuzzPolicyJSON decodes arbitrary policies: what decodes is valid and
// round-trips.
func FuzzPolicyJSON(f *testing.F) {
	b, err := json.Marshal(sla.DefaultPolicy())
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"targets":{"P1":{"response":{"within":"15m"}},"P2":{},"P3":{},"P4":{},"P5":{}},"warn_percent":50}`))
	for _, bad := range []string{
		`{"targets":{"P1":{"response":{"within":900}}}}`, `{"targets":{"P1":[]}}`, `{"targets":{"P1":{},"p1":{}}}`,
		`{"calendars":{"x":{"zone":1}},"targets":{}}`, `{"calendars":{"x\u0000":{}}}`, "{\"calendars\":{\"\xff\":{}}}",
		`{"calendars":[]}`, `{"warn_percent":"75"}`, `[]`, `{"targets":{`,
	} {
		f.Add([]byte(bad))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p sla.Policy
		if err := p.UnmarshalJSON(data); err != nil {
			requireValidationError(t, err, data)
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
	f.Add([]byte(`{"status":"running","target":"2562047h47m16.854775807s","since":"2040-12-31T00:00:00Z"}`))
	f.Add([]byte(`{"status":"idle","target":"2562047h47m16.854775807s"}`))
	for _, bad := range []string{
		`{"status":1}`, `{"target":28800}`, `{"since":"yesterday"}`, `{"since":1767225600}`, `{"warn_percent":"75"}`,
		`{"name":"r\u0000"}`, "{\"name\":\"r\xe9\"}", `{"calendar":"\ud800"}`, `[{}]`, `{"status":`,
	} {
		f.Add([]byte(bad))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c sla.Clock
		if err := c.UnmarshalJSON(data); err != nil {
			requireValidationError(t, err, data)
			return
		}
		b, err := json.Marshal(c)
		require.NoError(t, err)
		var back sla.Clock
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		require.Equal(t, c, back)
		cal, _ := office(t, sla.Date{Year: 2026, Month: time.December, Day: 25})
		c.Check(cal, t0)
		c.Resume(cal, t0)
		c.Retarget(time.Hour, cal, after(time.Hour))
		c.Check(cal, after(2*time.Hour))
		c.Stop(cal, after(3*time.Hour))
		_ = c.Percent(cal, after(4*time.Hour))
	})
}
