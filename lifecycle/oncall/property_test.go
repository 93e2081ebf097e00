package oncall_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/oncall"
)

// dstZones are the zones of the property tests: both change their clocks
// twice a year, on different dates and at different local times.
var dstZones = []string{"Europe/Berlin", "America/New_York"}

// threeLayers is the schedule of the property tests and the benchmark, in
// zone: a weekly primary of eight users handing off on Sunday at 02:30
// (skipped in spring, and repeated in autumn in Berlin), a daily
// secondary handing off at 01:30 (repeated in autumn in New York) that
// answers on weekdays from 02:15 to 17:00 and over the weekend from
// Saturday 01:45 to Sunday 02:45, and a 12-hour layer on top that ends in
// the autumn and answers only in the evenings. Overrides come on top.
func threeLayers(t testing.TB, zone string, overrides int, rng *rand.Rand) oncall.Config {
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	cfg := oncall.Config{
		Zone: zone,
		Layers: []oncall.Layer{
			{
				Name:  "primary",
				Users: []string{"ann", "bob", "cem", "dan", "eva", "fay", "gus", "hal"},
				Start: time.Date(2026, time.January, 4, 2, 30, 0, 0, loc), // a Sunday
				Turn:  oncall.Weekly(),
			},
			{
				Name:  "secondary",
				Users: []string{"ivy", "joe", "kim"},
				Start: time.Date(2026, time.January, 5, 1, 30, 0, 0, loc),
				Turn:  oncall.Daily(),
				Restrictions: []oncall.Restriction{
					oncall.DailyWindow(2*time.Hour+15*time.Minute, 17*time.Hour, oncall.Weekdays()...),
					oncall.WeeklyWindow(time.Saturday, time.Hour+45*time.Minute, time.Sunday, 2*time.Hour+45*time.Minute),
				},
			},
			{
				Name:         "evenings",
				Users:        []string{"lea", "max"},
				Start:        time.Date(2026, time.February, 1, 2, 30, 0, 0, loc),
				Turn:         oncall.Every(12 * time.Hour),
				End:          time.Date(2026, time.November, 15, 0, 0, 0, 0, loc),
				Restrictions: []oncall.Restriction{oncall.DailyWindow(18*time.Hour, 24*time.Hour)},
			},
		},
	}
	year := time.Date(2026, time.January, 1, 0, 0, 0, 0, loc)
	for i := range overrides {
		from := year.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
		cfg.Overrides = append(cfg.Overrides, oncall.Override{
			User:  fmt.Sprintf("sub%d", i%7),
			From:  from,
			Until: from.Add(time.Duration(1+rng.IntN(48*60)) * time.Minute),
		})
	}
	return cfg
}

// instants are n random instants of 2026 and 2027 in loc, half of them in
// the two hours around one of the zone's clock changes.
func instants(loc *time.Location, n int, rng *rand.Rand) []time.Time {
	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, loc)
	span := int64(2 * 365 * 24 * time.Hour)
	var changes []time.Time
	for t := start; t.Before(start.Add(time.Duration(span))); {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		changes = append(changes, end)
		t = end
	}
	out := make([]time.Time, 0, n)
	for i := range n {
		if i%2 == 0 || len(changes) == 0 {
			out = append(out, start.Add(time.Duration(rng.Int64N(span))))
			continue
		}
		c := changes[rng.IntN(len(changes))]
		d := time.Duration(rng.Int64N(int64(4*time.Hour))) - 2*time.Hour
		if i%4 == 1 {
			d = d.Truncate(15 * time.Minute) // exactly on the quarter hours
		}
		out = append(out, c.Add(d))
	}
	return out
}

func TestOnCallMatchesReference(t *testing.T) {
	t.Parallel()
	for _, zone := range dstZones {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, uint64(len(zone))))
			cfg := threeLayers(t, zone, 40, rng)
			s, err := oncall.New(cfg)
			require.NoError(t, err)
			ref := newReference(cfg)
			for _, at := range instants(s.Location(), 2000, rng) {
				require.Equal(t, ref.OnCall(at), s.OnCall(at), "at %s", at)
			}
		})
	}
}

