package sla_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/sla"
)

// TestErrorClasses checks the errors of the package against the five
// classes. The package exports no sentinel: every error it returns is a
// *itil.ValidationError naming the field, of the invalid class alone,
// whichever function returns it.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	var status sla.Status
	var kind sla.Kind
	var cal sla.Calendar
	var pol sla.Policy
	var set sla.Set
	tests := []struct {
		name string
		call func() error
	}{
		{"NewCalendar", func() error {
			_, err := sla.NewCalendar(sla.CalendarConfig{Hours: sla.Weekdays(sla.Interval{Start: 2 * time.Hour, End: time.Hour})})
			return err
		}},
		{"Calendar.UnmarshalJSON", func() error { return cal.UnmarshalJSON([]byte(`{"zone": "Mars/Olympus"}`)) }},
		{"ParseDate", func() error { _, err := sla.ParseDate("2026-13-01"); return err }},
		{"ParseInterval", func() error { _, err := sla.ParseInterval("8-12"); return err }},
		{"Policy.Validate", func() error { return (&sla.Policy{}).Validate() }},
		{"Policy.UnmarshalJSON", func() error { return pol.UnmarshalJSON([]byte(`{"warn_percent": 101}`)) }},
		{"Policy.For", func() error { _, err := (&sla.Policy{}).For(itil.P1); return err }},
		{"Set.Apply", func() error { _, err := set.Apply(nil, sla.Facts{}, time.Now()); return err }},
		{"Status.UnmarshalText", func() error { return status.UnmarshalText([]byte("sleeping")) }},
		{"Status.MarshalText", func() error { _, err := sla.Status(9).MarshalText(); return err }},
		{"Kind.UnmarshalText", func() error { return kind.UnmarshalText([]byte("alarm")) }},
		{"Kind.MarshalText", func() error { _, err := sla.Kind(0).MarshalText(); return err }},
		{"Sweeper.Sweep", func() error { _, err := sla.Sweeper[*ticket]{}.Sweep(t.Context(), time.Now()); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			require.Error(t, err)
			var ve *itil.ValidationError
			assert.ErrorAs(t, err, &ve, "%v", err)
			lifecycletest.AssertClass(t, fmt.Errorf("x: %w", err), "invalid")
		})
	}
}
