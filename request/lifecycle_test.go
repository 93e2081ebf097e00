package request_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/request"
)

// model is a state model as the tests expect it: the events allowed in
// each state, where each leads, and a way to reach each state.
type model struct {
	def    *lifecycle.Definition
	allow  map[string]map[string]string // state → event → target
	reach  map[string][]string          // state → events from the initial state
	newRec func() lifecycle.Entity
}

var requestModel = model{
	def: request.DefaultLifecycle(),
	allow: map[string]map[string]string{
		request.StateSubmitted: {request.EventSubmit: request.StateAwaitingApproval, request.EventApprove: request.StateApproved, request.EventCancel: request.StateCancelled},
		request.StateAwaitingApproval: {request.EventApprove: request.StateApproved, request.EventReject: request.StateRejected,
			request.EventCancel: request.StateCancelled},
		request.StateApproved:     {request.EventFulfil: request.StateInFulfilment, request.EventCancel: request.StateCancelled},
		request.StateInFulfilment: {request.EventComplete: request.StateFulfilled},
		request.StateFulfilled:    {request.EventClose: request.StateClosed},
		request.StateClosed:       {},
		request.StateRejected:     {request.EventResubmit: request.StateAwaitingApproval, request.EventCancel: request.StateCancelled},
		request.StateCancelled:    {},
	},
	reach: map[string][]string{
		request.StateSubmitted:        nil,
		request.StateAwaitingApproval: {request.EventSubmit},
		request.StateApproved:         {request.EventApprove},
		request.StateInFulfilment:     {request.EventApprove, request.EventFulfil},
		request.StateFulfilled:        {request.EventApprove, request.EventFulfil, request.EventComplete},
		request.StateClosed:           {request.EventApprove, request.EventFulfil, request.EventComplete, request.EventClose},
		request.StateRejected:         {request.EventSubmit, request.EventReject},
		request.StateCancelled:        {request.EventCancel},
	},
	newRec: func() lifecycle.Entity {
		return &request.Request{Requester: alice, For: "alice", Lines: []request.Line{{Item: mouseItem(), Quantity: 1}}}
	},
}

var taskModel = model{
	def: request.TaskLifecycle(),
	allow: map[string]map[string]string{
		request.TaskPending:    {request.TaskEventOpen: request.TaskOpen},
		request.TaskOpen:       {request.TaskEventStart: request.TaskInProgress, request.TaskEventComplete: request.TaskDone, request.TaskEventFail: request.TaskFailed},
		request.TaskInProgress: {request.TaskEventComplete: request.TaskDone, request.TaskEventFail: request.TaskFailed},
		request.TaskDone:       {},
		request.TaskFailed:     {request.TaskEventRetry: request.TaskOpen},
	},
	reach: map[string][]string{
		request.TaskPending:    nil,
		request.TaskOpen:       {request.TaskEventOpen},
		request.TaskInProgress: {request.TaskEventOpen, request.TaskEventStart},
		request.TaskDone:       {request.TaskEventOpen, request.TaskEventComplete},
		request.TaskFailed:     {request.TaskEventOpen, request.TaskEventFail},
	},
	newRec: func() lifecycle.Entity {
		return &request.Task{Title: "Image", Group: "imaging", Assignee: "tom", Failure: "broken"}
	},
}

var grantModel = model{
	def: request.GrantLifecycle(),
	allow: map[string]map[string]string{
		request.GrantActive:   {request.GrantEventRevoking: request.GrantRevoking},
		request.GrantRevoking: {request.GrantEventRevoke: request.GrantRevoked},
		request.GrantRevoked:  {},
	},
	reach: map[string][]string{
		request.GrantActive:   nil,
		request.GrantRevoking: {request.GrantEventRevoking},
		request.GrantRevoked:  {request.GrantEventRevoking, request.GrantEventRevoke},
	},
	newRec: func() lifecycle.Entity {
		return &request.Grant{User: "alice", Service: "erp", Role: "ap-clerk", Reason: "left"}
	},
}

// TestStateModels fires every event of each lifecycle in every state: the
// allowed ones lead where the model says, every other one fails with a
// *lifecycle.TransitionError and changes nothing.
func TestStateModels(t *testing.T) {
	t.Parallel()
	for _, m := range []model{requestModel, taskModel, grantModel} {
		var names []string
		for _, s := range m.def.States() {
			names = append(names, s.Name)
		}
		assert.ElementsMatch(t, slices.Collect(mapKeys(m.allow)), names, m.def.Name())
		for _, state := range names {
			for _, ev := range m.def.Events() {
				t.Run(m.def.Name()+"/"+state+"/"+ev.Name, func(t *testing.T) {
					t.Parallel()
					testTransition(t, m, state, ev.Name)
				})
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func testTransition(t *testing.T, m model, state, event string) {
	ctx := t.Context()
	st := memstore.New(memstore.Config{})
	var fire func(ev string) (lifecycle.Entity, error)
	var get func() lifecycle.Entity
	switch m.def.Name() {
	case request.Kind:
		p, err := lifecycle.NewProcess[request.Request](st, m.def, lifecycle.ProcessConfig{})
		require.NoError(t, err)
		rec, err := p.Create(ctx, m.newRec().(*request.Request), alice, "")
		require.NoError(t, err)
		get = func() lifecycle.Entity { r, err := p.Get(ctx, rec.ID); require.NoError(t, err); return r }
		fire = func(ev string) (lifecycle.Entity, error) {
			return p.Fire(ctx, rec.ID, lifecycle.Action[*request.Request]{Event: ev, Actor: alice})
		}
	case request.TaskKind:
		p, err := lifecycle.NewProcess[request.Task](st, m.def, lifecycle.ProcessConfig{})
		require.NoError(t, err)
		rec, err := p.Create(ctx, m.newRec().(*request.Task), alice, "")
		require.NoError(t, err)
		get = func() lifecycle.Entity { r, err := p.Get(ctx, rec.ID); require.NoError(t, err); return r }
		fire = func(ev string) (lifecycle.Entity, error) {
			return p.Fire(ctx, rec.ID, lifecycle.Action[*request.Task]{Event: ev, Actor: alice})
		}
	case request.GrantKind:
		p, err := lifecycle.NewProcess[request.Grant](st, m.def, lifecycle.ProcessConfig{})
		require.NoError(t, err)
		rec, err := p.Create(ctx, m.newRec().(*request.Grant), alice, "")
		require.NoError(t, err)
		get = func() lifecycle.Entity { r, err := p.Get(ctx, rec.ID); require.NoError(t, err); return r }
		fire = func(ev string) (lifecycle.Entity, error) {
			return p.Fire(ctx, rec.ID, lifecycle.Action[*request.Grant]{Event: ev, Actor: alice})
		}
	}
	for _, ev := range m.reach[state] {
		_, err := fire(ev)
		require.NoError(t, err, "reaching %s with %s", state, ev)
	}
	before := get()
	require.Equal(t, state, before.Base().State)

	after, err := fire(event)
	if to, ok := m.allow[state][event]; ok {
		require.NoError(t, err)
		assert.Equal(t, to, after.Base().State)
		assert.Equal(t, before.Base().Version+1, after.Base().Version)
		return
	}
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, event, te.Event)
	assert.Equal(t, state, te.State)
	assert.Equal(t, before, get(), "a refused event changes nothing")
}