// randomConfig is a schedule of random layers and overrides, with
// hand-offs and window edges at any minute of the night.
func randomConfig(rng *rand.Rand, zone string) oncall.Config {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	night := func() time.Duration {
		if rng.IntN(2) == 0 {
			return time.Duration(rng.IntN(4*60)) * time.Minute // 00:00 to 04:00
		}
		return time.Duration(rng.IntN(24*60)) * time.Minute
	}
	cfg := oncall.Config{Zone: zone}
	for i := range 1 + rng.IntN(4) {
		l := oncall.Layer{
			Start: time.Date(2026, time.January, 1+rng.IntN(60), 0, 0, 0, 0, loc).Add(night()),
		}
		for j := range 1 + rng.IntN(5) {
			l.Users = append(l.Users, fmt.Sprintf("u%d.%d", i, j))
		}
		switch rng.IntN(3) {
		case 0:
			l.Turn = oncall.Days(1 + rng.IntN(9))
		case 1:
			l.Turn = oncall.Every(time.Duration(1+rng.IntN(72)) * 30 * time.Minute)
		default:
			l.Turn = oncall.Weekly()
		}
		if rng.IntN(3) == 0 {
			l.End = l.Start.Add(time.Duration(rng.Int64N(int64(600 * 24 * time.Hour))))
		}
		for range rng.IntN(3) {
			var r oncall.Restriction
			if rng.IntN(2) == 0 {
				a, b := night(), night()
				if a == b {
					b = a + time.Minute
				}
				r = oncall.DailyWindow(min(a, b), max(a, b))
				for d := range 7 {
					if rng.IntN(2) == 0 {
						r.Days = append(r.Days, time.Weekday(d))
					}
				}
			} else {
				r = oncall.WeeklyWindow(time.Weekday(rng.IntN(7)), night(), time.Weekday(rng.IntN(7)), night()+time.Minute)
			}
			l.Restrictions = append(l.Restrictions, r)
		}
		cfg.Layers = append(cfg.Layers, l)
	}
	year := time.Date(2026, time.January, 1, 0, 0, 0, 0, loc)
	for i := range rng.IntN(6) {
		from := year.Add(time.Duration(rng.Int64N(int64(700 * 24 * time.Hour))))
		cfg.Overrides = append(cfg.Overrides, oncall.Override{
			User: fmt.Sprintf("o%d", i), From: from, Until: from.Add(time.Duration(1 + rng.Int64N(int64(72*time.Hour)))),
		})
	}
	return cfg
}

func TestRandomSchedulesMatchReference(t *testing.T) {
	t.Parallel()
	for _, zone := range append(dstZones, "Australia/Lord_Howe", "UTC") {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, uint64(len(zone))))
			for range 40 {
				cfg := randomConfig(rng, zone)
				s, err := oncall.New(cfg)
				require.NoError(t, err, "%+v", cfg)
				ref := newReference(cfg)
				for _, at := range instants(s.Location(), 150, rng) {
					if !assert.Equal(t, ref.OnCall(at), s.OnCall(at), "at %s in %+v", at, cfg) {
						return
					}
				}
			}
		})
	}
}

// TestEntriesMatchOnCall lists a year of each schedule and checks every
// entry against the reference at its edges: its user is on call from its
// first instant to its last, and someone else (or nobody) just after it.
// Between the entries nobody is on call.
func TestEntriesMatchOnCall(t *testing.T) {
	t.Parallel()
	for _, zone := range dstZones {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(3, uint64(len(zone))))
			configs := []oncall.Config{threeLayers(t, zone, 40, rng)}
			for range 6 {
				configs = append(configs, randomConfig(rng, zone))
			}
			for _, cfg := range configs {
				s, err := oncall.New(cfg)
				require.NoError(t, err)
				ref := newReference(cfg)
				from := time.Date(2026, time.January, 1, 0, 0, 0, 0, s.Location())
				until := from.AddDate(1, 0, 0)
				last := from
				n := 0
				for e, err := range s.Entries(from, until) {
					require.NoError(t, err)
					require.True(t, e.Until.After(e.From), "%+v", e)
					require.False(t, e.From.Before(last), "in order: %+v after %s", e, last)
					if e.From.After(last) {
						assert.Empty(t, ref.OnCall(last).User, "a gap begins at %s", last)
						assert.Empty(t, ref.OnCall(e.From.Add(-time.Nanosecond)).User, "a gap ends at %s", e.From)
					}
					assert.Equal(t, e.User, ref.OnCall(e.From).User, "first instant of %+v", e)
					assert.Equal(t, e.User, ref.OnCall(e.Until.Add(-time.Nanosecond)).User, "last instant of %+v", e)
					if e.Until.Before(until) {
						assert.NotEqual(t, e.User, ref.OnCall(e.Until).User, "merged: %+v", e)
					}
					mid := e.From.Add(e.Until.Sub(e.From) / 2)
					assert.Equal(t, e.User, s.OnCall(mid).User, "middle of %+v", e)
					last = e.Until
					n++
				}
				assert.Positive(t, n)
			}
		})
	}
}
