package oncall_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/oncall"
)

// requireInvalid fails unless err is a *itil.ValidationError on field.
func requireInvalid(t testing.TB, err error, field string) *itil.ValidationError {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "%v", err)
	require.Equal(t, field, ve.Field, "%v", err)
	require.NotEmpty(t, ve.Reason)
	require.ErrorIs(t, err, itil.ErrInvalid)
	return ve
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)
	good := func() oncall.Layer {
		return oncall.Layer{Users: []string{"ann"}, Start: start, Turn: oncall.Weekly()}
	}
	withLayer := func(edit func(*oncall.Layer)) oncall.Config {
		l := good()
		edit(&l)
		return oncall.Config{Layers: []oncall.Layer{good(), l}}
	}
	withRestriction := func(r oncall.Restriction) oncall.Config {
		return withLayer(func(l *oncall.Layer) { l.Restrictions = []oncall.Restriction{oncall.DailyWindow(0, time.Hour), r} })
	}
	withOverride := func(o oncall.Override) oncall.Config {
		return oncall.Config{Layers: []oncall.Layer{good()}, Overrides: []oncall.Override{
			{User: "bob", From: start, Until: start.Add(time.Hour)}, o,
		}}
	}
	tests := []struct {
		name  string
		cfg   oncall.Config
		field string
	}{
		{"no layers", oncall.Config{}, "layers"},
		{"unknown zone", oncall.Config{Zone: "Mars/Olympus_Mons", Layers: []oncall.Layer{good()}}, "zone"},
		{"host zone", oncall.Config{Zone: "Local", Layers: []oncall.Layer{good()}}, "zone"},
		{"zone with a path", oncall.Config{Zone: "../../etc/passwd", Layers: []oncall.Layer{good()}}, "zone"},
		{"layer without users", withLayer(func(l *oncall.Layer) { l.Users = nil }), "layers[1].users"},
		{"empty user", withLayer(func(l *oncall.Layer) { l.Users = []string{"ann", ""} }), "layers[1].users[1]"},
		{"no start", withLayer(func(l *oncall.Layer) { l.Start = time.Time{} }), "layers[1].start"},
		{"start out of range", withLayer(func(l *oncall.Layer) { l.Start = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "layers[1].start"},
		{"zero turn", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Turn{} }), "layers[1].turn"},
		{"negative turn", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Every(-time.Hour) }), "layers[1].turn"},
		{"negative days", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Days(-1) }), "layers[1].turn"},
		{"too many days", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Days(oncall.MaxTurnDays + 1) }), "layers[1].turn"},
		{"too long", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Every(time.Duration(1 << 62)) }), "layers[1].turn"},
		{"fractional seconds", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Every(1500 * time.Millisecond) }), "layers[1].turn"},
		{"days and length", withLayer(func(l *oncall.Layer) { l.Turn = oncall.Turn{Days: 1, Length: time.Hour} }), "layers[1].turn"},
		{"end before start", withLayer(func(l *oncall.Layer) { l.End = start.Add(-time.Hour) }), "layers[1].end"},
		{"end at start", withLayer(func(l *oncall.Layer) { l.End = start }), "layers[1].end"},
		{"window ends before it starts", withRestriction(oncall.DailyWindow(17*time.Hour, 9*time.Hour)), "layers[1].restrictions[1].end"},
		{"empty window", withRestriction(oncall.DailyWindow(9*time.Hour, 9*time.Hour)), "layers[1].restrictions[1].end"},
		{"invalid weekday", withRestriction(oncall.DailyWindow(9*time.Hour, 17*time.Hour, time.Monday, 9)), "layers[1].restrictions[1].days[1]"},
		{"negative weekday", withRestriction(oncall.DailyWindow(9*time.Hour, 17*time.Hour, -1)), "layers[1].restrictions[1].days[0]"},
		{"repeated weekday", withRestriction(oncall.DailyWindow(9*time.Hour, 17*time.Hour, time.Monday, time.Monday)), "layers[1].restrictions[1].days[1]"},
		{"start past the day", withRestriction(oncall.DailyWindow(24*time.Hour, 25*time.Hour)), "layers[1].restrictions[1].start"},
		{"negative start", withRestriction(oncall.DailyWindow(-time.Hour, time.Hour)), "layers[1].restrictions[1].start"},
		{"end past the day", withRestriction(oncall.DailyWindow(time.Hour, 25*time.Hour)), "layers[1].restrictions[1].end"},
		{"end at 00:00", withRestriction(oncall.WeeklyWindow(time.Monday, time.Hour, time.Tuesday, 0)), "layers[1].restrictions[1].end"},
		{"fractional time of day", withRestriction(oncall.DailyWindow(time.Millisecond, time.Hour)), "layers[1].restrictions[1].start"},
		{"weekly invalid start day", withRestriction(oncall.WeeklyWindow(7, 0, time.Monday, time.Hour)), "layers[1].restrictions[1].start_day"},
		{"weekly invalid end day", withRestriction(oncall.WeeklyWindow(time.Monday, 0, 42, time.Hour)), "layers[1].restrictions[1].end_day"},
		{"weekly ends where it starts", withRestriction(oncall.WeeklyWindow(time.Monday, 24*time.Hour-time.Hour, time.Monday, 24*time.Hour-time.Hour)), "layers[1].restrictions[1].end"},
		{"weekly ends at its start's midnight", withRestriction(oncall.WeeklyWindow(time.Tuesday, 0, time.Monday, 24*time.Hour)), "layers[1].restrictions[1].end"},
		{"weekly with days", withRestriction(oncall.Restriction{Kind: oncall.WeeklyRestriction, Days: []time.Weekday{1}, End: time.Hour}), "layers[1].restrictions[1].days"},
		{"unknown kind", withRestriction(oncall.Restriction{Kind: 3, End: time.Hour}), "layers[1].restrictions[1].type"},
		{"override without user", withOverride(oncall.Override{From: start, Until: start.Add(time.Hour)}), "overrides[1].user"},
		{"override until before from", withOverride(oncall.Override{User: "x", From: start, Until: start.Add(-time.Hour)}), "overrides[1].until"},
		{"override until at from", withOverride(oncall.Override{User: "x", From: start, Until: start}), "overrides[1].until"},
		{"override without from", withOverride(oncall.Override{User: "x", Until: start}), "overrides[1].from"},
		{"override without until", withOverride(oncall.Override{User: "x", From: start}), "overrides[1].until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := oncall.New(tt.cfg)
			assert.Nil(t, s)
			requireInvalid(t, err, tt.field)
			lifecycletest.AssertClass(t, fmt.Errorf("wrapped: %w", err), "invalid")
		})
	}
}

func TestNewCopiesConfig(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)
	cfg := oncall.Config{Layers: []oncall.Layer{{Users: []string{"ann", "bob"}, Start: start, Turn: oncall.Daily()}}}
	s, err := oncall.New(cfg)
	require.NoError(t, err)
	cfg.Layers[0].Users[0] = "mallory"
	assert.Equal(t, "ann", s.OnCall(start).User)
	got := s.Config()
	got.Layers[0].Users[0] = "eve"
	assert.Equal(t, "ann", s.OnCall(start).User)
	assert.Equal(t, "ann", s.Config().Layers[0].Users[0])
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	_, err := oncall.New(oncall.Config{Zone: "Mars/Olympus_Mons"})
	assert.EqualError(t, err, `invalid zone: unknown time zone "Mars/Olympus_Mons"`)
	assert.True(t, errors.Is(err, itil.ErrInvalid))
}
