package change_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// The benchmark calendar: 100,000 scheduled changes over a year, on 10,000
// CIs and 2,000 implementers, written straight to a store; the Manager
// reads its calendar from the store's log as it does at start-up.
const (
	benchChanges      = 100_000
	benchCIs          = 10_000
	benchImplementers = 2_000
)

var benchCal struct {
	once    sync.Once
	m       *change.Manager
	changes []*change.Change
	flat    []flatChange
	probe   *change.Change
}

// flatChange is a change as a scan reads it best: packed, no pointers to
// chase but the strings'.
type flatChange struct {
	start, end      int64
	ci, implementer string
}

func benchCalendar(b *testing.B) (*change.Manager, []*change.Change, *change.Change) {
	b.Helper()
	benchCal.once.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		st := memstore.New(memstore.Config{})
		year := 365 * 24 * time.Hour
		changes := make([]*change.Change, 0, benchChanges)
		for i := range benchChanges {
			id, err := uuid.NewV7()
			if err != nil {
				b.Fatal(err)
			}
			start := t0.Add(time.Duration(rng.Int64N(int64(year)))).Truncate(time.Minute)
			c := &change.Change{
				Record: lifecycle.Record{
					ID: id, Kind: change.Kind, Number: fmt.Sprintf("CHG%07d", i+1),
					State: change.StateScheduled, StateCategory: lifecycle.Open, Version: 1,
					CreatedAt: t0, UpdatedAt: t0,
				},
				Type: change.Standard, Template: restartWeb.Name, Title: "Patch",
				CIs:         []string{fmt.Sprintf("ci-%d", rng.IntN(benchCIs))},
				Planned:     change.Window{Start: start, End: start.Add(time.Duration(1+rng.IntN(4)) * time.Hour)},
				Requester:   "alice",
				Implementer: fmt.Sprintf("eng-%d", rng.IntN(benchImplementers)),
			}
			ch := &lifecycle.Change{ID: uuid.New(), Kind: change.Kind, RecordID: id, Number: c.Number, Version: 1, Event: lifecycle.EventCreate, To: c.State, At: t0}
			if err := st.Create(ctx, c, ch); err != nil {
				b.Fatal(err)
			}
			changes = append(changes, c)
		}
		m, err := change.NewManager(st, change.Config{Templates: []change.Template{restartWeb}, Now: func() time.Time { return t0 }})
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Start(ctx); err != nil { // replay the log into the calendar
			b.Fatal(err)
		}
		// The probe: a change on two busy CIs in mid-year, whose
		// implementer is booked then too.
		mid := changes[benchChanges/2]
		benchCal.m, benchCal.changes = m, changes
		for _, c := range changes {
			benchCal.flat = append(benchCal.flat, flatChange{c.Planned.Start.UnixNano(), c.Planned.End.UnixNano(), c.CIs[0], c.Implementer})
		}
		benchCal.probe = &change.Change{
			CIs:         []string{mid.CIs[0], "ci-42"},
			Implementer: mid.Implementer,
			Planned:     change.Window{Start: mid.Planned.Start.Add(-time.Hour), End: mid.Planned.End.Add(time.Hour)},
		}
	})
	return benchCal.m, benchCal.changes, benchCal.probe
}

// BenchmarkConflicts checks one change against the calendar of 100,000
// scheduled changes through the Manager's interval index.
func BenchmarkConflicts(b *testing.B) {
	m, _, probe := benchCalendar(b)
	var found int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := m.Conflicts(ctx, probe)
		if err != nil {
			b.Fatal(err)
		}
		found = len(got)
	}
	b.ReportMetric(float64(found), "conflicts")
}

// BenchmarkConflictsScan is the baseline: the same check as a linear scan
// over the same 100,000 changes, packed in one slice in memory — the best a
// scan can do.
func BenchmarkConflictsScan(b *testing.B) {
	benchCalendar(b)
	flat, probe := benchCal.flat, benchCal.probe
	lo, hi := probe.Planned.Start.UnixNano(), probe.Planned.End.UnixNano()
	var found int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		found = 0
		for i := range flat {
			c := &flat[i]
			if c.start >= hi || c.end <= lo {
				continue
			}
			if slices.Contains(probe.CIs, c.ci) {
				found++
			}
			if c.implementer == probe.Implementer {
				found++
			}
		}
	}
	b.ReportMetric(float64(found), "conflicts")
}

// BenchmarkWindowsActive asks whether a CI is in an approved window, as
// package event does for every alert.
func BenchmarkWindowsActive(b *testing.B) {
	m, changes, _ := benchCalendar(b)
	c := changes[benchChanges/3]
	at := c.Planned.Start.Add(30 * time.Minute)
	w := m.Windows()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ok, _, err := w.Active(ctx, c.CIs[0], at)
		if err != nil || !ok {
			b.Fatal("not active", err)
		}
	}
}

// BenchmarkSchedule moves one change of the 100,000 between two windows:
// the whole step, with its locks, the calendar's catch-up with the log, the
// conflict check and the commit.
func BenchmarkSchedule(b *testing.B) {
	m, changes, _ := benchCalendar(b)
	c := changes[benchChanges/4]
	start := c.Planned.Start
	windows := [2]change.Window{{Start: start, End: start.Add(time.Hour)}, {Start: start.Add(time.Hour), End: start.Add(2 * time.Hour)}}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if _, err := m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: windows[i%2]}); err != nil {
			b.Fatal(err)
		}
	}
}
