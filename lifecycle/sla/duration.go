package sla

import (
	"fmt"
	"time"

	"github.com/itil-go/itil"
)

// Durations travel in JSON as Go duration text ("4h0m0s", "15m"): stored
// clocks and policies stay exact and read well.

// durationText formats d for JSON; zero is "" so that omitempty drops it.
func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// parseDuration parses duration text from field; "" is zero.
func parseDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%q is not a duration such as \"4h\" or \"1h30m\"", s)}
	}
	return d, nil
}
