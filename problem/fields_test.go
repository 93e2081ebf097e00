package problem_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// changeJSON extends the default lifecycle, by name, with a paused state
// waiting for the change that delivers the fix, which requires the
// change's ticket, and with two more custom fields.
const changeJSON = `{"extends": "problem",
 "states": [{"name": "awaiting_change", "category": "paused"}],
 "events": [{"name": "wait_change", "from": ["fix_in_progress"], "to": "awaiting_change"},
            {"name": "change_done", "from": ["awaiting_change"], "to": "fix_in_progress"}],
 "fields": [{"name": "change_ticket", "required_in": ["awaiting_change"]},
            {"name": "vendor", "kind": "choice", "choices": ["acme", "globex"]},
            {"name": "cost", "kind": "number"}]}`

// fieldsFixture is a fixture whose lifecycle is read from changeJSON.
func fieldsFixture(t *testing.T) *fixture {
	t.Helper()
	def, err := problem.ParseLifecycle([]byte(changeJSON))
	require.NoError(t, err)
	return newFixture(t, problem.Config{Lifecycle: def})
}

func TestParseLifecycle(t *testing.T) {
	t.Parallel()
	def, err := problem.ParseLifecycle([]byte(changeJSON))
	require.NoError(t, err)
	assert.Equal(t, problem.Kind, def.Name())
	assert.Equal(t, lifecycle.Paused, def.Category("awaiting_change"))
	for _, s := range problem.DefaultLifecycle().States() {
		assert.Equal(t, s.Category, def.Category(s.Name), "the default's state %s is kept", s.Name)
	}
	to, ok := def.Target(problem.EventResolve, problem.StateFixInProgress)
	require.True(t, ok, "the default's events are kept")
	assert.Equal(t, problem.StateResolved, to)
	f, ok := def.Field("vendor")
	require.True(t, ok)
	assert.Equal(t, lifecycle.FieldChoice, f.Kind)
	assert.Equal(t, []string{"fields.change_ticket"}, def.Requires("awaiting_change"))

	bad := []struct {
		name, json, field string
	}{
		{"unknown base", `{"extends": "incident", "states": []}`, "extends"},
		{"another name", `{"extends": "problem", "name": "ticket"}`, "name"},
		{"unknown category", `{"extends": "problem", "states": [{"name": "waiting", "category": "later"}]}`, "states[0].category"},
		{"not JSON", `{`, "definition"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := problem.ParseLifecycle([]byte(tt.json))
			requireValidation(t, err, tt.field)
		})
	}
}

func TestCustomFields(t *testing.T) {
	t.Parallel()
	f := fieldsFixture(t)
	ctx := t.Context()
	p := f.open(t, func(dr *problem.Draft) { dr.Fields = map[string]string{"vendor": "acme", "cost": ""} })
	assert.Equal(t, map[string]string{"vendor": "acme"}, p.Fields, "an empty value is no field")

	p, err := f.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol, Fields: map[string]string{"cost": "1200"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"vendor": "acme", "cost": "1200"}, p.Fields)
	j := problemJournal(t, f.mgr, p.ID)
	assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "fields.cost", New: "1200"})

	p, err = f.mgr.Assign(ctx, problem.AssignParams{ID: p.ID, By: carol, Group: "network", Fields: map[string]string{"vendor": ""}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"cost": "1200"}, p.Fields, "an empty value unsets the field")
	assert.Equal(t, p, f.getProblem(t, p.ID))
}

