package change

import (
	"context"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// guard checks the Manager's rules before every transition of every type:
// a change is scheduled and implemented only when approved (a standard
// change by its template), and closes only after a review where one is
// required.
func (m *Manager) guard(_ context.Context, f *lifecycle.Firing) error {
	c := f.Entity.(*Change)
	switch f.Event {
	case EventSchedule, EventImplement:
		if !c.Approved() {
			return &ApprovalError{Number: c.Number, Event: f.Event, State: c.Approval().Outcome()}
		}
	case EventClose:
		if c.ReviewRequired() && c.Review.IsZero() {
			reason := "an emergency change must pass review before it closes"
			if c.Type != Emergency {
				reason = "a change whose outcome is " + c.Outcome.String() + " must pass review before it closes"
			}
			return &itil.ValidationError{Field: "review", Reason: reason}
		}
	}
	return nil
}

// enter keeps a change's approval round and actual window in step with its
// state: going back to new or being cancelled cancels a pending round,
// implementation stamps the actual start and completion the actual end.
func (m *Manager) enter(_ context.Context, f *lifecycle.Firing) error {
	c := f.Entity.(*Change)
	if f.Event == EventRevert || f.ToCategory == lifecycle.Cancelled {
		if r := c.current(); r != nil && r.State == approval.Pending {
			reason := f.Note
			if reason == "" {
				reason = "change cancelled"
				if f.Event == EventRevert {
					reason = "change reverted to new"
				}
			}
			before := r.Summary()
			if err := r.Cancel(reason, f.At); err != nil {
				return err
			}
			f.Edit.Field("approval", before, r.Summary())
		}
	}
	switch f.Event {
	case EventImplement:
		f.Edit.Field("actual.start", stamp(c.Actual.Start), stamp(f.At))
		c.Actual = Window{Start: f.At}
	case EventComplete:
		f.Edit.Field("actual.end", stamp(c.Actual.End), stamp(f.At))
		c.Actual.End = f.At
	}
	return nil
}

// stamp formats t for the journal; the zero time is empty.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
