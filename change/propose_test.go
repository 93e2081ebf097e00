package change_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

func TestPropose(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	prb := itil.Ref{Kind: "problem", ID: uuid.New(), Number: "PRB0000004"}
	d := draft(change.Normal, "db-1", " db-2 ")
	d.Links = []itil.Ref{prb}
	d.Note = "from the problem review"
	c, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, "CHG0000001", c.Number)
	assert.Equal(t, change.Normal, c.Type)
	assert.Equal(t, change.StateNew, c.State)
	assert.Equal(t, lifecycle.Open, c.StateCategory)
	assert.Equal(t, []string{"db-1", "db-2"}, c.CIs)
	assert.Equal(t, "alice", c.Requester, "the actor requests by default")
	assert.Equal(t, []itil.Ref{prb}, c.Links)
	assert.Equal(t, uuid.Version(7), c.ID.Version())
	j := f.journal(t, c.ID)
	require.Len(t, j, 1)
	assert.Equal(t, "from the problem review", j[0].Note)

	got, err := f.m.GetByNumber(ctx, "CHG0000001")
	require.NoError(t, err)
	assert.Equal(t, c, got)
	_, err = f.m.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = f.m.Implement(ctx, change.Params{ID: uuid.New(), By: bob})
	assert.ErrorIs(t, err, lifecycle.ErrNotFound)
}

func TestProposeStandard(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c, err := f.m.Propose(ctx, change.Draft{Template: "restart-web", CIs: []string{"web-1"}, By: alice, TestPlan: "curl /health"})
	require.NoError(t, err)
	assert.Equal(t, change.Standard, c.Type, "a template makes a standard change")
	assert.Equal(t, restartWeb.Title, c.Title)
	assert.Equal(t, restartWeb.ImplementationPlan, c.ImplementationPlan)
	assert.Equal(t, restartWeb.BackoutPlan, c.BackoutPlan)
	assert.Equal(t, "curl /health", c.TestPlan, "the draft's own values win")
	assert.Equal(t, itil.ImpactLow, c.Impact)
	assert.True(t, c.Approved(), "the template pre-approves it")

	// No CAB: straight to scheduled, within the template's duration.
	_, err = f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 3), Implementer: bob.ID})
	assertInvalid(t, err, "window")
	res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: c.ID, By: alice, Window: window(24, 2), Implementer: bob.ID})
	require.NoError(t, err)
	assert.Equal(t, change.StateScheduled, res.Change.State)
}

func TestProposeBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	for _, tc := range []struct {
		name  string
		edit  func(d *change.Draft)
		field string
	}{
		{"no actor", func(d *change.Draft) { d.By = itil.Actor{} }, "by"},
		{"no title", func(d *change.Draft) { d.Title = "  " }, "title"},
		{"bad type", func(d *change.Draft) { d.Type = 9 }, "type"},
		{"bad impact", func(d *change.Draft) { d.Impact = 7 }, "impact"},
		{"template on a normal change", func(d *change.Draft) { d.Template = "restart-web" }, "template"},
		{"standard without template", func(d *change.Draft) { d.Type = change.Standard }, "template"},
		{"unknown template", func(d *change.Draft) { d.Type, d.Template = change.Standard, "reboot-world" }, "template"},
		{"empty CI", func(d *change.Draft) { d.CIs = []string{"db-1", " "} }, "cis[1]"},
		{"CI twice", func(d *change.Draft) { d.CIs = []string{"db-1", "db-1"} }, "cis[1]"},
		{"schedule end before start", func(d *change.Draft) { d.Planned = change.Window{Start: t0, End: t0.Add(-time.Hour)} }, "planned.end"},
		{"half a window", func(d *change.Draft) { d.Planned = change.Window{Start: t0} }, "planned.end"},
		{"far future", func(d *change.Draft) {
			d.Planned = change.Window{Start: t0, End: time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)}
		}, "planned.end"},
		{"link to a request", func(d *change.Draft) { d.Links = []itil.Ref{{Kind: "request", ID: uuid.New()}} }, "links[0].kind"},
		{"link without ID", func(d *change.Draft) { d.Links = []itil.Ref{{Kind: "incident"}} }, "links[0].id"},
		{"link twice", func(d *change.Draft) {
			id := uuid.New()
			d.Links = []itil.Ref{{Kind: "incident", ID: id}, {Kind: "incident", ID: id}}
		}, "links[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := draft(change.Normal)
			tc.edit(&d)
			_, err := f.m.Propose(ctx, d)
			assertInvalid(t, err, tc.field)
		})
	}
	n := 0
	for range f.m.Find(ctx, change.Query{}) {
		n++
	}
	assert.Zero(t, n, "nothing was filed")
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	c, err := f.m.Propose(ctx, change.Draft{Title: "Replace switch", By: alice})
	require.NoError(t, err)
	title, plan, backout := "Replace core switch", "Swap in the spare.", "Swap back."
	cis := []string{"sw-core-1"}
	c, err = f.m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, Title: &title, ImplementationPlan: &plan, BackoutPlan: &backout, CIs: &cis, Note: "details"})
	require.NoError(t, err)
	assert.Equal(t, title, c.Title)
	assert.Equal(t, cis, c.CIs)
	j := f.journal(t, c.ID)
	assert.Equal(t, lifecycle.EventUpdate, j[len(j)-1].Event)
	assert.Contains(t, j[len(j)-1].Fields, lifecycle.FieldChange{Field: "cis", New: "sw-core-1"})

	empty := ""
	_, err = f.m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, Title: &empty})
	assertInvalid(t, err, "title")
	bad := change.Window{Start: t0, End: t0}
	_, err = f.m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, Planned: &bad})
	assertInvalid(t, err, "planned.end")
	f.unchanged(t, c)

	// Once approval is requested, the change is what approvers see.
	c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: alice, Impact: itil.ImpactLow, Likelihood: change.LikelihoodLow})
	require.NoError(t, err)
	c, err = f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: alice})
	require.NoError(t, err)
	_, err = f.m.Update(ctx, change.UpdateParams{ID: c.ID, By: alice, Title: &title})
	var te *lifecycle.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, lifecycle.EventUpdate, te.Event)

	// A stale version is refused.
	_, err = f.m.RevertToNew(ctx, change.Params{ID: c.ID, By: alice, Version: c.Version - 1})
	assert.ErrorIs(t, err, lifecycle.ErrConflict)
}

func TestRequiredFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	// No backout plan: the CAB is not asked.
	d := draft(change.Normal)
	d.BackoutPlan = ""
	c, err := f.m.Propose(ctx, d)
	require.NoError(t, err)
	c, err = f.do(c.ID, "assess")
	require.NoError(t, err)
	_, err = f.do(c.ID, "request_approval")
	assertInvalid(t, err, "backout_plan")
	f.unchanged(t, c)

	// No CIs: not scheduled.
	d = draft(change.Standard)
	d.CIs = nil
	c, err = f.m.Propose(ctx, d)
	require.NoError(t, err)
	_, err = f.do(c.ID, "schedule")
	assertInvalid(t, err, "cis")
}