func TestCustomFieldsRefused(t *testing.T) {
	t.Parallel()
	f := fieldsFixture(t)
	ctx := t.Context()
	p := f.toState(t, problem.StateRootCauseAnalysis)
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000007"}
	tests := []struct {
		name  string
		do    func(fields map[string]string) error
		bad   map[string]string
		field string
	}{
		{"open", func(fl map[string]string) error {
			dr := draft()
			dr.Fields = fl
			_, err := f.mgr.Open(ctx, dr)
			return err
		}, map[string]string{"vendor": "initech"}, "fields.vendor"},
		{"record cause", func(fl map[string]string) error {
			_, err := f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Fields: fl, Cause: cause})
			return err
		}, map[string]string{"cost": "a lot"}, "fields.cost"},
		{"workaround", func(fl map[string]string) error {
			_, err := f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Fields: fl, Workaround: "reboot"})
			return err
		}, map[string]string{"undeclared": "x"}, "fields.undeclared"},
		{"link change", func(fl map[string]string) error {
			_, err := f.mgr.LinkChange(ctx, problem.LinkChangeParams{ID: p.ID, By: carol, Fields: fl, Change: chg})
			return err
		}, map[string]string{"vendor": "initech"}, "fields.vendor"},
		{"edit", func(fl map[string]string) error {
			_, err := f.mgr.Edit(ctx, problem.Params{ID: p.ID, By: carol, Fields: fl})
			return err
		}, map[string]string{"cost": "NaN"}, "fields.cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.getProblem(t, p.ID)
			n := len(problemJournal(t, f.mgr, p.ID))
			requireValidation(t, tt.do(tt.bad), tt.field)
			assert.Equal(t, before, f.getProblem(t, p.ID))
			assert.Len(t, problemJournal(t, f.mgr, p.ID), n)
		})
	}
	var count int
	for _, err := range f.mgr.Find(ctx, problem.Query{}) {
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, 1, count, "the refused draft was not stored")
}

// TestFireRequiredField fires a host's event into a state that requires a
// custom field: refused without it, taken with it.
func TestFireRequiredField(t *testing.T) {
	t.Parallel()
	f := fieldsFixture(t)
	ctx := t.Context()
	p := f.toState(t, problem.StateFixInProgress)

	_, err := f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, By: carol, Event: "wait_change"})
	requireValidation(t, err, "fields.change_ticket")
	assert.Equal(t, p, f.getProblem(t, p.ID))

	p, err = f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, Version: p.Version, By: carol, Note: "CAB on Thursday",
		Event: "wait_change", Fields: map[string]string{"change_ticket": "CHG-77"}})
	require.NoError(t, err)
	assert.Equal(t, "awaiting_change", p.State)
	assert.Equal(t, "CHG-77", p.Fields["change_ticket"])
	j := problemJournal(t, f.mgr, p.ID)
	assert.Equal(t, "wait_change", j[len(j)-1].Event)
	assert.Equal(t, "CAB on Thursday", j[len(j)-1].Note)
}

func TestFireRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	p := f.open(t)
	for _, tt := range []struct {
		name, event, field string
	}{
		{"no event", "", "event"},
		{"unknown event", "wait_change", "event"},
	} {
		_, err := f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, By: carol, Event: tt.event})
		requireValidation(t, err, tt.field)
	}
	_, err := f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, By: carol, Event: problem.EventResolve})
	requireTransition(t, err)
	_, err = f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, Event: problem.EventAssess})
	requireValidation(t, err, "by")

	a := f.toState(t, problem.StateAssess)
	_, err = f.mgr.Fire(ctx, lifecycle.FireParams{ID: a.ID, By: carol, Event: problem.EventMarkDuplicate})
	requireValidation(t, err, "resolution.code")
	assert.Equal(t, a, f.getProblem(t, a.ID), "the manager's rules hold for Fire too")

	p, err = f.mgr.Fire(ctx, lifecycle.FireParams{ID: p.ID, By: carol, Event: problem.EventAssess})
	require.NoError(t, err)
	assert.Equal(t, problem.StateAssess, p.State)
}

func TestEdit(t *testing.T) {
	t.Parallel()
	f := fieldsFixture(t)
	ctx := t.Context()
	p := f.toState(t, problem.StateClosed)
	p, err := f.mgr.Edit(ctx, problem.Params{ID: p.ID, By: carol, Note: "post-mortem filed", Fields: map[string]string{"vendor": "globex"}})
	require.NoError(t, err)
	assert.Equal(t, problem.StateClosed, p.State, "an edit keeps the state")
	assert.Equal(t, "globex", p.Fields["vendor"])
	j := problemJournal(t, f.mgr, p.ID)
	last := j[len(j)-1]
	assert.Equal(t, lifecycle.EventUpdate, last.Event)
	assert.Equal(t, "post-mortem filed", last.Note)
	assert.Equal(t, []lifecycle.FieldChange{{Field: "fields.vendor", New: "globex"}}, last.Fields)

	same, err := f.mgr.Edit(ctx, problem.Params{ID: p.ID, By: carol, Fields: map[string]string{"vendor": "globex"}})
	require.NoError(t, err)
	assert.Equal(t, p.Version, same.Version, "an edit that changes nothing writes nothing")
	assert.Len(t, problemJournal(t, f.mgr, p.ID), len(j))
}
