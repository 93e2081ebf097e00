package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

type label string

type named struct{ n int }

func (n *named) String() string { return "named" }

func TestFormatValue(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 5, time.UTC)
	var nilNamed *named
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, ""},
		{"string", "printer", "printer"},
		{"kind string", label("vpn"), "vpn"},
		{"instant", at, "2026-03-02T10:00:00.000000005Z"},
		{"instant elsewhere", at.In(berlin), "2026-03-02T10:00:00.000000005Z"},
		{"zero instant", time.Time{}, ""},
		{"duration", 90 * time.Minute, "1h30m0s"},
		{"int", -3, "-3"},
		{"int64", int64(1) << 40, "1099511627776"},
		{"bool", true, "true"},
		{"stringer", itil.P1, "P1"},
		{"nil stringer", nilNamed, ""},
		{"other", 1.5, "1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, lifecycle.FormatValue(tc.v))
		})
	}
}

// TestEditOfAnInstant: an instant set again from a clock reading (with
// its monotonic part) or in another location records nothing; a new one
// records RFC 3339 in UTC, and a first one "" as its old value.
func TestEditOfAnInstant(t *testing.T) {
	t.Parallel()
	now := time.Now()
	stored := now.Round(0) // as read back from a store: no monotonic reading
	ed := &lifecycle.Edit{}
	lifecycle.Set(ed, "at", &stored, now)
	assert.False(t, ed.Changed(), "the same instant")

	var first time.Time
	lifecycle.Set(ed, "first", &first, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	assert.Equal(t, []lifecycle.FieldChange{{Field: "first", Old: "", New: "2026-03-02T10:00:00Z"}}, ed.Fields())
}
