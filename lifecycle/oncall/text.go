package oncall

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// weekdayNames are the JSON names of the weekdays, Sunday first like
// time.Weekday.
var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// weekdayName is the JSON name of d.
func weekdayName(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return strconv.Itoa(int(d))
	}
	return weekdayNames[d]
}

// parseWeekday reads a weekday name, without regard to case.
func parseWeekday(field, s string) (time.Weekday, error) {
	for d, name := range weekdayNames {
		if strings.EqualFold(s, name) {
			return time.Weekday(d), nil
		}
	}
	return 0, itil.Invalid(field, fmt.Sprintf("unknown weekday %q (want monday … sunday)", s))
}

// clockText writes a time of day as "09:00", or "09:00:30" with seconds.
func clockText(d time.Duration) string {
	s := int64(d / time.Second)
	if s%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
}

// parseClock reads "HH:MM" or "HH:MM:SS", from "00:00" to "24:00".
func parseClock(field, s string) (time.Duration, error) {
	bad := itil.Invalid(field, fmt.Sprintf("time of day %q is not HH:MM or HH:MM:SS", s))
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var n [3]int64
	for i, p := range parts {
		if len(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return 0, bad
		}
		n[i] = int64(p[0]-'0')*10 + int64(p[1]-'0')
	}
	if n[1] > 59 || n[2] > 59 || n[0] > 24 || (n[0] == 24 && n[1]+n[2] > 0) {
		return 0, itil.Invalid(field, fmt.Sprintf("time of day %q is outside the day", s))
	}
	return time.Duration(n[0]*3600+n[1]*60+n[2]) * time.Second, nil
}

// parseTurn reads "daily", "weekly", "Nd" (N calendar days) or a duration
// such as "12h".
func parseTurn(field, s string) (Turn, error) {
	switch s {
	case "daily":
		return Daily(), nil
	case "weekly":
		return Weekly(), nil
	case "":
		return Turn{}, itil.Invalid(field, `missing (want "daily", "weekly", "3d" or a duration such as "12h")`)
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || n == "" || n[0] < '0' || n[0] > '9' {
			return Turn{}, itil.Invalid(field, fmt.Sprintf("turn %q is not a whole number of days", s))
		}
		return Days(days), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return Turn{}, itil.Invalid(field, fmt.Sprintf(`turn %q is not "daily", "weekly", "3d" or a duration such as "12h"`, s))
	}
	return Every(d), nil
}

// parseTime reads an RFC 3339 time.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, itil.Invalid(field, fmt.Sprintf("time %q is not RFC 3339, such as 2026-01-05T09:00:00+01:00", s))
	}
	return t, nil
}

// timeText writes an RFC 3339 time; "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}
