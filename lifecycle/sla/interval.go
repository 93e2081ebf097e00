package sla

import (
	"fmt"
	"time"

	"github.com/itil-go/itil"
)

// Interval is a span of working hours within one day, as wall-clock times
// since midnight in the calendar's zone: Start is included, End is not.
// {8 * time.Hour, 12 * time.Hour} is 08:00–12:00; End may be 24 * time.Hour,
// the end of the day. Both must be whole minutes.
type Interval struct {
	Start time.Duration
	End   time.Duration
}

// Length returns End - Start.
func (iv Interval) Length() time.Duration { return iv.End - iv.Start }

// String returns the interval as "08:00-12:00".
func (iv Interval) String() string { return clockText(iv.Start) + "-" + clockText(iv.End) }

// validate checks the bounds and reports a *itil.ValidationError naming field.
func (iv Interval) validate(field string) error {
	switch {
	case iv.Start < 0 || iv.Start > 24*time.Hour:
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("start %v is outside 00:00-24:00", iv.Start)}
	case iv.End < 0 || iv.End > 24*time.Hour:
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("end %v is outside 00:00-24:00", iv.End)}
	case iv.Start%time.Minute != 0 || iv.End%time.Minute != 0:
		return &itil.ValidationError{Field: field, Reason: "start and end must be whole minutes"}
	case iv.Start >= iv.End:
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("start %s is not before end %s", clockText(iv.Start), clockText(iv.End))}
	}
	return nil
}

// ParseInterval parses "HH:MM-HH:MM", such as "08:00-12:00" or "13:00-24:00".
func ParseInterval(s string) (Interval, error) {
	var iv Interval
	if len(s) != 11 || s[5] != '-' {
		return iv, &itil.ValidationError{Field: "interval", Reason: fmt.Sprintf("%q is not HH:MM-HH:MM", s)}
	}
	start, ok1 := parseClock(s[:5])
	end, ok2 := parseClock(s[6:])
	if !ok1 || !ok2 {
		return iv, &itil.ValidationError{Field: "interval", Reason: fmt.Sprintf("%q is not HH:MM-HH:MM", s)}
	}
	iv = Interval{Start: start, End: end}
	return iv, iv.validate("interval")
}

// MarshalText encodes the interval as "08:00-12:00".
func (iv Interval) MarshalText() ([]byte, error) {
	if err := iv.validate("interval"); err != nil {
		return nil, err
	}
	return []byte(iv.String()), nil
}

// UnmarshalText decodes an interval from "08:00-12:00".
func (iv *Interval) UnmarshalText(b []byte) error {
	v, err := ParseInterval(string(b))
	if err == nil {
		*iv = v
	}
	return err
}

// parseClock parses "HH:MM" from 00:00 to 24:00.
func parseClock(s string) (time.Duration, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range [...]int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// clockText formats a time of day as "HH:MM", with seconds when there are any.
func clockText(d time.Duration) string {
	if d < 0 || d > 24*time.Hour {
		return d.String()
	}
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%v", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}
