package request_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// TestNewDeskChecksLifecycle checks that NewDesk refuses a request
// lifecycle that lacks an event the desk fires, or has it lead elsewhere,
// naming the event, and one whose initial state is another.
func TestNewDeskChecksLifecycle(t *testing.T) {
	t.Parallel()
	st := newFixture(t, request.Config{}).store
	base := request.DefaultLifecycle()
	// without returns the default lifecycle less the event's source state
	// from, or the whole event when from is "".
	without := func(event, from string) *lifecycle.Definition {
		var evs []lifecycle.Event
		for _, e := range base.Events() {
			if e.Name == event {
				if from == "" {
					continue
				}
				e.From = slices.DeleteFunc(e.From, func(s string) bool { return s == from })
			}
			evs = append(evs, e)
		}
		def, err := lifecycle.NewDefinition(request.Kind, base.States(), evs)
		require.NoError(t, err)
		return def
	}
	elsewhere, err := lifecycle.NewDefinition(request.Kind, base.States(), slices.Concat(
		slices.DeleteFunc(base.Events(), func(e lifecycle.Event) bool { return e.Name == request.EventClose }),
		[]lifecycle.Event{
			{Name: request.EventClose, From: []string{request.StateFulfilled}, To: request.StateCancelled},
			{Name: "archive", From: []string{request.StateFulfilled}, To: request.StateClosed},
		}))
	require.NoError(t, err)
	states := base.States()
	for i := range states {
		states[i].Initial = false
	}
	states = append(states, lifecycle.State{Name: "draft", Category: lifecycle.Open, Initial: true})
	otherStart, err := lifecycle.NewDefinition(request.Kind, states,
		append(base.Events(), lifecycle.Event{Name: "send", From: []string{"draft"}, To: request.StateSubmitted}))
	require.NoError(t, err)

	for _, tt := range []struct {
		name string
		def  *lifecycle.Definition
		want string // in the reason
	}{
		{"no resubmit", without(request.EventResubmit, ""), `"resubmit"`},
		{"no approval without a round", without(request.EventApprove, request.StateSubmitted), `"approve" must lead from "submitted"`},
		{"no cancel while waiting", without(request.EventCancel, request.StateAwaitingApproval), `"cancel"`},
		{"close leads elsewhere", elsewhere, `"close" must lead from "fulfilled" to "closed"`},
		{"another initial state", otherStart, `initial state is "draft"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := request.NewDesk(st, request.Config{Lifecycle: tt.def})
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "Lifecycle", ve.Field)
			assert.Contains(t, ve.Reason, tt.want)
		})
	}
	_, err = request.NewDesk(st, request.Config{Lifecycle: base})
	assert.NoError(t, err, "the default passes")
}

// TestNewDeskChecksCalendars checks that NewDesk refuses a catalog whose
// items' SLA targets name a calendar the desk is not given, naming the
// item and the target.
func TestNewDeskChecksCalendars(t *testing.T) {
	t.Parallel()
	st := newFixture(t, request.Config{}).store
	it := mouseItem()
	it.SLA = &sla.Targets{Resolution: sla.Target{Within: 8 * time.Hour, Calendar: "office"}}
	cat, err := request.NewCatalog(it)
	require.NoError(t, err)
	_, err = request.NewDesk(st, request.Config{Catalog: cat})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Catalog[mouse].sla.resolution.calendar", ve.Field)
	_, err = request.NewDesk(st, request.Config{Catalog: cat, Calendars: map[string]*sla.Calendar{"office": sla.BusinessHours(time.UTC)}})
	assert.NoError(t, err)
}

// TestFailurePolicyNames checks the policies' names and which are defined.
func TestFailurePolicyNames(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p     request.FailurePolicy
		name  string
		valid bool
	}{
		{request.HoldOnFailure, "hold", true},
		{request.ContinueOnFailure, "continue", true},
		{request.FailurePolicy(9), "OnTaskFailure(9)", false},
		{request.FailurePolicy(-1), "OnTaskFailure(-1)", false},
	} {
		assert.Equal(t, tt.name, tt.p.String())
		assert.Equal(t, tt.valid, tt.p.Valid(), tt.name)
	}
}