func TestLinkAndFind(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	inc := itil.Ref{Kind: "incident", ID: uuid.New(), Number: "INC0000042"}
	a := f.toState(t, change.Normal, change.StateClosed, "db-1")
	b := f.toState(t, change.Standard, change.StateScheduled, "web-1")
	e := f.toState(t, change.Emergency, change.StateNew, "db-1", "fw-1")

	// A change found to have caused an incident is linked after it closed.
	a, err := f.m.Link(ctx, change.LinkParams{ID: a.ID, By: carol, To: inc, Note: "caused the outage"})
	require.NoError(t, err)
	assert.Equal(t, []itil.Ref{inc}, a.Links)
	again, err := f.m.Link(ctx, change.LinkParams{ID: a.ID, By: carol, To: inc})
	require.NoError(t, err)
	assert.Equal(t, a.Version, again.Version, "linking twice changes nothing")
	_, err = f.m.Link(ctx, change.LinkParams{ID: a.ID, By: carol, To: itil.Ref{Kind: "alert", ID: uuid.New()}})
	assertInvalid(t, err, "to.kind")

	numbers := func(q change.Query) []string {
		var out []string
		for c, err := range f.m.Find(ctx, q) {
			require.NoError(t, err)
			out = append(out, c.Number)
		}
		return out
	}
	assert.Equal(t, []string{a.Number, e.Number}, numbers(change.Query{CI: "db-1"}))
	assert.Equal(t, []string{b.Number, e.Number}, numbers(change.Query{Open: true}))
	assert.Equal(t, []string{b.Number}, numbers(change.Query{Type: change.Standard}))
	assert.Equal(t, []string{b.Number}, numbers(change.Query{Implementer: "bob", Open: true}))
	assert.Equal(t, []string{a.Number}, numbers(change.Query{Link: inc}))
	assert.Equal(t, []string{a.Number}, numbers(change.Query{States: []string{change.StateClosed}}))
	assert.Equal(t, []string{b.Number}, numbers(change.Query{Template: "restart-web", Risk: change.RiskLow}))
	assert.Equal(t, []string{a.Number}, numbers(change.Query{Limit: 1}))
	assert.Equal(t, []string{b.Number, e.Number}, numbers(change.Query{After: a.ID}))
	for _, err := range f.m.Find(ctx, change.Query{Type: 9}) {
		assertInvalid(t, err, "type")
	}
}

// TestJSONRoundTrip: a change survives the encoding a SQL store keeps it in.
func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{Questionnaire: questionnaire})
	c, err := f.m.Propose(ctx, draft(change.Emergency))
	require.NoError(t, err)
	c, err = f.m.Assess(ctx, change.AssessParams{ID: c.ID, By: carol, Answers: map[string]string{"outage": "full", "tested": "no"}})
	require.NoError(t, err)
	for _, step := range paths[change.Emergency][change.StateClosed] {
		c, err = f.do(c.ID, step)
		require.NoError(t, err)
	}
	_, err = f.m.Link(ctx, change.LinkParams{ID: c.ID, By: carol, To: itil.Ref{Kind: "problem", ID: uuid.New()}})
	require.NoError(t, err)
	c, err = f.m.Get(ctx, c.ID)
	require.NoError(t, err)

	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back change.Change
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	assert.Equal(t, c.Approval().Summary(), back.Approval().Summary())
	assert.Equal(t, c.Planned.Start.Unix(), back.Planned.Start.Unix())

	// A new change, with its enumerations unset, encodes too.
	n, err := f.m.Propose(ctx, change.Draft{Title: "t", By: alice})
	require.NoError(t, err)
	_, err = json.Marshal(n)
	require.NoError(t, err)
}

// TestFindRefusesEmptyNames: a query value that names something (a slot, a
// state, a link) must name it; an empty one is refused, not matched
// against nothing.
func TestFindRefusesEmptyNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t, change.Config{})
	f.toState(t, change.Normal, change.StateAuthorize)
	for _, tc := range []struct {
		name  string
		q     change.Query
		field string
	}{
		{"empty slot", change.Query{Awaiting: []approval.Slot{{}}}, "awaiting[0]"},
		{"empty slot after a good one", change.Query{Awaiting: []approval.Slot{approval.Group(approval.GroupCAB), {}}}, "awaiting[1]"},
		{"slot naming a group and a person", change.Query{Awaiting: []approval.Slot{{Group: approval.GroupCAB, Person: "carol"}}}, "awaiting[0]"},
		{"empty group name", change.Query{Awaiting: []approval.Slot{approval.Group("  ")}}, "awaiting[0]"},
		{"empty state", change.Query{States: []string{change.StateNew, ""}}, "states[1]"},
		{"link without a kind", change.Query{Link: itil.Ref{ID: uuid.New()}}, "link.kind"},
		{"link without an ID", change.Query{Link: itil.Ref{Kind: "problem"}}, "link.id"},
		{"blank CI", change.Query{CI: " "}, "ci"},
		{"blank implementer", change.Query{Implementer: "\t"}, "implementer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for c, err := range f.m.Find(ctx, tc.q) {
				n++
				assert.Nil(t, c)
				assertInvalid(t, err, tc.field)
			}
			assert.Equal(t, 1, n, "one error, no changes")
		})
	}
}
