package event

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/itil-go/itil"
)

// MaintenanceWindow suppresses the events it matches while it is active:
// one-off from Start to End, or weekly. Events of every alert it matches
// are recorded as suppressed, and the window counts them.
type MaintenanceWindow struct {
	// Name identifies the window; required and unique.
	Name string
	// Start and End bound a one-off window: Start ≤ t < End.
	Start, End time.Time
	// Weekly, when set, makes the window recurring instead.
	Weekly *Weekly
	// Labels matches events whose labels hold all these pairs.
	Labels map[string]string
	// CIs matches events of these CIs. When both Labels and CIs are set,
	// an event must match both.
	CIs []string
}

// Weekly is a window that recurs on the given weekdays, from From to To
// after midnight in Location. A To at or before From runs past midnight
// into the next day.
type Weekly struct {
	Days     []time.Weekday
	From, To time.Duration
	// Location of the times; default UTC.
	Location *time.Location
}

func (w *MaintenanceWindow) validate(field string) error {
	switch {
	case w.Name == "":
		return invalid(field+".name", "required")
	case len(w.Labels) == 0 && len(w.CIs) == 0:
		return invalid(field+".labels", "a window matches on labels or CIs; give at least one")
	}
	if err := itil.CheckText(field+".name", w.Name, MaxKeyLen); err != nil {
		return err
	}
	if err := checkLabelMap(field+".labels", w.Labels); err != nil {
		return err
	}
	if err := itil.CheckTexts(field+".cis", w.CIs, MaxKeyLen); err != nil {
		return err
	}
	if w.Weekly == nil {
		switch {
		case w.Start.IsZero():
			return invalid(field+".start", "required")
		case !w.End.After(w.Start):
			return invalid(field+".end", "must be after the start")
		}
		return nil
	}
	wk := w.Weekly
	switch {
	case !w.Start.IsZero() || !w.End.IsZero():
		return invalid(field+".start", "a weekly window has no start or end")
	case len(wk.Days) == 0:
		return invalid(field+".weekly.days", "required")
	case wk.From < 0 || wk.From >= 24*time.Hour:
		return invalid(field+".weekly.from", "must be within a day")
	case wk.To < 0 || wk.To > 24*time.Hour || wk.To == wk.From:
		return invalid(field+".weekly.to", "must be within a day and differ from from")
	}
	for i, d := range wk.Days {
		if d < time.Sunday || d > time.Saturday {
			return invalid(fmt.Sprintf("%s.weekly.days[%d]", field, i), "not a weekday")
		}
	}
	return nil
}

// maintenance is a window as the engine holds it, with its counter.
type maintenance struct {
	w          MaintenanceWindow
	labels     []labelPair // w.Labels, for matching without map iteration
	reason     string
	days       [7]bool
	loc        *time.Location
	suppressed atomic.Int64

	// wall says that a one-off window's Start and End carry no monotonic
	// clock reading, so that Time.Before compares wall clocks with them,
	// which start and end hold as Unix times.
	wall       bool
	start, end unixTime
}

// unixTime is a wall-clock instant as Unix seconds and nanoseconds, which
// compare without Time's monotonic reading and location.
type unixTime struct{ sec, nsec int64 }

func unixOf(t time.Time) unixTime { return unixTime{t.Unix(), int64(t.Nanosecond())} }

// before reports whether u is before v.
func (u unixTime) before(v unixTime) bool { return u.sec < v.sec || u.sec == v.sec && u.nsec < v.nsec }

func newMaintenance(w MaintenanceWindow) *maintenance {
	m := &maintenance{w: w, reason: "maintenance window " + w.Name, loc: time.UTC}
	for k, v := range w.Labels {
		m.labels = append(m.labels, labelPair{k, v})
	}
	if wk := w.Weekly; wk != nil {
		for _, d := range wk.Days {
			m.days[d] = true
		}
		if wk.Location != nil {
			m.loc = wk.Location
		}
	}
	m.wall = w.Start == w.Start.Round(0) && w.End == w.End.Round(0)
	m.start, m.end = unixOf(w.Start), unixOf(w.End)
	return m
}

// active reports whether the window is in force at t.
func (m *maintenance) active(t time.Time) bool {
	if m.w.Weekly != nil {
		return m.activeWeekly(t)
	}
	if m.wall {
		at := unixOf(t)
		return !at.before(m.start) && at.before(m.end)
	}
	return !t.Before(m.w.Start) && t.Before(m.w.End)
}

func (m *maintenance) activeWeekly(t time.Time) bool {
	wk := m.w.Weekly
	lt := t.In(m.loc)
	y, mo, d := lt.Date()
	clock := lt.Sub(time.Date(y, mo, d, 0, 0, 0, 0, m.loc))
	day := lt.Weekday()
	if wk.From < wk.To {
		return m.days[day] && clock >= wk.From && clock < wk.To
	}
	return (m.days[day] && clock >= wk.From) || (m.days[(day+6)%7] && clock < wk.To)
}

// matchLabels reports whether labels hold the window's labels.
func (m *maintenance) matchLabels(labels map[string]string) bool {
	for _, l := range m.labels {
		if got, ok := labels[l.name]; !ok || got != l.value {
			return false
		}
	}
	return true
}

// matchCI reports whether the window has no CIs or ev's CI is one of them.
func (m *maintenance) matchCI(ev *Event) bool {
	return len(m.w.CIs) == 0 || slices.Contains(m.w.CIs, ev.ci())
}

// MaintenanceStatus is a window and the number of events it suppressed.
type MaintenanceStatus struct {
	Window     MaintenanceWindow
	Suppressed int64
}

// AddMaintenance adds a maintenance window, or replaces the one with the
// same name (keeping its count). It returns a *itil.ValidationError for a
// bad window.
func (e *Engine) AddMaintenance(w MaintenanceWindow) error {
	if err := w.validate("window"); err != nil {
		return err
	}
	e.maintMu.Lock()
	defer e.maintMu.Unlock()
	old := *e.maint.Load()
	next := make([]*maintenance, 0, len(old)+1)
	m := newMaintenance(w)
	for _, o := range old {
		if o.w.Name == w.Name {
			m.suppressed.Store(o.suppressed.Load())
			continue
		}
		next = append(next, o)
	}
	next = append(next, m)
	e.maint.Store(&next)
	return nil
}

// RemoveMaintenance removes the window named name and reports whether there
// was one.
func (e *Engine) RemoveMaintenance(name string) bool {
	e.maintMu.Lock()
	defer e.maintMu.Unlock()
	old := *e.maint.Load()
	next := slices.DeleteFunc(slices.Clone(old), func(m *maintenance) bool { return m.w.Name == name })
	e.maint.Store(&next)
	return len(next) != len(old)
}

// Maintenance returns the windows with the number of events each suppressed.
func (e *Engine) Maintenance() []MaintenanceStatus {
	ms := *e.maint.Load()
	out := make([]MaintenanceStatus, len(ms))
	for i, m := range ms {
		out[i] = MaintenanceStatus{Window: m.w, Suppressed: m.suppressed.Load()}
	}
	return out
}

type labelPair struct{ name, value string }
