package problem

import (
	"context"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// guard checks the manager's rules before every transition, by category, so
// that they hold in a host's own states too: a problem is resolved only with
// its root cause and fix known, and closed only with one of the manager's
// resolution codes.
func (m *Manager) guard(_ context.Context, f *lifecycle.Firing) error {
	p := f.Entity.(*Problem)
	if f.ToCategory == lifecycle.Resolved && f.FromCategory != lifecycle.Resolved {
		if p.RootCause == "" {
			return &itil.ValidationError{Field: "root_cause", Reason: "a problem is resolved only once its root cause is known"}
		}
		if p.Fix == "" {
			return &itil.ValidationError{Field: "fix", Reason: "say what fixes the root cause"}
		}
	}
	if f.ToCategory.Terminal() && !f.FromCategory.Terminal() {
		if p.Resolution.Code == "" {
			return &itil.ValidationError{Field: "resolution.code", Reason: "required to close a problem"}
		}
		if !m.codes[p.Resolution.Code] {
			return &itil.ValidationError{Field: "resolution.code", Reason: fmt.Sprintf("%q is not one of the manager's resolution codes", p.Resolution.Code)}
		}
	}
	return nil
}

// enter keeps a problem's timestamps and resolution in step with its state,
// by category, whenever it enters a new state: resolving stamps ResolvedAt,
// closing ClosedAt, and going back to work from a resolved or closed state
// clears the resolution and counts a reanalysis.
func (m *Manager) enter(_ context.Context, f *lifecycle.Firing) error {
	p := f.Entity.(*Problem)
	switch {
	case f.ToCategory == lifecycle.Resolved:
		lifecycle.Set(f.Edit, "resolved_at", &p.ResolvedAt, f.At)
	case f.ToCategory.Terminal():
		lifecycle.Set(f.Edit, "closed_at", &p.ClosedAt, f.At)
	case f.ToCategory.Active() && (f.FromCategory == lifecycle.Resolved || f.FromCategory.Terminal()):
		lifecycle.Set(f.Edit, "reanalyses", &p.Reanalyses, p.Reanalyses+1)
		lifecycle.Set(f.Edit, "resolution.code", &p.Resolution.Code, "")
		lifecycle.Set(f.Edit, "resolution.notes", &p.Resolution.Notes, "")
		lifecycle.Set(f.Edit, "resolution.by", &p.Resolution.By, "")
		if !p.DuplicateOf.IsZero() {
			f.Edit.Field("duplicate_of", p.DuplicateOf.String(), "")
			p.DuplicateOf = itil.Ref{}
		}
		lifecycle.Set(f.Edit, "closed_at", &p.ClosedAt, time.Time{})
	}
	return nil
}
